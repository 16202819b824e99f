"""Tools for registry and biobank owners: writing entries, not publishing them.

Owns: `new` (commented skeletons that validate), `import_dictionary` (a CSV/XLSX variable list
becomes a Table Schema) and `import_ckan` (entries from another CKAN portal).
May import: every layer up to the outputs (`settings` ... `ckan`, `dcat`, `site`), never `cli`.
"""
