"""The last build step: nothing personal leaves in the finished site and feeds.

The validator already refuses identity numbers in the metadata, but the outputs are made by many
steps (pages, feeds, the search index) and a bug in one of them, or text the validator allows (an
e-mail address typed into a description or a variable label), could still publish what must not
be. So before the swap every file the visitor can fetch that carries catalogue content is read
once (on all cores, for a big site) and searched for

- Norwegian national identity numbers and D-numbers, however their digits are grouped
  (`catalogue.identity.find_national_ids`, the validator's own rule);
- e-mail addresses that are not declared contact points: contributors' e-mails, the access
  contact's and the organisations' contact e-mails, and the addresses the project's own
  hand-written pages (`docs/`) show as examples.

What is read: text files by suffix (`SCANNED`), the search index's among them, and
gzip-compressed files (`GZIPPED`), decompressed first. What is not: files copied unchanged from
installed packages, which carry no catalogue content (mkdocs-material's `assets/javascripts/`
and `assets/stylesheets/`, whose licence headers name their authors' e-mails), and
binaries (images, WebAssembly, source maps). An incremental build does not read again the files
it copied unchanged from the published output, which was checked in its turn, as long as the
check itself (its code, the declared contacts) is the same (`leak_step`).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from catalogue.build.context import BuildError
from catalogue.build.reuse import fingerprint, sources_fingerprint
from catalogue.format.kinds import KIND_FOLDERS
from catalogue.privacy import national_ids as national_ids_module
from catalogue.privacy.national_ids import find_national_ids
from catalogue.settings import docs_dir
from catalogue.validation.workers import QuietProcessPool

if TYPE_CHECKING:
    from catalogue.build.context import BuildContext
    from catalogue.load import Catalogue

SCANNED = frozenset({".html", ".json", ".jsonl", ".ttl", ".jsonld", ".rdf", ".xml", ".csv",
                     ".md", ".yaml", ".yml", ".txt", ".js"})
GZIPPED = frozenset({".gz"})
THEME_ASSETS = frozenset({"javascripts", "stylesheets"})
DOCS = docs_dir()
SHOWN = 8  # files listed for each finding in the error; the rest are counted
PARALLEL_FROM = 1000  # files per process, at least; fewer are read in this one
# A site larger than the page cache (100,000 x 20 entries: 48 GB) is read from the disk, one
# small file after another: each read waits on the disk while the core that should search idles.
# So each process reads ahead on `READERS` threads, `BATCH` files to a task (a task per file
# costs more in Python than the read), at most `AHEAD` tasks in flight. Memory is bounded by
# bytes, not files: a task stops reading once it holds `BATCH_BYTES` (the rest of its files are
# read by the caller), and reads no file past `LARGE`: bounded by files alone, a task could hold
# 32 catalogue pages of 6.8 MB, and the build of 10,000 x 100 peaked at 3.9 GB in this check
# (2.2 GB with the bound).
READERS = 6
BATCH = 32
AHEAD = 2 * READERS
BATCH_BYTES = 2**20
# A file past `LARGE` bytes (`datasets.jsonl`: 0.7 GB at 100,000 entries) is searched in pieces
# (`pieces`), not held whole beside its classed copy. A piece ends just before a byte that no
# finding can hold: not a letter, digit, separator of digits or character of an e-mail address.
# Neither an address nor a stretch of digits crosses it, and `find_national_ids` looks only one
# character back, so the pieces give what the whole gives (see the test).
LARGE = 4 * 2**20
_CUTS = tuple(bytes([c]) for c in b'"<>,;:={}[]()/')

# Speed (116 MB of output, 300 entries x 50 variables): a regex that may start at any letter or
# digit runs at 20-70 MB/s, so each kind of finding is first located by something that runs at
# ~900 MB/s, and only those places are looked at closely. An e-mail address is found by its "@"
# and domain, then its local part is read backwards. For identity numbers each byte is first
# classed (digit "0", separator "1", anything else "2", `bytes.translate`), and a regex with a
# literal start finds the stretches of at least eleven digits and separators that begin with two
# digits (a number's first group has two or more); `identity.find_national_ids` itself reads those,
# so the check finds exactly what the validator refuses, however the digits are grouped. On the
# 648 MB of a 1,000 x 100 site: 1.5 s, against 5.5 s for a Python loop over digit pairs.
_AT_DOMAIN = re.compile(rb"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_LOCAL_PART = re.compile(rb"[A-Za-z0-9._%+-]{1,64}\Z")
_CLASSES = bytes(ord("0") if 48 <= b <= 57 else ord("1") if b in b" \t.-\r\n" else ord("2")
                 for b in range(256))
_STRETCH = re.compile(rb"00[01]{9,}")


@dataclass(frozen=True)
class Leak:
    """One thing found: where (relative to the site), what (masked), and its likely source."""

    path: str
    what: str
    masked: str
    source: str

    def text(self) -> str:
        return f"{self.path}: {self.what} {self.masked}, {self.source}"


@dataclass
class Scan:
    """What the check read, and what it found."""

    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    leaks: tuple[Leak, ...] = ()
    skipped: int = 0  # files an incremental build copied unchanged from a checked output


class PersonalDataFound(BuildError):
    """The check found something; `scan.leaks` lists every file and finding."""

    def __init__(self, scan: Scan) -> None:
        super().__init__(message(scan.leaks))
        self.scan = scan


def scanned(site: Path) -> list[str]:
    """The files of `site` the check reads (see the module's docstring), relative to it, in
    order. Listed with `os.walk`, which learns from each folder's listing what is a file, and
    kept as strings: a 10,000-entry site has 340,000 files, and as many paths cost seconds."""
    files = []
    root = str(site)
    start = len(root) + 1
    for folder, _, names in os.walk(root):
        within = tuple(folder[start:].split(os.sep)) if len(folder) > len(root) else ()
        prefix = folder[start:] + "/" if within else ""
        for name in names:
            suffix = os.path.splitext(name)[1]
            if (suffix in SCANNED or suffix in GZIPPED) and not _vendored((*within, name)):
                files.append(prefix + name)
    files.sort()
    return files


def _vendored(parts: tuple[str, ...]) -> bool:
    if parts[0] == "en":
        parts = parts[1:]
    return len(parts) > 2 and parts[0] == "assets" and parts[1] in THEME_ASSETS


def declared_emails(cat: Catalogue) -> frozenset[str]:
    """Contact points the metadata declares, and the examples in the project's own pages."""
    found = set()
    for e in cat.entries:  # one pass: a packed model is unpacked for each (100,000: 20 s a pass)
        m = e.model
        found.update(c.email for c in m.contributors if c.email)
        if m.access.contact.email:
            found.add(m.access.contact.email)
    found |= {o.contact.email for o in cat.organizations.values() if o.contact.email}
    for page in DOCS.rglob("*.md"):
        found |= set(emails(page.read_bytes()))  # as the check finds them in the site
    return frozenset(str(a).lower() for a in found)


def read(path: str, limit: int | None = None) -> bytes | None:
    """The file's content, decompressed; None for a file past `limit` bytes (`_contents`
    reads it in pieces)."""
    gzipped = os.path.splitext(path)[1] in GZIPPED
    with open(path, "rb") as f:
        # asked by its size, not read with a limit: `read(limit)` allocates `limit` bytes for
        # every small file (at 100,000 entries the readers' processes grew to 1.8 GB with it,
        # 1.4 GB without, before the bound by bytes)
        if limit is not None and not gzipped and os.fstat(f.fileno()).st_size > limit:
            return None
        data = f.read()
    if gzipped and data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


def pieces(path: str) -> Iterator[bytes]:
    """The file's content in pieces of about `LARGE` bytes, each ending before a byte of
    `_CUTS` (a piece grows until it holds one)."""
    with open(path, "rb") as f:
        rest = b""
        while chunk := f.read(LARGE):
            data = rest + chunk
            cut = max(data.rfind(c) for c in _CUTS)
            if cut <= 0:
                rest = data
                continue
            yield data[:cut]
            rest = data[cut:]
        if rest:
            yield rest


def check(site: Path, cat: Catalogue, skip: Callable[[str, str], bool] | None = None,
          allowed: frozenset[str] | None = None) -> Scan:
    """Read every scanned file of `site` once, except those `skip(relative path, path)` says
    were checked before; return what was found (nothing, normally)."""
    started = time.perf_counter()
    allowed = declared_emails(cat) if allowed is None else allowed
    scan = Scan()
    raw: list[tuple[str, str, str]] = []  # (path, kind, value)
    files = scanned(site)
    if skip is not None:
        root = str(site)
        kept = [rel for rel in files if not skip(rel, os.path.join(root, rel))]
        scan.skipped, files = len(files) - len(kept), kept
    workers = min(os.cpu_count() or 1, len(files) // PARALLEL_FROM)
    if workers > 1:  # reading and searching is all CPU: every core takes its share of files
        # they need nothing of the build; a stopped build does not wait for each share's end
        with QuietProcessPool(max_workers=workers, spawn=True, stop_on_error=True) as pool:
            parts = pool.map(_scan_files, [(site, files[i::workers], allowed) for i in range(workers)])
            for n, size, found in parts:
                scan.files, scan.bytes, raw = scan.files + n, scan.bytes + size, raw + found
    else:
        scan.files, scan.bytes, raw = _scan_files((site, files, allowed))
    if raw:
        sources = _Sources(cat)
        scan.leaks = tuple(dict.fromkeys(
            Leak(rel, *_describe(kind, value), sources.of(rel, kind, value))
            for rel, kind, value in raw))
    scan.seconds = time.perf_counter() - started
    return scan


def _scan_files(job: tuple[Path, list[str], frozenset[str]]) -> tuple[int, int, list[tuple[str, str, str]]]:
    """Read and search some of the files (relative to the site): (files, bytes, [(path, kind, value)])."""
    site, files, allowed = job
    root = str(site)
    size, raw = 0, []
    for rel, whole in _read_ahead(root, files):
        for data in (whole,) if whole is not None else _contents(os.path.join(root, rel)):
            size += len(data)
            raw += [(rel, "e-mail", a) for a in emails(data) if a not in allowed]
            raw += [(rel, "id", n) for n in national_ids(data)]
    return len(files), size, raw


def _contents(path: str) -> Iterator[bytes]:
    """A file the readers left to the caller: in pieces, or whole when compressed."""
    if os.path.splitext(path)[1] in GZIPPED:
        yield read(path) or b""
    else:
        yield from pieces(path)


def _read_ahead(root: str, files: list[str]) -> Iterator[tuple[str, bytes | None]]:
    """Each of `files` (relative to `root`) with its content, in order, read on threads ahead of
    the caller (`READERS`): the reads wait on the disk together, the caller searches meanwhile.
    None for a file left to the caller (`_contents`): past `LARGE`, or after its task read
    `BATCH_BYTES`."""
    def batch(names: list[str]) -> list[bytes | None]:
        held, out = 0, []
        for rel in names:
            data = read(os.path.join(root, rel), LARGE) if held < BATCH_BYTES else None
            held += len(data or b"")
            out.append(data)
        return out

    with ThreadPoolExecutor(max_workers=READERS) as readers:
        pending: deque[tuple[list[str], Future[list[bytes | None]]]] = deque()
        starts = iter(range(0, len(files), BATCH))

        def submit(tasks: int) -> None:
            for start in islice(starts, tasks):
                names = files[start:start + BATCH]
                pending.append((names, readers.submit(batch, names)))

        submit(AHEAD)
        while pending:
            names, done = pending.popleft()
            submit(1)  # one more in flight for the one taken
            yield from zip(names, done.result(), strict=True)


def emails(data: bytes) -> list[str]:
    """Every e-mail address in `data`, lower-cased."""
    found = []
    for m in _AT_DOMAIN.finditer(data):
        local = _LOCAL_PART.search(data, max(0, m.start() - 64), m.start())
        if local:
            found.append((local.group() + m.group()).decode("ascii").lower())
    return found


def national_ids(data: bytes) -> list[str]:
    """Every valid identity number in `data`: what `identity.find_national_ids` finds in text."""
    found: list[str] = []
    for m in _STRETCH.finditer(data.translate(_CLASSES)):
        if m.group().count(b"0") < 11:
            continue
        pos, end = m.span()  # with the characters around it: digits glued to a letter don't count
        around = data[max(0, pos - 4) : end + 4].decode("utf-8", errors="replace")
        found += [n for _, n in find_national_ids(around)]
    return found


def _describe(kind: str, value: str) -> tuple[str, str]:
    if kind == "id":
        return "national identity number or D-number", value[:6] + "*" * 5
    local, domain = value.split("@", 1)
    return "e-mail address that is not a declared contact point", f"{local[:1]}***@{domain}"


class _Sources:
    """Which entry or organisation a finding likely came from: the file's own entry, else any
    whose metadata holds the value."""

    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat
        self.by_id = {e.id: e for e in cat.entries}
        self._texts: list[tuple[str, str]] | None = None

    def texts(self) -> list[tuple[str, str]]:
        if self._texts is None:
            root = self.cat.root.parent
            self._texts = [
                *((f"entry {e.name} ({e.file})",
                   json.dumps(e.descriptor, ensure_ascii=False, default=str).lower())
                  for e in self.cat.entries),
                *((f"organisation {o.id} "
                   f"({(self.cat.root / 'organizations' / f'{o.id}.yaml').relative_to(root)})",
                   o.model_dump_json().lower())
                  for o in self.cat.organizations.values())]
        return self._texts

    def of(self, rel: str, kind: str, value: str) -> str:
        parts = rel.split("/")
        if parts[0] == "en":
            parts = parts[1:]
        owner = None
        if len(parts) > 2 and parts[0] in KIND_FOLDERS:
            owner = self.cat.entry(parts[1])
        elif len(parts) == 2 and parts[0] == "dataset":
            owner = self.by_id.get(parts[1].split(".")[0])
        for label, text in self.texts():
            holds = (value in text if kind == "e-mail" else
                     any(n == value for n in _numbers(text)))
            if holds and (owner is None or label.startswith(f"entry {owner.name} ")):
                return f"likely from {label}"
        if owner is not None:
            return f"in the pages of entry {owner.name} ({owner.file}), written by a build step"
        return "in no entry's metadata: written by a build step"


def _numbers(text: str) -> list[str]:
    return [n for _, n in find_national_ids(text)]


def message(leaks: tuple[Leak, ...]) -> str:
    """The build's error: each thing found once, with its likely source and the files holding
    it (up to `SHOWN` of each), then what to do."""
    files: dict[tuple[str, str, str], list[str]] = {}
    for leak in sorted(leaks, key=lambda k: (k.path.startswith("en/"), not k.path.endswith(".html"),
                                             k.path)):  # entry pages first: easiest to look at
        files.setdefault((leak.what, leak.masked, leak.source), []).append(leak.path)
    lines = [f"the finished site holds personal data ({len(files)} finding(s)); nothing was "
             f"published:"]
    for (what, masked, source), paths in files.items():
        shown = ", ".join(paths[:SHOWN]) + (f" and {len(paths) - SHOWN} more" if len(paths) > SHOWN
                                            else "")
        lines.append(f"  {what} {masked}, {source}, in {len(paths)} file(s): {shown}")
    lines.append("Hint: remove the number or address from the metadata (an address may stay if "
                 "it is declared as a contact point: a contributor's email, access.contact.email "
                 "or an organisation's contact.email), then build again.")
    return "\n".join(lines)


def leak_step(ctx: BuildContext) -> None:
    """The build step: check `ctx.out`, refuse to publish when anything was found.

    A file left in place from the pool, or copied unchanged from the published output, was
    checked when that site was built; it is not read again when the check is the same: the
    same code and the same declared contacts (an address that is no longer declared must be
    found wherever it still is)."""
    allowed = declared_emails(ctx.catalogue)
    section = ctx.reuse.section("leakcheck", fingerprint(
        sources_fingerprint(sys.modules[__name__], national_ids_module), *sorted(allowed)))
    ctx.reuse.finish()  # what no step took of the site this build was made from goes first
    skip = ctx.reuse.checked_before(section)
    scan = check(ctx.out, ctx.catalogue, skip, allowed)
    if scan.leaks:
        raise PersonalDataFound(scan)
