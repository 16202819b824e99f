"""Writing the Directory tables: `<Table>.csv` files (UTF-8, the EMX2 header), a zip of them or
one xlsx workbook with a sheet per table; and the `catalogue build` step that publishes them at
`/bbmri/<Table>.csv` and `/bbmri/directory.zip` for the Directory's `file_ingest` mode."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from catalogue.bbmri.tables import Row, directory_tables
from catalogue.fdp.publish import write_file
from catalogue.format import bbmri_directory as directory
from catalogue.load import Catalogue
from catalogue.settings import DEFAULT_BASE_URL

if TYPE_CHECKING:
    from catalogue.build.context import BuildContext

FORMATS = ("zip", "xlsx", "csv")
ZIP_NAME = "directory.zip"
XLSX_NAME = "directory.xlsx"
_STAMP = (2000, 1, 1, 0, 0, 0)  # zip members' time: the same tables give the same bytes


def table_csv(table: str, rows: list[Row]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=directory.model()[table].header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def write_tables(tables: dict[str, list[Row]], out: Path, fmt: str = "zip") -> list[Path]:
    """Write `tables` into the folder `out` in `fmt`; returns the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        files = []
        for table, rows in tables.items():
            path = out / f"{table}.csv"
            write_file(path, table_csv(table, rows))
            files.append(path)
        return files
    if fmt == "zip":
        path = out / ZIP_NAME
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for table, rows in tables.items():
                z.writestr(zipfile.ZipInfo(f"{table}.csv", _STAMP), table_csv(table, rows),
                           zipfile.ZIP_DEFLATED)
        write_file(path, buf.getvalue())
        return [path]
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for table, rows in tables.items():
        sheet = wb.create_sheet(table)
        header = directory.model()[table].header
        sheet.append(header)
        for row in rows:
            sheet.append([row[c] for c in header])
    path = out / XLSX_NAME
    buf = io.BytesIO()
    wb.save(buf)
    write_file(path, buf.getvalue())
    return [path]


def export(catalogue: Catalogue, out: Path, fmt: str = "zip", node: str | None = None,
           base_url: str = DEFAULT_BASE_URL) -> list[Path]:
    """The Directory tables of `catalogue`'s biobanks, written into `out`."""
    return write_tables(directory_tables(catalogue, node, base_url), out, fmt)


def build_step(ctx: BuildContext) -> None:
    """`catalogue build` step: `bbmri/<Table>.csv` and `bbmri/directory.zip` in the site."""
    tables = directory_tables(ctx.catalogue, base_url=ctx.base_url)
    folder = ctx.out / "bbmri"
    write_tables(tables, folder, "csv")
    write_tables(tables, folder, "zip")
