"""Full-text search in the database's own engine: SQLite FTS5, or PostgreSQL tsvector with GIN.

Both index four texts of an entry: title, keywords (with the organisation's names), notes and
variables (names, titles, descriptions). Matching looks at all four; ranking weights the title
most and the variables least. PostgreSQL ranks on a small tsvector without the variables, so
ranking thousands of hits never reads the large one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, and_, bindparam, column, func, literal_column, text
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from catalogue.ckan.store.models import Entry

_SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS entry_fts USING fts5("
    "title, keywords, notes, variables, tokenize = 'unicode61 remove_diacritics 0')",
]
_PG_DDL = [
    "ALTER TABLE entries ADD COLUMN IF NOT EXISTS tsv tsvector",
    "ALTER TABLE entries ADD COLUMN IF NOT EXISTS tsv_rank tsvector",
    "CREATE INDEX IF NOT EXISTS ix_entries_tsv ON entries USING gin (tsv)",
]
_PG_INDEX = text(
    "UPDATE entries SET "
    "tsv_rank = setweight(to_tsvector('simple', :title), 'A')"
    " || setweight(to_tsvector('simple', :keywords), 'B')"
    " || setweight(to_tsvector('simple', :notes), 'C'), "
    "tsv = setweight(to_tsvector('simple', :title), 'A')"
    " || setweight(to_tsvector('simple', :keywords), 'B')"
    " || setweight(to_tsvector('simple', :notes), 'C')"
    " || setweight(to_tsvector('simple', :variables), 'D') "
    "WHERE pk = :pk"
)
_WEIGHTS = {"title": "a", "keywords": "b", "notes": "c", "variables": "d"}
_WORD = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True)
class Doc:
    """The texts of one entry to index."""

    pk: int
    title: str
    keywords: str
    notes: str
    variables: str


@dataclass(frozen=True)
class Term:
    """A word or phrase of a query; `prefix` for a trailing `*`; `column` to search one text."""

    text: str
    prefix: bool = False
    column: str | None = None  # title, keywords, notes or variables

    def searchable(self) -> bool:
        """False for terms with no word characters: they match nothing and everything."""
        return bool(_WORD.search(self.text))


def create(conn: Connection) -> None:
    """Create the full-text index (idempotent)."""
    for ddl in _SQLITE_DDL if conn.dialect.name == "sqlite" else _PG_DDL:
        conn.exec_driver_sql(ddl)


def drop(conn: Connection) -> None:
    """Drop SQLite's full-text table (PostgreSQL's columns go with `entries`)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("DROP TABLE IF EXISTS entry_fts")


def index(conn: Connection, docs: Sequence[Doc]) -> None:
    """(Re)index these entries."""
    if not docs:
        return
    rows = [vars(d) for d in docs]
    if conn.dialect.name == "sqlite":
        unindex(conn, [d.pk for d in docs])
        conn.execute(text("INSERT INTO entry_fts (rowid, title, keywords, notes, variables) "
                          "VALUES (:pk, :title, :keywords, :notes, :variables)"), rows)
    else:
        conn.execute(_PG_INDEX, rows)


def unindex(conn: Connection, pks: Iterable[int]) -> None:
    """Drop these entries from the index (PostgreSQL's goes with the row)."""
    if conn.dialect.name == "sqlite":
        conn.execute(text("DELETE FROM entry_fts WHERE rowid = :pk"), [{"pk": p} for p in pks])


def _fts5(terms: Sequence[Term]) -> str:
    """An FTS5 query: every term quoted (so no word is read as an operator), ANDed."""
    parts = []
    for t in terms:
        quoted = '"' + t.text.replace('"', '""') + '"' + (" *" if t.prefix else "")
        parts.append(f"{t.column} : {quoted}" if t.column else quoted)
    return " AND ".join(parts)


def _tsquery(terms: Sequence[Term], key: str) -> ColumnElement:
    """A PostgreSQL tsquery: each term parsed like the indexed text (phrases keep order)."""
    query: ColumnElement | None = None
    for i, t in enumerate(terms):
        if t.prefix and re.fullmatch(r"\w+", t.text):
            q = func.to_tsquery("simple", bindparam(f"{key}_{i}", t.text.lower() + ":*"))
        else:
            q = func.phraseto_tsquery("simple", bindparam(f"{key}_{i}", t.text))
        query = q if query is None else query.op("&&")(q)
    assert query is not None
    return query


def matches(dialect: str, terms: Sequence[Term], key: str) -> ColumnElement[bool]:
    """A WHERE condition on `entries`: the entry contains every term (`key` names the binds)."""
    if dialect == "sqlite":
        hits = text(f"SELECT rowid FROM entry_fts WHERE entry_fts MATCH :{key}").bindparams(
            **{key: _fts5(terms)}).columns(column("rowid"))
        return Entry.pk.in_(hits)
    tsv = literal_column("entries.tsv")
    plain = [t for t in terms if not t.column]
    conds = [tsv.op("@@")(_tsquery(plain, key))] if plain else []
    for i, t in enumerate(terms):
        if t.column:  # one text: keep only the lexemes of its weight
            only = func.ts_filter(tsv, literal_column(f"'{{{_WEIGHTS[t.column]}}}'::\"char\"[]"))
            conds.append(only.op("@@")(_tsquery([t], f"{key}c{i}")))
    return and_(*conds)


def ranked(dialect: str, terms: Sequence[Term], key: str = "rank") -> Subquery:
    """SQLite: (pk, score) of the entries whose title, keywords and notes contain every term;
    higher is better. Left-join it: an entry found only by its variables has no score."""
    if dialect == "sqlite":
        # bm25 over the variables would cost 3x as much: they repeat words hundreds of times
        expr = "{title keywords notes} : (" + _fts5(terms) + ")"
        return text(
            f"SELECT rowid AS pk, -bm25(entry_fts, 10.0, 5.0, 2.0, 1.0) AS score "
            f"FROM entry_fts WHERE entry_fts MATCH :{key}"
        ).bindparams(**{key: expr}).columns(column("pk"), column("score")).subquery("hits")
    raise ValueError("PostgreSQL ranks with score(), in the same query as the match")


def score(terms: Sequence[Term], key: str = "rank") -> ColumnElement[float]:
    """PostgreSQL: the rank of an `entries` row for these terms, on the small tsvector."""
    return func.ts_rank(literal_column("entries.tsv_rank"), _tsquery(terms, key))
