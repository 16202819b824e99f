"""Shared fixtures: a small valid catalogue to copy and break, and a CLI runner."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# stores, the ASGI app and a live server for the feed; the built site and the browser. Shared as
# plugins, so every browser test module uses the same session's site and Chromium.
pytest_plugins = ["tests.feed_fixtures", "tests.site_browser"]

# The review cadence counts from "today" (catalogue/review.py): pin it, so that the sample entries'
# `last_reviewed` dates do not turn into `review-due` warnings a year after they were written.
# CLI runs in subprocesses inherit it. Tests of the cadence set their own dates.
os.environ.setdefault("CATALOGUE_TODAY", "2026-12-01")

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/catalogue (valid: two organisations, a registry, a biobank)."""
    target = tmp_path / "metadata"
    shutil.copytree(FIXTURES / "catalogue", target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of text in a fixture file (it must be there exactly once)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")
