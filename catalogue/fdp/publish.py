"""`catalogue build` step: every FDP record in every format under `fdp/` in the site, so that
`catalogue serve` answers `/fdp/...` from files written with the rest of the build."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from catalogue.dcat.serialize import FORMATS, serialize
from catalogue.fdp.graphs import Records, build_records

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


def write_records(records: Records, out: Path) -> int:
    written = 0
    for path, nodes in records.records.items():
        for fmt in FORMATS.values():
            target = record_file(out, path, fmt.extension)
            target.parent.mkdir(parents=True, exist_ok=True)
            write_file(target, serialize(nodes, fmt.name).encode("utf-8"))
            written += 1
    return written


def build_step(ctx: BuildContext) -> None:
    write_records(build_records(ctx.catalogue, ctx.base_url), ctx.out)
