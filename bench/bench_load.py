"""Load test: many concurrent keep-alive clients against `catalogue serve` for a while.

    python bench/bench_load.py [--entries 1000] [--variables 100] [--connections 200]
                               [--seconds 60] [--max-requests 500000] [--cache-mb 64]
                               [--work bench/out]

1. Writes and loads a synthetic catalogue into SQLite (bench_ckan's helpers: once per size).
2. Starts `catalogue serve` (one worker) on a free 127.0.0.1 port.
3. From a separate process (this script with --load), holds --connections keep-alive
   connections for --seconds (and at most --max-requests requests), each sending a mix of
   package_search (full text, facets, filters), package_show (one in 20 for an unknown name,
   which must answer 404), package_list and organization_list, over raw asyncio streams (the
   client shares the cores with the server, so it should cost as little as possible).
4. Samples the server's resident memory every second (psutil if installed, else /proc).
Reports requests/s, p50/p99 latency, errors (any unexpected status, connection error or
timeout: the goal is zero), and memory at start, peak and end with its slope, as JSON in
<work>/bench_load.json. Goals (issue 6): zero errors, flat memory.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_ckan import OUT, Serve, catalogue_dir, ensure_store, facet_queries, fulltext_queries  # noqa: E402
from bench_ckan import _one as one_request  # noqa: E402

TIMEOUT = 10.0  # seconds for one request before it counts as an error


def paths(names: list[str], orgs: int) -> list[tuple[int, str]]:
    """The request mix as (expected status, path)."""
    search = [f"/api/3/action/package_search?{q}" for pair in zip(
        fulltext_queries(), facet_queries(orgs=orgs), strict=True) for q in pair]
    rnd = random.Random(6)
    out: list[tuple[int, str]] = []
    for i in range(400):
        kind = i % 10
        if kind < 6:
            out.append((200, search[i % len(search)]))
        elif kind < 8:
            if i % 20 == 7:
                out.append((404, f"/api/3/action/package_show?id=no-such-entry-{i}"))
            else:
                out.append((200, f"/api/3/action/package_show?id={rnd.choice(names)}"))
        elif kind == 8:
            out.append((200, "/api/3/action/package_list?limit=100&offset=" + str(i % 10 * 10)))
        else:
            out.append((200, "/api/3/action/organization_list?all_fields=true&limit=50"))
    return out


# --- the load generator (a separate process) -----------------------------------------------

async def _run(port: int, mix: list[tuple[int, str]], connections: int, limit: int,
               seconds: float) -> dict[str, object]:
    todo = itertools.islice(itertools.cycle(mix), limit)
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors: dict[str, int] = {}
    statuses: dict[int, int] = {}

    def error(kind: str) -> None:
        errors[kind] = errors.get(kind, 0) + 1

    async def conn(i: int) -> None:
        await asyncio.sleep(i * 0.002)  # do not open them all in the same millisecond
        reader = writer = None
        for expected, path in todo:
            if time.perf_counter() > deadline:
                break
            try:
                if writer is None:
                    reader, writer = await asyncio.wait_for(
                        asyncio.open_connection("127.0.0.1", port), TIMEOUT)
                started = time.perf_counter()
                status = await asyncio.wait_for(one_request(reader, writer, path), TIMEOUT)
                latencies.append(time.perf_counter() - started)
                statuses[status] = statuses.get(status, 0) + 1
                if status != expected:
                    error(f"status {status}")
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                error(type(exc).__name__)
                if writer is not None:
                    writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(conn(i) for i in range(connections)))
    elapsed = time.perf_counter() - started
    lat = sorted(latencies)
    return {"requests": len(lat), "errors": sum(errors.values()), "error_kinds": errors,
            "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "seconds": round(elapsed, 2), "rps": round(len(lat) / elapsed, 1),
            "p50_ms": round(lat[len(lat) // 2] * 1000, 2) if lat else None,
            "p99_ms": round(lat[int(len(lat) * 0.99)] * 1000, 2) if lat else None}


def load_main(argv: list[str]) -> None:
    """`--load PORT CONNECTIONS LIMIT SECONDS`, "status path" lines on stdin: print JSON."""
    import resource

    port, connections, limit, seconds = int(argv[0]), int(argv[1]), int(argv[2]), float(argv[3])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, connections + 64)), hard))
    mix = [(int(s), p) for s, p in (line.split(" ", 1) for line in sys.stdin.read().splitlines())]
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    print(json.dumps(asyncio.run(_run(port, mix, connections, limit, seconds))))


# --- memory ------------------------------------------------------------------------------------

def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB."""
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss / 2**20
    except ImportError:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no memory figure for process {pid}")


def slope(samples: list[tuple[float, float]]) -> float:
    """Least-squares MB per minute."""
    if len(samples) < 2:
        return 0.0
    n = len(samples)
    mt, mm = sum(t for t, _ in samples) / n, sum(m for _, m in samples) / n
    var = sum((t - mt) ** 2 for t, _ in samples)
    return 60 * sum((t - mt) * (m - mm) for t, m in samples) / var if var else 0.0


def run(args: argparse.Namespace) -> dict[str, object]:
    """Build (once), serve, load, measure; the report as a dict."""
    work = Path(args.work)
    root = catalogue_dir(args.entries, args.variables, work)
    url = ensure_store(f"sqlite:///{work / f'load-{args.entries}x{args.variables}.sqlite'}", root,
                       args.entries)
    server = Serve(url, workers=1, cache_mb=args.cache_mb)
    try:
        base = f"http://127.0.0.1:{server.port}/api/3/action/"
        with urllib.request.urlopen(base + "package_list", timeout=30) as r:
            names = json.load(r)["result"]
        mix = paths(names, orgs=max(4, args.entries // 50))
        samples = [(0.0, rss_mb(server.proc.pid))]
        mix_file = work / "bench_load_mix.txt"
        mix_file.write_text("\n".join(f"{s} {p}" for s, p in mix))
        gen = subprocess.Popen(
            [sys.executable, __file__, "--load", str(server.port), str(args.connections),
             str(args.max_requests), str(args.seconds)], stdin=mix_file.open(),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started = time.monotonic()
        while gen.poll() is None and time.monotonic() - started < args.seconds + 120:
            time.sleep(1)
            samples.append((time.monotonic() - started, rss_mb(server.proc.pid)))
        if gen.poll() is None:
            gen.kill()
        out, err = gen.communicate(timeout=30)
        if gen.returncode != 0:
            raise SystemExit(f"load generator failed: {err[-2000:]}")
        result = json.loads(out)
    finally:
        server.stop()
    mem = [m for _, m in samples]
    return {"entries": args.entries, "variables": args.variables, "cores": os.cpu_count(),
            "connections": args.connections, "cache_mb": args.cache_mb, **result,
            "memory_mb": {"start": round(mem[0], 1), "peak": round(max(mem), 1),
                          "end": round(mem[-1], 1),
                          "slope_mb_per_min": round(slope(samples[len(samples) // 4:]), 2),
                          "samples": len(samples)}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=1000)
    ap.add_argument("--variables", type=int, default=100)
    ap.add_argument("--connections", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--max-requests", type=int, default=500_000)
    ap.add_argument("--cache-mb", type=float, default=64)
    ap.add_argument("--work", default=str(OUT), help="where the catalogue, store and report go")
    args = ap.parse_args()
    Path(args.work).mkdir(parents=True, exist_ok=True)
    report = run(args)
    m = report["memory_mb"]
    print(f"{report['requests']} requests in {report['seconds']} s over {args.connections} "
          f"connections: {report['rps']} req/s, p50 {report['p50_ms']} ms, p99 "
          f"{report['p99_ms']} ms, {report['errors']} errors {report['error_kinds'] or ''}")
    print(f"server memory: start {m['start']} MB, peak {m['peak']} MB, end {m['end']} MB, "
          f"slope {m['slope_mb_per_min']} MB/min (after the first quarter)")
    path = Path(args.work) / "bench_load.json"
    path.write_text(json.dumps(report, indent=2))
    print(f"wrote {path}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--load":
        load_main(sys.argv[2:])
    else:
        main()
