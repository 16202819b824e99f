"""The `# yaml-language-server: $schema=` line that points an editor at an entry's profile.

In this repository (and in any project with a `validators/` folder beside its metadata) the
line names that folder's profile by a relative path, as every file in `metadata/` does. A
metadata repository of its own has no such folder: there `catalogue new` copies the profile of
the rules in use into `.catalogue/profiles/` beside the metadata folder and points at the copy,
so completion and checks in the editor work there too (commit the folder, or ignore it).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from catalogue.settings import validators_dir

LINE = "# yaml-language-server: $schema={ref}\n"
COPIES = Path(".catalogue", "profiles")  # beside the metadata folder


def schema_line(metadata: Path, kind: str, up: str) -> str:
    """The line for a file `up` levels below the metadata folder's parent (e.g. "../../../")."""
    name = f"{kind}.schema.json"
    beside = metadata.resolve().parent / "validators" / "profiles" / name
    if beside.is_file():
        return LINE.format(ref=f"{up}validators/profiles/{name}")
    copy = metadata.resolve().parent / COPIES / name
    source = validators_dir() / "profiles" / name
    if source.is_file():  # refresh it: the rules may be newer than the copy
        copy.parent.mkdir(parents=True, exist_ok=True)
        if not copy.is_file() or copy.read_bytes() != source.read_bytes():
            shutil.copyfile(source, copy)
    return LINE.format(ref=f"{up}{COPIES.as_posix()}/{name}")
