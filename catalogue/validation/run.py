"""`catalogue validate`: check every file under a metadata root and report findings.

Per-file work (parse, profile, Frictionless, model, safety, format rules) runs in parallel and is
cached by content, so re-validating a 10,000-entry catalogue after one change re-checks one entry.
Cross-entry rules always run over every file; they are cheap.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from catalogue.format.kinds import FOLDERS, ORGANIZATIONS_FOLDER
from catalogue.settings import PROJECT_ROOT, validators_dir

# `checks` (frictionless, jsonschema, the pydantic models) and `profiles` are imported where a
# file is really checked: a re-validation served from the cache never needs them, and importing
# them is a third of its time on a 10,000-entry catalogue.
from catalogue.validation import crossref, review
from catalogue.validation import yaml_reader as yamlfile
from catalogue.validation.checks import raw_text as textscan
from catalogue.validation.discover import SCHEMA_SUFFIX, Job, discover, find_root
from catalogue.validation.findings import Finding, Issue, Parsed, Report
from catalogue.validation.rules import CATALOGUE, FILES, check
from catalogue.validation.workers import QuietProcessPool

PARALLEL_FROM = 200  # files; below this a process pool costs more than it saves


@dataclass
class FileResult:
    findings: list[Finding]
    summary: crossref.Summary
    extra_files: list[str] = field(default_factory=list)  # schema files it read
    # with `Job.keep_parsed`, an entry's data as read, Table Schemas inlined, pickled: what
    # `load_catalogue` would parse again
    parsed: bytes | None = None


# --- reading one file, with its Table Schema files inlined ----------------------------------


class Placer:
    """Turns issues into findings, finding line numbers only when there is something to place."""

    def __init__(self) -> None:
        self.sources: list[tuple[str, str, Path]] = []  # (pointer prefix, display, path)
        self._tables: dict[Path, yamlfile.PositionTable] = {}
        self.texts: list[str] = []  # every text read, for whole-text safety scans
        self.raw_pointers: set[str] = set()  # where raw-text scans found something already

    def add_source(self, prefix: str, display: str, path: Path) -> None:
        self.sources.append((prefix, display, path))
        self.sources.sort(key=lambda s: -len(s[0]))

    def table(self, path: Path) -> yamlfile.PositionTable:
        if path not in self._tables:
            try:
                text = yamlfile.decode(path.read_bytes())
            except (OSError, ValueError, yamlfile.YamlProblem):
                text = ""
            self._tables[path] = yamlfile.positions(text)
        return self._tables[path]

    def place(self, issue: Issue) -> Finding:
        for prefix, display, path in self.sources:
            if issue.path == prefix or issue.path.startswith(prefix + "/") or not prefix:
                inner = issue.path[len(prefix) :]
                line, col = yamlfile.locate(self.table(path), inner, issue.at_key)
                return issue.place(display, line, col)
        raise AssertionError("no source registered")  # pragma: no cover


def _read(path: Path, display: str, placer: Placer, out: list[Finding], prefix: str = "") -> Any:
    """Parse a file; problems become findings and None is returned when it cannot be read."""
    try:
        text = yamlfile.read_text(path)
    except yamlfile.YamlProblem as exc:
        out.append(exc.issue.place(display, exc.line, exc.column))
        return None
    except OSError as exc:
        out.append(Issue("file-encoding", "", f"Cannot read the file: {exc.strerror}.").place(
            display, 1, 1))
        return None
    placer.texts.append(text)
    for f in textscan.raw_findings(text, display, lambda: placer.table(path)):
        f = replace(f, path=prefix + f.path)
        placer.raw_pointers.add(f.path)
        out.append(f)
    try:
        data, dups = yamlfile.parse(yamlfile.clean(text))
    except yamlfile.YamlProblem as exc:
        out.append(exc.issue.place(display, exc.line, exc.column))
        return None
    for dup in dups:
        at = yamlfile.pointer_at(placer.table(path), dup.line, dup.column)
        msg = f"The key `{dup.key}` appears more than once; only the last would count."
        out.append(Issue("yaml-duplicate-key", prefix + at, msg).place(display, dup.line, dup.column))
    if not isinstance(data, dict):
        from catalogue.validation.checks import format_rules as checks

        msg = f"The file holds {checks._type(data)}, not a mapping of fields."
        out.append(Issue("not-a-mapping", prefix, msg).place(display, 1, 1))
        return None
    return data


def _inline_schemas(job: Job, data: dict[str, Any], placer: Placer, out: list[Finding]) -> list[str]:
    """Replace `schema: x.schema.yaml` by the file's content; returns the files read."""
    read: list[str] = []
    resources = data.get("resources")
    if not isinstance(resources, list):  # the profile reports it
        return read
    for i, res in enumerate(resources):
        ref = res.get("schema") if isinstance(res, dict) else None
        if not isinstance(ref, str):
            continue
        at = f"/resources/{i}/schema"
        target = job.path.parent / ref
        if ("/" in ref or "\\" in ref or not ref.endswith(SCHEMA_SUFFIX) or target.is_symlink()
                or not target.is_file()):
            msg = f"`schema: {ref}` is not a *{SCHEMA_SUFFIX} file beside the entry."
            out.append(placer.place(Issue("missing-schema-file", at, msg, False)))
            continue
        display = str(Path(job.display).parent / ref)
        placer.add_source(at, display, target)
        schema = _read(target, display, placer, out, at)
        read.append(ref)
        if schema is not None:
            res["schema"] = schema
    return read


def check_file(job: Job) -> FileResult:
    """Every per-file check of one entry or organisation; never raises for bad input."""
    from catalogue.validation.checks import format_rules as checks
    from catalogue.validation.checks.frictionless_checks import frictionless_issues

    placer = Placer()
    placer.add_source("", job.display, job.path)
    out: list[Finding] = []
    data = _read(job.path, job.display, placer, out)
    extra: list[str] = []
    if data is None:
        return FileResult(out, crossref.Summary(job.display, job.kind), extra)
    issues: list[Issue] = []
    parsed = None
    if job.kind != "organization":
        extra = _inline_schemas(job, data, placer, out)
        if job.keep_parsed:  # before any check sees it
            parsed = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        issues += checks.resource_safety_issues(data)
        issues += checks.variable_count_issues(data)
    flagged = {i.path for i in issues}  # the profile would only say the same in other words
    if job.kind == "organization":
        issues += checks.organization_rule_issues(data, job.path.stem)
    else:
        issues += checks.entry_rule_issues(job.kind, data, job.path.parent.name)
        if job.kind == "biobank":
            from catalogue.validation.checks.bbmri import entry_issues as bbmri_issues

            issues += bbmri_issues(data)
    profile = checks.profile_issues(job.kind, data)
    issues += [i for i in profile if i.path not in flagged]
    terms = checks.vocabulary_issues(job.kind, data)
    issues += terms
    if not profile and not terms:  # later checks would repeat these in other words
        if job.kind != "organization":
            issues += frictionless_issues(data)
        issues += checks.model_issues(job.kind, data)
    text = "\n".join(placer.texts)
    issues += checks.url_issues(data, text)
    issues += textscan.escaped_issues(data, placer.texts, placer.raw_pointers)
    issues += checks.length_issues(data, max(len(t) for t in placer.texts))
    out += [placer.place(i) for i in _dedupe(issues)]
    return FileResult(out, crossref.summarize(job.display, job.kind, data), extra, parsed)


def _dedupe(issues: Iterable[Issue]) -> list[Issue]:
    seen, out = set(), []
    for i in issues:
        if (i.code, i.path) not in seen:
            seen.add((i.code, i.path))
            out.append(i)
    return out


# --- the cache and the run ------------------------------------------------------------------


# The packages whose code decides a file's findings: every module in them counts, so a new check
# module can never serve stale results.
FINGERPRINTED = ("settings.py", "format", "privacy", "validation")


@cache
def fingerprint() -> str:
    """Changes whenever the rules or the code that applies them change."""
    h = hashlib.sha256()
    files = sorted(p for p in validators_dir().rglob("*") if p.suffix in (".yaml", ".json"))
    package = PROJECT_ROOT / "catalogue"
    for part in FINGERPRINTED:
        files += [package / part] if part.endswith(".py") else sorted((package / part).rglob("*.py"))
    for p in files:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _content_key(job: Job) -> str:
    h = hashlib.sha256(job.kind.encode() + job.display.encode())
    try:
        h.update(job.path.read_bytes())
        for name in job.schemas:
            h.update(name.encode() + (job.path.parent / name).read_bytes())
    except OSError:
        return ""
    return h.hexdigest()


class Cache:
    """Per-file results keyed by content hash, in one pickle under `build/cache/`."""

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / f"validate-{fingerprint()}.pickle" if folder else None
        self.data: dict[str, FileResult] = {}
        if self.path and self.path.is_file():
            try:
                self.data = pickle.loads(self.path.read_bytes())
            except Exception:  # noqa: BLE001 - a broken cache is only a slower run
                self.data = {}
        self.loaded = set(self.data)

    def save(self, keep: set[str]) -> None:
        """Write the results for `keep`, unless that is exactly what the file holds already."""
        if not self.path or (keep == self.loaded and self.path.is_file()):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            for old in self.path.parent.glob("validate-*.pickle"):
                if old != self.path:
                    old.unlink(missing_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_bytes(pickle.dumps({k: self.data[k] for k in keep if k in self.data}))
            tmp.replace(self.path)
        except OSError:
            pass  # a read-only checkout still validates, just without a cache


def default_cache_dir(root: Path) -> Path:
    return Path("build") / "cache"


def warm() -> None:
    """Compile profiles and read vocabularies before forking workers."""
    from catalogue.format import profiles, vocabularies

    for kind in ("registry", "biobank", "organization"):
        profiles.fast_check(kind)
        for name in vocabularies.fields_for(kind).values():
            vocabularies.vocabulary(name)
    fingerprint()


def run_jobs(
    jobs: list[Job], workers: int, progress: Callable[[int], None] | None = None
) -> list[FileResult]:
    if workers <= 1 or len(jobs) < PARALLEL_FROM:
        results = []
        for job in jobs:
            results.append(check_file(job))
            if progress:
                progress(1)
        return results
    warm()  # compile once here; forked workers inherit it
    with QuietProcessPool(max_workers=workers) as pool:
        results = []
        for result in pool.map(check_file, jobs, chunksize=16):
            results.append(result)
            if progress:
                progress(1)
        return results


def validate(
    paths: list[Path] | None = None,
    *,
    cache_dir: Path | None | bool = True,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    keep_parsed: bool = False,
) -> Report:
    """Validate the catalogue that the paths lie in; report findings within those paths. With
    `keep_parsed`, `report.parsed` holds each entry this run read (not a cached one's)."""
    started = time.perf_counter()
    paths = [p.resolve() for p in (paths or [Path("metadata")])]
    report = Report()
    stats = {"files": 0, "registries": 0, "biobanks": 0, "organizations": 0, "variables": 0,
             "checked": 0, "cached": 0}
    for p in paths:
        if find_root(p) is None:
            msg = (f"{p} is not in a metadata folder (one with registries/, biobanks/ or "
                   "organizations/).")
            report.findings.append(Issue("unexpected-file", "", msg).place(str(p), 1, 1))
    for root in sorted({r for p in paths if (r := find_root(p)) is not None}):
        folder = default_cache_dir(root) if cache_dir is True else (cache_dir or None)
        findings, summaries = _validate_root(root, folder, workers, progress, stats,
                                             report.parsed if keep_parsed else None)
        base = root.parent
        wanted = [str(p.relative_to(base)) if p.is_relative_to(base) else str(p) for p in paths]
        report.findings += [f for f in findings if _within(f.file, wanted, root, base)]
        for s in summaries:
            key = FOLDERS.get(s.kind, ORGANIZATIONS_FOLDER)
            stats[key] += 1
            stats["variables"] += s.variables
    report.sort()
    stats["errors"] = len(report.errors)
    stats["warnings"] = len(report.warnings)
    stats["seconds"] = round(time.perf_counter() - started, 3)
    report.stats = stats
    return report


def _within(file: str, wanted: list[str], root: Path, base: Path) -> bool:
    return any(file == w or file.startswith(w.rstrip("/") + "/") or w == "." for w in wanted) or (
        str(root.relative_to(base)) in wanted
    )


def _validate_root(
    root: Path,
    cache_folder: Path | None,
    workers: int | None,
    progress: Callable[[int, int], None] | None,
    stats: dict[str, int],
    parsed: Parsed | None = None,
) -> tuple[list[Finding], list[crossref.Summary]]:
    jobs, findings = discover(root)
    jobs = _within_entry_limit(jobs, findings)
    stats["files"] += len(jobs)
    store = Cache(cache_folder)
    todo = []
    results: dict[str, FileResult] = {}
    for job in jobs:
        job.key = _content_key(job)
        hit = store.data.get(job.key) if job.key else None
        if hit is not None:
            results[job.display] = hit
        else:
            job.keep_parsed = parsed is not None
            todo.append(job)
    stats["cached"] += len(jobs) - len(todo)
    stats["checked"] += len(todo)
    done = [len(jobs) - len(todo)]

    def tick(n: int) -> None:
        done[0] += n
        if progress:
            progress(done[0], len(jobs))

    for job, result in zip(todo, run_jobs(todo, workers or os.cpu_count() or 1, tick), strict=True):
        if result.parsed is not None and parsed is not None:
            parsed[str(job.path)] = (result.parsed, tuple(result.extra_files))
            result = replace(result, parsed=None)  # the load caches it: never in this cache
        results[job.display] = result
        if job.key:
            store.data[job.key] = result
    store.save({j.key for j in jobs if j.key})
    summaries = [results[j.display].summary for j in jobs]
    for r in results.values():
        findings += r.findings
    placers: dict[str, Placer] = {}
    by_display = {j.display: j for j in jobs}
    cross = crossref.cross_issues(summaries)
    for file, due in review.review_issues(summaries).items():  # by date: never cached
        cross.setdefault(file, []).extend(due)
    for file, issues in cross.items():
        placer = placers.setdefault(file, Placer())
        if not placer.sources:
            placer.add_source("", file, by_display[file].path)
        findings += [placer.place(i) for i in issues]
    return findings, summaries


def _within_entry_limit(jobs: list[Job], findings: list[Finding]) -> list[Job]:
    """The jobs up to the entry limit; the first entry past it gets `too-many-entries`."""
    limit = yamlfile.limits()["max_entries"]
    entries = [j for j in jobs if j.kind != "organization"]
    if len(entries) <= limit:
        return jobs
    past = entries[limit]
    msg = (f"The catalogue has {len(entries):,} registries and biobanks; the limit is {limit:,}. "
           f"This one and the {len(entries) - limit - 1:,} after it were not checked.")
    findings.append(Issue("too-many-entries", "", msg).place(past.display, 1, 1))
    dropped = {id(j) for j in entries[limit:]}
    return [j for j in jobs if id(j) not in dropped]


CHECKS = (
    check("reading", FILES, "file-encoding", "yaml-duplicate-key", "not-a-mapping",
          "missing-schema-file", doc="reading a file and the Table Schema files it names"),
    check("entry-limit", CATALOGUE, "too-many-entries"),
)
