"""What the commands print: progress bars on stderr, findings and summaries on stdout."""

from __future__ import annotations

from enum import StrEnum

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from catalogue.validation.findings import Report

err = Console(stderr=True, soft_wrap=True)


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


def findings(report: Report) -> None:
    """Every finding of the report, one line each, as `file:line:col: ...`."""
    for finding in report.findings:
        print(finding.text())


def summary(report: Report) -> str:
    """One line: valid or not, how many errors and warnings in what."""
    s = report.stats
    what = (f"{s['registries']} registries, {s['biobanks']} biobanks, "
            f"{s['organizations']} organisations, {s['variables']} variables")
    verdict = "valid" if report.valid else "NOT valid"
    return (f"{verdict}: {len(report.errors)} error(s), {len(report.warnings)} warning(s) in "
            f"{what} ({s['seconds']} s)")
