"""`catalogue build`: validate, load the store, write every output, and publish atomically.

Outputs are written into a temporary folder beside the output folder and swapped in only when
every step succeeded, so a failed or interrupted build leaves the last good site in place. Each
output package (the store and CKAN dump, DCAT, the site) exposes its steps, functions of the
build context (`catalogue.build.context`); this module is the only one that imports them all
and puts them in order.
"""

from __future__ import annotations

import gc
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

from catalogue import bbmri, ckan, dcat, fdp, settings, site
from catalogue.build import leakcheck
from catalogue.build.context import BuildContext, BuildError, Step
from catalogue.build.explain import explain
from catalogue.build.publish import clean_up, deferred_interrupt, permissions_as_umask, record, swap
from catalogue.build.reuse import Reuse
from catalogue.load import Catalogue, load_catalogue
from catalogue.settings import DEFAULT_OUT, LAST_BUILD

__all__ = ["BuildContext", "BuildError", "Step", "build", "explain", "steps"]


def steps() -> list[Step]:
    """The build's steps in order: each output package's, then the check of all of them."""
    return [
        *ckan.steps(),  # first: the store's load; later steps may read ctx.state.store
        *dcat.steps(),
        *bbmri.steps(),
        *fdp.steps(),
        *site.steps(),
        ("Checking the output for personal data", leakcheck.leak_step),  # last: it reads everything
    ]


def build(
    metadata: Path = Path("metadata"),
    out: Path = DEFAULT_OUT,
    db_url: str | None = None,
    base_url: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    full: bool = False,
) -> BuildContext:
    """Run the whole build; raises `InvalidCatalogue` or `BuildError`, leaving `out` as it was.

    Unless `full`, outputs of the last build into `out` whose inputs are unchanged are reused
    (`catalogue.build.reuse`); the result is the same either way."""
    db_url = settings.db_url(db_url)
    base_url = settings.base_url(base_url)
    if not base_url.endswith("/"):
        base_url += "/"
    # The catalogue lives as long as the build: no garbage collection need visit its millions
    # of objects (each full one would), nor copy them into a forked worker by doing so.
    catalogue = load_catalogue(metadata, frozen=True)
    try:
        return _build(catalogue, metadata, out, db_url, base_url, progress, full)
    finally:
        gc.unfreeze()  # a process that builds again collects this build's catalogue as usual


def _build(catalogue: Catalogue, metadata: Path, out: Path, db_url: str, base_url: str,
           progress: Callable[[str, int, int], None] | None, full: bool) -> BuildContext:
    out = out.resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))
        permissions_as_umask(tmp)
    except OSError as exc:
        raise explain(exc, db_url, "Preparing the output") from exc
    ctx = BuildContext(catalogue, tmp, db_url, base_url, reuse=Reuse.of(out, full))
    todo = steps()
    label = "Preparing the output"
    try:
        ctx.reuse.adopt_pool(tmp)  # the site before the last becomes this one, where unchanged
        for n, (label, step) in enumerate(todo, 1):
            if progress:
                progress(label, n, len(todo))
            step(ctx)
        label = "Publishing"
        ctx.reuse.write(tmp)
        with deferred_interrupt():  # the renames and commits happen all or not at all
            swap(tmp, out, ctx.commits, len(catalogue.entries))
    except BaseException as exc:
        left = clean_up(ctx, tmp)
        if isinstance(exc, Exception):
            error = explain(exc, db_url, label, left, out)
            if error is not exc:
                raise error from exc
        raise
    try:
        record(out, db_url, base_url, metadata)
    except OSError as exc:  # published all the same; only a bare `catalogue serve` misses it
        warnings.warn(f"built and published, but could not write {LAST_BUILD}: {exc}",
                      stacklevel=2)
    return ctx
