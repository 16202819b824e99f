"""The BBMRI-ERIC Directory export: our biobanks in the Directory's national-node staging format.

Owns: the Directory ids (`ids`), the rows of its tables (`tables`) and the files (`export`:
`catalogue export-bbmri`, and `/bbmri/` in `catalogue build`, its step in `steps()`). The
Directory's model and term lists and our mapping onto them are format facts
(`catalogue.format.bbmri_directory`, `catalogue.format.bbmri_mapping`); the validator's warnings
about what an export needs are `catalogue.validation.checks.bbmri`.
May import: `settings`, `format`, `load`, `fdp` (its file writer) and `build.context`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from catalogue.bbmri.export import export, write_tables
from catalogue.bbmri.tables import TABLES, directory_tables

__all__ = ["TABLES", "directory_tables", "export", "steps", "write_tables"]

if TYPE_CHECKING:
    from catalogue.build.context import Step


def steps() -> list[Step]:
    """The Directory export's build step: `bbmri/<Table>.csv` and `bbmri/directory.zip`."""
    from catalogue.bbmri.export import build_step

    return [("Writing the BBMRI-ERIC Directory tables", build_step)]
