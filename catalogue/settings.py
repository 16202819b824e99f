"""Where the declarative rules live. They are data beside the package, never Python."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The folders of `metadata/` that hold entries, and the kind of entry each holds.
KIND_FOLDERS: dict[str, str] = {"registries": "registry", "biobanks": "biobank"}


def validators_dir() -> Path:
    """The `validators/` folder: `CATALOGUE_VALIDATORS` or the one beside the package."""
    return Path(os.environ.get("CATALOGUE_VALIDATORS", PROJECT_ROOT / "validators"))
