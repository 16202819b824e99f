"""The ASGI app: CKAN's Action API over the store, plus the built site's static files.

`create_app()` with no arguments serves what the last `catalogue build` produced; for several
workers run `uvicorn --factory catalogue.ckan.app:create_app` with `CATALOGUE_DB_URL` and
`CATALOGUE_OUT` set. A SQLite store is opened read-only and reopened when a build swaps in a
new file, so a running server always answers from the newest build.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import mimetypes
import os
import time
import urllib.parse
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import orjson
from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from catalogue.ckan.api import limits
from catalogue.ckan.api.actions import ACTIONS, WRITE_ACTION, Context, call
from catalogue.ckan.api.cache import ResultCache
from catalogue.ckan.api.cache import key as cache_key
from catalogue.ckan.api.errors import ActionError, SearchQueryError, ValidationError
from catalogue.ckan.api.openapi import describe
from catalogue.ckan.api.query import snippet
from catalogue.ckan.store.engine import make_engine, normalize_url, sqlite_path
from catalogue.ckan.store.models import Meta
from catalogue.settings import DEFAULT_DB, ENV_DB_URL, last_build, served_out
from catalogue.settings import cache_mb as default_cache_mb

log = logging.getLogger("catalogue.ckan")
CONTENT_TYPES = {".ttl": "text/turtle", ".jsonld": "application/ld+json",
                 ".rdf": "application/rdf+xml", ".jsonl": "application/jsonl",
                 ".nt": "application/n-triples", ".json": "application/json",
                 ".csv": "text/csv"}
# Not compressed on the way out: Starlette's list (images, archives, ...) and any binary file.
UNCOMPRESSED = (*DEFAULT_EXCLUDED_CONTENT_TYPES, "application/octet-stream")
for suffix, ctype in CONTENT_TYPES.items():
    mimetypes.add_type(ctype, suffix)


def settings(db_url: str | None = None, out: str | Path | None = None) -> tuple[str, Path | None]:
    """The store and the output folder to serve: arguments, then environment, then last build."""
    last = last_build() or {}
    db = db_url or os.environ.get(ENV_DB_URL) or last.get("db_url") or DEFAULT_DB
    folder = out or served_out() or last.get("out")
    return db, Path(folder) if folder else None


class Store:
    """The served store: its engine, and a generation that changes when a build publishes.

    SQLite: the generation is the file's inode and mtime; a new file is reopened at once.
    PostgreSQL: it is `meta.modified`, read at most once per `poll` seconds.
    """

    def __init__(self, db_url: str, poll: float = 1.0) -> None:
        self.url = normalize_url(db_url)
        self.path = sqlite_path(self.url)
        self.engine: Engine = make_engine(self.url, readonly=True)
        self.poll, self.polled = poll, 0.0
        self.stamp: object = self._stamp() if self.path else None

    def _stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat() if self.path else None
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns) if st else None

    def generation(self) -> object:
        """A token that differs after every published build (cheap: call it per request)."""
        if self.path is not None:
            if (stamp := self._stamp()) != self.stamp:
                self.stamp = stamp
                self.engine.dispose()
                self.engine = make_engine(self.url, readonly=True)
        elif time.monotonic() - self.polled > self.poll:
            self.polled = time.monotonic()
            try:
                with self.engine.connect() as conn:
                    self.stamp = conn.execute(select(Meta.value).where(
                        Meta.key == "modified")).scalar()
            except SQLAlchemyError:
                self.stamp = object()  # unknown: never serve a cached result
        return self.stamp


ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]  # others: a JSON 405


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json",
                    headers=headers)


class BadRequest(Exception):
    """The request itself cannot be read (CKAN answers 400 with a plain JSON string)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _check(action: str, params: dict[str, Any]) -> None:
    """Refuse NUL characters (no database stores them: a search error, or a validation error as
    for any malformed parameter) and JSON nested past MAX_JSON_DEPTH (400)."""
    todo: list[tuple[str, Any, int]] = [(key, value, 1) for key, value in params.items()]
    while todo:  # a loop, not recursion: the depth is what is being checked
        key, value, depth = todo.pop()
        if isinstance(value, str) and "\x00" in value or "\x00" in key:
            if action == "package_search":
                raise SearchQueryError(f"{snippet(key)} contains a NUL character")
            raise ValidationError({key[:100]: ["Must not contain a NUL character"]})
        if isinstance(value, dict | list):
            if depth >= limits.MAX_JSON_DEPTH:
                raise BadRequest(f"JSON Error: nested deeper than {limits.MAX_JSON_DEPTH} levels")
            items = value.items() if isinstance(value, dict) else ((key, v) for v in value)
            todo.extend((key if isinstance(value, list) else str(k), v, depth + 1)
                        for k, v in items)


async def _body(request: Request) -> bytes:
    """The POSTed body, refused past MAX_BODY_BYTES (unread when Content-Length says so) or when
    it takes longer than BODY_TIMEOUT to arrive."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limits.MAX_BODY_BYTES):
        raise BadRequest(f"request body larger than {limits.MAX_BODY_BYTES} bytes", 413)
    chunks, size = [], 0
    try:
        with anyio.fail_after(limits.BODY_TIMEOUT):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limits.MAX_BODY_BYTES:
                    raise BadRequest(f"request body larger than {limits.MAX_BODY_BYTES} bytes", 413)
                chunks.append(chunk)
    except TimeoutError:
        raise BadRequest(f"request body not sent within {limits.BODY_TIMEOUT:g} s", 408) from None
    return b"".join(chunks)


async def _params(request: Request, action: str) -> dict[str, Any]:
    """Action parameters: the query string, then a POSTed JSON object or form on top."""
    if len(request.scope.get("query_string", b"")) > limits.MAX_QUERY_STRING_BYTES:
        raise BadRequest(f"query string longer than {limits.MAX_QUERY_STRING_BYTES} bytes", 414)
    params: dict[str, Any] = {}
    for key, value in request.query_params.multi_items():
        params[key] = [*params[key], value] if isinstance(params.get(key), list) else (
            [params[key], value] if key in params else value)
    if request.method == "POST":
        ctype = request.headers.get("content-type", "")
        if ctype.startswith("multipart/form-data"):
            raise BadRequest("multipart bodies are not read: send a JSON object or a form "
                             "(application/x-www-form-urlencoded)", 415)
        body = await _body(request)
        if ctype.startswith("application/x-www-form-urlencoded"):
            params.update(urllib.parse.parse_qsl(body.decode("latin-1"), keep_blank_values=True))
        elif body.strip():
            try:
                data = orjson.loads(body)  # unlike json, bounded in depth and strict (no NaN)
            except ValueError as exc:
                raise BadRequest(f"JSON Error: Could not read request body as JSON: {exc}") from None
            if not isinstance(data, dict):
                raise BadRequest(f"JSON Error: Request data JSON decoded to {snippet(repr(data))} "
                                 "but a dictionary was required")
            params.update(data)
    _check(action, params)
    return params


def create_app(db_url: str | None = None, out: str | Path | None = None,
               cache_mb: float | None = None) -> Starlette:
    """The feed for the store at `db_url`, with the static files of `out` (see `settings`).

    `cache_mb` bounds the result cache (default: $CATALOGUE_CACHE_MB, else 64; 0 turns it off).
    """
    db, folder = settings(db_url, out)
    store = Store(db)
    if cache_mb is None:
        cache_mb = default_cache_mb()
    results = ResultCache(int(cache_mb * 1024 * 1024)) if cache_mb > 0 else None

    def run(name: str, params: dict[str, Any], site_url: str) -> bytes:
        with store.engine.connect() as conn:
            return orjson.dumps(call(name, Context(conn, site_url), params))

    async def action(request: Request) -> Response:
        name = request.path_params["name"]
        base = str(request.base_url)
        help_url = f"{base}api/3/action/help_show?name={name}"
        if request.method not in ("GET", "HEAD", "POST"):
            return _json(405, f"Bad request - method {request.method} not allowed: use GET or POST",
                         {"Allow": "GET, HEAD, POST"})
        if name not in ACTIONS and not WRITE_ACTION.search(name):
            return _json(400, f"Bad request - Action name not known: {name[:200]}")
        try:
            params = await _params(request, name)
            generation = store.generation()
            k = cache_key(name, params, base) if results is not None else b""
            result = results.get(k, generation) if results is not None else None
            if result is None:
                result = await run_in_threadpool(run, name, params, base)
                if results is not None:
                    results.put(k, result, generation)
        except BadRequest as exc:
            # a body left unread must not be read as the next request: close the connection
            headers = {"Connection": "close"} if exc.status in (408, 413) else None
            return _json(exc.status, f"Bad request - {exc}", headers)
        except ActionError as exc:
            return _json(exc.status, {"help": help_url, "success": False, "error": exc.error()})
        except Exception:  # noqa: BLE001 - a client gets CKAN's envelope, the log the traceback
            log.exception("action %s failed", name)
            return _json(500, {"help": help_url, "success": False, "error": {
                "__type": "Internal Server Error", "message": "Internal Server Error"}})
        return Response(b'{"help":' + orjson.dumps(help_url) + b',"success":true,"result":'
                        + result + b"}", media_type="application/json")

    async def version(request: Request) -> Response:
        return _json(200, {"version": 3})

    openapi_json = orjson.dumps(describe())

    async def openapi(request: Request) -> Response:
        return Response(openapi_json, media_type="application/json")

    routes: list[Route | Mount] = [
        Route("/api/action/{name}", action, methods=ANY_METHOD),
        Route("/api/3/action/{name}", action, methods=ANY_METHOD),
        Route("/api/3", version), Route("/api/3/", version),
        Route("/api/3/openapi.json", openapi),
    ]
    from catalogue.fdp.routes import fdp_routes

    routes += fdp_routes(folder)  # before the site: /fdp/ is negotiated, not a static file
    if folder is not None and folder.is_dir():
        # Compressed on the way, as any web server does: the catalogue page and the search's
        # scripts are a fifth of their size in gzip.
        site = GZipMiddleware(StaticFiles(directory=folder, html=True), compresslevel=6,
                              exclude_content_types=UNCOMPRESSED)
        routes.append(Mount("/", site, name="site"))
    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD"],
                             allow_headers=["*"])]
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # What is loaded by now lives as long as the worker: out of the collector's sight, a full
        # collection no longer walks it, which took a request's p99 from ~25 to ~100 ms at times.
        gc.collect()
        gc.freeze()
        yield
        store.engine.dispose()

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.store, app.state.out, app.state.results = store, folder, results
    return app
