"""The owners' commands: `new` (a skeleton), `import-dictionary` and `import-ckan`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from catalogue.cli.app import app
from catalogue.cli.preflight import use_rules
from catalogue.errors import CatalogueError


class NewKind(StrEnum):
    registry = "registry"
    biobank = "biobank"
    organization = "organization"


@app.command()
def new(
    kind: NewKind = typer.Argument(..., help="registry, biobank or organization."),
    id: str = typer.Argument(..., help="The new id: lowercase letters, digits and hyphens."),
    organization: str = typer.Option(None, help="Data controller's id (default: the first one)."),
    metadata: Path = typer.Option(Path("metadata"), help="The metadata folder."),
) -> None:
    """Write a commented skeleton that validates, ready to fill in."""
    from catalogue.authoring.new import new_entry, new_organization

    use_rules(metadata)
    if kind is NewKind.organization:  # a ScaffoldError ends the command with exit code 2
        path = new_organization(metadata, id)
    else:
        path = new_entry(metadata, kind.value, id, organization)
    print(f"wrote {path}\nnext: fill it in, then run `catalogue validate {path.parent}`")


@app.command("import-dictionary")
def import_dictionary(
    file: Path = typer.Argument(..., help="The variable list: .csv or .xlsx."),
    entry: str = typer.Option(..., "--entry", help="The entry's id (its folder name)."),
    resource: str = typer.Option("main", help="The table (resource) the variables belong to."),
    sheet: str = typer.Option(None, help="XLSX sheet name (default: the first)."),
    metadata: Path = typer.Option(Path("metadata"), help="The metadata folder."),
) -> None:
    """Turn a variable list in CSV or XLSX into the entry's Table Schema."""
    from catalogue.authoring.import_dictionary import import_dictionary as run_import

    use_rules(metadata)
    target = run_import(file, metadata, entry, resource, sheet)  # a DictionaryError: exit 1
    print(f"wrote {target}; run `catalogue validate {target.parent}` to check it")


@app.command("import-ckan")
def import_ckan(
    url: str = typer.Argument(..., help="The CKAN site, e.g. https://data.example.no/"),
    organization: list[str] = typer.Option(None, "--organization", help="Only datasets of this "
                                           "organisation (repeat for several)."),
    metadata: Path = typer.Option(Path("metadata"), help="The metadata folder to write into."),
) -> None:
    """Pull dataset descriptions from a CKAN portal into new entries; list what can't be mapped."""
    from catalogue.authoring.import_ckan import import_ckan as run_import

    use_rules(metadata)
    try:
        report = run_import(url, metadata, organization or [])
    except Exception as exc:  # noqa: BLE001 - network and API errors end the import, told plainly
        raise CatalogueError(f"could not import from {url}: {type(exc).__name__}: {exc}") from None
    for path in report.written:
        print(f"wrote {path}")
    for name, why in report.skipped:
        print(f"skipped {name}: {why}")
    for name, lost in report.unmapped.items():
        print(f"could not map for {name}: {', '.join(lost)}")
    print(f"imported {len(report.written)} file(s), skipped {len(report.skipped)}; next: "
          f"`catalogue validate {metadata}` and complete what is listed above")
