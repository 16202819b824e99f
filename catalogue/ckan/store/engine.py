"""Engines come from one factory: SQLite files by default, PostgreSQL (psycopg 3) by URL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, insert, inspect, make_url, select
from sqlalchemy.engine import URL
from sqlalchemy.pool import QueuePool

from catalogue import settings
from catalogue.ckan.store import fulltext
from catalogue.ckan.store.models import Base, Meta


def default_url() -> str:
    """`CATALOGUE_DB_URL`, else the build's SQLite file under build/."""
    return settings.db_url()


def normalize_url(url: str | Path) -> URL:
    """Accept a path, `sqlite:///...` or `postgresql://...`; PostgreSQL always through psycopg 3."""
    text = str(url)
    if "://" not in text:
        text = f"sqlite:///{text}"
    parsed = make_url(text)
    if parsed.get_backend_name() == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif parsed.get_backend_name() != "sqlite":
        raise ValueError(f"unsupported database URL {parsed.render_as_string()!r}: "
                         "use sqlite:///FILE or postgresql+psycopg://...")
    return parsed


def sqlite_path(url: str | Path | URL) -> Path | None:
    """The file of a SQLite URL, or None for PostgreSQL and in-memory databases."""
    parsed = url if isinstance(url, URL) else normalize_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def make_engine(url: str | Path | URL | None = None, *, readonly: bool = False,
                pool_size: int = 5) -> Engine:
    """An engine for the store at `url` (default: `default_url()`).

    `readonly` is for serving: SQLite opens the file read-only (and never creates it),
    PostgreSQL sessions default to read-only transactions.
    """
    parsed = url if isinstance(url, URL) else normalize_url(url or default_url())
    path = sqlite_path(parsed)
    if path is not None:
        if readonly:
            uri = f"file:{path.resolve()}?mode=ro"
            engine = create_engine("sqlite://", poolclass=QueuePool, pool_size=pool_size,
                                   max_overflow=10,
                                   creator=lambda: sqlite3.connect(uri, uri=True,
                                                                   check_same_thread=False))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(parsed, pool_size=pool_size, max_overflow=10)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "sqlite":
        return create_engine(parsed)
    args = {}
    if readonly:  # keep options given in the URL (e.g. a search_path)
        given = parsed.query.get("options", "")
        # Short queries: parallel workers and JIT cost more than they save. And a sequential
        # scan that tests `tsv @@ query` unpacks every entry's large tsvector (40 ms at 10,000
        # entries) where the GIN index answers in 3 ms, a cost the planner does not see.
        args["options"] = (f"{given} -c default_transaction_read_only=on -c jit=off "
                           "-c max_parallel_workers_per_gather=0 -c enable_seqscan=off").strip()
    return create_engine(parsed, pool_size=pool_size, max_overflow=10, pool_pre_ping=True,
                         connect_args=args)


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API connection
    """Foreign keys on (cascades), and a generous page cache for the read-mostly feed."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA cache_size = -65536")
    cur.execute("PRAGMA mmap_size = 268435456")
    cur.execute("PRAGMA temp_store = MEMORY")
    cur.close()


def vacuum(engine: Engine) -> None:
    """PostgreSQL: VACUUM ANALYZE the store's tables, so index-only scans skip the heap."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in Base.metadata.sorted_tables:
            conn.exec_driver_sql(f'VACUUM ANALYZE "{table.name}"')


SCHEMA_VERSION = "1"  # raise when a table changes: older stores are then rebuilt


def create_schema(conn: Connection) -> None:
    """Create every table and the full-text index when missing (idempotent).

    A store of another schema version is dropped first: it only holds derived data, and a
    build fills it again (its entries then get a new `metadata_modified`).
    """
    tables = set(inspect(conn).get_table_names())
    if "entries" in tables:
        version = (conn.execute(select(Meta.value).where(Meta.key == "schema_version")).scalar()
                   if "meta" in tables else None)
        if version != SCHEMA_VERSION:
            fulltext.drop(conn)
            Base.metadata.drop_all(conn)
    Base.metadata.create_all(conn)
    fulltext.create(conn)
    if conn.execute(select(Meta.value).where(Meta.key == "schema_version")).scalar() is None:
        conn.execute(insert(Meta), [{"key": "schema_version", "value": SCHEMA_VERSION}])
