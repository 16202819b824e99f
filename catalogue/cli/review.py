"""`catalogue review-due`: the entries whose review is due or soon due, for their owners."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from catalogue.cli.app import app
from catalogue.errors import UsageError
from catalogue.validation import review
from catalogue.validation.discover import find_root


class ReviewFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    github = "github"


@app.command("review-due")
def review_due(
    within: int = typer.Option(30, "--within", min=0, help="Also list entries due within this "
                               "many days (0: only those due now)."),
    format: ReviewFormat = typer.Option(ReviewFormat.text, "--format", "-f",
                                        help="text, json, csv or github (workflow annotations)."),
    metadata: Path = typer.Option(Path("metadata"), help="The metadata folder."),
) -> None:
    """List the entries whose review is due or soon due, with their contact points."""
    root = find_root(metadata) if metadata.exists() else None
    if root is None:
        raise UsageError(f"{metadata} is not a metadata folder (one with registries/, biobanks/ "
                         "or organizations/).")
    items = review.due_within(review.statuses(root), within)
    print(review.render(items, format.value, review.interval_months()))
