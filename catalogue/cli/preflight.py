"""Checks a command makes before its first step, so a first run fails with one clear line; and
the choice of the rules it applies (`use_rules`).

`catalogue build` in a folder without `metadata/` would otherwise run every step and publish an
empty catalogue; `catalogue serve` would say nothing about metadata.
"""

from __future__ import annotations

from pathlib import Path

from catalogue.errors import UsageError
from catalogue.format.kinds import KIND_FOLDERS
from catalogue.packaged import ENV, Rules
from catalogue.packaged import use_rules as choose_rules
from catalogue.settings import packaged_rules

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


def use_rules(metadata: Path | None, say: bool = False) -> None:
    """Apply the rules found for `metadata` (see `catalogue.packaged.find_rules`) in this command
    and its workers; say which when they are not the packaged ones; a `UsageError` (exit 2) when
    they are unusable."""
    from catalogue.cli.output import err

    rules = choose_rules(metadata)  # sets $CATALOGUE_VALIDATORS; the app's callback restores it
    problem = None if rules.packaged else rules_problem(rules)
    if problem:
        raise UsageError(problem)
    if say and not rules.packaged:
        err.print(rules.describe(), markup=False, highlight=False)


def check_metadata(folder: Path) -> None:
    """A `UsageError` (exit 2, one line) when `folder` is missing or holds no entries, before any
    step runs."""
    problem = metadata_problem(folder)
    if problem:
        raise UsageError(problem)
