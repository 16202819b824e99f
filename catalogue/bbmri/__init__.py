"""The BBMRI-ERIC Directory export: our biobanks in the Directory's national-node staging format.

`directory` reads the Directory's EMX2 model and term lists (copied into
`validators/mappings/bbmri/directory/`), `mapping` our vocabularies' mapping onto those terms,
`ids` the Directory ids, `tables` the rows, `export` the files (`catalogue export-bbmri`, and
`/bbmri/` in `catalogue build`) and `rules` the validator's warnings about what an export needs.
"""

from catalogue.bbmri.export import export, write_tables
from catalogue.bbmri.tables import TABLES, directory_tables

__all__ = ["TABLES", "directory_tables", "export", "write_tables"]
