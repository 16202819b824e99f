"""Benchmark: the variables search, compare view and concept pages on a synthetic catalogue.

    python bench/bench_variables.py [--entries 1000] [--variables 100] [--no-browser] [--no-baseline]

1. Writes a synthetic catalogue (`catalogue synth`, every tenth variable with a concept) of
   ENTRIES x VARIABLES.
2. Runs the whole build (`catalogue.build.build`) in a fresh process, and again with the
   variables pages and index switched off (the baseline), and reports what they add.
3. Serves the site on 127.0.0.1 and, in Chromium, types queries on /variables/ and counts the
   bytes fetched for the search and the time until the first hit is shown; opens a comparison of
   10 variables of 10 entries and counts its bytes.
Goals (issue 14, at 10,000 x 100): one search <= 300 KB; a comparison <= 100 KB; first results
<= 1 s after the query is typed; <= 15 % added to the full build's time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalogue.devtools.synth import synth  # noqa: E402

OUT = ROOT / "bench" / "out" / "variables"
BUILD = """
import json, sys, time
from pathlib import Path
from catalogue.build.pipeline import build
if sys.argv[4] == "off":  # the baseline: the same build without this feature's pages and index
    from catalogue.site import variables, variables_index
    variables.write_language = lambda *a, **k: None
    variables_index.write = lambda *a, **k: {}
started = time.perf_counter()
build(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], "https://katalog.example.no/")
print(json.dumps({"seconds": round(time.perf_counter() - started, 2)}))
"""
QUERIES = ["4548-4", "hemoglobin", "hjerte_var_0042", "kategori"]


def build(metadata: Path, work: Path, mode: str) -> float:
    site = work / f"site-{mode}"
    db = f"sqlite:///{work / f'store-{mode}.sqlite'}"
    for p in (site, work / f"store-{mode}.sqlite"):
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
    proc = subprocess.run([sys.executable, "-c", BUILD, str(metadata), str(site), db, mode],
                          cwd=work, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])["seconds"]


def own_work(metadata: Path, work: Path) -> dict[str, float]:
    """Seconds of this feature's own steps, in this process: the index, and the pages of both
    languages as written for MkDocs (MkDocs' time for these few pages is not included)."""
    from functools import partial

    from catalogue.load import load_catalogue
    from catalogue.site import pages, variables, variables_index
    from catalogue.site.i18n import LANGS

    cat = load_catalogue(metadata)
    started = time.perf_counter()
    variables_index.write(work / "own", cat)
    index_s = time.perf_counter() - started
    env = pages.environment()
    started = time.perf_counter()
    for lang in LANGS:
        env.globals.update(lang=lang)
        variables.write_language(cat, lang, work / "own" / lang, partial(pages._render, env), pages._write)
    return {"index_s": round(index_s, 2), "pages_s": round(time.perf_counter() - started, 2)}


def index_stats(site: Path) -> dict[str, int]:
    folder = site / "variable-index"
    files = [p for p in folder.rglob("*.json")]
    shards = [p.stat().st_size for p in (folder / "t").glob("*.json")]
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files),
            "largest_shard": max(shards, default=0), "largest_chunk":
            max((p.stat().st_size for p in (folder / "r").glob("*.json")), default=0)}


def some_variables(metadata: Path, n: int) -> list[str]:
    """`entry/resource/field` of one variable in each of `n` entries, spread over the catalogue."""
    paths = sorted(metadata.glob("*/*/datapackage.yaml"))
    refs = []
    for k, path in enumerate(paths[:: max(1, len(paths) // n)][:n]):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        res = data["resources"][0]
        fields = res["schema"]["fields"]
        refs.append(f"{data['name']}/{res['name']}/{fields[(k * 7) % len(fields)]['name']}")
    return refs


def browse(site: Path, entries: list[str]) -> dict[str, object]:
    """Bytes and time to first hit for each query; bytes for a comparison of 10 variables."""
    from playwright.sync_api import sync_playwright

    from tests.site_browser import CHROMIUM_ARGS
    from tests.site_support import static_server

    chromium = os.environ.get("CATALOGUE_CHROMIUM") or "/usr/bin/chromium"
    out: dict[str, object] = {}
    with static_server(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for q in QUERIES:
            page = browser.new_page()
            fetched: list[tuple[str, int]] = []
            page.on("requestfinished", lambda r, f=fetched: f.append((r.url, len(r.response().body()))))
            page.goto(f"{url}variables/")
            page.wait_for_load_state("networkidle")
            before = len(fetched)
            started = time.perf_counter()
            page.fill("#variables-q", q)  # typed: the page searches as the query changes
            shown = "#variables-list > li, #variables-status:text-matches('Ingen')"
            page.locator(shown).first.wait_for(timeout=60_000)
            first = time.perf_counter() - started
            page.locator("#variables-app[data-state=ready]").wait_for(state="attached", timeout=60_000)
            page.wait_for_load_state("networkidle")
            got = fetched[before:]
            out[q] = {"bytes": sum(n for u, n in got if "variable-index" in u), "requests": len(got),
                      "first_results_s": round(first, 3),
                      "status": page.locator("#variables-status").inner_text(),
                      "page_bytes": sum(n for _, n in fetched[:before])}
            page.close()
        refs = entries  # ten variables of ten entries
        page = browser.new_page()
        fetched = []
        page.on("requestfinished", lambda r: fetched.append((r.url, len(r.response().body()))))
        page.goto(f"{url}variables/compare/?v=" + ",".join(refs))
        page.locator("#compare-app[data-state=ready]").wait_for(state="attached", timeout=60_000)
        page.wait_for_load_state("networkidle")
        out["compare_10"] = {"bytes": sum(n for u, n in fetched if "variable-index" in u),
                             "page_and_assets_bytes": sum(n for u, n in fetched if "variable-index" not in u),
                             "columns": page.locator("#compare-table thead th.compare-col").count(),
                             "missing": page.locator("#compare-table th:has-text('Finnes ikke')").count()}
        browser.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=1000)
    ap.add_argument("--variables", type=int, default=100)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--no-baseline", action="store_true", help="skip the build without the feature "
                    "(on a shared machine the difference of two builds is mostly noise)")
    args = ap.parse_args()
    work = OUT / f"{args.entries}x{args.variables}"
    metadata = work / "metadata"
    if not metadata.is_dir():
        synth(metadata, args.entries, args.variables)
    report: dict[str, object] = {"entries": args.entries, "variables": args.variables}
    report["build_s"] = build(metadata, work, "on")
    report["own"] = own_work(metadata, work)
    report["own_percent_of_build"] = round(100 * sum(report["own"].values()) / report["build_s"], 1)
    if not args.no_baseline:
        report["baseline_build_s"] = build(metadata, work, "off")
        report["added_percent"] = round(100 * (report["build_s"] / report["baseline_build_s"] - 1), 1)
    site = work / "site-on"
    report["index"] = index_stats(site)
    if not args.no_browser:
        report["browser"] = browse(site, some_variables(metadata, 10))
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
