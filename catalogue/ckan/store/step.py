"""The build step that loads the store, published only when the whole build succeeds.

SQLite: the load goes into a copy of the database file, renamed over the old one after the
output folder was swapped in; a failed build deletes the copy and leaves the old file. A
running `catalogue serve` notices the new file and reopens it.
PostgreSQL: one transaction, committed after the swap and rolled back on failure; servers keep
answering from the old rows until the commit.
Later steps read the new store through `ctx.state.store`, a connection that sees the load.
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from catalogue.ckan.store.engine import make_engine, normalize_url, sqlite_path, vacuum
from catalogue.ckan.store.models import Base
from catalogue.ckan.store.sync import load

if TYPE_CHECKING:
    from catalogue.build.context import BuildContext


def load_step(ctx: BuildContext) -> None:
    """Load the validated catalogue into the store (see the module's docstring)."""
    url = normalize_url(ctx.db_url)
    path = sqlite_path(url)
    if path is not None:
        _load_sqlite(ctx, path)
    else:
        _load_postgresql(ctx, url)


def _load_sqlite(ctx: BuildContext, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    work = path.with_name(f".{path.name}.build-{os.getpid()}")
    if path.exists():
        shutil.copyfile(path, work)
    engine = make_engine(work)
    try:
        with Session(engine) as session, session.begin():
            stats = load(session, ctx.catalogue, ctx.base_url)
        with engine.begin() as conn:
            if stats.touched:
                _optimize(conn)
        conn = engine.connect()
    except BaseException:
        engine.dispose()
        work.unlink(missing_ok=True)
        raise
    ctx.state.store = conn
    ctx.state.store_stats = stats

    def publish() -> None:
        conn.close()
        engine.dispose()
        os.replace(work, path)

    def discard() -> None:
        conn.close()
        engine.dispose()
        work.unlink(missing_ok=True)

    ctx.commits.append(publish)
    ctx.rollbacks.append(discard)


def _load_postgresql(ctx: BuildContext, url: object) -> None:
    engine = make_engine(url)  # type: ignore[arg-type]
    conn = engine.connect()
    trans = conn.begin()
    try:
        with Session(bind=conn) as session:  # joins `trans`; never commits it
            stats = load(session, ctx.catalogue, ctx.base_url)
            session.flush()
        if stats.touched:
            _optimize(conn)
    except BaseException:
        try:  # on a dead server the rollback fails too; the error to report is the first one
            trans.rollback()
            conn.close()
        except SQLAlchemyError:
            conn.invalidate()
        engine.dispose()
        raise
    ctx.state.store = conn
    ctx.state.store_stats = stats

    def publish() -> None:
        trans.commit()
        conn.close()
        try:
            if stats.touched:
                vacuum(engine)
        except SQLAlchemyError as exc:  # committed: the build is published; only speed suffers
            warnings.warn(f"VACUUM ANALYZE after the load failed: {exc}", stacklevel=2)
        finally:
            engine.dispose()

    def discard() -> None:
        try:
            if trans.is_active:
                trans.rollback()
            conn.close()
        except SQLAlchemyError:  # the server is gone: so is the transaction
            conn.invalidate()
        engine.dispose()

    ctx.commits.append(publish)
    ctx.rollbacks.append(discard)


def _optimize(conn: Connection) -> None:
    """Fresh planner statistics, and SQLite's full-text index merged into one segment."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("INSERT INTO entry_fts (entry_fts) VALUES ('optimize')")
        conn.exec_driver_sql("ANALYZE")
        return
    # Only our tables: a bare ANALYZE takes every table of the database, also other schemas'
    # (another store's load holding its new tables' locks: a deadlock, seen with parallel tests)
    for table in Base.metadata.sorted_tables:
        conn.exec_driver_sql(f'ANALYZE "{table.name}"')
