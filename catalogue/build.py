"""`catalogue build`: validate, load the store, write every output, and publish atomically.

Outputs are written into a temporary folder beside the output folder and swapped in only when
every step succeeded, so a failed or interrupted build leaves the last good site in place. Each
output (store, CKAN dump, DCAT, site pages) is one step: a function of the build context.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from catalogue.load import Catalogue, load_catalogue

DEFAULT_OUT = Path("site")
BUILD_DIR = Path("build")
DEFAULT_DB = f"sqlite:///{BUILD_DIR / 'catalogue.sqlite'}"
LAST_BUILD = BUILD_DIR / "last-build.json"


class BuildError(Exception):
    """A step could not finish; the message says which and why. Nothing was published."""


@dataclass
class BuildContext:
    """What every step gets: the validated catalogue and where to write."""

    catalogue: Catalogue
    out: Path  # the temporary output folder; becomes the site on success
    db_url: str
    base_url: str
    state: dict[str, Any] = field(default_factory=dict)  # for steps that hand work on
    commits: list[Callable[[], None]] = field(default_factory=list)  # run after the swap
    rollbacks: list[Callable[[], None]] = field(default_factory=list)  # run on failure


Step = tuple[str, Callable[[BuildContext], None]]


def steps() -> list[Step]:
    """The build's steps in order; each writes one kind of output."""
    from catalogue import site
    from catalogue.ckan.dump import dump_step
    from catalogue.dcat import build_step as dcat_step
    from catalogue.store.publish import load_step

    return [
        ("Loading the store", load_step),  # first: later steps may read ctx.state["store"]
        ("Writing the CKAN dump", dump_step),
        ("Writing the DCAT feed", dcat_step),
        *site.steps(),
    ]


def build(
    metadata: Path = Path("metadata"),
    out: Path = DEFAULT_OUT,
    db_url: str | None = None,
    base_url: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> BuildContext:
    """Run the whole build; raises `InvalidCatalogue` or `BuildError`, leaving `out` as it was."""
    db_url = db_url or os.environ.get("CATALOGUE_DB_URL") or DEFAULT_DB
    base_url = (base_url or os.environ.get("CATALOGUE_BASE_URL") or "http://127.0.0.1:8000/")
    if not base_url.endswith("/"):
        base_url += "/"
    catalogue = load_catalogue(metadata)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))
    ctx = BuildContext(catalogue, tmp, db_url, base_url)
    todo = steps()
    try:
        for n, (label, step) in enumerate(todo, 1):
            if progress:
                progress(label, n, len(todo))
            step(ctx)
        _swap(tmp, out)
    except BaseException:
        for undo in ctx.rollbacks:
            undo()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    for commit in ctx.commits:
        commit()
    _record(out, db_url, base_url, metadata)
    return ctx


def _swap(new: Path, out: Path) -> None:
    """Replace `out` by `new` with two renames; the old copy is removed afterwards."""
    old = out.with_name(f".{out.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    try:
        new.rename(out)
    except OSError:
        if old.exists():
            old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _record(out: Path, db_url: str, base_url: str, metadata: Path) -> None:
    """Remember what was built, so a bare `catalogue serve` serves it."""
    BUILD_DIR.mkdir(exist_ok=True)
    LAST_BUILD.write_text(json.dumps({
        "out": str(out),
        "db_url": db_url,
        "base_url": base_url,
        "metadata": str(metadata.resolve()),
        "built": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }, indent=2))


def last_build() -> dict[str, str] | None:
    """What the last `catalogue build` in this folder produced, if any."""
    try:
        return json.loads(LAST_BUILD.read_text())
    except (OSError, ValueError):
        return None
