"""The entry format: what an entry is, before anyone checks one.

Owns: the kinds of entry and their folders (`kinds`, the one table; the page-URL rule), the
pydantic models (`models`, the one typed view of an entry), the JSON Schema profiles generated
from them (`profiles`) and the controlled vocabularies (`vocabularies`).
May import: `settings`, `errors`.
"""
