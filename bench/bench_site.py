"""Benchmark: our full site build against a bare mkdocs-material build of the same pages.

    python bench/bench_site.py [--entries 1000] [--variables 100] [--no-browser]

1. Writes a synthetic catalogue (`catalogue synth`) of ENTRIES x VARIABLES.
2. Runs our whole build (`catalogue.build.build`: validate, store, CKAN dump, DCAT, pages in two
   languages, mkdocs-material, the search index) in a fresh process, twice: cold (no validation cache)
   and warm, and notes each step's time.
3. Builds a bare mkdocs-material site of the same pages (one Markdown page per entry: summary,
   description, data dictionary as a table, access steps; default lunr search; entries out of
   the navigation with navigation.prune, as the pitfalls advise) in a fresh process.
4. Serves our site on 127.0.0.1 and, in Chromium, searches for one variable name; counts the
   bytes the browser fetched for it (the search index's word shard, facet columns and cards).
Reports times, peak memory (of the build's whole process tree, sampled: PSS, in which a page that
forked workers share with the build is counted once; the plain sum of RSS, which counts it in
every process, is shown beside it for the big build), site sizes and bytes.
Goals (issue 4): our build <= 1.5x the bare build; one search <= 500 KB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue.devtools.synth import synth  # noqa: E402
from catalogue.load import load_catalogue  # noqa: E402

OUT = ROOT / "bench" / "out"
OUR_BUILD = """
import json, sys, time
from pathlib import Path
from catalogue.build.pipeline import build
times = {}
last = [time.perf_counter(), None]
def progress(label, n, total):
    now = time.perf_counter()
    if last[1]:
        times[last[1]] = round(now - last[0], 2)
    last[:] = [now, label]
started = time.perf_counter()
build(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], "https://katalog.example.no/", progress)
end = time.perf_counter()
times[last[1]] = round(end - last[0], 2)
times["validate and load"] = round(end - started - sum(times.values()), 2)
print(json.dumps(times))
"""


def tree_memory(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of a process and all its descendants, in bytes (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    pss = rss = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        try:
            status = Path(f"/proc/{p}/status").read_text()
            one_rss = next(int(ln.split()[1]) * 1024 for ln in status.splitlines() if ln.startswith("VmRSS:"))
        except (OSError, StopIteration):
            continue
        rss += one_rss
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
            pss += next(int(ln.split()[1]) * 1024 for ln in rollup.splitlines() if ln.startswith("Pss:"))
        except (OSError, StopIteration):
            pss += one_rss
    return pss, rss


def cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args: list[str], cwd: Path, step: Callable[[], str] | None = None,
        by_step: dict[str, int] | None = None, sample: bool = True,
        lines: list[tuple[float, str, str]] | None = None, check: bool = True,
        ) -> tuple[float, int, str, float, int]:
    """Run a command; returns (seconds, peak PSS of its process tree, stdout, CPU seconds, peak RSS sum).
    With `check`, a command that fails ends the benchmark with its output; without, the caller
    finds its error in `lines`.
    With `step`, which says what the command is doing now, `by_step` gets each step's peak PSS.
    Without `sample`, memory is not measured (both peaks are 0). With `lines`, each line the
    command prints is added to it as it comes: (seconds since the start, "out" or "err", line).

    Measuring PSS slows what it measures: the kernel walks every page of the process to sum
    it, holding the process's memory map meanwhile (0.05-0.08 s for a process of 2.5 GB).
    Sampled every 0.2 s, an incremental build of 10,000 entries took 97 s instead of 80 s. So a
    sample waits nine times as long as the last one took: a tenth of the time at most."""
    cpu_before = cpu_children()
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    peak = [0, 0]

    def measure() -> None:
        while proc.poll() is None:
            began = time.perf_counter()
            pss, rss = tree_memory(proc.pid)
            took = time.perf_counter() - began
            peak[:] = [max(peak[0], pss), max(peak[1], rss)]
            if step is not None and by_step is not None:
                now = step() or "starting"
                by_step[now] = max(by_step.get(now, 0), pss)
            time.sleep(max(0.2, 9 * took))

    texts: dict[str, list[str]] = {"out": [], "err": []}

    def follow(stream: Any, name: str) -> None:
        for line in stream:
            texts[name].append(line)
            if lines is not None:
                lines.append((time.perf_counter() - started, name, line.rstrip("\n")))

    readers = [threading.Thread(target=follow, args=(proc.stdout, "out"), daemon=True),
               threading.Thread(target=follow, args=(proc.stderr, "err"), daemon=True)]
    sampler = threading.Thread(target=measure, daemon=True)
    for thread in [*readers, *([sampler] if sample else [])]:
        thread.start()
    proc.wait()
    elapsed = time.perf_counter() - started
    for thread in [*readers, *([sampler] if sample else [])]:
        thread.join()
    out, err = "".join(texts["out"]), "".join(texts["err"])
    if proc.returncode != 0 and check:
        raise SystemExit(f"{args[:3]} failed:\n{out[-2000:]}\n{err[-3000:]}")
    return elapsed, peak[0], out, cpu_children() - cpu_before, peak[1]


def size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def bare_pages(metadata: Path, docs: Path) -> None:
    """The same entries as plain Markdown pages, the way one would write them by hand."""
    cat = load_catalogue(metadata, check=False)
    (docs / "entries").mkdir(parents=True)
    (docs / "index.md").write_text("# Catalogue\n\n" + "\n".join(
        f"- [{e.model.title}](entries/{e.name}.md)" for e in cat.entries) + "\n")
    for e in cat.entries:
        m = e.model
        a = m.access
        lines = [f"# {m.title}", "", m.description, "", "## Summary", "",
                 f"- Data controller: {m.data_controller}",
                 f"- Years: {m.coverage.start_year}–{m.coverage.end_year or ''}",
                 f"- Population: {m.coverage.population}", "", "## Data dictionary", "",
                 "| Variable | Title | Description | Type | Unit | Code list |", "|---|---|---|---|---|---|"]
        for _, f in e.variables():
            codes = "; ".join(f"{c.value}={c.label}" for c in f.categories or [] if hasattr(c, "value"))
            lines.append(f"| `{f.name}` | {f.title or ''} | {f.description or ''} | {f.type} | "
                         f"{f.unit or ''} | {codes} |")
        lines += ["", "## How to get access", "", f"1. Approvals: {', '.join(a.approvals)}",
                  f"2. Documents: {', '.join(a.documents)}", f"3. Apply: {a.application_route} "
                  f"<{a.application_url}>", f"4. Lead time {a.lead_time.min_weeks}–{a.lead_time.max_weeks} "
                  f"weeks; fees NOK {a.fees.min_nok}–{a.fees.max_nok}", f"5. {a.conditions}", ""]
        (docs / "entries" / f"{e.name}.md").write_text("\n".join(lines), encoding="utf-8")


def bare_build(metadata: Path, work: Path) -> tuple[float, int, Path, float]:
    shutil.rmtree(work, ignore_errors=True)
    bare_pages(metadata, work / "docs")
    config = {"site_name": "Bare", "docs_dir": "docs", "site_dir": "site",
              "theme": {"name": "material", "features": ["navigation.prune"]},
              "nav": [{"Home": "index.md"}], "not_in_nav": "/entries/\n",
              "plugins": ["search"]}
    (work / "mkdocs.yml").write_text(yaml.safe_dump(config))
    seconds, peak, _, cpu, _ = run([sys.executable, "-m", "mkdocs", "build", "-q"], work)
    return seconds, peak, work / "site", cpu


@dataclass
class Fetched:
    """What Chromium fetched for the catalogue page, then for one search on it: bytes as files
    (the bodies) and on the wire (as the server sent them)."""

    page_files: int
    page_wire: int
    search_files: int
    search_wire: int
    requests: int
    cards: int


def one_search(site: Path, query: str, db_url: str | None = None) -> dict[str, int] | None:
    """Bytes Chromium fetched for one search on the catalogue page (None without Chromium): as
    files (`search_bytes`, what a host without compression sends) and, with a store, as sent
    compressed by `catalogue serve` (`search_transferred`, as any web server sends)."""
    chromium = os.environ.get("CATALOGUE_CHROMIUM") or "/usr/bin/chromium"
    if not Path(chromium).is_file():
        return None
    from tests.feed_fixtures import Server
    from tests.site_support import static_server

    with static_server(site) as url:
        plain = _search_in_chromium(chromium, url, query)
    found = {"search_bytes": plain.search_files, "search_requests": plain.requests,
             "page_bytes": plain.page_files, "cards_shown": plain.cards}
    if db_url:
        server = Server(site.parent, "--db", db_url, "--out", str(site), "--cache-mb", "0")
        try:
            served = _search_in_chromium(chromium, server.url + "/", query)
        finally:
            server.stop()
        found.update(search_transferred=served.search_wire, page_transferred=served.page_wire)
    return found


def _search_in_chromium(chromium: str, url: str, query: str) -> Fetched:
    from playwright.sync_api import sync_playwright

    from tests.site_browser import CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page()
        fetched: list[tuple[int, int]] = []  # (body, on the wire)

        def finished(request: Any) -> None:
            size = len(request.response().body())
            fetched.append((size, request.sizes()["responseBodySize"] or size))
        page.on("requestfinished", finished)
        page.goto(f"{url}catalogue/")
        page.wait_for_load_state("networkidle")
        before = len(fetched)
        page.fill("#catalogue-q", query)
        page.keyboard.press("Enter")
        page.locator("#catalogue-app[data-state=ready]").wait_for(state="attached", timeout=60_000)
        page.wait_for_load_state("networkidle")
        hits = page.locator("#catalogue-list > li").count()
        browser.close()
    shown, search = fetched[:before], fetched[before:]
    return Fetched(sum(f for f, _ in shown), sum(w for _, w in shown),
                   sum(f for f, _ in search), sum(w for _, w in search), len(search), hits)


def big(entries: int, variables: int) -> None:
    """Our whole build of a large catalogue (reusing bench_validate's if it is there)."""
    metadata = OUT / f"validate-{entries}x{variables}"
    if not (metadata / "organizations").is_dir():
        metadata = OUT / f"site-{entries}x{variables}" / "metadata"
        if not (metadata / "organizations").is_dir():
            print(f"writing {entries} x {variables} synthetic entries to {metadata}", flush=True)
            synth(metadata, entries, variables, seed=1)
    work = OUT / f"site-big-{entries}x{variables}"
    work.mkdir(parents=True, exist_ok=True)
    db = work / "store.sqlite"
    db.unlink(missing_ok=True)
    seconds, peak, out, cpu, rss = run([sys.executable, "-c", OUR_BUILD, str(metadata), str(work / "site"),
                                   f"sqlite:///{db}"], work)
    steps = json.loads(out.strip().splitlines()[-1])
    print(f"our build of {entries} x {variables}: {seconds / 60:.1f} min ({cpu / 60:.1f} min CPU), peak "
          f"{peak / 2**30:.1f} GB PSS, {rss / 2**30:.1f} GB as a sum of RSS (goal: < 10 min, < 8 GB); "
          f"steps: {steps}")
    pf_bytes, pf_files = size(work / "site" / "search-index")
    print(f"search index {pf_bytes / 2**20:.0f} MB in {pf_files} files")
    summary = {"entries": entries, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
               "peak_gb": round(peak / 2**30, 2), "peak_rss_sum_gb": round(rss / 2**30, 2),
               "steps": steps, "search_index_bytes": pf_bytes}
    (work / "results.json").write_text(json.dumps(summary, indent=2))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=1000)
    ap.add_argument("--variables", type=int, default=100)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--big", type=int, default=0,
                    help="Only time our build of a BIG-entry catalogue (goal: 10,000 in < 10 min, < 8 GB).")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    if args.big:
        big(args.big, args.variables)
        return
    name = f"site-{args.entries}x{args.variables}"
    work = OUT / name
    metadata = work / "metadata"
    if not (metadata / "organizations").is_dir():
        print(f"writing {args.entries} x {args.variables} synthetic entries to {metadata}", flush=True)
        synth(metadata, args.entries, args.variables, seed=1)
    results: dict[str, object] = {"entries": args.entries, "variables": args.variables}

    # Bare builds before and after ours, and two warm builds of ours: the machine may be shared,
    # so each figure is the best of its runs (the usual way to time under noise).
    bare_runs = [bare_build(metadata, work / "bare")]
    print(f"bare mkdocs-material: {bare_runs[0][0]:.1f} s ({bare_runs[0][3]:.1f} s CPU)", flush=True)
    ours = work / "ours"
    for label in ("cold", "warm", "warm again"):
        if label == "cold":
            shutil.rmtree(work / "build", ignore_errors=True)  # no validation cache
            shutil.rmtree(metadata.parent / "build", ignore_errors=True)
        db = work / "store.sqlite"
        db.unlink(missing_ok=True)
        seconds, peak, out, cpu, _ = run([sys.executable, "-c", OUR_BUILD, str(metadata), str(ours / "site"),
                                       f"sqlite:///{db}"], work)
        steps = json.loads(out.strip().splitlines()[-1])
        if label == "warm again":
            if seconds < results["ours_warm"]["seconds"]:  # type: ignore[index]
                label = "warm"
            else:
                print(f"our build ({label}): {seconds:.1f} s ({cpu:.1f} s CPU)", flush=True)
                continue
        results[f"ours_{label}"] = {"seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
                                    "peak_mb": round(peak / 2**20), "steps": steps}
        print(f"our build ({label}): {seconds:.1f} s ({cpu:.1f} s CPU), peak {peak / 2**20:.0f} MB; "
              f"steps: {steps}", flush=True)
    bare_runs.append(bare_build(metadata, work / "bare"))
    print(f"bare mkdocs-material again: {bare_runs[1][0]:.1f} s ({bare_runs[1][3]:.1f} s CPU)", flush=True)
    bare_seconds = min(r[0] for r in bare_runs)
    bare_cpu = min(r[3] for r in bare_runs)
    bare_peak, bare_site = max(r[1] for r in bare_runs), bare_runs[1][2]

    site_bytes, site_files = size(ours / "site")
    pf_bytes, pf_files = size(ours / "site" / "search-index")
    print(f"our output: {site_bytes / 2**20:.0f} MB in {site_files} files (both languages, downloads, "
          f"CKAN dump, DCAT); search index {pf_bytes / 2**20:.1f} MB in {pf_files} files")
    bare_bytes, bare_files = size(bare_site)
    lunr = (bare_site / "search" / "search_index.json").stat().st_size
    print(f"bare mkdocs-material: best {bare_seconds:.1f} s ({bare_cpu:.1f} s CPU), peak "
          f"{bare_peak / 2**20:.0f} MB; site {bare_bytes / 2**20:.0f} MB in {bare_files} files; lunr index "
          f"{lunr / 2**20:.1f} MB (what every visitor downloads to search)")
    results["bare"] = {"seconds": round(bare_seconds, 1), "cpu_seconds": round(bare_cpu, 1),
                       "peak_mb": round(bare_peak / 2**20), "site_mb": round(bare_bytes / 2**20),
                       "lunr_index_bytes": lunr}
    results["site"] = {"bytes": site_bytes, "files": site_files, "search_index_bytes": pf_bytes}
    for label in ("cold", "warm"):
        ours_run = results[f"ours_{label}"]
        ratio = ours_run["seconds"] / bare_seconds  # type: ignore[index]
        print(f"ratio ({label}, best run): {ratio:.2f}x the bare build's time (goal <= 1.5x), "
              f"{ours_run['cpu_seconds'] / bare_cpu:.2f}x its CPU")  # type: ignore[index]
        results[f"ratio_{label}"] = round(ratio, 2)
    site_steps = sum(v for k, v in results["ours_warm"]["steps"].items()  # type: ignore[index]
                     if k.startswith(("Building the site", "Indexing")))
    print(f"the site's own steps (pages, mkdocs, downloads, search index), warm: {site_steps:.1f} s = "
          f"{site_steps / bare_seconds:.2f}x the bare build")
    results["site_steps_seconds"] = round(site_steps, 1)

    if not args.no_browser:
        theme_var = "hjerte_var_0042"  # recorded by every tenth-ish entry
        found = one_search(ours / "site", theme_var)
        if found is None:
            print("no Chromium: search bytes not measured")
        else:
            print(f"one search for {theme_var!r}: {found['search_bytes'] / 1024:.0f} KB in "
                  f"{found['search_requests']} requests (goal <= 500 KB; uncompressed HTTP), "
                  f"{found['cards_shown']} cards shown; the catalogue page itself "
                  f"{found['page_bytes'] / 1024:.0f} KB")
            results["search"] = found
    (work / "results.json").write_text(json.dumps(results, indent=2))
    print(f"results in {work / 'results.json'}")


if __name__ == "__main__":
    main()
