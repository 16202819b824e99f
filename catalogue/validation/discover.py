"""Which files make up a catalogue: one pass over the metadata folder, never following links.

Every entry folder (`registries/<name>/`, `biobanks/<name>/`) and organisation file becomes a
`Job` for the validator; anything else under the folder is a finding (a stray, a data file, a
`.yml` file, a symbolic link), so nothing in a pull request goes unlooked at.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from catalogue.format.kinds import KIND_FOLDERS
from catalogue.validation import yaml_reader as yamlfile
from catalogue.validation.findings import Finding, Issue
from catalogue.validation.rules import CATALOGUE, check

SCHEMA_SUFFIX = ".schema.yaml"
IGNORED_FILES = ("README.md", ".gitkeep", ".DS_Store")


@dataclass
class Job:
    """One unit of per-file work: an entry folder or an organisation file."""

    kind: str  # registry | biobank | organization
    path: Path  # datapackage.yaml or <org>.yaml
    display: str  # path as shown to the user (relative to the metadata root's parent)
    schemas: tuple[str, ...] = ()  # *.schema.yaml files beside an entry
    key: str = ""  # content hash for the cache
    keep_parsed: bool = False  # hand the entry's data back as read (`FileResult.parsed`)


# --- finding the files ----------------------------------------------------------------------


def find_root(path: Path) -> Path | None:
    """The metadata root a path lies in: the nearest folder with registries/biobanks/orgs."""
    path = path.resolve()
    for candidate in [path, *path.parents]:
        if candidate.is_dir() and any(
            (candidate / d).is_dir() for d in (*KIND_FOLDERS, "organizations")
        ):
            return candidate
    return None


def discover(root: Path) -> tuple[list[Job], list[Finding]]:
    """The jobs under a root, and findings for files that are not part of the format.

    One pass of `os.scandir` (no symlinks followed): on 10,000 entries this listing is most of
    what a cached re-validation costs.
    """
    base = str(root.parent)
    jobs: list[Job] = []
    stray: list[Finding] = []
    seen = [0, yamlfile.limits()["max_files"]]

    prefix = base.rstrip(os.sep) + os.sep

    def show(path: str) -> str:
        # every path here was joined onto the root, so slicing is relpath without its cost
        return path[len(prefix):] if path.startswith(prefix) else os.path.relpath(path, base)

    def listing(folder: str) -> list[os.DirEntry[str]]:
        with os.scandir(folder) as it:
            found = []
            for e in it:  # stop reading a folder of millions at the limit
                seen[0] += 1
                if seen[0] > seen[1]:
                    raise _TooManyFiles(e.path)
                found.append(e)
            return sorted(found, key=lambda e: e.name)

    try:
        _walk(root, listing, show, jobs, stray)
    except _TooManyFiles as exc:
        msg = f"The metadata folder holds more than {seen[1]:,} files and folders; the rest were not read."
        stray.append(Issue("too-many-files", "", msg).place(show(exc.args[0]), 1, 1))
    return jobs, stray


class _TooManyFiles(Exception):
    """Listing stops: the metadata folder holds more files than the limit."""


def _walk(root: Path, listing: Callable[[str], list[os.DirEntry[str]]], show: Callable[[str], str],
          jobs: list[Job], stray: list[Finding]) -> None:
    """Sort what is under the root into jobs and stray files (no symlinks followed)."""

    def walk_strays(folder: str) -> None:
        todo = [folder]  # a loop, not recursion: folders can nest deeper than Python's stack
        while todo:
            for e in reversed(listing(todo.pop())):
                if e.is_dir(follow_symlinks=False):
                    todo.append(e.path)
                elif e.name not in IGNORED_FILES:
                    stray.append(_stray(Path(e.path), show(e.path)))

    for top in listing(str(root)):
        kind = KIND_FOLDERS.get(top.name)
        if not top.is_dir(follow_symlinks=False) or (kind is None and top.name != "organizations"):
            if top.is_dir(follow_symlinks=False):
                walk_strays(top.path)
            elif top.name not in IGNORED_FILES:
                stray.append(_stray(Path(top.path), show(top.path)))
            continue
        for item in listing(top.path):
            if kind is None and item.name.endswith(".yaml") and item.is_file(follow_symlinks=False):
                jobs.append(Job("organization", Path(item.path), show(item.path)))
            elif kind is not None and item.is_dir(follow_symlinks=False):
                files = listing(item.path)
                plain = {f.name for f in files if f.is_file(follow_symlinks=False)}
                if "datapackage.yaml" not in plain:
                    walk_strays(item.path)
                    continue
                descriptor = os.path.join(item.path, "datapackage.yaml")
                schemas = tuple(n for n in sorted(plain) if n.endswith(SCHEMA_SUFFIX))
                jobs.append(Job(kind, Path(descriptor), show(descriptor), schemas=schemas))
                for f in files:
                    if f.name in ("datapackage.yaml", *schemas, *IGNORED_FILES):
                        continue
                    if f.is_dir(follow_symlinks=False):
                        walk_strays(f.path)
                    else:
                        stray.append(_stray(Path(f.path), show(f.path)))
            elif item.is_dir(follow_symlinks=False):
                walk_strays(item.path)
            elif item.name not in IGNORED_FILES:
                stray.append(_stray(Path(item.path), show(item.path)))


def _stray(p: Path, display: str) -> Finding:
    from catalogue.validation.checks import format_rules as checks

    if p.suffix == ".yml":
        msg = f"{p.name} ends in .yml; the format uses .yaml (datapackage.yaml, <id>.yaml)."
        return Issue("wrong-extension", "", msg).place(display, 1, 1)
    if p.suffix.lower() in checks.DATA_SUFFIXES or p.name.lower().endswith(".csv.gz"):
        msg = f"{p.name} looks like a data file; data never belongs in the catalogue."
        return Issue("data-file", "", msg).place(display, 1, 1)
    if p.is_symlink():
        msg = f"{p.name} is a symbolic link; the catalogue does not follow links."
        return Issue("unexpected-file", "", msg).place(display, 1, 1)
    msg = f"{p.name} is not an entry, an organisation or a *.schema.yaml used by an entry."
    return Issue("unexpected-file", "", msg).place(display, 1, 1)


CHECKS = (
    check("layout", CATALOGUE, "unexpected-file", "data-file", "wrong-extension", "too-many-files",
          doc="what lies in the metadata folder besides entries and organisations"),
)
