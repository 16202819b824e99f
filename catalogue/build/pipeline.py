"""`catalogue build`: validate, load the store, write every output, and publish atomically.

Outputs are written into a temporary folder beside the output folder and swapped in only when
every step succeeded, so a failed or interrupted build leaves the last good site in place. Each
output (store, CKAN dump, DCAT, site pages) is one step: a function of the build context.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
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


# OSError numbers a user can act on, with what to say and what to do.
_DISK_ERRORS = {
    errno.ENOSPC: ("the disk is full", "free some space (or choose another --out) and build again"),
    errno.EDQUOT: ("the disk quota is used up", "free some space and build again"),
    errno.EFBIG: ("a file grew past the size limit for files (ulimit -f)",
                  "raise the limit and build again"),
    errno.EROFS: ("the disk is mounted read-only", "choose a writable --out, or remount the disk "
                  "read-write, and build again"),
    errno.EACCES: ("permission was denied", "check who owns the output folder and build again"),
    errno.EPERM: ("the operation is not permitted", "check who owns the output folder and build "
                  "again"),
}


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
    from catalogue.bbmri.export import build_step as bbmri_step
    from catalogue.ckan.dump import dump_step
    from catalogue.dcat import build_step as dcat_step
    from catalogue.build.leakcheck import leak_step
    from catalogue.ckan.store.step import load_step
    from catalogue.fdp.publish import build_step as fdp_step

    return [
        ("Loading the store", load_step),  # first: later steps may read ctx.state["store"]
        ("Writing the CKAN dump", dump_step),
        ("Writing the DCAT feed", dcat_step),
        ("Writing the BBMRI-ERIC Directory tables", bbmri_step),
        ("Writing the FAIR Data Point records", fdp_step),
        *site.steps(),
        ("Checking the output for personal data", leak_step),  # last: it reads everything
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
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))
        _permissions_as_umask(tmp)
    except OSError as exc:
        raise explain(exc, db_url, "Preparing the output") from exc
    ctx = BuildContext(catalogue, tmp, db_url, base_url)
    todo = steps()
    label = "Preparing the output"
    try:
        for n, (label, step) in enumerate(todo, 1):
            if progress:
                progress(label, n, len(todo))
            step(ctx)
        label = "Publishing"
        with _deferred_interrupt():  # the renames and commits happen all or not at all
            _publish(tmp, out, ctx.commits)
    except BaseException as exc:
        left = _clean_up(ctx, tmp)
        if isinstance(exc, Exception):
            error = explain(exc, db_url, label, left, out)
            if error is not exc:
                raise error from exc
        raise
    try:
        _record(out, db_url, base_url, metadata)
    except OSError as exc:  # published all the same; only a bare `catalogue serve` misses it
        warnings.warn(f"built and published, but could not write {LAST_BUILD}: {exc}",
                      stacklevel=2)
    return ctx


def explain(exc: BaseException, db_url: str, step: str, left: Path | None = None,
            out: Path | None = None) -> BaseException:
    """A `BuildError` saying in one line what went wrong and what to do, for errors a user can
    act on (a full or read-only disk, a database that stopped answering); others unchanged.
    `out` is named when the error itself names no file (a write that fails after the open)."""
    from sqlalchemy.exc import DBAPIError

    residue = (f" (could not remove the temporary folder {left}; delete it by hand)"
               if left is not None else "")
    url = _shown_url(db_url)
    code = _disk_errno(exc)
    if code is not None:
        what, fix = _DISK_ERRORS[code]
        # a copy's error names source and target; the target is where the disk is
        name = (exc.filename2 or exc.filename) if isinstance(exc, OSError) else None
        where = f" writing {name}" if name else ""
        if not name and out is not None:  # a failed write() or close() names no file
            where = f" writing into {out}"
        if isinstance(exc, DBAPIError):
            where = f" writing the store {url}"
        return BuildError(f"{step}: {what}{where}; nothing was published{residue}. Hint: {fix}.")
    if isinstance(exc, DBAPIError) and (exc.connection_invalidated
                                        or type(exc).__name__ == "OperationalError"):
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        return BuildError(f"{step}: the database at {url} stopped answering ({reason}); nothing "
                          f"was published{residue}. Hint: check that the server is running and "
                          f"reachable, then build again.")
    if residue and isinstance(exc, BuildError):
        return BuildError(f"{exc}{residue}")
    return exc


# What SQLite, PostgreSQL and the tools we run (MkDocs, Pagefind) say for the same errors.
_SQLITE_CODES = {13: errno.ENOSPC, 8: errno.EROFS}  # SQLITE_FULL, SQLITE_READONLY
_SQLSTATES = {"53100": errno.ENOSPC}  # disk_full
_MESSAGES = {"No space left on device": errno.ENOSPC, "Read-only file system": errno.EROFS,
             "File too large": errno.EFBIG, "Disk quota exceeded": errno.EDQUOT}


def _shown_url(db_url: str) -> str:
    """The store's URL without its password, for messages."""
    from sqlalchemy import make_url

    try:
        return make_url(db_url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a URL we cannot parse is shown as given
        return db_url


def _disk_errno(exc: BaseException) -> int | None:
    """The OSError number behind `exc`, if it is one of `_DISK_ERRORS`."""
    seen = 0
    while exc is not None and seen < 10:  # the error itself or what it was raised from
        if isinstance(exc, OSError) and exc.errno in _DISK_ERRORS:
            return exc.errno
        orig = getattr(exc, "orig", None)
        if getattr(orig, "sqlite_errorcode", None) in _SQLITE_CODES:
            return _SQLITE_CODES[orig.sqlite_errorcode]  # type: ignore[union-attr]
        if getattr(orig, "sqlstate", None) in _SQLSTATES:
            return _SQLSTATES[orig.sqlstate]  # type: ignore[union-attr]
        if isinstance(exc, BuildError):  # a tool's output, passed on in the message
            for text, code in _MESSAGES.items():
                if text in str(exc):
                    return code
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
        seen += 1
    return None


def _clean_up(ctx: BuildContext, tmp: Path) -> Path | None:
    """Undo every step; return the temporary folder if it could not be removed."""
    for undo in reversed(ctx.rollbacks):
        # the first error is the one to report; a later one (e.g. rolling back on a dead
        # database connection) must neither hide it nor stop the rest of the clean-up
        with suppress(Exception):
            undo()
    shutil.rmtree(tmp, ignore_errors=True)
    return tmp if tmp.exists() else None


def _permissions_as_umask(folder: Path) -> None:
    """mkdtemp makes a folder only its owner can read; the published site must be readable by
    the web server, as any folder made with mkdir would be."""
    mask = os.umask(0)
    os.umask(mask)
    folder.chmod(0o777 & ~mask)


@contextmanager
def _deferred_interrupt() -> Iterator[None]:
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


def _publish(new: Path, out: Path, commits: list[Callable[[], None]]) -> None:
    """Replace `out` by `new` with two renames, then commit the store; if a commit fails, the
    renames are undone, so site and store stay the old ones together. The old copy goes last."""
    old = out.with_name(f".{out.name}-old")
    shutil.rmtree(old, ignore_errors=True)
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
