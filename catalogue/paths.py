"""Where the declarative rules live. They are data beside the package, never Python."""

from __future__ import annotations

import os
from pathlib import Path

from catalogue.packaged import packaged_rules

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The folders of `metadata/` that hold entries, and the kind of entry each holds.
KIND_FOLDERS: dict[str, str] = {"registries": "registry", "biobanks": "biobank"}


def validators_dir() -> Path:
    """The `validators/` folder: `CATALOGUE_VALIDATORS`, else the packaged rules (the copy in an
    installed package, or the checkout's). The CLI sets `CATALOGUE_VALIDATORS` to a folder beside
    the metadata when there is one: see `catalogue.packaged.use_rules`."""
    return Path(os.environ.get("CATALOGUE_VALIDATORS") or packaged_rules())
