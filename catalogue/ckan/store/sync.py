"""Loading a validated catalogue into the store: one transaction, idempotent, hash-based dates.

`metadata_modified` is the time of the load that first saw an entry's current content: an
entry whose content hash is unchanged keeps it (even when its organisation or the base URL
changed and its package dict was re-rendered), so harvesters re-fetch exactly the changed ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, text
from sqlalchemy.orm import Session

from catalogue.build.reuse import fingerprint, package_fingerprint, rules_fingerprint
from catalogue.ckan import packages as pk
from catalogue.ckan.store import fulltext
from catalogue.ckan.store.engine import create_schema
from catalogue.ckan.store.models import (
    AccessGuideline,
    Entry,
    FacetCount,
    Group,
    Meta,
    Organization,
    Package,
    Resource,
    SearchTerm,
    Tag,
    Variable,
    entry_groups,
    entry_tags,
)
from catalogue.load import Catalogue, LoadedEntry
from catalogue.settings import DEFAULT_BASE_URL

BATCH = 200  # entries per round of inserts: bounds memory for catalogues of any size


def utcnow() -> str:
    """Now as naive UTC ISO with microseconds, the one timestamp format of the store."""
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def compact(obj: Any) -> str:
    """JSON as `ckanapi dump` writes it: compact, keys sorted, UTF-8 kept."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass
class LoadStats:
    """What a load changed."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    rerendered: list[str] = field(default_factory=list)  # same content, new package dict
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.rerendered or self.removed)


def load(session: Session, catalogue: Catalogue, base_url: str = DEFAULT_BASE_URL,
         *, now: str | None = None) -> LoadStats:
    """Bring the store in line with `catalogue` inside the session's transaction; never commits."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        # Two builds of one store at once would race on timestamps. The lock is per schema (one
        # server may hold several stores) and taken before any DDL, so that builds queue on it
        # instead of deadlocking on the tables' locks.
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('catalogue-store-load:' "
                          "|| current_setting('search_path')))"))
    create_schema(conn)
    now = now or utcnow()
    org_dicts, gone_orgs = _sync_organizations(conn, catalogue, now)
    group_dicts, gone_groups = _sync_groups(conn, catalogue, now)
    key = render_key(base_url, org_dicts, group_dicts)
    last_key = conn.execute(select(Meta.value).where(Meta.key == "render_key")).scalar()
    stats = _sync_entries(conn, catalogue, base_url, now, org_dicts, group_dicts, key == last_key)
    # only now that no entry refers to them
    conn.execute(delete(Organization).where(Organization.id.in_(gone_orgs)))
    conn.execute(delete(Group).where(Group.id.in_(gone_groups)))
    conn.execute(delete(Tag).where(Tag.id.not_in(select(entry_tags.c.tag_id))))
    if stats.touched or not conn.execute(select(FacetCount.field).limit(1)).first():
        count_facets(conn)
    _set_meta(conn, {"base_url": base_url, "render_key": key,
                     **({"modified": now} if stats.touched else {})})
    session.expire_all()
    return stats


def render_key(base_url: str, org_dicts: dict[str, dict[str, Any]],
               group_dicts: dict[str, dict[str, Any]]) -> str:
    """What an entry's package shows besides the entry and its store dates: the code that
    renders it (and the rules it reads), where the site is, and its organisation's and groups'
    dicts. While it stays the same, an entry of unchanged content keeps its package as stored."""
    return fingerprint(package_fingerprint(), rules_fingerprint(), base_url,
                       compact(org_dicts), compact(group_dicts))


def count_facets(conn: Connection) -> None:
    """Count every (field, value) over all entries: the facets of an unfiltered search."""
    conn.execute(delete(FacetCount))
    conn.execute(insert(FacetCount).from_select(
        ["field", "value", "count"],
        select(SearchTerm.field, SearchTerm.value, func.count())
        .group_by(SearchTerm.field, SearchTerm.value)))


def _upsert_named(conn: Connection, model: type, rows: list[dict[str, Any]]) -> list[str]:
    """Insert or update the rows of a small table keyed by id; return the ids no longer wanted."""
    existing = {r.id: r for r in conn.execute(select(model.id, model.created, model.ckan_json))}
    keep = {r["id"] for r in rows}
    for row in rows:
        old = existing.get(row["id"])
        if old is None:
            conn.execute(insert(model), [row])
        elif old.ckan_json != row["ckan_json"]:
            conn.execute(model.__table__.update().where(model.id == row["id"]), [row])
    return [i for i in existing if i not in keep]


def _sync_organizations(
    conn: Connection, cat: Catalogue, now: str
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    created = dict(conn.execute(select(Organization.name, Organization.created)).all())
    rows, dicts = [], {}
    for org in cat.organizations.values():
        d = pk.organization_dict(org, created.get(org.id, now))
        dicts[org.id] = d
        rows.append({"id": d["id"], "name": org.id, "title": d["title"],
                     "description": d["description"], "organization_number": org.organization_number,
                     "type": org.type, "health_region": org.health_region,
                     "homepage": org.homepage, "created": d["created"],
                     "ckan_json": compact(d)})
    return dicts, _upsert_named(conn, Organization, rows)


def _sync_groups(
    conn: Connection, cat: Catalogue, now: str
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    created = dict(conn.execute(select(Group.name, Group.created)).all())
    used = sorted({g for e in cat.entries for g in pk.groups_of(e)})
    rows, dicts = [], {}
    for vocab, term in used:
        name = pk.group_name(term)
        d = pk.group_dict(vocab, term, created.get(name, now))
        dicts[term] = d
        rows.append({"id": d["id"], "name": name, "title": d["title"],
                     "description": d["description"], "vocabulary": vocab, "term": term,
                     "uri": next((e["value"] for e in d["extras"] if e["key"] == "uri"), None),
                     "created": d["created"],
                     "ckan_json": compact(d)})
    return dicts, _upsert_named(conn, Group, rows)


def _sync_entries(conn: Connection, cat: Catalogue, base_url: str, now: str,
                  org_dicts: dict[str, dict[str, Any]],
                  group_dicts: dict[str, dict[str, Any]], same_render: bool) -> LoadStats:
    """Insert, replace or delete entries; with `same_render` (the last load's `render_key` is
    this one's), an entry whose content is unchanged is not even rendered again."""
    stats = LoadStats()
    old = {r.id: r for r in conn.execute(select(
        Entry.pk, Entry.id, Entry.name, Entry.content_hash, Entry.metadata_created,
        Entry.metadata_modified, Package.json.label("package_json")).join(Package))}
    wanted = {e.id for e in cat.entries}
    gone = [r for i, r in old.items() if i not in wanted]
    stats.removed = sorted(r.name for r in gone)

    def render(entry: LoadedEntry, created: str, modified: str) -> tuple[dict[str, Any], list[Any]]:
        """The entry's CKAN package and its resources, as the store holds them."""
        controller = cat.organizations[entry.model.data_controller]
        resources = pk.resources_of(entry, base_url)
        return pk.package_dict(entry, controller, org_dicts[controller.id],
                               [group_dicts[t] for _, t in pk.groups_of(entry)],
                               resources, created, modified), resources

    # (entry, created, modified) of each entry to write: rendered again when its batch is
    # written, since every rendered package kept until then took gigabytes at 100,000 entries
    todo: list[tuple[LoadedEntry, str, str]] = []
    for entry in cat.entries:
        prev = old.get(entry.id)
        same = prev is not None and prev.content_hash == entry.content_hash
        if same and same_render:
            stats.unchanged += 1
            continue
        created = prev.metadata_created if prev else now
        modified = prev.metadata_modified if same and prev else now
        if same and prev and prev.package_json == compact(render(entry, created, modified)[0]):
            stats.unchanged += 1
            continue
        (stats.rerendered if same else stats.changed if prev else stats.added).append(entry.name)
        todo.append((entry, created, modified))
    # an entry that changes is deleted and inserted again: renames can never collide
    stale = [r.pk for r in gone] + [old[e.id].pk for e, _, _ in todo if e.id in old]
    for chunk in _chunks(stale, 500):
        fulltext.unindex(conn, chunk)
        conn.execute(delete(Entry).where(Entry.pk.in_(chunk)))
    next_pk = (conn.execute(select(Entry.pk).order_by(Entry.pk.desc()).limit(1)).scalar() or 0) + 1
    tag_ids = dict(conn.execute(select(Tag.name, Tag.id)).all())
    for batch in _chunks(todo, BATCH):
        rows = _Rows()
        for entry, created, modified in batch:
            pkg, resources = render(entry, created, modified)
            rows.add(entry, next_pk, pkg, compact(pkg), resources,
                     cat.organizations[entry.model.data_controller], tag_ids)
            next_pk += 1
        rows.write(conn)
    return stats


class _Rows:
    """The rows of a batch of entries, written with one executemany per table."""

    def __init__(self) -> None:
        self.t: dict[Any, list[dict[str, Any]]] = {
            Entry: [], Package: [], Resource: [], Variable: [], AccessGuideline: [], SearchTerm: [],
            Tag: [], entry_tags: [], entry_groups: []}
        self.docs: list[fulltext.Doc] = []

    def add(self, entry: LoadedEntry, pk_: int, pkg: dict[str, Any], pkg_json: str,
            resources: list[dict[str, Any]], controller: Any, tag_ids: dict[str, str]) -> None:
        m = entry.model
        self.t[Entry].append({
            "pk": pk_, "id": m.id, "name": m.name, "kind": entry.kind, "title": m.title,
            "title_sort": m.title.casefold(), "notes": m.description, "language": m.language,
            "owner_org": pkg["owner_org"], "license_id": pkg["license_id"],
            "content_hash": entry.content_hash, "metadata_created": pkg["metadata_created"],
            "metadata_modified": pkg["metadata_modified"]})
        self.t[Package].append({"entry_pk": pk_, "json": pkg_json})
        self.t[Resource] += [{
            "id": r["id"], "entry_pk": pk_, "position": r["position"], "role": r["role"],
            "name": r["name"], "description": r["description"], "url": r["url"],
            "format": r["format"], "mimetype": r["mimetype"]} for r in resources]
        variables = [{
            "entry_pk": pk_, "table_name": table, "position": i, "name": f.name, "title": f.title,
            "description": f.description, "type": f.type, "unit": f.unit,
            "coding_system": f.coding_system} for i, (table, f) in enumerate(entry.variables())]
        self.t[Variable] += variables
        a = m.access
        self.t[AccessGuideline].append({
            "entry_pk": pk_, "access_rights": a.access_rights, "decided_by": a.decided_by,
            "approvals": json.dumps(a.approvals), "documents": json.dumps(a.documents),
            "legal_basis_options": json.dumps(a.legal_basis_options),
            "application_url": a.application_url, "application_route": a.application_route,
            "lead_time_min_weeks": a.lead_time.min_weeks,
            "lead_time_max_weeks": a.lead_time.max_weeks,
            "fees_min_nok": a.fees.min_nok, "fees_max_nok": a.fees.max_nok,
            "conditions": a.conditions, "contact_email": a.contact.email,
            "contact_url": a.contact.url})
        for t in pkg["tags"]:
            if t["name"] not in tag_ids:
                tag_ids[t["name"]] = t["id"]
                self.t[Tag].append({"id": t["id"], "name": t["name"]})
            self.t[entry_tags].append({"entry_pk": pk_, "tag_id": tag_ids[t["name"]]})
        self.t[entry_groups] += [{"entry_pk": pk_, "group_id": g["id"]} for g in pkg["groups"]]
        self.t[SearchTerm] += [{"entry_pk": pk_, "field": f, "value": v}
                               for f, v in sorted(set(search_terms(entry, pkg, controller)))]
        self.docs.append(fulltext.Doc(
            pk_, m.title + " " + " ".join(t.title or "" for t in m.translations.values()),
            " ".join(m.keywords) + " " + pkg["organization"]["title"] + " " + m.data_controller,
            m.description + " " + " ".join(t.description or "" for t in m.translations.values()),
            "\n".join(" ".join(x for x in (v["name"], v["title"], v["description"]) if x)
                      for v in variables)))

    def write(self, conn: Connection) -> None:
        for table, rows in self.t.items():
            if rows:
                conn.execute(insert(table), rows)
        fulltext.index(conn, self.docs)


def search_terms(entry: LoadedEntry, pkg: dict[str, Any], controller: Any) -> Iterator[tuple[str, str]]:
    """Every (field, value) that `fq` can filter on and `facet.field` can count."""
    m = entry.model
    yield "organization", pkg["organization"]["name"]
    yield "license_id", pkg["license_id"]
    yield "catalogue_type", entry.kind
    yield "access_rights", m.access.access_rights
    yield "access_decided_by", m.access.decided_by
    yield "health_region", controller.health_region
    yield from (("groups", g["name"]) for g in pkg["groups"])
    yield from (("tags", t["name"]) for t in pkg["tags"])
    yield from (("res_format", r["format"]) for r in pkg["resources"])
    yield from (("theme", t) for t in m.themes)
    yield from (("health_category", c) for c in m.health_categories)
    yield from (("coding_system", c) for c in m.coding_systems)
    if m.data_processor:
        yield "data_processor", m.data_processor
    if entry.kind == "registry":
        yield "registry_type", m.registry_type  # type: ignore[union-attr]
    else:
        yield from (("material_type", t) for t in m.biobank.material_types)  # type: ignore[union-attr]


def _set_meta(conn: Connection, values: dict[str, str]) -> None:
    have = dict(conn.execute(select(Meta.key, Meta.value)).all())
    for key, value in values.items():
        if key not in have:
            conn.execute(insert(Meta), [{"key": key, "value": value}])
        elif have[key] != value:
            conn.execute(Meta.__table__.update().where(Meta.key == key), [{"value": value}])


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
