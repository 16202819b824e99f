"""The store: the catalogue in a database (SQLite file or PostgreSQL) that the feeds read."""

from catalogue.ckan.store.engine import create_schema, make_engine, normalize_url, sqlite_path
from catalogue.ckan.store.sync import LoadStats, load, utcnow

__all__ = ["LoadStats", "create_schema", "load", "make_engine", "normalize_url", "sqlite_path",
           "utcnow"]
