"""One CKAN package builder: the site's `ckan.json` download is what `package_show` answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from catalogue.build.pipeline import build
from catalogue.ckan.app import create_app
from catalogue.format.kinds import entry_path
from tests.conftest import REPO


@pytest.mark.slow
def test_the_sites_ckan_json_is_package_show_for_every_sample_entry(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = f"sqlite:///{tmp_path / 'catalogue.sqlite'}"
    ctx = build(REPO / "metadata", Path("site"), db, "https://katalog.example.no/")
    assert len(ctx.catalogue.entries) >= 10
    # TestClient runs the app in its own thread: this test may share a worker with browser tests,
    # whose event loop is still running in this one
    with TestClient(create_app(db, tmp_path / "site", cache_mb=0), base_url="http://feed.test") as api:
        for entry in ctx.catalogue.entries:
            download = json.loads((tmp_path / "site" / entry_path(entry.kind, entry.name) / "ckan.json")
                                  .read_text(encoding="utf-8"))
            shown = api.get("/api/3/action/package_show", params={"id": entry.name}).json()["result"]
            assert download == shown, entry.name
