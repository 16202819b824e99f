"""Helpers for the site's tests: an HTML checker that finds anything active, and a static server."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

from catalogue.site.render import safe_url

URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data"}


class ActiveContent(HTMLParser):
    """Collects every script, event handler, inline frame and unsafe URL in a piece of HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and (("type", "application/json") in attrs
                                or ("type", "application/ld+json") in attrs):
            pass  # inert data: the catalogue page's interface strings, schema.org JSON-LD
        elif tag in ("script", "iframe", "object", "embed", "img", "style", "form", "base", "meta"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name in URL_ATTRS and value is not None and not safe_url(value):
                self.found.append(f"{tag} {name}={value}")


def active_content(html: str) -> list[str]:
    """What in `html` could run or load something; [] for safe HTML."""
    parser = ActiveContent()
    parser.feed(html)
    parser.close()
    return parser.found


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) for the duration; yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def mkdocs_site(catalogue_dir: Path, tmp_path: Path, base_url: str) -> Path:
    """The pages of the catalogue in `catalogue_dir`, built by MkDocs into `tmp_path/site`
    (no store, no search index): what a test needs to read the built HTML."""
    from catalogue.load import load_catalogue
    from catalogue.site import downloads, mkdocs_run, pages

    cat = load_catalogue(catalogue_dir, check=False)
    out = tmp_path / "site"
    out.mkdir()
    builder = mkdocs_run.Build(out, base_url, background=False)
    pages.write(cat, tmp_path / "src", base_url, {}, lambda f: downloads.names(f.entry, False),
                done=builder.start)
    builder.finish()
    return out
