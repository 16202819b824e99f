"""`catalogue build`: the whole build, with a progress line per step and the signals it obeys."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import typer

from catalogue.cli.app import BuildStopped, app, fail
from catalogue.cli.output import err, progress_bar
from catalogue.cli.preflight import check_metadata, use_rules


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
    full: bool = typer.Option(False, "--full", help="Write every output afresh instead of "
                              "reusing what the last build into --out made from unchanged "
                              "input (the result is the same)."),
) -> None:
    """Validate, load the store and write every output; exit 1 when the metadata is invalid or
    a step fails, 2 when the metadata folder is missing or empty, 130 on Ctrl-C and 143 on
    SIGTERM (then nothing is published). Pages of unchanged entries are taken from the last
    build into the same output folder unless --full is given."""
    from sqlalchemy.exc import SQLAlchemyError

    from catalogue.build.context import BuildError
    from catalogue.build.pipeline import build as run_build
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
            ctx = run_build(metadata, out, db, base_url, progress=step_began, full=full)
    except InvalidCatalogue as exc:
        for finding in exc.report.findings:
            print(finding.text())
        print(f"NOT built: {len(exc.report.errors)} error(s) in {metadata}; nothing was changed")
        raise fail(exc) from None
    except BuildError as exc:
        err.print(f"build failed: {exc}", style="red", markup=False, highlight=False)
        raise fail(exc) from None
    except (SQLAlchemyError, OSError) as exc:
        # SQLAlchemy's message goes on with the SQL and a link: the first line says what happened
        what = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        err.print(f"build failed, nothing was changed: {what}", style="red", markup=False,
                  highlight=False)
        raise fail(exc) from None
    except (KeyboardInterrupt, BuildStopped) as exc:
        how = "stopped (SIGTERM)" if isinstance(exc, BuildStopped) else "interrupted"
        err.print(f"build {how}; nothing was published (the previous site and store are "
                  "unchanged)", style="red", markup=False, highlight=False)
        raise fail(exc) from None
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)
    stats = ctx.state.get("store_stats")
    print(f"built {out} from {len(ctx.catalogue.entries)} entries and "
          f"{len(ctx.catalogue.organizations)} organisations")
    if stats is not None:
        print(f"store {ctx.db_url}: {len(stats.added)} added, {len(stats.changed)} changed, "
              f"{len(stats.removed)} removed, {stats.unchanged} unchanged")
    reused = sum(s.reused for s in ctx.reuse.sections.values())
    if reused:
        print(f"reused {reused} unchanged pages and files of the last build (--full writes all)")
