"""The store on SQLite and PostgreSQL: typed models, idempotent loads, hash-based dates."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session

from catalogue.ckan.store import load, make_engine, normalize_url, sqlite_path
from catalogue.ckan.store.models import (
    AccessGuideline,
    Entry,
    Group,
    Organization,
    Package,
    SearchTerm,
    Tag,
    Variable,
)
from catalogue.load import load_catalogue
from tests.conftest import edit
from tests.feed_fixtures import make_metadata

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$")


def load_into(url: str, metadata: Path, base_url: str = "http://example.org/", now: str | None = None):
    """Load `metadata` into the store at `url` in one transaction; return the stats."""
    engine = make_engine(url)
    try:
        with Session(engine) as session, session.begin():
            return load(session, load_catalogue(metadata), base_url, now=now)
    finally:
        engine.dispose()


def snapshot(url: str) -> dict[str, tuple[str, str, str]]:
    """name -> (metadata_created, metadata_modified, package_json)."""
    engine = make_engine(url)
    with Session(engine) as s:
        rows = s.execute(select(Entry.name, Entry.metadata_created, Entry.metadata_modified,
                                Package.json).join(Package)).all()
    engine.dispose()
    return {r[0]: tuple(r[1:]) for r in rows}


@pytest.fixture
def metadata(tmp_path: Path) -> Path:
    return make_metadata(tmp_path / "metadata", synthetic=3)


def test_urls_default_to_sqlite_files_and_postgresql_goes_through_psycopg(tmp_path):
    assert normalize_url(tmp_path / "x.sqlite").drivername == "sqlite"
    assert sqlite_path(f"sqlite:///{tmp_path}/x.sqlite") == tmp_path / "x.sqlite"
    assert normalize_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert sqlite_path("postgresql://u@h/db") is None
    with pytest.raises(ValueError, match="unsupported database URL"):
        normalize_url("mysql://u@h/db")


def test_load_fills_the_typed_models(store_url, metadata):
    stats = load_into(store_url, metadata)
    assert len(stats.added) == 5 and not stats.changed and not stats.removed
    engine = make_engine(store_url)
    with Session(engine) as s:
        reg = s.scalars(select(Entry).where(Entry.name == "hjerteregister")).one()
        assert reg.kind == "registry" and reg.organization.name == "st-olavs-hospital"
        assert [r.role for r in reg.resources] == ["page", "data-dictionary", "access-guidelines"]
        assert reg.resources[0].url == "http://example.org/registries/hjerteregister/"
        assert reg.resources[1].url == "http://example.org/registries/hjerteregister/opphold.schema.json"
        assert [v.name for v in reg.variables] == ["innleggelse", "kjonn", "diagnose", "blodtrykk"]
        assert reg.access is not None and reg.access.decided_by == "data-controller"
        assert json.loads(reg.access.approvals) == ["rek", "dpo-assessment", "data-controller-approval"]
        assert {t.name for t in reg.tags} == {"hjerte", "test"}
        assert {g.name for g in reg.groups} == {"heal", "medical-registries"}
        assert TIMESTAMP.match(reg.metadata_modified) and TIMESTAMP.match(reg.metadata_created)
        assert s.scalar(select(func.count()).select_from(Organization)) == 6
        assert s.scalar(select(func.count()).select_from(AccessGuideline)) == 5
        assert s.scalar(select(func.count()).select_from(Variable)) == 4 + 2 + 3 * 5
        assert ("tags", "hjerte") in set(s.execute(
            select(SearchTerm.field, SearchTerm.value).where(SearchTerm.entry_pk == reg.pk)).all())
    engine.dispose()


def test_loading_the_same_metadata_twice_changes_nothing(store_url, metadata):
    load_into(store_url, metadata, now="2025-01-01T00:00:00.000000")
    before = snapshot(store_url)
    stats = load_into(store_url, metadata, now="2025-06-01T00:00:00.000000")
    assert not stats.touched and stats.unchanged == 5
    assert snapshot(store_url) == before


def test_a_changed_entry_gets_a_new_metadata_modified_and_only_it(store_url, metadata):
    load_into(store_url, metadata, now="2025-01-01T00:00:00.000000")
    edit(metadata / "registries/hjerteregister/datapackage.yaml",
         "keywords: [hjerte, test]", "keywords: [hjerte, test, hjertesvikt]")
    stats = load_into(store_url, metadata, now="2025-06-01T12:30:00.123456")
    assert stats.changed == ["hjerteregister"] and stats.unchanged == 4
    after = snapshot(store_url)
    assert after["hjerteregister"][:2] == ("2025-01-01T00:00:00.000000", "2025-06-01T12:30:00.123456")
    assert {n for n, (_, modified, _) in after.items()
            if modified != "2025-01-01T00:00:00.000000"} == {"hjerteregister"}
    pkg = json.loads(after["hjerteregister"][2])
    assert pkg["metadata_modified"] == "2025-06-01T12:30:00.123456"
    assert "hjertesvikt" in [t["name"] for t in pkg["tags"]]


def test_an_organisation_change_rerenders_but_keeps_the_dates(store_url, metadata):
    load_into(store_url, metadata, now="2025-01-01T00:00:00.000000")
    edit(metadata / "organizations/st-olavs-hospital.yaml", "St. Olavs hospital HF", "St. Olavs HF")
    stats = load_into(store_url, metadata, now="2025-06-01T00:00:00.000000")
    assert stats.rerendered == ["hjerteregister"] and not stats.changed
    created, modified, pkg = snapshot(store_url)["hjerteregister"]
    assert modified == "2025-01-01T00:00:00.000000"
    assert json.loads(pkg)["organization"]["title"] == "St. Olavs HF"


def test_a_new_site_address_rerenders_every_package_but_keeps_the_dates(store_url, metadata):
    load_into(store_url, metadata, "http://example.org/", now="2025-01-01T00:00:00.000000")
    again = load_into(store_url, metadata, "http://example.org/", now="2025-03-01T00:00:00.000000")
    assert not again.touched and again.unchanged == 5  # the same render: not even made again
    stats = load_into(store_url, metadata, "https://katalog.example.no/", now="2025-06-01T00:00:00.000000")
    assert len(stats.rerendered) == 5 and not stats.changed
    for created, modified, pkg in snapshot(store_url).values():
        assert created == modified == "2025-01-01T00:00:00.000000"
        assert "http://example.org/" not in pkg and "https://katalog.example.no/" in pkg


def test_a_removed_entry_disappears_with_everything_it_owned(store_url, metadata):
    load_into(store_url, metadata)
    shutil.rmtree(metadata / "registries/hjerteregister")
    edit(metadata / "biobanks/hjertebiobank/datapackage.yaml", "linked_entries: [hjerteregister]\n", "")
    stats = load_into(store_url, metadata)
    assert stats.removed == ["hjerteregister"]
    engine = make_engine(store_url)
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Entry)) == 4
        assert s.scalar(select(func.count()).where(Variable.name == "blodtrykk")) == 0
        tags = set(s.scalars(select(Tag.name)))
        assert "test" not in tags and "heart" in tags  # a tag nobody uses any more goes too
        used = {g.name for e in s.scalars(select(Entry)) for g in e.groups}
        assert set(s.scalars(select(Group.name))) == used
    engine.dispose()


def test_a_failed_load_leaves_the_store_as_it_was(store_url, metadata):
    load_into(store_url, metadata, now="2025-01-01T00:00:00.000000")
    before = snapshot(store_url)
    edit(metadata / "registries/hjerteregister/datapackage.yaml", "title: Testregister", "title: Nytt")
    engine = make_engine(store_url)
    with pytest.raises(RuntimeError), Session(engine) as session, session.begin():
        load(session, load_catalogue(metadata), "http://example.org/")
        raise RuntimeError("a later build step failed")
    engine.dispose()
    assert snapshot(store_url) == before


def test_full_text_lives_in_the_database(store_url, metadata):
    load_into(store_url, metadata)
    engine = make_engine(store_url)
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            assert "entry_fts" in inspect(conn).get_table_names()
            hits = conn.execute(text("SELECT rowid FROM entry_fts WHERE entry_fts MATCH "
                                     "'variables : innleggelse'")).all()
        else:
            indexes = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE "
                                        "indexname = 'ix_entries_tsv'")).scalars().all()
            assert indexes and "gin" in indexes[0].lower()
            hits = conn.execute(text("SELECT pk FROM entries WHERE tsv @@ "
                                     "phraseto_tsquery('simple', 'innleggelse')")).all()
    engine.dispose()
    assert len(hits) == 1


def test_a_store_of_an_older_schema_is_rebuilt(store_url, metadata):
    engine = make_engine(store_url)
    with engine.begin() as conn:  # as an early build left it: no version, another layout
        conn.exec_driver_sql("CREATE TABLE entries (pk INTEGER PRIMARY KEY, package_json TEXT NOT NULL)")
    engine.dispose()
    stats = load_into(store_url, metadata)
    assert len(stats.added) == 5
    assert len(snapshot(store_url)) == 5
