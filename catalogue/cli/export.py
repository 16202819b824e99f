"""`catalogue export dcat` and `catalogue export-bbmri`: the catalogue in the formats other
catalogues harvest (HealthDCAT-AP / DCAT-AP-NO RDF files, BBMRI-ERIC Directory staging tables)."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from catalogue import settings
from catalogue.cli.app import app, export_app, fail
from catalogue.cli.output import progress_bar
from catalogue.cli.preflight import use_rules
from catalogue.errors import UsageError

if TYPE_CHECKING:
    from catalogue.load import Catalogue


class RdfFormat(StrEnum):
    ttl = "ttl"
    jsonld = "jsonld"
    xml = "xml"


@export_app.command("dcat")
def export_dcat(
    metadata: Path = typer.Option(Path("metadata"), help="The metadata folder."),
    format: list[RdfFormat] = typer.Option(None, "--format", "-f", help="ttl, jsonld or xml "
                                           "(RDF/XML, written as .rdf); repeat for several "
                                           "(default: all three)."),
    out: Path = typer.Option(Path("site"), "--out", help="The folder to write into."),
    base_url: str = typer.Option(None, "--base-url", help="Where the files will be served; "
                                 "every URI starts with it (default: $CATALOGUE_BASE_URL, else "
                                 "http://127.0.0.1:8000/)."),
    page_size: int = typer.Option(100, "--page-size", min=1, help="Datasets per catalogue page."),
) -> None:
    """HealthDCAT-AP and DCAT-AP-NO RDF: catalog.<ext> paged with hydra, and dataset/<id>.<ext>."""

    from catalogue.dcat import DcatConfig, export

    use_rules(metadata)
    formats = tuple(dict.fromkeys(f.value for f in format)) if format else ("ttl", "jsonld", "xml")
    config = DcatConfig(base_url=settings.base_url(base_url),
                        page_size=page_size, formats=formats)
    catalogue = _load(metadata)
    with progress_bar("Writing the DCAT feed") as bar:
        task = bar.add_task("dcat", total=len(catalogue.entries))
        result = export(catalogue, out, config,
                        progress=lambda done, total: bar.update(task, completed=done, total=total))
    print(f"wrote {result.datasets} datasets on {result.pages} page(s) in {result.files} files "
          f"({', '.join(formats)}) to {out} in {result.seconds:.1f} s")


class BbmriFormat(StrEnum):
    zip = "zip"
    xlsx = "xlsx"
    csv = "csv"


@app.command("export-bbmri")
def export_bbmri(
    metadata: Path = typer.Option(Path("metadata"), help="The metadata folder."),
    node: str = typer.Option(None, "--node", help="The national node's code in the ids "
                             "(default: validators/mappings/bbmri/node.yaml, NO)."),
    out: Path = typer.Option(Path("bbmri"), "--out", help="The folder to write into."),
    format: BbmriFormat = typer.Option(BbmriFormat.zip, "--format", help="zip (the tables' "
                                       "CSVs zipped), xlsx (a sheet per table) or csv."),
    base_url: str = typer.Option(None, "--base-url", help="Where the site is served, for the "
                                 "links back to the entry pages (default: $CATALOGUE_BASE_URL)."),
) -> None:
    """The biobanks as BBMRI-ERIC Directory staging tables (Persons, Networks, Biobanks, ...)."""
    from catalogue.bbmri import export as run_export

    if node is not None and not re.fullmatch(r"[A-Z]{2,3}", node):
        raise UsageError(f"--node {node!r}: give the node's code, two or three capitals (NO).")
    use_rules(metadata)
    catalogue = _load(metadata)
    files = run_export(catalogue, out, format.value, node, settings.base_url(base_url))
    biobanks = sum(e.kind == "biobank" for e in catalogue.entries)
    print(f"wrote {biobanks} biobank(s) to {', '.join(str(f) for f in files)}")


def _load(metadata: Path) -> Catalogue:
    """The validated catalogue; when it is invalid, its findings and exit 1 (nothing written)."""
    from catalogue.load import InvalidCatalogue, load_catalogue

    try:
        return load_catalogue(metadata)
    except InvalidCatalogue as exc:
        for finding in exc.report.findings:
            print(finding.text())
        print(f"NOT exported: {len(exc.report.errors)} error(s) in {metadata}")
        raise fail(exc) from None
