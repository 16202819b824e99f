"""The variables search's static index: every variable of the catalogue, found without a server.

Written once per build into `variable-index/` at the site's root (both languages share it) and
read by `assets/variables.js`. Sized so that one search and one comparison stay small however
large the catalogue grows (the issue's goal: one search ≤ 300 KB, ten variables compared
≤ 100 KB at 1,000,000 variables):

- `facets.json`: the filters' labels, and the *profiles*: each distinct combination of the
  source's facets (kind, region, controller) and of the variable's (type, coding system, concept
  systems). A posting names its profiles by number, so filters and their counts need nothing else.
- `t/<key>.json`, one shard per token's first two characters: token -> flat postings
  `[variable id, source profile, variable profile, ...]`. A token with more than `INLINE`
  postings (or the longest lists of a shard past `SHARD_MAX`) keeps only its count there and
  its postings in pages of `PAGE` under `p/<token>_<n>.json`; a search loads the first page of
  each, says so, and the user narrows.
- `r/<id // CHUNK>.json`: what a hit shows (name, title, type, unit, code-list summary, concepts)
  for `CHUNK` consecutive variables, with their sources' titles and years once per chunk.
- `e/<entry>_<bucket>.json`: everything the compare view shows, for the variables whose
  `resource/field` hashes (CRC-32) to that bucket of `BUCKETS`: a comparison fetches one small
  file per variable, never a whole entry.

Variable ids are positions in the catalogue's order (entries as loaded, fields as written); they
change between builds and are never shown or linked: links use `<entry>/<resource>/<field>`.
"""

from __future__ import annotations

import json
import re
import zlib
from array import array
from collections import defaultdict, deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any

from catalogue.build.reuse import Reuse, fingerprint, shared_fingerprint
from catalogue.format.models import Category, TableField
from catalogue.load import Catalogue, LoadedEntry
from catalogue.site import facets, urls
from catalogue.site.i18n import LANGS, localise, org_name, t, term

FOLDER = "variable-index/"
CHUNK = 32
BUCKETS = 4
INLINE = 300  # postings kept in the shard; more go to pages
PAGE = 3000
SHARD_MAX = 60_000  # bytes; past it a shard's longest posting lists move to pages
TOKEN = re.compile(r"[^\W_][\w.\-]*", re.UNICODE)
CODES_SHOWN = 6


def tokens(text: str) -> set[str]:
    """The words a variable is found by: lower-cased, `a_b-c` as itself and as `a`, `b`, `c`."""
    out: set[str] = set()
    for word in TOKEN.findall(text.casefold()):
        out.update(_word_tokens(word))
    return out


@cache
def _word_tokens(word: str) -> frozenset[str]:
    word = word.rstrip(".-")
    parts = {p for p in re.split(r"[_.\-]", word) if len(p) >= 2}
    return frozenset(parts | {word} if len(word) >= 2 else parts)


def shard_key(token: str) -> str:
    """The shard a token lives in: its first two characters, made safe for a file name."""
    return "".join(c if c.isascii() and c.isalnum() else f"~{ord(c):x}" for c in token[:2])


def bucket(resource: str, field: str) -> int:
    """CRC-32 of `resource/field` (UTF-8), modulo `BUCKETS`; variables.js computes the same."""
    return zlib.crc32(f"{resource}/{field}".encode()) % BUCKETS


def _codes(f: TableField) -> list[list[str]]:
    return [[str(c.value), c.label or ""] if isinstance(c, Category) else [str(c), ""]
            for c in f.categories or []]


def code_summary(f: TableField) -> str:
    """A code list in one line: `1 Mann · 2 Kvinne`, cut after `CODES_SHOWN` codes."""
    codes = _codes(f)
    shown = " · ".join(f"{v} {lab}".strip() for v, lab in codes[:CODES_SHOWN])
    return shown + (f" · … (+{len(codes) - CODES_SHOWN})" if len(codes) > CODES_SHOWN else "")


def _write(path: Path, data: bytes) -> int:
    try:
        return path.write_bytes(data)
    except OSError as exc:  # a write() error has no file name; the build's message names it
        if exc.filename:
            raise
        raise OSError(exc.errno, exc.strerror, str(path)) from exc


class _Files:
    """Writes files on a few threads: creating thousands of small files is mostly waiting on the
    file system, and the threads wait together while the build goes on encoding. At most
    `PENDING` files wait to be written: when the disk is slower than the encoding (a catalogue
    far larger than the page cache), the build waits rather than hold every file's bytes. Keeps
    the names it wrote, relative to `root`, for the reuse manifest."""

    PENDING = 512

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pool = ThreadPoolExecutor(max_workers=4)
        self.pending: deque[Future[int]] = deque()
        self.names: list[str] = []

    def dump(self, name: str, data: Any) -> int:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        if len(self.pending) >= self.PENDING:
            self.pending.popleft().result()  # raises the first error (a full disk) in the build
        self.pending.append(self.pool.submit(_write, self.root / name, text))
        self.names.append(name)
        return len(text)

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        while self.pending:
            self.pending.popleft().result()


class _Labels:
    """Ids of facet values in the order first seen, with their labels in every language:
    `label(value, lang)`, asked once per value."""

    def __init__(self, label: Callable[[str, str], str]) -> None:
        self.label = label
        self.ids: dict[str, int] = {}
        self.labels: list[dict[str, Any]] = []

    def add(self, value: str) -> int:
        found = self.ids.get(value)
        if found is None:
            found = self.ids[value] = len(self.labels)
            self.labels.append({"id": value, "label": {lang: self.label(value, lang) for lang in LANGS}})
        return found


def _source(cat: Catalogue, e: LoadedEntry) -> dict[str, Any]:
    m = e.model
    ctrl = cat.organizations.get(m.data_controller)
    cov = m.coverage
    return {"name": e.name, "url": urls.entry(e), "kind": e.kind,
            "title": {lang: localise(m, lang).title for lang in LANGS},
            "controller": {lang: org_name(ctrl.name, lang) if ctrl else m.data_controller for lang in LANGS},
            "from": cov.start_year, "to": cov.end_year,
            "decider": {lang: term("access-deciders", m.access.decided_by, lang) for lang in LANGS}}


def _detail(f: TableField) -> dict[str, Any]:
    out: dict[str, Any] = {"name": f.name, "type": f.type}
    for key in ("title", "description", "unit", "format", "coding_system"):
        if getattr(f, key):
            out[key] = getattr(f, key)
    if f.constraints:
        out["constraints"] = f.constraints.model_dump(exclude_none=True)
    if f.categories:
        out["codes"] = _codes(f)
    if f.concepts:
        out["concepts"] = [[c.system, c.code, c.label or ""] for c in f.concepts]
    return out


def entry_print(cat: Catalogue, e: LoadedEntry) -> str:
    """A fingerprint of all the index shows of entry `e`: its variables, and what a hit and a
    comparison show of it as their source (its title, controller, years, access decider, kind
    and region), but not its description or anything else its pages alone show."""
    source = json.dumps([_source(cat, e), facets.region_of(cat, e)], ensure_ascii=False, sort_keys=True)
    return fingerprint(e.variables_hash, source)


def write(out: Path, cat: Catalogue, reuse: Reuse | None = None) -> dict[str, int]:
    """Write the index into `out/variable-index/`; returns counts (variables, files, bytes).

    With `reuse`, the whole index is taken from the last build when no entry's part of it
    changed (a corrected description or lead time changes none), else an unchanged entry's
    compare files (`e/`) are; the rest numbers every variable of the catalogue, so it is then
    written in full."""
    # every file shows organisations' names and the vocabularies' labels
    section = reuse.section("variables", shared_fingerprint(cat)) if reuse else None
    # Each entry's print is made up front only when the last build's index may be taken: it
    # reads the entry's model, which costs a pass over a big catalogue when the model is packed
    # (about 13 s at 100,000 entries); otherwise it is made in the one pass below.
    may_take = reuse is not None and section is not None and bool(section.old or section.base)
    prints = [entry_print(cat, e) for e in cat.entries] if may_take else []
    whole = _whole(cat, prints) if may_take else ""
    folder = out / FOLDER
    if reuse and section and may_take and reuse.take(section, FOLDER, whole, out):
        # the same entries with the same prints: each one's compare files came with the rest
        for unit, made in {**section.old, **section.base}.items():
            if unit != FOLDER:
                section.adopt(unit, made)
        section.base.clear()  # the pool's compare files are the whole's: none is left over
        names = section.files(FOLDER)
        return {"variables": sum(len(schema.fields) for e in cat.entries for _, schema in e.tables()),
                "files": len(names), "bytes": sum(reuse.size(out, name) for name in names)}
    for sub in ("t", "r", "e", "p"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    kinds = _Labels(t)
    regions = _Labels(lambda value, lang: term("health-regions", value, lang))
    controllers = _Labels(lambda value, lang: facets.label(cat, "controller", value, lang))
    types = _Labels(lambda value, lang: term("field-types", value, lang))
    codings = _Labels(lambda value, lang: term("coding-systems", value, lang) if value else "")
    systems = _Labels(lambda value, lang: term("coding-systems", value, lang))
    src_profiles: dict[tuple[int, int, int], int] = {}
    var_profiles: dict[tuple[int, int, tuple[int, ...]], int] = {}
    # token -> flat postings, as C ints, not lists of Python ones (30,000 x 20: the step grew
    # the build process by 0.15 GB, against 0.69 GB)
    postings: dict[str, array[int]] = defaultdict(lambda: array("i"))
    chunk: dict[str, Any] = {"s": {}, "r": []}
    stats = {"variables": 0, "files": 0, "bytes": 0}
    files = _Files(out)
    copied: list[str] = []  # the compare files taken from the last build

    def flush(n: int) -> None:
        stats["bytes"] += files.dump(f"{FOLDER}r/{n // CHUNK}.json", chunk)
        stats["files"] += 1

    vid = 0
    for ei, e in enumerate(cat.entries):
        m = e.model
        if not may_take:
            prints.append(entry_print(cat, e))
        print_ = prints[ei]
        region = facets.region_of(cat, e) or ""
        key = (kinds.add(e.kind), regions.add(region), controllers.add(m.data_controller))
        sp = src_profiles.setdefault(key, len(src_profiles))
        source = _source(cat, e)
        details: dict[int, dict[str, Any]] | None = defaultdict(dict)
        unit = f"{FOLDER}e/{e.name}"
        if reuse and section and reuse.take(section, unit, print_, out):
            details = None
            taken = section.files(unit)
            copied += taken
            stats["files"] += len(taken)
            stats["bytes"] += sum(reuse.size(out, name) for name in taken)
        for res, f in e.variables():
            ti, ci = types.add(f.type), codings.add(f.coding_system or "")
            cs = tuple(sorted({systems.add(c.system) for c in f.concepts or []}))
            vp = var_profiles.setdefault((ti, ci, cs), len(var_profiles))
            if vid % CHUNK == 0 and chunk["r"]:
                flush(vid - 1)
                chunk = {"s": {}, "r": []}
            if str(ei) not in chunk["s"]:
                chunk["s"][str(ei)] = [e.name, source["url"], e.kind, source["title"]["nb"],
                                       source["title"]["en"], source["from"], source["to"]]
            concepts = [[c.system, c.code, c.label or ""] for c in f.concepts or []]
            chunk["r"].append([ei, res, f.name, f.title or "", f.type, f.unit or "", code_summary(f),
                               concepts])
            words = " ".join([f.name, f.title or "", f.description or "", f.unit or "",
                              *(lab for _, lab in _codes(f)),
                              *(f"{c.code} {c.label or ''}" for c in f.concepts or [])])
            for tok in tokens(words):
                postings[tok].extend((vid, sp, vp))
            if details is not None:
                details[bucket(res, f.name)][f"{res}/{f.name}"] = _detail(f)
            vid += 1
        if details is None:
            continue
        for b, vars_ in details.items():
            stats["bytes"] += files.dump(f"{unit}_{b}.json", {"source": source, "vars": vars_})
            stats["files"] += 1
        if section:
            section.made(unit, print_, [f"{unit}_{b}.json" for b in details])
    if chunk["r"]:
        flush(vid - 1)
    by_shard: dict[str, list[str]] = defaultdict(list)
    for tok in postings:
        by_shard[shard_key(tok)].append(tok)
    for k, toks in by_shard.items():
        toks.sort(key=lambda tok: (len(postings[tok]), tok))  # the same order in every build
        size = sum(len(postings[tok]) * 4 + len(tok) + 6 for tok in toks)  # about its JSON's bytes
        data: dict[str, Any] = {}
        while toks:
            tok = toks.pop()  # the longest first
            flat = postings[tok]
            if len(flat) // 3 <= INLINE and size <= SHARD_MAX:
                data[tok] = flat.tolist()
                continue
            size -= len(flat) * 4
            data[tok] = _pages(files, tok, flat, stats)
        stats["bytes"] += files.dump(f"{FOLDER}t/{k}.json", data)
        stats["files"] += 1
    meta = {"variables": vid, "chunk": CHUNK, "buckets": BUCKETS, "page": PAGE,
            "kinds": kinds.labels, "regions": regions.labels, "controllers": controllers.labels,
            "types": types.labels, "codings": codings.labels, "systems": systems.labels,
            "sources": [list(k) for k in src_profiles],
            "profiles": [[ti, ci, list(cs)] for ti, ci, cs in var_profiles]}
    stats["bytes"] += files.dump(f"{FOLDER}facets.json", meta)
    stats["files"] += 1
    files.close()
    if section:
        section.made(FOLDER, whole or _whole(cat, prints), sorted(files.names + copied))
    stats["variables"] = vid
    return stats


def _whole(cat: Catalogue, prints: list[str]) -> str:
    """The index's print: every entry's name and print, in order."""
    return fingerprint(*(part for e, print_ in zip(cat.entries, prints, strict=True)
                         for part in (e.name, print_)))


def _pages(files: _Files, tok: str, flat: array[int], stats: dict[str, int]) -> dict[str, Any]:
    """Write a long posting list in pages of `PAGE`; returns what the shard keeps of it."""
    pages = 0
    for start in range(0, len(flat), PAGE * 3):
        stats["bytes"] += files.dump(f"{FOLDER}p/{_safe(tok)}_{pages}.json",
                                    flat[start:start + PAGE * 3].tolist())
        stats["files"] += 1
        pages += 1
    return {"n": len(flat) // 3, "pages": pages, "dir": _safe(tok)}


def _safe(token: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "-.") else f"~{ord(c):x}" for c in token)
