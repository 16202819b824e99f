"""Benchmark: validation time against plain YAML parsing, and re-validation after one change.

    python bench/bench_validate.py [--entries 1000] [--variables 100] [--big 10000]

1. Writes a synthetic catalogue (`catalogue synth`) of ENTRIES x VARIABLES.
2. Times parsing every file with PyYAML's C loader (the floor: reading is unavoidable).
3. Times `catalogue validate` on it cold (no cache), on all cores, in a fresh process.
4. Writes a BIG-entry catalogue, validates it once to fill the cache, changes one entry and
   times the re-validation (a fresh process, as a registry owner would run it).
Goals (issue 2): cold validation <= 2x the parse time; one changed entry of 10,000 <= 2 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import yaml

from catalogue.devtools.synth import synth

OUT = Path(__file__).parent / "out"
CLI = [sys.executable, "-m", "catalogue", "validate"]


def parse_all(root: Path) -> tuple[float, int]:
    files = sorted(root.rglob("*.yaml"))
    started = time.perf_counter()
    for f in files:
        yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return time.perf_counter() - started, len(files)


def timed(args: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"validation failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return elapsed


def catalogue(name: str, entries: int, variables: int) -> Path:
    root = OUT / name
    if not (root / "organizations").is_dir():
        print(f"writing {entries} x {variables} synthetic entries to {root}", flush=True)
        synth(root, entries, variables, seed=1)
    return root


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=1000)
    ap.add_argument("--variables", type=int, default=100)
    ap.add_argument("--big", type=int, default=10000)
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")

    root = catalogue(f"validate-{args.entries}x{args.variables}", args.entries, args.variables)
    timed(CLI + [str(root), "--no-cache"], OUT)  # warm the page cache and imports
    parse, nfiles = min(parse_all(root) for _ in range(3))
    cold = min(timed(CLI + [str(root), "--no-cache"], OUT) for _ in range(3))
    print(f"{nfiles} files: parse with C loader {parse:.2f} s; validate cold {cold:.2f} s "
          f"(incl. ~0.3 s process start) = {cold / parse:.2f}x parse (goal <= 2x)")

    big = catalogue(f"validate-{args.big}x{args.variables}", args.big, args.variables)
    first = timed(CLI + [str(big)], OUT)
    changed = next((big / "registries").iterdir()) / "datapackage.yaml"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("Use only for", "Use only, and only, for", 1), encoding="utf-8")
    try:
        again = timed(CLI + [str(big)], OUT)
    finally:
        changed.write_text(text, encoding="utf-8")
    print(f"{args.big} entries: first validation {first:.1f} s; after changing one entry "
          f"{again:.2f} s (goal <= 2 s); cache in {OUT / 'build/cache'}")


if __name__ == "__main__":
    main()
