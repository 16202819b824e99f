"""The checks of one file: each module declares its checks (`CHECKS`) with the codes they emit.

Owns: `format_rules` (profile, model, safety and the format's own rules on parsed data),
`frictionless_checks` (frictionless's own checks of the descriptors) and `raw_text` (control
characters and identity numbers in the file's text). The registry that lists every check is
`catalogue.validation.registry`.
May import: `settings`, `errors`, `format`, `privacy`, and the rest of `validation`.
"""
