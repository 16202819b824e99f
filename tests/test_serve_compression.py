"""`catalogue serve` sends the site compressed, as any web server does, but not what is compressed
already: Pagefind's index files are gzip inside, and the search decompresses them itself."""

from __future__ import annotations

import asyncio
import gzip
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from catalogue.ckan.app import create_app


def fetch(app: object, path: str, encoding: str = "gzip") -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://site.test") as c:
            return await c.get(path, headers={"accept-encoding": encoding})
    # in a thread of its own: a browser test in the same worker may leave its event loop running
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, go()).result()


def a_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "catalogue").mkdir(parents=True)
    (site / "pagefind" / "fragment").mkdir(parents=True)
    (site / "catalogue" / "index.html").write_text(
        "<html><body>" + "<li>Norsk hjerteinfarktregister</li>" * 400 + "</body></html>", encoding="utf-8")
    (site / "pagefind" / "pagefind.js").write_text("export const search = () => 1;\n" * 300, encoding="utf-8")
    (site / "pagefind" / "fragment" / "nb_1.pf_fragment").write_bytes(gzip.compress(b'{"url":"/x/"}' * 200))
    return site


def test_the_catalogue_page_and_the_search_script_arrive_compressed(tmp_path):
    app = create_app(f"sqlite:///{tmp_path / 'store.sqlite'}", a_site(tmp_path), cache_mb=0)
    page = fetch(app, "/catalogue/")
    assert page.headers["content-encoding"] == "gzip"
    assert "Norsk hjerteinfarktregister" in page.text
    assert page.num_bytes_downloaded < len(page.content) / 5
    script = fetch(app, "/pagefind/pagefind.js")
    assert script.headers["content-encoding"] == "gzip"
    assert script.headers["content-type"].startswith("text/javascript")


def test_pagefind_files_are_sent_as_they_are(tmp_path):
    site = a_site(tmp_path)
    app = create_app(f"sqlite:///{tmp_path / 'store.sqlite'}", site, cache_mb=0)
    fragment = fetch(app, "/pagefind/fragment/nb_1.pf_fragment")
    assert "content-encoding" not in fragment.headers
    assert fragment.headers["content-type"] == "application/octet-stream"
    assert fragment.content == (site / "pagefind" / "fragment" / "nb_1.pf_fragment").read_bytes()


def test_a_client_that_takes_no_gzip_gets_the_page_as_it_is(tmp_path):
    site = a_site(tmp_path)
    app = create_app(f"sqlite:///{tmp_path / 'store.sqlite'}", site, cache_mb=0)
    page = fetch(app, "/catalogue/", encoding="identity")
    assert "content-encoding" not in page.headers
    assert page.content == (site / "catalogue" / "index.html").read_bytes()
