"""The store: the catalogue in a database (SQLite file or PostgreSQL) that the feeds read.

Owns: the engine factory (`engine`), the typed tables (`models`), full-text search terms
(`fulltext`), syncing the validated catalogue into the tables (`sync`) and the build step that
loads and publishes the store atomically (`step`).
May import: `settings`, `errors`, `format`, `load`, `ckan.packages`, and `build.context`.
"""

from catalogue.ckan.store.engine import create_schema, make_engine, normalize_url, sqlite_path
from catalogue.ckan.store.sync import LoadStats, load, utcnow

__all__ = ["LoadStats", "create_schema", "load", "make_engine", "normalize_url", "sqlite_path",
           "utcnow"]
