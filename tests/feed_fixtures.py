"""Fixtures for the store and the CKAN feed: small catalogues, stores on SQLite and PostgreSQL,
the ASGI app in-process and `catalogue serve` as a real server on 127.0.0.1.

PostgreSQL comes from `CATALOGUE_TEST_PG_URL` (`eval "$(bash .ci/postgres)"`); each store gets
its own schema, so parallel workers never meet. Without the variable the PostgreSQL cases skip,
except under CI, where they fail.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import make_url

from catalogue.ckan.store import make_engine
from catalogue.devtools.synth import synth
from catalogue.load import Catalogue, load_catalogue
from tests.conftest import FIXTURES, REPO

BACKENDS = ["sqlite", "postgresql"]
SYNTHETIC = 23  # with the fixture's two entries: 25, enough for several pages
BIN = Path(sys.executable).parent


def make_metadata(root: Path, synthetic: int = 0, variables: int = 5) -> Path:
    """tests/fixtures/catalogue (a registry and a biobank), plus `synthetic` generated entries."""
    shutil.copytree(FIXTURES / "catalogue", root)
    if synthetic:
        generated = synth(root.parent / f"{root.name}-synth", synthetic, variables, seed=1)
        for sub in ("organizations", "registries", "biobanks"):
            for item in sorted((generated / sub).glob("*")):
                shutil.move(item, root / sub / item.name)
        shutil.rmtree(generated)
    return root


def pg_base_url() -> str:
    """The test server's URL; skip (or, under CI, fail) when there is none."""
    url = os.environ.get("CATALOGUE_TEST_PG_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests, but CATALOGUE_TEST_PG_URL is not set "
                        "(bash .ci/test starts a server and sets it)")
        pytest.skip("PostgreSQL tests skipped: CATALOGUE_TEST_PG_URL is not set; run "
                    "eval \"$(bash .ci/postgres)\" first, or use bash .ci/test")
    return url


def pg_schema_url(label: str) -> tuple[str, str]:
    """A new empty schema on the test server: (URL whose search_path is it, schema name)."""
    base = pg_base_url()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    schema = f"t_{worker}_{label}_{uuid.uuid4().hex[:8]}".lower()
    engine = make_engine(base)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def drop_pg_schema(schema: str) -> None:
    engine = make_engine(pg_base_url())
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    engine.dispose()


def new_store_url(backend: str, tmp: Path, label: str = "store") -> tuple[str, str | None]:
    """(URL of an empty store, PostgreSQL schema to drop afterwards or None)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp / f'{label}.sqlite'}", None
    return pg_schema_url(label)


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store on each backend, dropped afterwards."""
    url, schema = new_store_url(request.param, tmp_path)
    yield url
    if schema:
        drop_pg_schema(schema)


@pytest.fixture(scope="session")
def feed_metadata(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 25-entry metadata folder shared by the read-only feed tests."""
    return make_metadata(tmp_path_factory.mktemp("feed") / "metadata", SYNTHETIC)


@pytest.fixture(scope="session")
def feed_catalogue(feed_metadata: Path) -> Catalogue:
    return load_catalogue(feed_metadata)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the `catalogue` command as a user would."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("CATALOGUE_DB_URL", None)
    done = subprocess.run([str(BIN / "catalogue"), *args], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=300)
    if check and done.returncode != 0:
        raise AssertionError(f"catalogue {' '.join(args)} exited {done.returncode}:\n"
                             f"{done.stdout}\n{done.stderr}")
    return done


class Server:
    """`catalogue serve` in a subprocess on a free 127.0.0.1 port."""

    def __init__(self, cwd: Path, *args: str, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
        env.pop("CATALOGUE_DB_URL", None)
        self.log = open(cwd / f"serve-{self.port}.log", "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [str(BIN / "catalogue"), "serve", "--port", str(self.port), "--no-access-log", *args],
            cwd=cwd, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"catalogue serve exited: {(cwd / self.log.name).read_text()}")
            try:
                if httpx.get(f"{self.url}/api/3", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError("catalogue serve did not start within 30 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def api(app: Any, action: str, method: str = "GET", version: str = "/api/3",
        **params: Any) -> httpx.Response:
    """Call an action of the ASGI app in-process, by GET (query string) or POST (JSON body)."""
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://feed.test") as client:
            url = f"{version}/action/{action}"
            if method == "POST":
                return await client.post(url, json=params)
            return await client.get(url, params=params)
    return asyncio.run(go())


def fetch(app: Any, path: str, method: str = "GET", **headers: str) -> httpx.Response:
    """Any request to the ASGI app in-process."""
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://feed.test") as client:
            return await client.request(method, path, headers=headers)
    return asyncio.run(go())


__all__ = ["BACKENDS", "REPO", "Server", "api", "fetch", "free_port", "make_metadata",
           "new_store_url", "drop_pg_schema", "run_cli"]


EARLY, LATE = "2025-01-01T09:00:00.000000", "2025-03-01T10:00:00.500000"
LATE_ENTRIES = {"hjerteregister", "synth-registry-00000", "synth-registry-00001",
                "synth-registry-00002", "synth-biobank-00004"}


def load_feed(url: str, cat: Catalogue) -> None:
    """Load `cat` in two rounds: 20 entries at EARLY, then the 5 LATE_ENTRIES at LATE."""
    from sqlalchemy.orm import Session

    from catalogue.ckan.store import load

    early = Catalogue(cat.root, cat.organizations,
                      [e for e in cat.entries if e.name not in LATE_ENTRIES])
    engine = make_engine(url)
    for part, now in ((early, EARLY), (cat, LATE)):
        with Session(engine) as session, session.begin():
            load(session, part, "http://feed.test/", now=now)
    engine.dispose()


def write_site(out: Path) -> Path:
    """A few static files like the ones other build steps write."""
    (out / "registries/hjerteregister").mkdir(parents=True)
    (out / "index.html").write_text("<h1>Katalog</h1>")
    (out / "registries/hjerteregister/index.html").write_text("<h1>Hjerteregister</h1>")
    (out / "catalog.ttl").write_text("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n")
    (out / "catalog.jsonld").write_text("{}")
    (out / "catalog.rdf").write_text("<rdf:RDF/>")
    return out


@pytest.fixture(scope="session", params=BACKENDS)
def feed_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
               feed_catalogue: Catalogue) -> Iterator[str]:
    """The 25-entry feed catalogue loaded into each backend (20 EARLY, 5 LATE)."""
    url, schema = new_store_url(request.param, tmp_path_factory.mktemp("store"), "feed")
    load_feed(url, feed_catalogue)
    yield url
    if schema:
        drop_pg_schema(schema)


@pytest.fixture(scope="session")
def feed_app(feed_store: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The ASGI app over the feed store, with a small static site."""
    from catalogue.ckan.app import create_app

    return create_app(feed_store, write_site(tmp_path_factory.mktemp("site") / "site"))
