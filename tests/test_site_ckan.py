"""One CKAN package builder: the site's `ckan.json` download is what `package_show` answers."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from catalogue.build.pipeline import build
from catalogue.ckan.app import create_app
from catalogue.format.kinds import entry_path
from tests.conftest import REPO
from tests.feed_fixtures import api


@pytest.mark.slow
def test_the_sites_ckan_json_is_package_show_for_every_sample_entry(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = f"sqlite:///{tmp_path / 'catalogue.sqlite'}"
    ctx = build(REPO / "metadata", Path("site"), db, "https://katalog.example.no/")
    app = create_app(db, tmp_path / "site", cache_mb=0)
    assert len(ctx.catalogue.entries) >= 10
    # the API is called from a thread of its own: this test may share a worker with browser
    # tests, whose event loop can still be running in this one
    with ThreadPoolExecutor(1) as thread:
        for entry in ctx.catalogue.entries:
            download = json.loads((tmp_path / "site" / entry_path(entry.kind, entry.name) / "ckan.json")
                                  .read_text(encoding="utf-8"))
            shown = thread.submit(api, app, "package_show", id=entry.name).result().json()["result"]
            assert download == shown, entry.name
