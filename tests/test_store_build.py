"""`catalogue build` and the store: the dump it writes, and a failed build that changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import catalogue.build.pipeline as build_mod
from catalogue.build.pipeline import build
from catalogue.cli.main import app
from tests.conftest import edit
from tests.feed_fixtures import make_metadata
from tests.test_store import snapshot


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder: metadata/ with five entries; build/ and site/ are written here."""
    monkeypatch.chdir(tmp_path)
    make_metadata(tmp_path / "metadata", synthetic=3)
    return tmp_path


def test_build_writes_a_ckanapi_dump_and_the_data_dictionaries(workdir, store_url):
    ctx = build(Path("metadata"), Path("site"), store_url, "https://katalog.example.no/")
    site = workdir / "site"
    datasets = [json.loads(line) for line in (site / "datasets.jsonl").read_text().splitlines()]
    assert [d["name"] for d in datasets] == sorted(e.name for e in ctx.catalogue.entries)
    first = (site / "datasets.jsonl").read_text().splitlines()[0]
    assert first == json.dumps(datasets[0], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    orgs = [json.loads(line) for line in (site / "organizations.jsonl").read_text().splitlines()]
    assert {o["name"] for o in orgs} == set(ctx.catalogue.organizations)
    assert all(o["is_organization"] and "package_count" in o for o in orgs)
    groups = [json.loads(line) for line in (site / "groups.jsonl").read_text().splitlines()]
    assert "heal" in {g["name"] for g in groups}
    schema = json.loads((site / "registries/hjerteregister/opphold.schema.json").read_text())
    assert [f["name"] for f in schema["fields"]] == ["innleggelse", "kjonn", "diagnose", "blodtrykk"]
    reg = next(d for d in datasets if d["name"] == "hjerteregister")
    assert reg["resources"][1]["url"] == (
        "https://katalog.example.no/registries/hjerteregister/opphold.schema.json")
    assert json.loads((workdir / "build/last-build.json").read_text())["db_url"] == store_url


def test_a_second_build_of_the_same_metadata_changes_nothing(workdir, store_url):
    build(Path("metadata"), Path("site"), store_url)
    before = snapshot(store_url)
    dump = (workdir / "site/datasets.jsonl").read_text()
    ctx = build(Path("metadata"), Path("site"), store_url)
    assert not ctx.state["store_stats"].touched
    assert snapshot(store_url) == before
    assert (workdir / "site/datasets.jsonl").read_text() == dump


def test_a_failed_build_leaves_the_old_store_and_site(workdir, store_url, monkeypatch):
    build(Path("metadata"), Path("site"), store_url)
    before, dump = snapshot(store_url), (workdir / "site/datasets.jsonl").read_text()
    edit(workdir / "metadata/registries/hjerteregister/datapackage.yaml",
         "title: Testregister for hjertesykdom", "title: Endret tittel")

    def broken(ctx):
        raise RuntimeError("a later step failed")

    steps = build_mod.steps()
    monkeypatch.setattr(build_mod, "steps", lambda: [*steps, ("Breaking", broken)])
    with pytest.raises(RuntimeError, match="a later step failed"):
        build(Path("metadata"), Path("site"), store_url)
    assert snapshot(store_url) == before
    assert (workdir / "site/datasets.jsonl").read_text() == dump
    assert not list((workdir / "build").glob(".*.build-*")), "the work copy was left behind"


def test_the_build_command_prints_each_finding_and_exits_1(workdir):
    edit(workdir / "metadata/organizations/ntnu.yaml", "type: university", "type: college")
    result = CliRunner().invoke(app, ["build", "--db", f"sqlite:///{workdir}/s.sqlite"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("metadata/organizations/ntnu.yaml:6:7: error [unknown-term] ")
    assert lines[-1].startswith("NOT built: 1 error(s)")
    assert not (workdir / "s.sqlite").exists() and not (workdir / "site").exists()


def test_the_build_command_reports_what_it_loaded(workdir):
    result = CliRunner().invoke(app, ["build", "--db", f"sqlite:///{workdir}/s.sqlite"])
    assert result.exit_code == 0, result.output
    assert "built site from 5 entries and 6 organisations" in result.output
    assert "5 added, 0 changed, 0 removed, 0 unchanged" in result.output
