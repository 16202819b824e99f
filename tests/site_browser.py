"""Fixtures for the browser tests: one built site per session, Debian's Chromium, axe-core.

Chromium comes from `CATALOGUE_CHROMIUM` or /usr/bin/chromium (never `playwright install`).
Without it, or without npm for axe-core, the browser tests skip with the reason, except under
CI, where they fail.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalogue.build.pipeline import build
from tests.conftest import REPO
from tests.feed_fixtures import Server

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE_DIR = REPO / "build" / "axe-core"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


def unavailable(reason: str) -> None:
    """Skip a browser test, or fail it under CI, where every browser test must run."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CATALOGUE_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@pytest.fixture(name="built_site", scope="session")
def built_site_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample catalogue (metadata/), built once per session with the whole build."""
    work = tmp_path_factory.mktemp("site-build")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(work)  # build/ and last-build.json go here, not into the checkout
        build(REPO / "metadata", work / "site", f"sqlite:///{work / 'store.sqlite'}",
              "https://katalog.example.no/")
    return work / "site"


@pytest.fixture(name="site_url", scope="session")
def site_url_fixture(built_site: Path) -> Iterator[str]:
    """The built site served as users serve it: `catalogue serve` (site and API on one port)."""
    work = built_site.parent
    server = Server(work, "--out", str(built_site), "--db", f"sqlite:///{work / 'store.sqlite'}")
    try:
        yield server.url + "/"
    finally:
        server.stop()


@pytest.fixture(name="browser", scope="session")
def browser_fixture() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    executable = chromium_path()
    if executable is None:
        unavailable("no Chromium found (set CATALOGUE_CHROMIUM or apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A browser tab that records console errors, page errors and failed requests."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status}: {r.url}"))

    def _failed(self, request: Any) -> None:
        # Leaving a page cancels what it was still fetching (Material's sitemap, the favicon):
        # that is the browser's doing, not a broken link.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.errors.append(f"request failed: {request.url} ({request.failure})")


@pytest.fixture(name="tab")
def tab_fixture(browser: Any, site_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=site_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield Page(page)
    context.close()


@pytest.fixture(name="axe_source", scope="session")
def axe_source_fixture() -> str:
    """axe-core's axe.min.js, installed with npm into build/axe-core once and reused."""
    if not AXE_JS.is_file():
        npm = shutil.which("npm")
        if npm is None:
            unavailable("npm is not installed, so axe-core cannot be fetched")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        with open(AXE_DIR / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # two test workers may get here at once
            if not AXE_JS.is_file():
                proc = subprocess.run([npm, "install", "--prefix", str(AXE_DIR), "axe-core@4",
                                       "--no-audit", "--no-fund", "--silent"],
                                      capture_output=True, text=True, timeout=300)
                if proc.returncode != 0 or not AXE_JS.is_file():
                    unavailable(f"npm install axe-core failed: {proc.stderr[-500:]}")
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page: Any, axe_js: str) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings on the page as it is now."""
    page.add_script_tag(content=axe_js)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]
