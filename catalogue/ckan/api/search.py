"""`package_search` in SQL: query trees become WHERE clauses, facets become GROUP BYs.

Filterable fields are either columns of `entries` or rows of `search_terms`; free text goes to
the database's full-text engine. Top-level words of `q` are matched in one full-text query that
also gives the score; other words (inside OR or NOT) become their own full-text conditions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    true,
)

from catalogue.ckan.api.query import All, And, Field, Node, Not, Or, QuerySyntaxError, Range, Text, timestamp
from catalogue.ckan.store import fulltext
from catalogue.ckan.store.fulltext import Term
from catalogue.ckan.store.models import Entry, FacetCount, Package, SearchTerm

TERM_FIELDS = {"organization", "groups", "tags", "res_format", "license_id", "catalogue_type",
               "access_rights", "access_decided_by", "health_region", "theme", "health_category",
               "coding_system", "data_processor", "registry_type", "material_type"}
COLUMN_FIELDS = {"id": Entry.id, "name": Entry.name, "owner_org": Entry.owner_org}
DATE_FIELDS = {"metadata_modified": Entry.metadata_modified,
               "metadata_created": Entry.metadata_created}
TEXT_FIELDS = {"text": None, "title": "title", "notes": "notes", "variables": "variables",
               "keywords": "keywords"}
CONSTANT_FIELDS = {"type": {"dataset"}, "state": {"active"}, "private": {"false"},
                   "capacity": {"public"}, "dataset_type": {"dataset"}}
FACET_FIELDS = TERM_FIELDS
SORT_COLUMNS = {"id": Entry.id, "name": Entry.name, "title_string": Entry.title_sort,
                "title": Entry.title_sort, "metadata_modified": Entry.metadata_modified,
                "metadata_created": Entry.metadata_created}


@dataclass
class SearchRequest:
    """The parsed parameters of one `package_search`."""

    tree: Node
    sort: list[tuple[str, bool]]
    rows: int = 10
    start: int = 0
    facet_fields: Sequence[str] = ()
    facet_limit: int = 50
    facet_mincount: int = 1


@dataclass
class SearchResult:
    """What `package_search` found: the count, one page of package JSON, facet counts."""

    count: int
    packages: list[str]  # package dicts as stored JSON text
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


class _Compiler:
    """Turns a query tree into SQL conditions on `entries`, naming full-text binds in order."""

    def __init__(self, dialect: str) -> None:
        self.dialect, self.n = dialect, 0

    def text(self, terms: Sequence[Term]) -> ColumnElement[bool]:
        self.n += 1
        return fulltext.matches(self.dialect, terms, f"t{self.n}")

    def compile(self, node: Node) -> ColumnElement[bool]:
        if isinstance(node, All):
            return true()
        if isinstance(node, Text):
            return self.text([node.term]) if node.term.searchable() else true()
        if isinstance(node, And):
            return and_(*(self.compile(n) for n in node.items))
        if isinstance(node, Or):
            return or_(*(self.compile(n) for n in node.items))
        if isinstance(node, Not):
            return not_(self.compile(node.item))
        if isinstance(node, Range):
            return self.range(node)
        return self.field(node)

    def field(self, node: Field) -> ColumnElement[bool]:
        name, value = node.name, node.value
        prefix = value.endswith("*") and value != "*"
        if name in TEXT_FIELDS:
            term = Term(value.rstrip("*") if prefix else value, prefix, TEXT_FIELDS[name])
            return self.text([term]) if term.searchable() and value != "*" else true()
        if name in CONSTANT_FIELDS:
            return true() if value == "*" or value in CONSTANT_FIELDS[name] else false()
        if name in DATE_FIELDS:
            return true() if value == "*" else DATE_FIELDS[name] == timestamp(value)
        if name in COLUMN_FIELDS:
            col = COLUMN_FIELDS[name]
            if value == "*":
                return true()
            return col.startswith(value[:-1], autoescape=True) if prefix else col == value
        if name in TERM_FIELDS:
            cond = SearchTerm.field == name
            if prefix:
                cond = and_(cond, SearchTerm.value.startswith(value[:-1], autoescape=True))
            elif value != "*":
                cond = and_(cond, SearchTerm.value == value)
            return Entry.pk.in_(select(SearchTerm.entry_pk).where(cond))
        raise QuerySyntaxError(f"unknown field {name!r}; searchable fields: "
                               + ", ".join(sorted(_all_fields())))

    def range(self, node: Range) -> ColumnElement[bool]:
        if node.name not in DATE_FIELDS:
            raise QuerySyntaxError(f"ranges work on {', '.join(DATE_FIELDS)}, not {node.name!r}")
        col, conds = DATE_FIELDS[node.name], []
        if node.low is not None:
            low = timestamp(node.low)
            conds.append(col >= low if node.low_inclusive else col > low)
        if node.high is not None:
            high = timestamp(node.high)
            conds.append(col <= high if node.high_inclusive else col < high)
        return and_(true(), *conds)


def _all_fields() -> set[str]:
    return TERM_FIELDS | set(COLUMN_FIELDS) | set(DATE_FIELDS) | set(TEXT_FIELDS) | set(
        CONSTANT_FIELDS)


def _flatten(node: Node) -> list[Node]:
    """The top-level conjuncts of a tree."""
    if isinstance(node, And):
        return [n for item in node.items for n in _flatten(item)]
    return [node]


def run(conn: Connection, req: SearchRequest) -> SearchResult:
    """Count, page and facet the entries that match."""
    dialect = conn.dialect.name
    conjuncts = [n for n in _flatten(req.tree) if not isinstance(n, All)]
    ranked_terms = [n.term for n in conjuncts if isinstance(n, Text) and n.term.searchable()]
    rest = [n for n in conjuncts if not (isinstance(n, Text) and n.term.searchable())]
    comp = _Compiler(dialect)
    where = and_(true(), *(comp.compile(n) for n in rest))
    matched = and_(comp.text(ranked_terms), where) if ranked_terms else where
    everything = not conjuncts
    total: int | None = None
    pks: list[int] = []
    if req.rows > 0:
        page = _page(dialect, req, ranked_terms, where, matched)
        if comp.n:  # full text: count in the same pass instead of matching twice
            rows = conn.execute(page.add_columns(func.count().over())).all()
            pks, total = [r[0] for r in rows], (rows[0][1] if rows else None)
        else:  # an index gives the page without reading every match
            pks = list(conn.execute(page).scalars())
    if total is None:
        total = conn.execute(select(func.count()).select_from(Entry).where(matched)).scalar_one()
    packages = package_json(conn, pks) if pks else []
    facets: dict[str, list[tuple[str, int]]] = {}
    if req.facet_fields and total:
        facets = _facets(conn, req, None if everything else select(Entry.pk).where(matched))
    return SearchResult(total, packages, facets)


def _page(dialect: str, req: SearchRequest, ranked_terms: list[Term],
          where: ColumnElement[bool], matched: ColumnElement[bool]) -> Select[Any]:
    by_score = any(f == "score" for f, _ in req.sort) and ranked_terms
    stmt = select(Entry.pk)
    if by_score and dialect == "sqlite":  # bm25() only works in a query on the FTS table
        hits = fulltext.ranked(dialect, ranked_terms)
        stmt = stmt.outerjoin(hits, hits.c.pk == Entry.pk).where(matched)
        score: Any = func.coalesce(hits.c.score, 0)
    elif by_score:
        stmt = stmt.where(matched)
        score = fulltext.score(ranked_terms)
    else:
        stmt = stmt.where(matched)
        score = literal(0)
    order, last_desc = [], False
    for name, desc in req.sort:
        if name == "score":
            if by_score:
                order.append(score.desc() if desc else score.asc())
            continue
        col = SORT_COLUMNS[name]
        order.append(col.desc() if desc else col.asc())
        last_desc = desc
    # a total order, so pages never overlap; in the last key's direction, so that an index on
    # (key, id) serves the whole ORDER BY
    order.append(Entry.id.desc() if last_desc else Entry.id.asc())
    return stmt.order_by(*order).limit(req.rows).offset(req.start)


def package_json(conn: Connection, pks: Sequence[int]) -> list[str]:
    """The stored package dicts of these entries, in this order."""
    found = dict(conn.execute(select(Package.entry_pk, Package.json)
                              .where(Package.entry_pk.in_(pks))).all())
    return [found[pk] for pk in pks]


def _facets(conn: Connection, req: SearchRequest,
            pks: Select[Any] | None) -> dict[str, list[tuple[str, int]]]:
    """Every requested facet in one GROUP BY, so the match is evaluated once."""
    fields = sorted(set(req.facet_fields))
    if pks is None:  # no filter: counted once at load time
        stmt = select(FacetCount.field, FacetCount.value, FacetCount.count).where(
            FacetCount.field.in_(fields))
    else:
        stmt = (select(SearchTerm.field, SearchTerm.value, func.count())
                .where(SearchTerm.field.in_(fields), SearchTerm.entry_pk.in_(pks))
                .group_by(SearchTerm.field, SearchTerm.value))
    counted: dict[str, list[tuple[str, int]]] = {f: [] for f in req.facet_fields}
    for field_, value, count in conn.execute(stmt):
        if count >= req.facet_mincount:
            counted[field_].append((value, count))
    for items in counted.values():
        items.sort(key=lambda item: (-item[1], item[0]))
        if req.facet_limit >= 0:
            del items[req.facet_limit:]
    return counted
