"""`catalogue serve`: the CKAN Action API and the built site, through uvicorn."""

from __future__ import annotations

import os
import re
from pathlib import Path

import typer

from catalogue import settings
from catalogue.cli.app import app
from catalogue.cli.output import err
from catalogue.cli.preflight import serve_problem
from catalogue.errors import UsageError


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    db: str = typer.Option(None, "--db", help="The store to serve (default: $CATALOGUE_DB_URL, "
                           "else the last build's)."),
    out: Path = typer.Option(None, "--out", help="Static files to serve (default: "
                             "$CATALOGUE_OUT, else the last build's output folder)."),
    workers: int = typer.Option(1, help="Worker processes (use PostgreSQL or SQLite; each "
                                "opens its own connections)."),
    access_log: bool = typer.Option(True, "--access-log/--no-access-log",
                                    help="Log every request."),
    cache_mb: float = typer.Option(64, "--cache-mb", help="Memory for cached API results per "
                                   "worker, emptied when a build publishes (0: no cache)."),
    fdp_index: str = typer.Option(None, "--fdp-index", help="Ping this FAIR Data Point Index "
                                  "(e.g. https://index.fairdatapoint.org) at start and weekly, "
                                  "so it harvests /fdp/ (default: no ping)."),
) -> None:
    """Serve the CKAN Action API, the FAIR Data Point and the built site; with no options, the
    last build (exit 2 when there is none: no store, or no metadata folder here to build one
    from)."""
    import os

    import uvicorn

    from catalogue.ckan.api.server import uvicorn_options
    from catalogue.ckan.app import settings as serve_settings
    from catalogue.ckan.store import normalize_url, sqlite_path

    db_url, folder = serve_settings(db, out)
    path = sqlite_path(normalize_url(db_url))
    if path is not None and not path.is_file() and db is None:  # nothing built here yet
        problem = serve_problem(Path("metadata"), path)
        if problem:
            raise UsageError(problem)
    if path is not None and not path.is_file():
        raise UsageError(f"No store at {path}: run `catalogue build` first, or pass --db.")
    os.environ[settings.ENV_DB_URL] = db_url  # the workers read their settings from here
    os.environ[settings.ENV_CACHE_MB] = str(cache_mb)
    if folder is not None:
        os.environ[settings.ENV_OUT] = str(folder)
    err.print(f"CKAN API: http://{host}:{port}/api/3/action/package_search  (store {db_url})")
    if folder is not None and folder.is_dir():
        err.print(f"site: http://{host}:{port}/  (files in {folder})")
    if fdp_index is not None:
        _ping_fdp_index(fdp_index, host, port)
    uvicorn.run("catalogue.ckan.app:create_app", factory=True, host=host, port=port,
                workers=workers, access_log=access_log, log_level="info", **uvicorn_options())


def _ping_fdp_index(index: str, host: str, port: int) -> None:
    """Tell an FAIR Data Point Index where our FDP is, now and weekly (`--fdp-index`)."""
    from catalogue.fdp.ping import start_pinging

    if not re.match(r"https?://[^/\s]+", index):
        raise UsageError(f"--fdp-index {index!r}: give the index's http(s) URL.")
    base = (os.environ.get(settings.ENV_BASE_URL) or (settings.last_build() or {}).get("base_url")
            or f"http://{host}:{port}/")
    fdp_url = base.rstrip("/") + "/fdp/"
    err.print(f"FAIR Data Point: {fdp_url}  (pinging {index})")
    start_pinging(index, fdp_url)
