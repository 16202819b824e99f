"""Checks a command makes before its first step, so a first run fails with one clear line.

`catalogue build` in a folder without `metadata/` would otherwise run every step and end with
Pagefind's complaint about an empty folder; `catalogue serve` would say nothing about metadata.
"""

from __future__ import annotations

from pathlib import Path

from catalogue.packaged import ENV, Rules, packaged_rules
from catalogue.paths import KIND_FOLDERS

ENTRY_FOLDERS = (*KIND_FOLDERS, "organizations")


def metadata_problem(folder: Path, option: str = "--metadata") -> str | None:
    """What is wrong with `folder` as a metadata folder, in one line with what to do; or None."""
    if not folder.exists():
        return (f"No metadata folder {folder}/ in {Path.cwd()}: run this in the folder that holds "
                f"metadata/, pass {option} FOLDER, or start one with `catalogue new organization ID`.")
    if not folder.is_dir():
        return (f"{folder} is not a folder: pass {option} with the folder that holds registries/ "
                "and biobanks/.")
    if not any(_has_files(folder / sub) for sub in ENTRY_FOLDERS):
        return (f"The metadata folder {folder}/ is empty (no registries/, biobanks/ or organizations/ "
                f"with files): add entries with `catalogue new registry ID`, or pass {option} FOLDER.")
    return None


def serve_problem(folder: Path, store: Path) -> str | None:
    """`catalogue serve` with nothing built here: one line naming the store and the metadata
    folder it would be built from, when that folder is missing or empty; or None."""
    problem = metadata_problem(folder)
    if problem is None:
        return None
    what = "is empty" if folder.is_dir() else "is missing"
    return (f"No store at {store}, and the metadata folder {folder}/ to build one from {what} "
            f"(in {Path.cwd()}): run `catalogue build` first in the folder that holds metadata/, "
            "or pass --db.")


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() for p in folder.rglob("*"))


def rules_problem(rules: Rules) -> str | None:
    """A rules folder other than the packaged one must be complete: one line naming what lacks."""
    if not rules.path.is_dir():
        return f"No rules folder {rules.path} (${ENV} names it): set it to a folder of rules, or unset it."
    missing = rules.missing()
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        return (f"The rules in {rules.path} lack {shown}: start from a copy of the packaged "
                f"rules ({packaged_rules()}) and edit that.")
    return None
