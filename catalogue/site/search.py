"""The search index: Pagefind over the built entry pages, loaded by the browser in small chunks.

MkDocs' lunr index would ship every word of the catalogue to every visitor (7 MB for 1,000
entries of 100 variables). Pagefind splits the index, so one search fetches only a few chunks.
Only entry pages carry `data-pagefind-body`, so results are registries and biobanks, and every
variable name is a heading with an id, so a hit can land on the variable's row.

One index serves both languages: the variables, codes and facets are the same in both, so the
bokmål pages are indexed once, carrying the English title and description as indexed attributes
and English labels as `*_en` metadata; the English catalogue maps hits to its `/en/` pages.
That halves indexing time and Pagefind's peak memory.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from catalogue.build.context import BuildError

BUNDLE = "pagefind"
ENTRY_PAGES = "{registries,biobanks}/*/index.html"  # bokmål entry pages; /en/ is not matched


class IndexFailed(BuildError):
    """Pagefind exited with an error; the message carries its output."""


def index(site: Path) -> None:
    """Index the entry pages into `<site>/pagefind/`."""
    proc = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--glob", ENTRY_PAGES,
                           "--output-subdir", BUNDLE, "--silent"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise IndexFailed(f"pagefind failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
