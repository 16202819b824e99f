"""The `catalogue` command: a thin typer layer over the library.

Commands parse their options, call one library function and turn its result (or a known error)
into output and an exit code. No Python traceback reaches a user: `main` catches what slips by.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from catalogue.discover import find_root
from catalogue.validate import validate as run_validate

app = typer.Typer(
    help="Publish metadata about medical quality registries and biobanks, and how to get access.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True)


def _show_version(value: bool) -> None:
    if value:
        from catalogue.packaged import version

        print(f"catalogue {version()}")
        raise typer.Exit()


@app.callback()
def _options(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Publish metadata about medical quality registries and biobanks, and how to get access."""
    # a command may point $CATALOGUE_VALIDATORS at the rules beside its metadata (`use_rules`):
    # put it back when the command is done, so a command run in-process leaves no trace
    before = os.environ.get("CATALOGUE_VALIDATORS")
    ctx.call_on_close(lambda: _restore("CATALOGUE_VALIDATORS", before))


def use_rules(metadata: Path | None, say: bool = False) -> None:
    """Apply the rules found for `metadata` (see `catalogue.packaged.find_rules`) in this command
    and its workers; say which when they are not the packaged ones; exit 2 if they are unusable."""
    from catalogue.packaged import use_rules as choose
    from catalogue.preflight import rules_problem

    rules = choose(metadata)  # sets $CATALOGUE_VALIDATORS; `_options` restores it afterwards
    problem = None if rules.packaged else rules_problem(rules)
    if problem:
        err.print(problem, style="red", markup=False, highlight=False)
        raise typer.Exit(2)
    if say and not rules.packaged:
        err.print(rules.describe(), markup=False, highlight=False)


def _restore(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def check_metadata(folder: Path) -> None:
    """Exit 2 with one line when `folder` is missing or holds no entries (before any step)."""
    from catalogue.preflight import metadata_problem

    problem = metadata_problem(folder)
    if problem:
        err.print(problem, style="red", markup=False, highlight=False)
        raise typer.Exit(2)


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def progress_bar(label: str) -> Progress:
    """A progress bar on stderr, shown only on a terminal."""
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


@app.command()
def validate(
    paths: list[Path] = typer.Argument(
        None, help="Files or folders to check (default: metadata/). The whole catalogue is "
        "read for cross-entry rules; findings are shown for these paths."
    ),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text, json or github."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Check every file again."),
    workers: int = typer.Option(0, help="Processes to use (0: one per core)."),
) -> None:
    """Check entries and organisations; exit 0 when valid, 1 when not, 2 on usage errors."""
    targets = paths or [Path("metadata")]
    missing = [p for p in targets if not p.exists()]
    if missing:
        err.print(f"[red]No such file or folder: {', '.join(map(str, missing))}[/red]")
        raise typer.Exit(2)
    outside = [p for p in targets if find_root(p) is None]
    if outside:
        err.print(f"[red]Not in a metadata folder (one with registries/, biobanks/ or "
                  f"organizations/): {', '.join(map(str, outside))}[/red]")
        raise typer.Exit(2)
    use_rules(find_root(targets[0]), say=True)
    with progress_bar("Validating") as bar:
        task = bar.add_task("validate", total=None)
        report = run_validate(
            targets,
            cache_dir=not no_cache,
            workers=workers or None,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if format is Format.json:
        print(report.to_json())
    elif format is Format.github:
        for f in report.findings:
            print(f.github())
        print(_summary(report))
    else:
        for f in report.findings:
            print(f.text())
        print(_summary(report))
    raise typer.Exit(0 if report.valid else 1)


def _summary(report) -> str:  # noqa: ANN001
    s = report.stats
    what = (f"{s['registries']} registries, {s['biobanks']} biobanks, "
            f"{s['organizations']} organisations, {s['variables']} variables")
    verdict = "valid" if report.valid else "NOT valid"
    return (f"{verdict}: {len(report.errors)} error(s), {len(report.warnings)} warning(s) in "
            f"{what} ({s['seconds']} s)")


@app.command()
def profiles(
    write: bool = typer.Option(False, "--write", help="Regenerate validators/profiles/."),
    check: bool = typer.Option(False, "--check", help="Exit 1 if the profiles are out of date."),
) -> None:
    """Generate the JSON Schema profiles in validators/profiles/ from the models."""
    from catalogue import profiles as profiles_mod

    if write:
        for path in profiles_mod.write_all():
            print(f"wrote {path}")
        return
    stale = [k for k in profiles_mod.PROFILE_MODELS
             if not profiles_mod.profile_path(k).is_file()
             or profiles_mod.profile_path(k).read_text(encoding="utf-8") != profiles_mod.render(k)]
    for kind in stale:
        print(f"out of date: {profiles_mod.profile_path(kind)} (run `catalogue profiles --write`)")
    if check and stale:
        raise typer.Exit(1)
    if not stale:
        print("profiles are up to date")


def main() -> None:
    """Entry point: run the app, and turn any unexpected error into one clear line."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("Interrupted.")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last guard: no traceback for a user
        err.print(f"[red]catalogue: unexpected error: {type(exc).__name__}: {exc}[/red]")
        err.print("Please report this with the command you ran (set CATALOGUE_DEBUG=1 for details).")
        if "CATALOGUE_DEBUG" in __import__("os").environ:
            raise
        sys.exit(3)


@app.command()
def synth(
    entries: int = typer.Option(100, "--entries", "-n", help="How many entries."),
    variables: int = typer.Option(20, "--variables", "-m", help="Variables per entry."),
    out: Path = typer.Option(Path("synthetic"), "--out", "-o", help="Folder to write."),
    seed: int = typer.Option(0, help="Random seed; the same seed writes the same catalogue."),
) -> None:
    """Write a valid synthetic catalogue (demonstration metadata) for benchmarks and tests."""
    from catalogue.synth import synth as run_synth

    if out.exists() and any(out.iterdir()):
        err.print(f"[red]{out} exists and is not empty; choose another --out.[/red]")
        raise typer.Exit(2)
    with progress_bar("Writing entries") as bar:
        task = bar.add_task("synth", total=entries)
        run_synth(out, entries, variables, seed, progress=lambda n: bar.advance(task, n))
    print(f"wrote {entries} entries with {variables} variables each to {out}")


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
    from catalogue.scaffold import ScaffoldError, new_entry, new_organization

    use_rules(metadata)
    try:
        if kind is NewKind.organization:
            path = new_organization(metadata, id)
        else:
            path = new_entry(metadata, kind.value, id, organization)
    except ScaffoldError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
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
    from catalogue.dictionary import DictionaryError
    from catalogue.dictionary import import_dictionary as run_import

    use_rules(metadata)
    try:
        target = run_import(file, metadata, entry, resource, sheet)
    except DictionaryError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    print(f"wrote {target}; run `catalogue validate {target.parent}` to check it")


@app.command()
def docs(
    write: bool = typer.Option(False, "--write", help="Regenerate docs/reference/."),
) -> None:
    """Generate the reference pages (CLI, validation rules, schema) from the code."""
    from catalogue import docgen

    if write:
        for path in docgen.write_pages():
            print(f"wrote {path}")
        return
    stale = docgen.stale_pages()
    for path in stale:
        print(f"out of date: {path} (run `catalogue docs --write`)")
    raise typer.Exit(1 if stale else 0)


class BuildStopped(BaseException):
    """SIGTERM during a build: unwinds like Ctrl-C, so the build cleans up after itself."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@app.command()
def build(
    metadata: Path = typer.Option(Path("metadata"), help="The metadata folder."),
    out: Path = typer.Option(Path("site"), help="The output folder; replaced only when the "
                             "whole build succeeds."),
    db: str = typer.Option(None, "--db", help="The store: sqlite:///FILE or "
                           "postgresql+psycopg://USER@HOST/DB (default: $CATALOGUE_DB_URL, "
                           "else build/catalogue.sqlite)."),
    base_url: str = typer.Option(None, "--base-url", help="Where the site will be served, for "
                                 "links in the feeds (default: $CATALOGUE_BASE_URL, else "
                                 "http://127.0.0.1:8000/)."),
) -> None:
    """Validate, load the store and write every output; exit 1 when the metadata is invalid or
    a step fails, 2 when the metadata folder is missing or empty, 130 on Ctrl-C and 143 on
    SIGTERM (then nothing is published)."""
    from sqlalchemy.exc import SQLAlchemyError

    from catalogue.build import BuildError
    from catalogue.build import build as run_build
    from catalogue.load import InvalidCatalogue

    check_metadata(metadata)
    use_rules(metadata, say=True)

    def step_began(label: str, n: int, total: int) -> None:
        if err.is_terminal:
            bar.update(task, description=label, completed=n - 1, total=total)
        else:  # a log (CI, cron) gets one line per step instead of a bar
            err.print(f"[{n}/{total}] {label}", markup=False, highlight=False)

    def stop(signum: int, frame: object) -> None:  # a stopped build cleans up as after Ctrl-C
        raise BuildStopped(signum)

    main = threading.current_thread() is threading.main_thread()  # only it may set handlers
    previous = signal.signal(signal.SIGTERM, stop) if main else None
    try:
        with progress_bar("{task.description}") as bar:
            task = bar.add_task("Validating", total=None)
            ctx = run_build(metadata, out, db, base_url, progress=step_began)
    except InvalidCatalogue as exc:
        for finding in exc.report.findings:
            print(finding.text())
        print(f"NOT built: {len(exc.report.errors)} error(s) in {metadata}; nothing was changed")
        raise typer.Exit(1) from None
    except BuildError as exc:
        err.print(f"build failed: {exc}", style="red", markup=False, highlight=False)
        raise typer.Exit(1) from None
    except (SQLAlchemyError, OSError) as exc:
        # SQLAlchemy's message goes on with the SQL and a link: the first line says what happened
        what = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        err.print(f"build failed, nothing was changed: {what}", style="red", markup=False,
                  highlight=False)
        raise typer.Exit(1) from None
    except (KeyboardInterrupt, BuildStopped) as exc:
        how = "stopped (SIGTERM)" if isinstance(exc, BuildStopped) else "interrupted"
        err.print(f"build {how}; nothing was published (the previous site and store are "
                  "unchanged)", style="red", markup=False, highlight=False)
        raise typer.Exit(128 + getattr(exc, "signum", signal.SIGINT)) from None
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)
    stats = ctx.state.get("store_stats")
    print(f"built {out} from {len(ctx.catalogue.entries)} entries and "
          f"{len(ctx.catalogue.organizations)} organisations")
    if stats is not None:
        print(f"store {ctx.db_url}: {len(stats.added)} added, {len(stats.changed)} changed, "
              f"{len(stats.removed)} removed, {stats.unchanged} unchanged")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    db: str = typer.Option(None, "--db", help="The store to serve (default: $CATALOGUE_DB_URL, "
                           "else the last build's)."),
    out: Path = typer.Option(None, "--out", help="Static files to serve (default: "
                             "$CATALOGUE_OUT, else the last build's output folder)."),
    workers: int = typer.Option(1, help="Worker processes (use PostgreSQL or SQLite; each "
                                "opens its own connections)."),
    access_log: bool = typer.Option(True, "--access-log/--no-access-log",
                                    help="Log every request."),
    cache_mb: float = typer.Option(64, "--cache-mb", help="Memory for cached API results per "
                                   "worker, emptied when a build publishes (0: no cache)."),
) -> None:
    """Serve the CKAN Action API and the built site; with no options, the last build (exit 2
    when there is none: no store, or no metadata folder here to build one from)."""
    import os

    import uvicorn

    from catalogue.ckan.app import settings
    from catalogue.ckan.server import uvicorn_options
    from catalogue.store import normalize_url, sqlite_path

    db_url, folder = settings(db, out)
    path = sqlite_path(normalize_url(db_url))
    if path is not None and not path.is_file() and db is None:  # nothing built here yet
        from catalogue.preflight import serve_problem

        problem = serve_problem(Path("metadata"), path)
        if problem:
            err.print(problem, style="red", markup=False, highlight=False)
            raise typer.Exit(2)
    if path is not None and not path.is_file():
        err.print(f"[red]No store at {path}: run `catalogue build` first, or pass --db.[/red]")
        raise typer.Exit(2)
    os.environ["CATALOGUE_DB_URL"] = db_url  # the workers read their settings from here
    os.environ["CATALOGUE_CACHE_MB"] = str(cache_mb)
    if folder is not None:
        os.environ["CATALOGUE_OUT"] = str(folder)
    err.print(f"CKAN API: http://{host}:{port}/api/3/action/package_search  (store {db_url})")
    if folder is not None and folder.is_dir():
        err.print(f"site: http://{host}:{port}/  (files in {folder})")
    uvicorn.run("catalogue.ckan.app:create_app", factory=True, host=host, port=port,
                workers=workers, access_log=access_log, log_level="info", **uvicorn_options())


export_app = typer.Typer(help="Write the catalogue in the formats other catalogues harvest.",
                         no_args_is_help=True)
app.add_typer(export_app, name="export")


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
    import os

    from catalogue.dcat import DcatConfig, export
    from catalogue.dcat.uris import DEFAULT_BASE_URL
    from catalogue.load import InvalidCatalogue, load_catalogue

    use_rules(metadata)
    formats = tuple(dict.fromkeys(f.value for f in format)) if format else ("ttl", "jsonld", "xml")
    config = DcatConfig(base_url=base_url or os.environ.get("CATALOGUE_BASE_URL") or DEFAULT_BASE_URL,
                        page_size=page_size, formats=formats)
    try:
        catalogue = load_catalogue(metadata)
    except InvalidCatalogue as exc:
        for finding in exc.report.findings:
            print(finding.text())
        print(f"NOT exported: {len(exc.report.errors)} error(s) in {metadata}")
        raise typer.Exit(1) from None
    with progress_bar("Writing the DCAT feed") as bar:
        task = bar.add_task("dcat", total=len(catalogue.entries))
        result = export(catalogue, out, config,
                        progress=lambda done, total: bar.update(task, completed=done, total=total))
    print(f"wrote {result.datasets} datasets on {result.pages} page(s) in {result.files} files "
          f"({', '.join(formats)}) to {out} in {result.seconds:.1f} s")


@app.command("import-ckan")
def import_ckan(
    url: str = typer.Argument(..., help="The CKAN site, e.g. https://data.example.no/"),
    organization: list[str] = typer.Option(None, "--organization", help="Only datasets of this "
                                           "organisation (repeat for several)."),
    metadata: Path = typer.Option(Path("metadata"), help="The metadata folder to write into."),
) -> None:
    """Pull dataset descriptions from a CKAN portal into new entries; list what can't be mapped."""
    from catalogue.ckan.importer import import_ckan as run_import

    use_rules(metadata)
    try:
        report = run_import(url, metadata, organization or [])
    except Exception as exc:  # noqa: BLE001 - network and API errors end the import, told plainly
        err.print(f"[red]could not import from {url}: {type(exc).__name__}: {exc}[/red]")
        raise typer.Exit(1) from None
    for path in report.written:
        print(f"wrote {path}")
    for name, why in report.skipped:
        print(f"skipped {name}: {why}")
    for name, lost in report.unmapped.items():
        print(f"could not map for {name}: {', '.join(lost)}")
    print(f"imported {len(report.written)} file(s), skipped {len(report.skipped)}; next: "
          f"`catalogue validate {metadata}` and complete what is listed above")
