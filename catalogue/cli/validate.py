"""`catalogue validate` and `catalogue profiles`: checking metadata, and the profiles it is checked by."""

from __future__ import annotations

from pathlib import Path

import typer

from catalogue.cli.app import app
from catalogue.cli.output import Format, findings, progress_bar, summary
from catalogue.cli.preflight import use_rules
from catalogue.errors import UsageError
from catalogue.validation.discover import find_root
from catalogue.validation.run import validate as run_validate


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
        raise UsageError(f"No such file or folder: {', '.join(map(str, missing))}")
    outside = [p for p in targets if find_root(p) is None]
    if outside:
        raise UsageError(f"Not in a metadata folder (one with registries/, biobanks/ or "
                  f"organizations/): {', '.join(map(str, outside))}")
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
        print(summary(report))
    else:
        findings(report)
        print(summary(report))
    raise typer.Exit(0 if report.valid else 1)


@app.command()
def profiles(
    write: bool = typer.Option(False, "--write", help="Regenerate validators/profiles/."),
    check: bool = typer.Option(False, "--check", help="Exit 1 if the profiles are out of date."),
) -> None:
    """Generate the JSON Schema profiles in validators/profiles/ from the models."""
    from catalogue.format import profiles as profiles_mod

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
