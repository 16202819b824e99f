"""The real `ckanapi` client and command against `catalogue serve` on 127.0.0.1.

`catalogue build` writes the store (SQLite or PostgreSQL) and the site in a project folder;
`catalogue serve` started there with no options serves what that build produced. The client
talks to it as it would to any CKAN site: POST by default, GET with `get_only=True`.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import ckanapi
import pytest

from tests.conftest import edit
from tests.feed_fixtures import (
    BACKENDS,
    BIN,
    Server,
    drop_pg_schema,
    make_metadata,
    new_store_url,
    run_cli,
)

pytestmark = pytest.mark.slow


@dataclass
class Live:
    url: str  # the server
    work: Path  # the project folder: metadata/, build/, site/
    db_url: str


@pytest.fixture(scope="module", params=BACKENDS)
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """A built 25-entry catalogue served by `catalogue serve` (no options) on a free port."""
    work = tmp_path_factory.mktemp(f"live-{request.param}")
    make_metadata(work / "metadata", synthetic=23)
    db_url, schema = new_store_url(request.param, work, "live")
    run_cli("build", "--db", db_url, cwd=work)
    server = Server(work)
    yield Live(server.url, work, db_url)
    server.stop()
    if schema:
        drop_pg_schema(schema)


@pytest.fixture(params=[False, True], ids=["POST", "GET"])
def client(request: pytest.FixtureRequest, live: Live) -> Iterator[ckanapi.RemoteCKAN]:
    with ckanapi.RemoteCKAN(live.url, get_only=request.param) as ckan:
        yield ckan


def test_every_action_through_ckanapi(client):
    a = client.action
    names = a.package_list()
    assert len(names) == 25 and names == sorted(names)
    pkg = a.package_show(id="hjerteregister")
    assert a.package_show(id=pkg["id"])["name"] == "hjerteregister"
    found = a.package_search(q="hjerte", fq="tags:syntetisk", rows=2, sort="name asc",
                             **{"facet.field": ["organization", "tags"]})
    assert found["count"] == 3 and [p["name"] for p in found["results"]] == [
        "synth-biobank-00009", "synth-registry-00000"]
    assert found["search_facets"]["tags"]["items"][0] == {
        "name": "hjerte", "display_name": "hjerte", "count": 3}
    assert len(a.current_package_list_with_resources(limit=3)) == 3
    assert "st-olavs-hospital" in a.organization_list()
    assert a.organization_show(id="ntnu", include_datasets=True)["packages"][0]["name"] == "hjertebiobank"
    assert "heal" in a.group_list()
    assert a.group_show(id="heal")["package_count"] == 25
    assert "syntetisk" in a.tag_list()
    assert a.license_list()[0]["id"] == "notspecified"
    assert a.status_show()["ckan_version"].startswith("2.")
    assert a.help_show(name="package_show").startswith("One dataset")
    assert a.resource_show(id=pkg["resources"][0]["id"])["format"] == "HTML"


def test_every_error_type_through_ckanapi(client):
    a = client.action
    with pytest.raises(ckanapi.NotFound):
        a.package_show(id="no-such-entry")
    with pytest.raises(ckanapi.ValidationError) as exc:
        a.package_show()
    assert exc.value.error_dict["id"] == ["Missing value"]
    with pytest.raises(ckanapi.NotAuthorized):
        a.package_create(name="new-entry", title="New")
    with pytest.raises(ckanapi.SearchQueryError):
        a.package_search(fq="metadata_modified:[not-a-date TO *]")
    with pytest.raises(ckanapi.SearchQueryError):
        a.package_search(sort="colour asc")
    with pytest.raises(ckanapi.CKANAPIError, match="Action name not known: package_fly"):
        client.call_action("package_fly")


def test_paging_by_id_like_ckanext_harvest_returns_each_dataset_once(live):
    """ckanext-harvest: GET /api/3/action/package_search?rows=N&start=S&sort=id+asc until a page
    brings no new ids; it never reads `count`."""
    import httpx

    seen: list[str] = []
    start = 0
    while True:
        r = httpx.get(f"{live.url}/api/3/action/package_search",
                      params={"rows": 7, "start": start, "sort": "id asc"})
        ids = [p["id"] for p in r.json()["result"]["results"]]
        if not set(ids) - set(seen):
            break
        seen += ids
        start += 7
    assert len(seen) == len(set(seen)) == 25
    assert seen == sorted(seen)


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize("thing", ["datasets", "organizations", "groups"])
def test_ckanapi_dump_from_the_command_line_matches_the_static_dump(live, thing):
    done = _run(str(BIN / "ckanapi"), "dump", thing, "--all", "-q", "-r", live.url, cwd=live.work)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == (live.work / f"site/{thing}.jsonl").read_text().splitlines()


def test_ckanapi_search_pages_until_an_empty_page_and_stops(live):
    done = _run(str(BIN / "ckanapi"), "search", "datasets", "q=syntetisk", "-r", live.url,
                cwd=live.work)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 23


def test_incremental_harvest_sees_exactly_what_a_new_build_changed(live):
    with ckanapi.RemoteCKAN(live.url, get_only=True) as ckan:
        before = {p["name"]: p["metadata_modified"] for p in ckan.action.package_search(rows=100)["results"]}
        since = datetime.now(UTC)
        edit(live.work / "metadata/registries/hjerteregister/datapackage.yaml",
             "description: Et lite register", "description: Et lite, endret register")
        run_cli("build", "--db", live.db_url, cwd=live.work)  # the running server picks it up
        for stamp in (since.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), since.strftime("%Y-%m-%dT%H:%M:%SZ")):
            changed = ckan.action.package_search(fq=f"metadata_modified:[{stamp} TO *]", rows=100)
            assert [p["name"] for p in changed["results"]] == ["hjerteregister"]
        after = {p["name"]: p["metadata_modified"] for p in ckan.action.package_search(rows=100)["results"]}
    assert after["hjerteregister"] > before["hjerteregister"]  # harvesters compare the strings
    assert {n: m for n, m in after.items() if n != "hjerteregister"} == {
        n: m for n, m in before.items() if n != "hjerteregister"}


def test_serve_without_a_build_says_what_to_do(tmp_path):
    done = run_cli("serve", cwd=tmp_path, check=False)
    assert done.returncode == 2 and "run `catalogue build` first" in done.stderr
    assert json.loads('"ok"') == "ok"
