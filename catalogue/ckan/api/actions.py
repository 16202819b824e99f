"""The read actions of the CKAN Action API over the store: plain functions of (context, params).

Each returns what CKAN's action of the same name returns (`result` of the envelope) or raises
one of `catalogue.ckan.api.errors`. Stored package, organization and group dicts come back as
`orjson.Fragment`s, so a response copies them out without parsing them again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Connection, func, select

from catalogue.ckan.api import search
from catalogue.ckan.api.errors import NotAuthorized, NotFound, SearchQueryError, ValidationError
from catalogue.ckan.api.limits import MAX_CLAUSES, MAX_FILTERS, MAX_INT
from catalogue.ckan.api.query import (
    DEFAULT_SORT,
    And,
    QuerySyntaxError,
    clauses,
    parse,
    parse_sort,
    snippet,
)
from catalogue.ckan.api.vocab import display_names
from catalogue.ckan.licences import REGISTER_IDS, register, unregistered
from catalogue.ckan.store.models import (
    Entry,
    Group,
    Meta,
    Organization,
    Package,
    Resource,
    Tag,
    entry_groups,
)
from catalogue.settings import DEFAULT_BASE_URL

ROWS_MAX = 1000
CKAN_VERSION = "2.10.0"  # the CKAN release whose Action API this feed follows
SITE_TITLE = "Catalogue of Norwegian medical quality registries and biobanks"
SITE_DESCRIPTION = ("Metadata about Norwegian medical quality registries, central health "
                    "registries and biobanks, and how researchers get access.")
WRITE_ACTION = re.compile(r"(^|_)(create|update|patch|delete|purge|revise|upsert|invite)(_|$)")


@dataclass
class Context:
    """What an action may use: a connection to the store and the site's own URL. A context
    lives for one request (or one dump), over a store that does not change meanwhile, so what
    every action of it would count again is counted once (`counts`)."""

    conn: Connection
    site_url: str = DEFAULT_BASE_URL
    counts: dict[type, dict[str, int]] = field(default_factory=dict)


Action = Callable[[Context, dict[str, Any]], Any]
ACTIONS: dict[str, Action] = {}


def action(fn: Action) -> Action:
    """Register `fn` under its own name: the name is the API's action name."""
    ACTIONS[fn.__name__] = fn
    return fn


def call(name: str, ctx: Context, params: dict[str, Any]) -> Any:
    """Run the action `name`; a write action is refused, an unknown one raises KeyError."""
    if name in ACTIONS:
        return ACTIONS[name](ctx, params)
    if WRITE_ACTION.search(name):
        raise NotAuthorized(f"this catalogue is read-only; {name} is not available")
    raise KeyError(name)


# --- parameters ---------------------------------------------------------------------------

def _int(params: dict[str, Any], key: str, default: int | None, *, error: type = ValidationError,
         minimum: int = 0) -> int | None:
    """A whole number >= `minimum`; above MAX_INT it counts as MAX_INT (no page is that far)."""
    value = params.get(key)
    if value is None or value == "":
        return default
    try:
        number = int(value)
        if isinstance(value, float | bool) or number < minimum:
            raise ValueError
    except (TypeError, ValueError):
        shown = snippet(value if isinstance(value, str) else repr(value))
        if error is ValidationError:
            raise ValidationError({key: [f"Must be a natural number, not {shown}"]}) from None
        raise SearchQueryError(f"{key} must be an integer >= {minimum}, not {shown}") from None
    return min(number, MAX_INT)


def _bool(params: dict[str, Any], key: str, default: bool = False) -> bool:
    value = params.get(key, default)
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return bool(value)


def _id(params: dict[str, Any], key: str = "id") -> str:
    value = params.get(key)
    if value is None or value == "":
        raise ValidationError({key: ["Missing value"]})
    return str(value)


def _list(params: dict[str, Any], key: str) -> list[str]:
    """A list parameter sent as a JSON list, a repeated GET parameter or a single string."""
    value = params.get(key)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        if value.lstrip().startswith("["):
            try:
                value = orjson.loads(value)
            except ValueError:
                raise SearchQueryError(f"{key} is not a JSON list: {snippet(value)}") from None
        else:
            value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SearchQueryError(f"{key} must be a list of strings")
    return value


def _page(params: dict[str, Any], default_limit: int | None) -> tuple[int | None, int]:
    return _int(params, "limit", default_limit), _int(params, "offset", 0) or 0


# --- datasets ------------------------------------------------------------------------------

@action
def package_list(ctx: Context, params: dict[str, Any]) -> list[str]:
    """Names of all datasets, sorted. Parameters: limit, offset."""
    limit, offset = _page(params, None)
    stmt = select(Entry.name).order_by(Entry.name).offset(offset).limit(limit)
    return list(ctx.conn.execute(stmt).scalars())


@action
def package_show(ctx: Context, params: dict[str, Any]) -> orjson.Fragment:
    """One dataset by id or name. Parameters: id."""
    key = _id(params)
    found = ctx.conn.execute(select(Package.json).join(Entry).where(
        (Entry.id == key) | (Entry.name == key))).scalar()
    if found is None:
        raise NotFound(f"Dataset {snippet(key)} not found")
    return orjson.Fragment(found)


@action
def package_search(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Search datasets. Parameters: q, fq, fq_list, rows, start, sort, facet, facet.field,
    facet.limit, facet.mincount."""
    fqs = [params.get("fq")] + _list(params, "fq_list")
    if len(fqs) > MAX_FILTERS + 1:
        raise SearchQueryError(f"at most {MAX_FILTERS} filters (fq and fq_list), not {len(fqs) - 1}")
    try:
        trees = [parse(_text(params.get("q"), "q"))] + [parse(_text(f, "fq")) for f in fqs if f]
        if (n := sum(clauses(t) for t in trees)) > MAX_CLAUSES:
            raise QuerySyntaxError(f"q and the filters may have at most {MAX_CLAUSES} clauses "
                                   f"together, not {n}")
        sort_text = _text(params.get("sort"), "sort") or DEFAULT_SORT
        req = search.SearchRequest(
            tree=And(tuple(trees)),
            sort=parse_sort(sort_text),
            rows=min(_int(params, "rows", 10, error=SearchQueryError) or 0, ROWS_MAX),
            start=_int(params, "start", 0, error=SearchQueryError) or 0,
            facet_fields=_list(params, "facet.field") if _bool(params, "facet", True) else [],
            facet_limit=_int(params, "facet.limit", 50, error=SearchQueryError, minimum=-1),
            facet_mincount=_int(params, "facet.mincount", 1, error=SearchQueryError) or 0,
        )
        unknown = [f for f in req.facet_fields if f not in search.FACET_FIELDS]
        if unknown:
            raise QuerySyntaxError(f"cannot facet on {', '.join(unknown)}; facet fields: "
                                   + ", ".join(sorted(search.FACET_FIELDS)))
        found = search.run(ctx.conn, req)
    except QuerySyntaxError as exc:
        raise SearchQueryError(str(exc)) from None
    names = display_names(ctx.conn, found.facets)
    return {
        "count": found.count,
        "results": [orjson.Fragment(p) for p in found.packages],
        "facets": {f: dict(items) for f, items in found.facets.items()},
        "search_facets": {f: {"title": f, "items": [
            {"name": v, "display_name": names.get((f, v), v), "count": n} for v, n in items]}
            for f, items in found.facets.items()},
        "sort": sort_text,
    }


def _text(value: Any, key: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    raise SearchQueryError(f"{key} must be a string")


@action
def current_package_list_with_resources(ctx: Context, params: dict[str, Any]) -> list[Any]:
    """Datasets with their resources, most recently modified first. Parameters: limit, offset."""
    limit, offset = _page(params, ROWS_MAX)
    stmt = (select(Entry.pk)
            .order_by(Entry.metadata_modified.desc(), Entry.id.desc())
            .offset(offset).limit(min(limit or ROWS_MAX, ROWS_MAX)))
    pks = list(ctx.conn.execute(stmt).scalars())
    return [orjson.Fragment(p) for p in search.package_json(ctx.conn, pks)]


@action
def resource_show(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """One resource by id. Parameters: id."""
    key = _id(params)
    found = ctx.conn.execute(select(Package.json).join(
        Resource, Resource.entry_pk == Package.entry_pk).where(Resource.id == key)).scalar()
    if found is None:
        raise NotFound(f"Resource {snippet(key)} not found")
    return next(r for r in json.loads(found)["resources"] if r["id"] == key)


# --- organisations and groups --------------------------------------------------------------

def _counts(ctx: Context, model: type) -> dict[str, int]:
    """Entries per organisation or group, counted once per context: the dump shows every
    organisation, and counting them all for each took minutes at 100,000 entries."""
    found = ctx.counts.get(model)
    if found is None:
        if model is Organization:
            stmt = select(Entry.owner_org, func.count()).group_by(Entry.owner_org)
        else:
            stmt = select(entry_groups.c.group_id, func.count()).group_by(entry_groups.c.group_id)
        found = ctx.counts[model] = dict(ctx.conn.execute(stmt).all())
    return found


def _with_count(ckan_json: str, count: int) -> dict[str, Any]:
    d = json.loads(ckan_json)
    d["package_count"] = count
    return d


def _list_of(ctx: Context, model: type, params: dict[str, Any], names_key: str) -> list[Any]:
    limit, offset = _page(params, None)
    sort = str(params.get("sort") or "").split() or ["title", "asc"]  # blank: the default
    column = {"name": model.name, "title": model.title, "package_count": None}.get(sort[0], False)
    if column is False or len(sort) > 2 or (len(sort) == 2 and sort[1] not in ("asc", "desc")):
        raise ValidationError({"sort": [f"Cannot sort by {snippet(' '.join(sort))}: use name, "
                                         "title or package_count, asc or desc"]})
    rows = ctx.conn.execute(select(model.id, model.name, model.title, model.ckan_json)).all()
    counts = _counts(ctx, model)
    wanted = set(_list(params, names_key))
    q = str(params.get("q") or "").casefold()
    rows = [r for r in rows if (not wanted or r.name in wanted)
            and (not q or q in r.name.casefold() or q in r.title.casefold())]
    desc = len(sort) == 2 and sort[1] == "desc"
    key = {"name": lambda r: r.name, "title": lambda r: (r.title.casefold(), r.name),
           "package_count": lambda r: (counts.get(r.id, 0), r.name)}[sort[0]]
    rows = sorted(rows, key=key, reverse=desc)[offset:None if limit is None else offset + limit]
    if not _bool(params, "all_fields"):
        return [r.name for r in rows]
    return [_with_count(r.ckan_json, counts.get(r.id, 0)) for r in rows]


def _show(ctx: Context, model: type, params: dict[str, Any], what: str) -> dict[str, Any]:
    key = _id(params)
    row = ctx.conn.execute(select(model.id, model.ckan_json).where(
        (model.id == key) | (model.name == key))).first()
    if row is None:
        raise NotFound(f"{what} {snippet(key)} not found")
    d = _with_count(row.ckan_json, _counts(ctx, model).get(row.id, 0))
    if _bool(params, "include_datasets"):
        stmt = select(Package.json).join(Entry).order_by(Entry.name).limit(ROWS_MAX)
        stmt = (stmt.where(Entry.owner_org == row.id) if model is Organization else
                stmt.join(entry_groups).where(entry_groups.c.group_id == row.id))
        d["packages"] = [orjson.Fragment(p) for p in ctx.conn.execute(stmt).scalars()]
    return d


@action
def organization_list(ctx: Context, params: dict[str, Any]) -> list[Any]:
    """Organisation names, or dicts with all_fields=true. Parameters: all_fields, sort, limit,
    offset, q, organizations."""
    return _list_of(ctx, Organization, params, "organizations")


@action
def organization_show(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """One organisation by id or name. Parameters: id, include_datasets."""
    return _show(ctx, Organization, params, "Organization")


@action
def group_list(ctx: Context, params: dict[str, Any]) -> list[Any]:
    """Group (theme and health category) names, or dicts with all_fields=true. Parameters:
    all_fields, sort, limit, offset, q, groups."""
    return _list_of(ctx, Group, params, "groups")


@action
def group_show(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """One group by id or name. Parameters: id, include_datasets."""
    return _show(ctx, Group, params, "Group")


# --- the rest ------------------------------------------------------------------------------

@action
def tag_list(ctx: Context, params: dict[str, Any]) -> list[Any]:
    """Tag names, or dicts with all_fields=true. Parameters: query, all_fields."""
    stmt = select(Tag.id, Tag.name).order_by(Tag.name)
    if params.get("query") or params.get("q"):
        stmt = stmt.where(Tag.name.contains(str(params.get("query") or params.get("q")),
                                            autoescape=True))
    rows = ctx.conn.execute(stmt).all()
    if not _bool(params, "all_fields"):
        return [r.name for r in rows]
    return [{"id": r.id, "name": r.name, "display_name": r.name, "vocabulary_id": None}
            for r in rows]


@action
def license_list(ctx: Context, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The licences datasets may have: CKAN's default register, then any other the entries use."""
    out = register()
    for license_id, pkg in ctx.conn.execute(select(Entry.license_id, func.min(Package.json))
                                            .join(Package).group_by(Entry.license_id)
                                            .order_by(Entry.license_id)):
        if license_id not in REGISTER_IDS:
            d = json.loads(pkg)
            out.append(unregistered(license_id, d["license_title"], d["license_url"], d["isopen"]))
    return out


@action
def status_show(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """What this site is and which API it speaks."""
    meta = dict(ctx.conn.execute(select(Meta.key, Meta.value)).all())
    return {"site_title": SITE_TITLE, "site_description": SITE_DESCRIPTION,
            "site_url": meta.get("base_url", ctx.site_url).rstrip("/"),
            "ckan_version": CKAN_VERSION, "locale_default": "nb",
            "extensions": ["catalogue", "euro_health_dcat_ap"],
            "metadata_modified": meta.get("modified")}


@action
def help_show(ctx: Context, params: dict[str, Any]) -> str:
    """The documentation of an action. Parameters: name."""
    name = _id(params, "name")
    if name not in ACTIONS:
        raise NotFound(f"Action {snippet(name)} not found")
    return " ".join((ACTIONS[name].__doc__ or "").split())
