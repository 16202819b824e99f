"""The store: the catalogue in a database (SQLite file or PostgreSQL) that the feeds read."""

from catalogue.store.engine import create_schema, make_engine, normalize_url, sqlite_path
from catalogue.store.loader import LoadStats, load, utcnow

__all__ = ["LoadStats", "create_schema", "load", "make_engine", "normalize_url", "sqlite_path",
           "utcnow"]
