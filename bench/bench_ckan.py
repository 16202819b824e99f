"""Benchmark: `package_search` latency and throughput of the CKAN feed, SQLite and PostgreSQL.

    python bench/bench_ckan.py [--entries 10000] [--variables 100] [--backends sqlite,postgresql]
                               [--requests 4000] [--seconds 15] [--concurrency 16]

1. Writes a synthetic catalogue once (`catalogue synth`) into bench/out/ckan-EntriesxVariables/
   and loads it once into a store: bench/out/ckan-ExV.sqlite, and a schema on the PostgreSQL
   server of $CATALOGUE_BENCH_PG_URL or $CATALOGUE_TEST_PG_URL (skipped when neither is set).
2. Starts `catalogue serve` on a free 127.0.0.1 port for each backend and configuration.
3. From a separate process (this script with --load), measures over HTTP:
   - latency, one request at a time, result cache off: p50 and p99 of full-text queries
     (words, variable names, prefixes, phrases) and of facet queries (five facet fields, with
     and without filters);
   - throughput under concurrent load (keep-alive connections, a mix of both kinds), bounded by
     --requests and --seconds, with the cache off and on, with 1 and 2 server workers.
Goals (issue 3): p99 <= 25 ms; >= 500 requests/s with SQLite on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

OUT = Path(__file__).parent / "out"
BIN = Path(sys.executable).parent
FACETS = '["organization","groups","tags","res_format","license_id"]'
THEMES = ["hjerte", "kreft", "diabetes", "nyre", "slag", "lunge", "psykisk", "barn", "muskel"]


def fulltext_queries(n: int = 200) -> list[str]:
    """Distinct full-text searches: theme words, variable names, prefixes, phrases."""
    out = []
    for i in range(n):
        theme = THEMES[i % len(THEMES)]
        q = [theme, f"{theme}_var_{i % 100:04d}", f"{theme[:4]}*", f"tema-{i % 17}",
             f'"Synthetic {theme} registry {i * 37 % 10000}"', f"{theme} syntetisk"][i % 6]
        out.append(urllib.parse.urlencode({"q": q, "rows": 10}))
    return out


def facet_queries(n: int = 200, orgs: int = 200) -> list[str]:
    """Distinct faceted searches: the landing page, by organisation, tag, group and word."""
    out = []
    for i in range(n):
        params = {"facet.field": FACETS, "rows": 10}
        kind = i % 4
        if kind == 1:
            params["fq"] = f"organization:synth-org-{i % orgs:04d}"
        elif kind == 2:
            params["fq"] = f"tags:tema-{i % 17} AND -groups:biobanks"
        elif kind == 3:
            params["q"] = THEMES[i % len(THEMES)]
        out.append(urllib.parse.urlencode(params))
    return out


# --- the load generator (a separate process) -----------------------------------------------

async def _one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    await reader.readexactly(length)
    return status


async def _run(port: int, paths: list[str], concurrency: int, limit: int,
               seconds: float) -> dict[str, object]:
    """Send up to `limit` requests over `concurrency` connections for at most `seconds`."""
    todo = itertools.islice(itertools.cycle(paths), limit)
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = 0

    async def conn() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for path in todo:
            if time.perf_counter() > deadline:
                break
            started = time.perf_counter()
            if await _one(reader, writer, path) != 200:
                errors += 1
            latencies.append(time.perf_counter() - started)
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(conn() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    lat = sorted(latencies)
    return {"requests": len(lat), "errors": errors, "seconds": round(elapsed, 2),
            "rps": round(len(lat) / elapsed, 1),
            "p50_ms": round(lat[len(lat) // 2] * 1000, 2) if lat else None,
            "p99_ms": round(lat[int(len(lat) * 0.99)] * 1000, 2) if lat else None}


def load_main(argv: list[str]) -> None:
    """`--load PORT CONCURRENCY LIMIT SECONDS`, paths on stdin: print the result as JSON."""
    port, concurrency, limit, seconds = int(argv[0]), int(argv[1]), int(argv[2]), float(argv[3])
    paths = [p for p in sys.stdin.read().splitlines() if p]
    print(json.dumps(asyncio.run(_run(port, paths, concurrency, limit, seconds))))


def load(port: int, queries: list[str], concurrency: int, limit: int, seconds: float) -> dict:
    paths = "\n".join(f"/api/3/action/package_search?{q}" for q in queries)
    done = subprocess.run([sys.executable, __file__, "--load", str(port), str(concurrency),
                           str(limit), str(seconds)], input=paths, capture_output=True,
                          text=True, timeout=seconds + 120)
    if done.returncode != 0:
        raise SystemExit(f"load generator failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


# --- stores and servers --------------------------------------------------------------------

def catalogue_dir(entries: int, variables: int, out: Path = OUT) -> Path:
    from catalogue.devtools.synth import synth

    root = out / f"ckan-{entries}x{variables}"
    if not (root / "organizations").is_dir():
        print(f"writing {entries} x {variables} synthetic entries to {root}", flush=True)
        synth(root, entries, variables, seed=0)
    return root


def ensure_store(url: str, root: Path, entries: int) -> str:
    """Load the synthetic catalogue into `url` unless it already holds it."""
    from sqlalchemy import func, select
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session

    from catalogue.ckan.store import load as load_store
    from catalogue.ckan.store import make_engine
    from catalogue.ckan.store.engine import SCHEMA_VERSION, vacuum
    from catalogue.ckan.store.models import Entry, Meta
    from catalogue.ckan.store.step import _optimize
    from catalogue.load import load_catalogue

    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            version = conn.execute(select(Meta.value).where(Meta.key == "schema_version")).scalar()
            count = conn.execute(select(func.count()).select_from(Entry)).scalar()
            if version == SCHEMA_VERSION and count == entries:
                return url
    except SQLAlchemyError:
        pass
    print(f"loading {root} into {url} (once; the metadata is synthetic and valid, so it is "
          "not validated again)", flush=True)
    started = time.perf_counter()
    cat = load_catalogue(root, check=False)
    with Session(engine) as session, session.begin():
        load_store(session, cat, "http://127.0.0.1:8000/")
    with engine.begin() as conn:
        _optimize(conn)
    vacuum(engine)
    engine.dispose()
    print(f"  loaded in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def pg_url(entries: int, variables: int) -> str | None:
    base = os.environ.get("CATALOGUE_BENCH_PG_URL") or os.environ.get("CATALOGUE_TEST_PG_URL")
    if not base:
        return None
    from sqlalchemy import make_url

    from catalogue.ckan.store import make_engine

    schema = f"bench_ckan_{entries}x{variables}"
    engine = make_engine(base)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    engine.dispose()
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


class Serve:
    """`catalogue serve` in a subprocess on a free port."""

    def __init__(self, db_url: str, workers: int, cache_mb: float) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc = subprocess.Popen(
            [str(BIN / "catalogue"), "serve", "--db", db_url, "--port", str(self.port),
             "--workers", str(workers), "--cache-mb", str(cache_mb), "--no-access-log",
             "--out", str(OUT / "no-site")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import urllib.request

        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/3", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise SystemExit("catalogue serve did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def bench_backend(name: str, url: str, args: argparse.Namespace) -> dict:
    ft, fc = fulltext_queries(), facet_queries(orgs=max(4, args.entries // 50))
    mix = [q for pair in zip(ft, fc, strict=True) for q in pair]
    result: dict[str, object] = {}
    server = Serve(url, workers=1, cache_mb=0)
    try:
        load(server.port, mix[:40], 1, 40, 30)  # warm the page cache
        for label, queries in (("fulltext", ft), ("facet", fc)):
            r = load(server.port, queries, 1, len(queries), 60)
            result[f"latency_{label}"] = r
            print(f"{name:10s} latency {label:8s} p50 {r['p50_ms']:6.2f} ms  p99 "
                  f"{r['p99_ms']:6.2f} ms  ({r['requests']} requests, one at a time, no cache)",
                  flush=True)
    finally:
        server.stop()
    for workers, cache_mb in ((1, 0), (2, 0), (1, 64), (2, 64)):
        server = Serve(url, workers=workers, cache_mb=cache_mb)
        try:
            load(server.port, mix[:20], 2, 20, 30)
            r = load(server.port, mix, args.concurrency, args.requests, args.seconds)
        finally:
            server.stop()
        result[f"throughput_w{workers}_cache{cache_mb}"] = r
        print(f"{name:10s} throughput {workers} worker(s), cache {'on ' if cache_mb else 'off'}: "
              f"{r['rps']:7.1f} req/s  p50 {r['p50_ms']:6.2f} ms  p99 {r['p99_ms']:6.2f} ms  "
              f"({r['requests']} requests, {args.concurrency} connections, {r['errors']} errors)",
              flush=True)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=10000)
    ap.add_argument("--variables", type=int, default=100)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--requests", type=int, default=4000, help="at most this many per run")
    ap.add_argument("--seconds", type=float, default=15, help="at most this long per run")
    ap.add_argument("--concurrency", type=int, default=16)
    args = ap.parse_args()
    root = catalogue_dir(args.entries, args.variables)
    (OUT / "no-site").mkdir(parents=True, exist_ok=True)
    report = {"entries": args.entries, "variables": args.variables, "cores": os.cpu_count()}
    for backend in args.backends.split(","):
        if backend == "sqlite":
            url = f"sqlite:///{OUT / f'ckan-{args.entries}x{args.variables}.sqlite'}"
        else:
            url = pg_url(args.entries, args.variables)
            if url is None:
                print("postgresql: skipped (set CATALOGUE_BENCH_PG_URL or CATALOGUE_TEST_PG_URL)")
                continue
        report[backend] = bench_backend(backend, ensure_store(url, root, args.entries), args)
    goal = report.get("sqlite", {})
    if goal:
        p99 = max(goal["latency_fulltext"]["p99_ms"], goal["latency_facet"]["p99_ms"])
        best = max(v["rps"] for k, v in goal.items() if k.startswith("throughput"))
        print(f"goals (SQLite): p99 {p99:.1f} ms (<= 25: {'met' if p99 <= 25 else 'NOT met'}), "
              f"best throughput {best:.0f} req/s (>= 500: {'met' if best >= 500 else 'NOT met'})")
    (OUT / "bench_ckan.json").write_text(json.dumps(report, indent=2))
    print(f"wrote {OUT / 'bench_ckan.json'}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--load":
        load_main(sys.argv[2:])
    else:
        main()
