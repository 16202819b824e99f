"""Turning the errors a user can act on into one line that says what happened and what to do.

A full or read-only disk, a quota, a database that stopped answering: whichever step met it,
and whether Python, SQLite, PostgreSQL or a tool we run reported it, the user reads the same
`BuildError`. Other errors pass unchanged.
"""

from __future__ import annotations

import errno
from pathlib import Path

from catalogue.build.context import BuildError

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


# What SQLite, PostgreSQL and the tool we run (MkDocs) say for the same errors.
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
