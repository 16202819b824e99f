"""The kinds of entry, each with its folder in `metadata/` and on the site: the one table.

An entry's folder (`registries/<name>/`) is also where its page lives on the site, and its page
URL is the base URL plus that path: harvesters and papers link to it, so it is written here once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """One kind of entry: its name (`registry`) and its folder (`registries`)."""

    name: str
    folder: str


KINDS = (Kind("registry", "registries"), Kind("biobank", "biobanks"))
KIND_FOLDERS: dict[str, str] = {k.folder: k.name for k in KINDS}  # folder -> kind
FOLDERS: dict[str, str] = {k.name: k.folder for k in KINDS}  # kind -> folder
ORGANIZATIONS_FOLDER = "organizations"


def entry_path(kind: str, name: str) -> str:
    """The entry's folder and page, relative to `metadata/` or the site: `registries/<name>/`."""
    return f"{FOLDERS[kind]}/{name}/"


def entry_url(base_url: str, kind: str, name: str) -> str:
    """The entry's page URL: `<base>registries/<name>/`."""
    return base_url + entry_path(kind, name)
