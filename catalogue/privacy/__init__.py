"""What must never be published, as rules on text: identity numbers and look-alike characters.

Owns: recognising Norwegian national identity numbers, D-numbers and organisation numbers
(`national_ids`) and folding look-alike characters (`confusables`). Both the validator (on the
metadata) and the build's leak check (on every output) apply these same rules.
May import: `settings`, `errors`, `format`. It sits below `validation`, which uses it.
"""
