"""Benchmark: a large catalogue's full build, and an incremental build after one changed entry.

    python bench/bench_scale.py [--entries 10000] [--variables 100] [--no-browser] [--full-only]

1. Writes a synthetic catalogue (`catalogue synth`) of ENTRIES x VARIABLES (kept in bench/out/);
   past 20,000 entries, with the rules' entry and file limits raised beside it (`raise_limits`).
2. A full build (`catalogue build --full`, a new store, no validation cache), the command as a
   user runs it: its time to the end of the process, each step's time (from the lines it
   prints), and the peak memory of the whole process tree (PSS, which counts a page shared by
   forked workers once; the plain sum of RSS beside it), overall and in each step. Every build
   starts with the page cache dropped when the benchmark runs as root (`drop_page_cache`).
3. Changes one entry's description and builds again into the same output: the first
   incremental build, measured the same way, and how many pages it reused. It copies what it
   reuses from the published site: no pool is set aside yet.
4. Changes the entry again and builds again: the incremental build as every later one runs,
   moving what it reuses from the pool (the site before the last one). Then once more without
   measuring its memory, which slows a build (`bench_site.run`): its time alone.
5. In Chromium, one search on the catalogue page of the built site: the bytes it fetched.
Goals (issue 16) on the 2-core, 24 GB machine: 10,000 x 100 full <= 4 min within 3 GB;
100,000 x 20 full <= 30 min within 4 GB; one changed entry of 10,000 published in <= 30 s; one
search <= 300 KB.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_site import one_search, run  # noqa: E402

from catalogue.devtools.synth import synth  # noqa: E402
from catalogue.settings import validators_dir  # noqa: E402

OUT = ROOT / "bench" / "out"
STEP = re.compile(r"^\[\d+/\d+\] (.+)$")  # how `catalogue build` says a step begins, in a log
REUSED = re.compile(r"^reused (\d+) ")


def one_build(work: Path, metadata: Path, how: str, sample: bool = True) -> dict[str, object]:
    """One `catalogue build`, the command a user runs, in a fresh process: its time (to the
    end of the process), each step's time (from the lines it prints as a step begins), and
    (with `sample`) its memory."""
    lines: list[tuple[float, str, str]] = []
    by_step: dict[str, int] = {}

    def step() -> str:
        began = [m.group(1) for _, name, text in list(lines) if name == "err" and (m := STEP.match(text))]
        return began[-1] if began else "starting, validating and loading"

    cold = drop_page_cache()
    args = [sys.executable, "-m", "catalogue", "build", "--metadata", str(metadata), "--out",
            str(work / "site"), "--db", f"sqlite:///{work / 'store.sqlite'}",
            "--base-url", "https://katalog.example.no/", *(["--full"] if how == "full" else [])]
    seconds, pss, out, cpu, rss = run(args, work, step, by_step, sample, lines, check=False)
    marks = [(t, m.group(1)) for t, name, text in lines if name == "err" and (m := STEP.match(text))]
    built = next((t for t, name, text in lines if name == "out" and text.startswith("built ")), None)
    failed = None
    if built is None:  # the build failed: how far it got, in what time and memory, and why
        built, failed = seconds, "\n".join(text for _, _, text in lines[-12:])
    steps = {"starting, validating and loading": round(marks[0][0] if marks else built, 2)}
    for (t, label), (after, _) in zip(marks, [*marks[1:], (built, "")], strict=True):
        steps[label] = round(after - t, 2)
    steps["exiting"] = round(seconds - built, 2)
    reused = next((int(m.group(1)) for _, name, text in lines
                   if name == "out" and (m := REUSED.match(text))), 0)
    memory = {"peak_pss_gb": round(pss / 2**30, 2), "peak_rss_sum_gb": round(rss / 2**30, 2),
              "peak_pss_gb_by_step": {k: round(v / 2**30, 2) for k, v in by_step.items()}} if sample else {}
    return {"seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "steps": steps, "reused": reused,
            "page_cache_dropped": cold, **memory, **({"failed": failed} if failed else {})}


def drop_page_cache() -> bool:
    """Start a build from an empty page cache, when allowed (root): on the 2-core, 24 GB machine,
    a page cache filled by earlier builds (tens of GB written and removed) made the kernel
    reclaim memory as the build allocated it: the FAIR Data Point step of 10,000 x 100, run by
    itself, took 58 s (its workers 46 s in the kernel) against 37 s with the cache dropped
    (8 s). Says whether it was dropped."""
    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def raise_limits(metadata: Path, entries: int) -> None:
    """A catalogue past the validator's default limits (`validators/limits.yaml`: 20,000
    entries, 200,000 files) gets the rules with those two limits raised in a `validators/`
    folder beside its metadata, which `catalogue` then applies: what the operator of a catalogue
    that big does, deliberately, in a pull request of its own (docs/entry-format.md)."""
    rules = metadata.parent / "validators"
    limits = yaml.safe_load((validators_dir() / "limits.yaml").read_text(encoding="utf-8"))
    needed = {"max_entries": entries, "max_files": 3 * entries + 1000}  # a folder, a file, a schema
    shutil.rmtree(rules, ignore_errors=True)  # an earlier run's
    if all(limits[k] >= v for k, v in needed.items()):
        return
    shutil.copytree(validators_dir(), rules)
    limits.update({k: max(limits[k], v) for k, v in needed.items()})
    (rules / "limits.yaml").write_text(yaml.safe_dump(limits, sort_keys=False), encoding="utf-8")
    print(f"rules with max_entries {limits['max_entries']:,} and max_files {limits['max_files']:,} "
          f"in {rules}", flush=True)


def change_one_entry(metadata: Path) -> Path:
    """Append a sentence to the first entry's description (a corrected text, as in a PR), or
    count up the one an earlier change appended: every call changes the entry."""
    path = sorted(metadata.glob("registries/*/datapackage.yaml"))[0]
    text = path.read_text(encoding="utf-8")

    def count_up(m: re.Match[str]) -> str:
        return f"{m.group(1)} Endret {int(m.group(3) or 0) + 1}."

    changed = re.sub(r"^(description: .*?)( Endret (\d+)\.)?$", count_up, text, count=1, flags=re.M)
    assert changed != text, f"no description to change in {path}"
    path.write_text(changed, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--variables", type=int, default=100)
    parser.add_argument("--no-browser", action="store_true", help="skip the search in Chromium")
    parser.add_argument("--full-only", action="store_true",
                        help="only the full build (steps 1 and 2, and 5 unless --no-browser)")
    args = parser.parse_args()
    n, m = args.entries, args.variables
    metadata = OUT / f"scale-{n}x{m}" / "metadata"
    if not (metadata / "organizations").is_dir():
        print(f"writing {n} x {m} synthetic entries to {metadata}", flush=True)
        synth(metadata, n, m, seed=1)
    raise_limits(metadata, n)
    work = OUT / f"scale-{n}x{m}-build"
    shutil.rmtree(work, ignore_errors=True)  # a new store, no validation cache, no last build
    work.mkdir(parents=True)
    print(f"full build of {n} x {m} ...", flush=True)
    full = one_build(work, metadata, "full")
    print(json.dumps(full, indent=1), flush=True)
    if "failed" in full:
        report = {"entries": n, "variables": m, "full": full}
        (OUT / f"scale-{n}x{m}.json").write_text(json.dumps(report, indent=1))
        raise SystemExit(f"the full build of {n} x {m} failed after {full['seconds']} s")
    report = {"entries": n, "variables": m, "full": full}
    summary = f"\n{n} x {m}: full {full['seconds']} s, peak {full['peak_pss_gb']} GB PSS"
    if not args.full_only:
        report.update(incremental_builds(work, metadata))
        first, incremental, unmeasured = (report[k] for k in ("first_incremental", "incremental",
                                                             "incremental_unmeasured"))
        summary += (f"; one changed entry {incremental['seconds']} s ({unmeasured['seconds']} s with "
                    f"its memory not measured; the first after a full build {first['seconds']} s), "
                    f"peak {incremental['peak_pss_gb']} GB PSS, {incremental['reused']} pages reused")
    if not args.no_browser:
        search = report["search"] = one_search(work / "site", "hjerte", f"sqlite:///{work / 'store.sqlite'}")
        summary += (f"; one search {search['search_bytes'] / 1000:.0f} KB as files, "
                    f"{search.get('search_transferred', 0) / 1000:.0f} KB sent compressed")
    (OUT / f"scale-{n}x{m}.json").write_text(json.dumps(report, indent=1))
    print(summary)


def incremental_builds(work: Path, metadata: Path) -> dict[str, dict[str, object]]:
    """Steps 3 and 4: the first incremental build after one changed entry, the next one (as
    every later one runs) and the same again with its memory not measured."""
    builds = {}
    changed = change_one_entry(metadata)
    for name, what, sample in [
            ("first_incremental", f"first incremental build after changing {changed.parent.name}", True),
            ("incremental", f"incremental build after changing {changed.parent.name} again", True),
            ("incremental_unmeasured", "the same again, its memory not measured, for its time alone",
             False)]:
        if builds:
            change_one_entry(metadata)
        print(f"{what} ...", flush=True)
        builds[name] = one_build(work, metadata, "incremental", sample=sample)
        print(json.dumps(builds[name], indent=1), flush=True)
    return builds


if __name__ == "__main__":
    main()
