"""Writing the feed: `catalog.<ext>` and its pages, and `dataset/<id>.<ext>` for every entry.

Each page is a unit of work: its datasets are built once, each dataset's text is written once
per format and reused in the page, and the descriptions of shared agents and concepts are
written once per process. Pages go to worker processes (forked, so the loaded catalogue is not
copied, and replaced every few pages, so the pages they touch are not copied either for long)
when the catalogue is big enough to pay for them.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from catalogue.build.reuse import Reuse, entry_fingerprint, fingerprint, shared_fingerprint
from catalogue.dcat.dataset import DatasetBuilder, entry_ids
from catalogue.dcat.paging import catalog_nodes, hydra_nodes, page_count
from catalogue.dcat.rdf import Nodes
from catalogue.dcat.serialize import FORMATS, document, node_texts
from catalogue.dcat.uris import DcatConfig
from catalogue.load import Catalogue, LoadedEntry
from catalogue.validation.workers import forked_map

if TYPE_CHECKING:
    from catalogue.build.context import BuildContext, Step

PARALLEL_FROM = 400  # entries; below this, starting processes costs more than it saves
FRESH_AFTER = 500  # entries a forked worker writes before a fresh one takes over (`forked_map`)


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    datasets: int
    pages: int
    files: int
    seconds: float


@dataclass
class _Job:
    catalogue: Catalogue
    config: DcatConfig
    entries: list[LoadedEntry]
    out: Path
    pages: int
    modified: str | None
    ids: dict[str, str]  # every entry's id by name, made here for the forked workers to share

    def chunk(self, page: int) -> list[LoadedEntry]:
        """The entries on page `page` (1-based)."""
        size = self.config.page_size
        return self.entries[(page - 1) * size: page * size]

    def files(self, page: int) -> list[str]:
        """What `_PageWriter.write(page)` writes, relative to `out`."""
        config = self.config
        return [path for fmt in config.formats for path in (
            config.page_path(page, FORMATS[fmt].extension),
            *(config.dataset_path(e.id, FORMATS[fmt].extension) for e in self.chunk(page)))]


class _PageWriter:
    """Writes whole pages; one per process, so shared texts are cached per process."""

    def __init__(self, job: _Job) -> None:
        self.job = job
        self.builder = DatasetBuilder(job.catalogue, job.config, job.ids)
        self.cache: dict[str, dict[str, str]] = {fmt: {} for fmt in job.config.formats}

    def _shared(self, fmt: str, subjects: list[str]) -> list[str]:
        cache, nodes = self.cache[fmt], self.builder.shared
        missing = [s for s in subjects if s not in cache]
        for s, t in zip(missing, node_texts(fmt, nodes, missing), strict=True):
            cache[s] = t
        return [cache[s] for s in subjects]

    def write(self, page: int) -> int:
        """Write page `page` (1-based) and the dataset files of its entries; returns how many."""
        job, config = self.job, self.job.config
        chunk = job.chunk(page)
        own_texts: dict[str, list[str]] = {fmt: [] for fmt in config.formats}
        used: dict[str, None] = {}
        datasets = []
        for entry in chunk:
            own = self.builder.build(entry)
            refs = self.builder.shared.closure(own.objects_of())
            used.update(dict.fromkeys(refs))
            datasets.append(config.dataset(entry.id))
            for fmt in config.formats:
                texts = node_texts(fmt, own)
                own_texts[fmt].extend(texts)
                path = job.out / config.dataset_path(entry.id, FORMATS[fmt].extension)
                path.write_text(document(fmt, texts + self._shared(fmt, refs)), encoding="utf-8")
        b = self.builder
        records = [config.record(entry.id) for entry in chunk]
        catalog = catalog_nodes(config, b.concepts, b.agents, datasets, job.modified, records)
        used.update(dict.fromkeys(b.shared.closure(catalog.objects_of())))
        shared = list(used)
        for fmt in config.formats:
            ext = FORMATS[fmt].extension
            paging = hydra_nodes(config, ext, page, job.pages, len(job.entries))
            texts = node_texts(fmt, paging) + node_texts(fmt, catalog) + own_texts[fmt]
            path = job.out / config.page_path(page, ext)
            path.write_text(document(fmt, texts + self._shared(fmt, shared)), encoding="utf-8")
        return len(chunk)


_JOB: _Job | None = None  # set by the parent just before forking; read by the workers
_WRITER: _PageWriter | None = None  # one per worker process


def _work(page: int) -> int:
    global _WRITER
    if _WRITER is None:
        assert _JOB is not None
        _WRITER = _PageWriter(_JOB)
    return _WRITER.write(page)


def _modified(entries: list[LoadedEntry]) -> str | None:
    dates = [(e.model.modified or e.model.issued)[:10] for e in entries]
    return max(dates) if dates else None


def _clear(out: Path, config: DcatConfig) -> None:
    """Remove files of an earlier export in the chosen formats, so removed entries disappear."""
    for folder, pattern in (("dataset", "*"), ("catalog", "page-*")):
        for fmt in config.formats:
            for old in (out / folder).glob(f"{pattern}.{FORMATS[fmt].extension}"):
                old.unlink()


def export(
    catalogue: Catalogue,
    out: Path,
    config: DcatConfig | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    reuse: Reuse | None = None,
) -> ExportResult:
    """Write the DCAT feed of `catalogue` into `out` (made if missing) in `config.formats`.
    With `reuse` (a build's), a page whose entries are unchanged is copied from the last build
    with their dataset files (`_reuse_key` says what else every page shows)."""
    global _JOB
    started = time.perf_counter()
    config = config or DcatConfig()
    unknown = set(config.formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown RDF format(s): {', '.join(sorted(unknown))}")
    entries = sorted(catalogue.entries, key=lambda e: (e.name, e.id))
    pages = page_count(len(entries), config.page_size)
    out.mkdir(parents=True, exist_ok=True)
    (out / "dataset").mkdir(exist_ok=True)
    (out / "catalog").mkdir(exist_ok=True)
    if reuse is None or reuse.base is None:  # a build's pool is cleared unit by unit (`Reuse.take`)
        _clear(out, config)
    job = _Job(catalogue, config, entries, out, pages, _modified(entries), entry_ids(entries))
    todo = list(range(1, pages + 1))
    done = 0
    if reuse:
        section = reuse.section("dcat", _reuse_key(job))
        copied = set()
        for page in todo:
            print_ = fingerprint(*(entry_fingerprint(e, job.ids) for e in job.chunk(page)))
            if reuse.take(section, str(page), print_, out):
                copied.add(page)
                done += len(job.chunk(page))
            else:
                section.made(str(page), print_, job.files(page))
        todo = [page for page in todo if page not in copied]
    if workers is None:
        workers = (os.cpu_count() or 1) if len(todo) * config.page_size >= PARALLEL_FROM else 1
    workers = max(1, min(workers, len(todo)))
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        _JOB = job
        try:
            # forked: the workers share _JOB; fresh ones every few pages, so their copies stay few
            for n in forked_map(_work, todo, workers, max(1, FRESH_AFTER // config.page_size)):
                done += n
                if progress:
                    progress(done, len(entries))
        finally:
            _JOB = None
    else:
        writer = _PageWriter(job)
        for page in todo:
            done += writer.write(page)
            if progress:
                progress(done, len(entries))
    files = (len(entries) + pages) * len(config.formats)
    return ExportResult(len(entries), pages, files, round(time.perf_counter() - started, 3))


def dataset_nodes(catalogue: Catalogue, entry: LoadedEntry, config: DcatConfig | None = None) -> Nodes:
    """Everything `dataset/<id>.<ext>` holds for one entry: its triples and what they refer to."""
    builder = DatasetBuilder(catalogue, config or DcatConfig())
    own = builder.build(entry)
    own.merge(builder.shared, builder.shared.closure(own.objects_of()))
    return own


def _reuse_key(job: _Job) -> str:
    """What every page shows besides its entries: the code, the vocabularies, the organisations
    (agents), the settings, the catalogue's date and size (the paging links)."""
    return shared_fingerprint(job.catalogue, repr(job.config), str(job.modified), str(job.pages),
                              str(len(job.entries)))


def build_step(ctx: BuildContext) -> None:
    """`catalogue build` step: the feed in every format at the root of the site (unchanged
    pages copied from the last build)."""
    export(ctx.catalogue, ctx.out, DcatConfig(base_url=ctx.base_url), reuse=ctx.reuse)


def steps() -> list[Step]:
    """The DCAT side's build steps."""
    return [("Writing the DCAT feed", build_step)]
