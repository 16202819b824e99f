"""Benchmark: the DCAT export of a big synthetic catalogue (issue 5: 10,000 entries x 100 variables).

    python bench/bench_dcat.py [--entries 10000] [--variables 100] [--workers N] [--page-size 100]

1. Writes a synthetic catalogue (`catalogue synth`) once and keeps it in bench/out/.
2. Loads it without validation (that is `catalogue validate`'s benchmark, bench_validate.py).
3. Times `export` into bench/out/dcat-site: every format, every page and dataset file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from catalogue.dcat import DcatConfig, export
from catalogue.devtools.synth import synth
from catalogue.load import load_catalogue

OUT = Path(__file__).parent / "out"


def size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=10000)
    ap.add_argument("--variables", type=int, default=100)
    ap.add_argument("--workers", type=int, default=None, help="default: one per core")
    ap.add_argument("--page-size", type=int, default=100)
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")

    root = OUT / f"dcat-{args.entries}x{args.variables}"
    if not (root / "organizations").is_dir():
        print(f"writing {args.entries} x {args.variables} synthetic entries to {root}", flush=True)
        synth(root, args.entries, args.variables, seed=5)
    started = time.perf_counter()
    catalogue = load_catalogue(root, check=False)
    print(f"loaded {len(catalogue.entries)} entries in {time.perf_counter() - started:.1f} s", flush=True)

    site = OUT / "dcat-site"
    shutil.rmtree(site, ignore_errors=True)
    config = DcatConfig(base_url="https://katalog.example.no/", page_size=args.page_size)
    result = export(catalogue, site, config, workers=args.workers)
    print(f"export: {result.datasets} datasets x {args.variables} variables, {result.pages} pages, "
          f"{result.files} files ({', '.join(config.formats)}), {size(site) / 1e9:.2f} GB, "
          f"in {result.seconds:.1f} s ({result.seconds / result.datasets * 1000:.2f} ms per entry)")


if __name__ == "__main__":
    main()
