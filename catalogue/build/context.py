"""What a build step is written against: the context it gets, the state it hands on, its error.

The outputs (`ckan`, `dcat`, `site`) import this module and nothing else of the build; the
pipeline imports the outputs. So the dependency points one way, as datasette's publish targets
register into a group the core owns. Imports only `load`, `settings`, `errors` and `reuse`.
Also here, for every step: removing a build's leftovers without waiting (`remove_folders`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from catalogue.build.reuse import Reuse
from catalogue.errors import CatalogueError
from catalogue.load import Catalogue

if TYPE_CHECKING:
    from sqlalchemy import Connection


# From this many entries, a build's leftovers (the replaced pool, the last build's page sources)
# are removed in a process of its own: unlinking the 100,000 files of a 10,000-entry site takes
# the kernel half a minute, which the build need not wait for. A smaller site's go at once, so
# nothing is left behind.
REMOVE_LATER_FROM = 2_000
# The remover forks and exits at once, so the build waits for nothing and leaves no child
# behind; the fork, adopted by init, removes the folders.
_REMOVE = ("import os, shutil, sys\nif os.fork() == 0:\n    for folder in sys.argv[1:]:\n"
           "        shutil.rmtree(folder, ignore_errors=True)\n    os._exit(0)\n")


def remove_folders(*folders: Path, later: bool = False) -> None:
    """Remove `folders`, here or (`later`) in a process that outlives this one. A folder to go
    later is first renamed aside (`left_behind` finds what a killed build left), so that a
    build to come can make a new one at its path meanwhile. Never raises: a build calls it
    after it has published, or for folders that are only caches."""
    if later:
        try:
            subprocess.run([sys.executable, "-c", _REMOVE, *(str(_aside(f)) for f in folders)],
                           start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
            return
        except OSError:  # no process to spare: remove them here
            folders = tuple(_aside(f) for f in folders)
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def _aside(folder: Path) -> Path:
    """`folder` moved into a new sibling `<name>.gone-<random>`, which is returned; `folder`
    itself when it is not there or cannot move."""
    if not folder.exists():
        return folder
    try:
        gone = Path(tempfile.mkdtemp(prefix=f"{folder.name}.gone-", dir=folder.parent))
    except OSError:
        return folder
    try:
        folder.rename(gone / folder.name)
    except OSError:
        gone.rmdir()
        return folder
    return gone


def left_behind(folder: Path) -> list[Path]:
    """What `remove_folders(folder, later=True)` set aside and a killed build left."""
    return sorted(folder.parent.glob(f"{folder.name}.gone-*"))


class BuildError(CatalogueError):
    """A step could not finish; the message says which and why. Nothing was published."""


class StoreStats(Protocol):
    """What the store's load changed (`catalogue.ckan.store.sync.LoadStats`)."""

    added: list[str]
    changed: list[str]
    removed: list[str]
    unchanged: int

    @property
    def touched(self) -> bool: ...


@dataclass
class BuildState:
    """What one step hands on to later ones; each field names its writer and its readers."""

    store: Connection | None = None  # written by the store's load; the CKAN dump reads it
    store_stats: StoreStats | None = None  # written by the store's load; `catalogue build` reports it

    def __getitem__(self, name: str) -> Any:
        """`state["store"]`, as the steps wrote it when the state was a dict."""
        if name not in self.__dataclass_fields__:
            raise KeyError(name)
        return getattr(self, name)

    def get(self, name: str, default: Any = None) -> Any:
        """`state.get("store_stats")`: the field, or `default` when it was not written."""
        value = getattr(self, name, None)
        return default if value is None else value


@dataclass
class BuildContext:
    """What every step gets: the validated catalogue and where to write."""

    catalogue: Catalogue
    out: Path  # the temporary output folder; becomes the site on success
    db_url: str
    base_url: str
    state: BuildState = field(default_factory=BuildState)  # for steps that hand work on
    reuse: Reuse = field(default_factory=Reuse)  # what the last build made that may be reused
    commits: list[Callable[[], None]] = field(default_factory=list)  # run after the swap
    rollbacks: list[Callable[[], None]] = field(default_factory=list)  # run on failure


StepFunction = Callable[[BuildContext], None]
Step = tuple[str, StepFunction]  # (the label the progress bar shows, the step)
