"""Publishing a build atomically: the swap of the output folder, the store's commits, signals.

The new site is swapped in with two renames and the store committed right after; Ctrl-C and
SIGTERM are held back meanwhile, so the site and the store change together or not at all. The
old site is kept beside it as the next build's pool. A failed build's steps are undone and its
temporary folder removed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

from catalogue.build.context import REMOVE_LATER_FROM, BuildContext, remove_folders
from catalogue.build.reuse import POOL
from catalogue.settings import BUILD_DIR, LAST_BUILD


def clean_up(ctx: BuildContext, tmp: Path) -> Path | None:
    """Undo every step; return the temporary folder if it could not be removed."""
    for undo in reversed(ctx.rollbacks):
        # the first error is the one to report; a later one (e.g. rolling back on a dead
        # database connection) must neither hide it nor stop the rest of the clean-up
        with suppress(Exception):
            undo()
    shutil.rmtree(tmp, ignore_errors=True)
    return tmp if tmp.exists() else None


def permissions_as_umask(folder: Path) -> None:
    """mkdtemp makes a folder only its owner can read; the published site must be readable by
    the web server, as any folder made with mkdir would be."""
    mask = os.umask(0)
    os.umask(mask)
    folder.chmod(0o777 & ~mask)


@contextmanager
def deferred_interrupt() -> Iterator[None]:
    """Hold Ctrl-C (and SIGTERM) back while the build publishes: the swap and the commits must
    all happen, or the site and the store would disagree. A held-back signal is dropped: the
    build is done."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, frame: held.append(signum))
                for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def swap(new: Path, out: Path, commits: list[Callable[[], None]], entries: int = 0) -> None:
    """Replace `out` by `new` with two renames, then commit the store; if a commit fails, the
    renames are undone, so site and store stay the old ones together. The old copy becomes the
    pool the next build moves unchanged files from (`catalogue.build.reuse`); the pool it
    replaces goes last: at once, or after this returns for a site of `entries` >=
    `REMOVE_LATER_FROM` entries."""
    old = out.with_name(f".{out.name}-old-{os.getpid()}")
    remove_folders(*out.parent.glob(f".{out.name}-old*"))  # left by a build that was killed
    had_old = out.exists()
    if had_old:
        out.rename(old)
    try:
        new.rename(out)
    except BaseException:
        if had_old:
            old.rename(out)
        raise
    try:
        for commit in commits:
            commit()
    except BaseException:
        out.rename(new)
        if had_old:
            old.rename(out)
        raise
    if had_old:
        _retire(old, out.with_name(POOL.format(out.name)), later=entries >= REMOVE_LATER_FROM)


def _retire(old: Path, pool: Path, later: bool) -> None:
    """Make the old copy the pool, and remove the pool it replaces. Published already, the
    build must not fail here: a copy that cannot become the pool is removed instead."""
    stale = old.with_name(f"{old.name}-pool")
    gone: list[Path] = [stale]
    try:
        pool.rename(stale)
    except FileNotFoundError:  # the first pool replaces none
        gone = []
    except OSError:
        gone = [old]
    if gone != [old]:
        try:
            old.rename(pool)
        except OSError:
            gone.append(old)
    if gone:
        remove_folders(*gone, later=later)


def record(out: Path, db_url: str, base_url: str, metadata: Path) -> None:
    """Remember what was built, so a bare `catalogue serve` serves it."""
    BUILD_DIR.mkdir(exist_ok=True)
    LAST_BUILD.write_text(json.dumps({
        "out": str(out),
        "db_url": db_url,
        "base_url": base_url,
        "metadata": str(metadata.resolve()),
        "built": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }, indent=2))
