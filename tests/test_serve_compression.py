"""`catalogue serve` sends the site compressed, as any web server does, but not what is compressed
already."""

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
    (site / "assets").mkdir(parents=True)
    (site / "search-index" / "t").mkdir(parents=True)
    (site / "catalogue" / "index.html").write_text(
        "<html><body>" + "<li>Norsk hjerteinfarktregister</li>" * 400 + "</body></html>", encoding="utf-8")
    (site / "assets" / "catalogue.js").write_text("var search = function () { return 1; };\n" * 300,
                                                  encoding="utf-8")
    (site / "search-index" / "t" / "hj.json").write_text(
        '{"hjerte":[' + ",".join(str(i * 4 + 2) for i in range(2000)) + "]}\n", encoding="utf-8")
    (site / "sitemap.xml.gz").write_bytes(gzip.compress(b"<urlset></urlset>" * 200))
    return site


def test_the_catalogue_page_and_the_search_script_arrive_compressed(tmp_path):
    app = create_app(f"sqlite:///{tmp_path / 'store.sqlite'}", a_site(tmp_path), cache_mb=0)
    page = fetch(app, "/catalogue/")
    assert page.headers["content-encoding"] == "gzip"
    assert "Norsk hjerteinfarktregister" in page.text
    assert page.num_bytes_downloaded < len(page.content) / 5
    script = fetch(app, "/assets/catalogue.js")
    assert script.headers["content-encoding"] == "gzip"
    assert script.headers["content-type"].startswith("text/javascript")


def test_the_search_index_arrives_compressed(tmp_path):
    app = create_app(f"sqlite:///{tmp_path / 'store.sqlite'}", a_site(tmp_path), cache_mb=0)
    shard = fetch(app, "/search-index/t/hj.json")
    assert shard.headers["content-encoding"] == "gzip"
    assert shard.headers["content-type"].startswith("application/json")
    assert shard.num_bytes_downloaded < len(shard.content) / 2


def test_a_compressed_file_is_sent_as_it_is(tmp_path):
    site = a_site(tmp_path)
    app = create_app(f"sqlite:///{tmp_path / 'store.sqlite'}", site, cache_mb=0)
    sitemap = fetch(app, "/sitemap.xml.gz")
    assert "content-encoding" not in sitemap.headers
    assert sitemap.content == (site / "sitemap.xml.gz").read_bytes()


def test_a_client_that_takes_no_gzip_gets_the_page_as_it_is(tmp_path):
    site = a_site(tmp_path)
    app = create_app(f"sqlite:///{tmp_path / 'store.sqlite'}", site, cache_mb=0)
    page = fetch(app, "/catalogue/", encoding="identity")
    assert "content-encoding" not in page.headers
    assert page.content == (site / "catalogue" / "index.html").read_bytes()
