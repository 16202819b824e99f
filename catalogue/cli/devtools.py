"""The maintainers' commands: `synth` (a synthetic catalogue) and `docs` (the reference pages)."""

from __future__ import annotations

from pathlib import Path

import typer

from catalogue.cli.app import app
from catalogue.cli.output import progress_bar
from catalogue.errors import UsageError


@app.command()
def synth(
    entries: int = typer.Option(100, "--entries", "-n", help="How many entries."),
    variables: int = typer.Option(20, "--variables", "-m", help="Variables per entry."),
    out: Path = typer.Option(Path("synthetic"), "--out", "-o", help="Folder to write."),
    seed: int = typer.Option(0, help="Random seed; the same seed writes the same catalogue."),
) -> None:
    """Write a valid synthetic catalogue (demonstration metadata) for benchmarks and tests."""
    from catalogue.devtools.synth import synth as run_synth

    if out.exists() and any(out.iterdir()):
        raise UsageError(f"{out} exists and is not empty; choose another --out.")
    with progress_bar("Writing entries") as bar:
        task = bar.add_task("synth", total=entries)
        run_synth(out, entries, variables, seed, progress=lambda n: bar.advance(task, n))
    print(f"wrote {entries} entries with {variables} variables each to {out}")


@app.command()
def docs(
    write: bool = typer.Option(False, "--write", help="Regenerate docs/reference/."),
) -> None:
    """Generate the reference pages (CLI, validation rules, schema) from the code."""
    from catalogue.cli import docgen

    if write:
        for path in docgen.write_pages():
            print(f"wrote {path}")
        return
    stale = docgen.stale_pages()
    for path in stale:
        print(f"out of date: {path} (run `catalogue docs --write`)")
    raise typer.Exit(1 if stale else 0)
