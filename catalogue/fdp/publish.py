"""`catalogue build` step: every FDP record in every format under `fdp/` in the site, so that
`catalogue serve` answers `/fdp/...` from files written with the rest of the build."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import TYPE_CHECKING

from catalogue.dcat.serialize import FORMATS, serialize
from catalogue.fdp.graphs import Records, build_records
from catalogue.validation.workers import QuietProcessPool

if TYPE_CHECKING:
    from catalogue.build.context import BuildContext

FOLDER = "fdp"
ROOT_NAME = "index"  # the root record's file: fdp/index.<ext>


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


def write_records(records: Records, out: Path, workers: int | None = None) -> int:
    """Write every record in every format; a big FDP on every core (serialising is most of the
    step, and forked workers share the records without copying them)."""
    global _JOB
    paths = list(records.records)
    for path in paths:
        record_file(out, path, "ttl").parent.mkdir(parents=True, exist_ok=True)
    if workers is None:
        workers = (os.cpu_count() or 1) if len(paths) >= PARALLEL_FROM else 1
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return _write(records, out, paths)
    size = -(-len(paths) // (workers * 4))  # a few chunks per worker, so both cores stay busy
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    _JOB = (records, out)
    try:
        with QuietProcessPool(workers, fork=True) as pool:  # forked: the workers share _JOB
            return sum(pool.map(_write_chunk, chunks))
    finally:
        _JOB = None


PARALLEL_FROM = 1200  # records (three per entry); below this, forking costs more than it saves
_JOB: tuple[Records, Path] | None = None  # set by the parent just before forking


def _write_chunk(paths: list[str]) -> int:
    assert _JOB is not None
    return _write(*_JOB, paths)


def _write(records: Records, out: Path, paths: list[str]) -> int:
    written = 0
    for path in paths:
        nodes = records.records[path]
        for fmt in FORMATS.values():
            write_file(record_file(out, path, fmt.extension), serialize(nodes, fmt.name).encode("utf-8"))
            written += 1
    return written


def build_step(ctx: BuildContext) -> None:
    write_records(build_records(ctx.catalogue, ctx.base_url), ctx.out)
