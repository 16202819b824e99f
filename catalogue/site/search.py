"""The search index: Pagefind over the built site, loaded by the browser in small chunks.

MkDocs' lunr index would ship every word of the catalogue to every visitor (7 MB for 1,000
entries of 100 variables). Pagefind splits the index, so one search fetches only a few chunks.
Only entry pages carry `data-pagefind-body`, so results are registries and biobanks, and every
variable name is a heading with an id, so a hit can land on the variable's row.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BUNDLE = "pagefind"


class IndexFailed(Exception):
    """Pagefind exited with an error; the message carries its output."""


def index(site: Path) -> str:
    """Index the built site in place (`<site>/pagefind/`); returns Pagefind's summary."""
    proc = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site),
                           "--output-subdir", BUNDLE],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise IndexFailed(f"pagefind failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return proc.stdout
