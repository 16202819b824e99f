"""`catalogue build` step: every FDP record in every format under `fdp/` in the site, so that
`catalogue serve` answers `/fdp/...` from files written with the rest of the build.

Entries are built and written one at a time (a big FDP on every core, in forked workers that
share the loaded catalogue, each replaced after a chunk of entries), so the records never all
live at once. Many of a record's subjects are in other records too: the agents and concepts an
entry refers to are in its dataset's record and its distributions', and in every other entry's.
Each subject's text is written once per format and reused wherever the same triples come back
(`_Texts`). An incremental build copies the files of each entry whose input is unchanged from
the last build (`catalogue.build.reuse`): its metadata, the ids of the entries it links to, and
what every entry shares (the code, the rules, the organisations, the base URL).
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import TYPE_CHECKING

from catalogue.build.reuse import Reuse, entry_fingerprint, shared_fingerprint
from catalogue.dcat.rdf import Nodes
from catalogue.dcat.serialize import FORMATS, NODE_WRITERS, document
from catalogue.fdp.graphs import FdpGraphs, Records
from catalogue.validation.workers import forked_map

if TYPE_CHECKING:
    from catalogue.build.context import BuildContext
    from catalogue.dcat.rdf import Obj
    from catalogue.load import Catalogue, LoadedEntry

FOLDER = "fdp"
ROOT_NAME = "index"  # the root record's file: fdp/index.<ext>
PARALLEL_FROM = 400  # entries; below this, forking costs more than it saves
CHUNK = 200  # entries a forked worker writes before a fresh one takes over (`forked_map`)


def record_file(out: Path, path: str, ext: str) -> Path:
    """Where the record at `/fdp/<path>` is written in format `ext` (ttl, jsonld or rdf)."""
    return out / FOLDER / f"{path or ROOT_NAME}.{ext}"


def write_file(path: Path, data: bytes) -> None:
    """Write `data`; an OSError names the file (a full disk is reported on write, without one)."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        if exc.filename is None:
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


Predicates = dict[str, dict["Obj", None]]


class _Texts:
    """Each subject's text per format, kept with the triples it was written from: a record whose
    subject has exactly those triples gets the same text without writing it again. The agents'
    and concepts' texts are kept for the whole run, an entry's own only while it is written."""

    def __init__(self, shared: set[str]) -> None:
        self.shared = shared
        self.kept: dict[str, tuple[Predicates, dict[str, str]]] = {}
        self.entry: dict[str, tuple[Predicates, dict[str, str]]] = {}

    def text(self, fmt: str, s: str, preds: Predicates) -> str:
        store = self.kept if s in self.shared else self.entry
        seen = store.get(s)
        if seen is None or (seen[0] is not preds and seen[0] != preds):
            seen = store[s] = (preds, {})
        texts = seen[1]
        if fmt not in texts:
            texts[fmt] = NODE_WRITERS[fmt](s, preds)
        return texts[fmt]

    def document(self, fmt: str, nodes: Nodes) -> str:
        """What `serialize(nodes, fmt)` writes, from the kept texts."""
        return document(fmt, [self.text(fmt, s, preds) for s, preds in nodes.subjects.items()])


def _write(records: Records, out: Path, texts: _Texts) -> list[str]:
    """Write `records` in every format; returns the files, relative to `out`."""
    written = []
    for path, nodes in records.records.items():
        record_file(out, path, "ttl").parent.mkdir(parents=True, exist_ok=True)
        for fmt in FORMATS.values():
            file = record_file(out, path, fmt.extension)
            write_file(file, texts.document(fmt.name, nodes).encode("utf-8"))
            written.append(file.relative_to(out).as_posix())
    return written


class _EntryWriter:
    """Builds and writes whole entries; one per process, so the kept texts are per process."""

    def __init__(self, graphs: FdpGraphs, out: Path) -> None:
        self.graphs, self.out = graphs, out
        self.texts = _Texts(set(graphs.builder.shared.subjects))

    def write(self, entries: list[LoadedEntry]) -> list[tuple[str, list[str]]]:
        """Write each entry's records; returns (entry id, its files) for each."""
        written = []
        for e in entries:
            written.append((e.id, _write(self.graphs.entry(e), self.out, self.texts)))
            self.texts.shared.update(self.graphs.builder.shared.subjects)
            self.texts.entry.clear()
        return written


_JOB: tuple[FdpGraphs, Path, list[LoadedEntry]] | None = None  # set by the parent before forking
_WRITER: _EntryWriter | None = None  # one per worker process


def _write_chunk(span: tuple[int, int]) -> list[tuple[str, list[str]]]:
    """Write the entries `span` (start, stop) of the job's: a worker finds them in the memory it
    shares with the parent, instead of having every entry's model pickled to it (at 10,000 x
    100, 470 MB of pickles, written by the parent and read again by the workers)."""
    global _WRITER
    assert _JOB is not None
    if _WRITER is None:
        _WRITER = _EntryWriter(_JOB[0], _JOB[1])
    return _WRITER.write(_JOB[2][span[0]:span[1]])


def fdp_key(catalogue: Catalogue, base_url: str) -> str:
    """What an entry's records depend on besides the entry: the code, the rules (vocabulary
    labels), the organisations and where the FDP is served."""
    return shared_fingerprint(catalogue, base_url)


def write_fdp(catalogue: Catalogue, base_url: str, out: Path, workers: int | None = None,
              reuse: Reuse | None = None) -> int:
    """Write every record of the FDP in every format under `out/fdp/`; returns how many files.

    With `reuse`, an entry whose records' input is unchanged has its files copied from the
    last build; the root and the catalogue, which list every entry, are always written."""
    graphs = FdpGraphs(catalogue, base_url)
    top = graphs.top()
    written = len(_write(top, out, _Texts(set(graphs.builder.shared.subjects))))
    for sub in ("dataset", "distribution"):
        (out / FOLDER / sub).mkdir(parents=True, exist_ok=True)
    ids = graphs.builder.ids  # every entry's id by name
    prints = {e.id: entry_fingerprint(e, ids) for e in graphs.entries}
    section = reuse.section("fdp", fdp_key(catalogue, base_url)) if reuse else None
    entries = graphs.entries
    if reuse is not None and section is not None:
        entries = [e for e in entries if not reuse.take(section, e.id, prints[e.id], out)]
        written += sum(len(section.files(unit)) for unit in section.new)
    done = _write_entries(graphs, entries, out, workers)
    for entry_id, files in done:
        if section is not None:
            section.made(entry_id, prints[entry_id], files)
        written += len(files)
    return written


def _write_entries(graphs: FdpGraphs, entries: list[LoadedEntry], out: Path,
                   workers: int | None) -> list[tuple[str, list[str]]]:
    global _JOB
    if workers is None:
        workers = (os.cpu_count() or 1) if len(entries) >= PARALLEL_FROM else 1
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return _EntryWriter(graphs, out).write(entries)
    size = min(CHUNK, -(-len(entries) // workers))
    spans = [(i, min(i + size, len(entries))) for i in range(0, len(entries), size)]
    _JOB = (graphs, out, entries)
    try:  # forked: the workers share _JOB; a fresh one for each chunk, so its copies stay few
        return [one for part in forked_map(_write_chunk, spans, workers, 1) for one in part]
    finally:
        _JOB = None


def build_step(ctx: BuildContext) -> None:
    write_fdp(ctx.catalogue, ctx.base_url, ctx.out, reuse=ctx.reuse)
