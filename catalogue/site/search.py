"""The search index: Pagefind over the built entry pages, loaded by the browser in small chunks.

MkDocs' lunr index would ship every word of the catalogue to every visitor (7 MB for 1,000
entries of 100 variables). Pagefind splits the index, so one search fetches only a few chunks.
Only entry pages carry `data-pagefind-body`, so results are registries and biobanks, and every
variable name is a heading with an id, so a hit can land on the variable's row.

One index serves both languages: the variables, codes and facets are the same in both, so the
bokmål pages are indexed once, carrying the English title and description as indexed attributes
and English labels as `*_en` metadata; the English catalogue maps hits to its `/en/` pages.
That halves indexing time and Pagefind's peak memory.

Pagefind holds every page it indexes in memory at once, so a large catalogue is indexed in
*shards* of at most `CATALOGUE_SEARCH_SHARD` entries (2,000 by default), one Pagefind run each:
shard 0 in `pagefind/`, the others in `pagefind/shard-<k>/`, which the catalogue page merges in
the browser (Pagefind's `mergeIndex`). An entry's shard is a hash of its page's path, so adding
or changing an entry changes only its own shard, and an incremental build copies every shard
whose pages are byte for byte the last build's (`catalogue.build.reuse`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from catalogue.build.context import BuildError
from catalogue.build.reuse import Reuse, fingerprint, sources_fingerprint
from catalogue.settings import DEFAULT_SEARCH_SHARD, ENV_SEARCH_SHARD, search_shard
from catalogue.site import urls

if TYPE_CHECKING:
    from catalogue.load import LoadedEntry

BUNDLE = "pagefind"
ENTRY_PAGES = "{registries,biobanks}/*/index.html"  # bokmål entry pages; /en/ is not matched
SHARD_DIR = "shard-"  # shard k > 0 is in pagefind/shard-<k>/
STAGE = ".search-shard"  # the folder of links to one shard's pages, beside the output
# What a merged shard needs (its entry file, word index, filters and fragments): the browser
# runs the search with shard 0's script and WebAssembly, so a shard's own copies are left out.
SHARD_UNUSED = (".js", ".css")
SHARD_UNUSED_PREFIX = "wasm."


class IndexFailed(BuildError):
    """Pagefind exited with an error, or the shard size is not a number; the message says which."""


def shard_size() -> int:
    """Entries per shard (`CATALOGUE_SEARCH_SHARD`)."""
    given = search_shard()
    try:
        size = int(given)
    except ValueError:
        size = 0
    if size < 1:
        raise IndexFailed(f"{ENV_SEARCH_SHARD}={given!r} is not a number of entries: "
                          f"set it to a whole number of at least 1, or unset it for {DEFAULT_SEARCH_SHARD}")
    return size


def shard_count(entries: int) -> int:
    """How many shards the search of a catalogue of `entries` entries is split into."""
    return max(1, -(-entries // shard_size()))


def shard_of(page: str, shards: int) -> int:
    """The shard of the entry page at `page` (relative to the site): stable while it exists."""
    return int.from_bytes(hashlib.sha256(page.encode("utf-8")).digest()[:8], "big") % shards


def plan(pages: list[str]) -> list[tuple[str, list[str]]]:
    """Each bundle with the entry pages it indexes, shard 0's (`pagefind/`) first. A shard that
    no page falls into has no bundle: the first one that has pages is written to `pagefind/`."""
    shards = shard_count(len(pages))
    members: list[list[str]] = [[] for _ in range(shards)]
    for page in sorted(pages):
        members[shard_of(page, shards)].append(page)
    kept = [(k, chosen) for k, chosen in enumerate(members) if chosen]
    return [(BUNDLE if i == 0 else f"{BUNDLE}/{SHARD_DIR}{k}", chosen) for i, (k, chosen) in enumerate(kept)]


def entry_pages(entries: Sequence[LoadedEntry]) -> list[str]:
    """The bokmål entry pages the search indexes, relative to the site's root: the catalogue
    page names the bundles, and the index step fills them, from this one list."""
    return [urls.entry(e) + "index.html" for e in entries]


def merged_bundles(pages: list[str]) -> list[str]:
    """The bundles the catalogue page merges into `pagefind/`'s, relative to the site's root."""
    return [f"{unit}/" for unit, _ in plan(pages)[1:]]


def index(site: Path, pages: list[str], reuse: Reuse | None = None) -> None:
    """Index the entry `pages` (`entry_pages`) into `<site>/pagefind/` and, for a large
    catalogue, its shards. With `reuse`, a shard whose pages are unchanged is copied from the
    last build."""
    bundles = plan(pages)
    section = reuse.section("search", _key(len(bundles))) if reuse else None
    prints = _page_prints(site, reuse)
    for unit, chosen in bundles:
        print_ = fingerprint(*(part for page in chosen for part in (page, prints(page))))
        if reuse and section and reuse.take(section, unit, print_, site):
            continue
        _index_shard(site, chosen, unit)
        if section:
            section.made(unit, print_, _files(site, unit))


def _page_prints(site: Path, reuse: Reuse | None) -> Callable[[str], str]:
    """What an entry page's HTML is made from: the fingerprint of its source under the key of
    MkDocs' configuration and theme, as the build's MkDocs reuse records them (the page is
    reused exactly when they are unchanged), so ten thousand pages need not be read again;
    else the page's bytes."""
    from catalogue.site.mkdocs_run import SECTION

    section = reuse.sections.get(SECTION.format("nb")) if reuse else None

    def of(page: str) -> str:
        unit = section.new.get(page) if section else None
        if section and isinstance(unit, dict):
            return fingerprint("source", section.key, unit["print"])
        return fingerprint("html", (site / page).read_bytes())

    return of


def _key(bundles: int) -> str:
    """What every bundle depends on besides its pages: Pagefind's version, this code, how many."""
    from importlib.metadata import version

    return fingerprint(version("pagefind"), sources_fingerprint(sys.modules[__name__]), str(bundles))


def _index_shard(site: Path, pages: list[str], unit: str) -> None:
    """Run Pagefind over `pages` only: it reads a folder of hard links to them (same paths, so
    the same URLs), beside the output so the links stay on its file system."""
    stage = site.parent / f"{STAGE}-{os.getpid()}-{site.name}"
    shutil.rmtree(stage, ignore_errors=True)
    try:
        for page in pages:
            (stage / page).parent.mkdir(parents=True, exist_ok=True)
            os.link(site / page, stage / page)
        _pagefind(stage, site / unit)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    if unit != BUNDLE:
        for f in (site / unit).iterdir():
            if f.is_file() and (f.suffix in SHARD_UNUSED or f.name.startswith(SHARD_UNUSED_PREFIX)):
                f.unlink()


def _pagefind(stage: Path, output: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(stage), "--glob", ENTRY_PAGES,
                           "--output-path", str(output), "--silent"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise IndexFailed(f"pagefind failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")


def _files(site: Path, unit: str) -> list[str]:
    """The files of the bundle `unit`, relative to the site (shard 0's without the shards')."""
    root = site / unit
    return sorted(p.relative_to(site).as_posix() for p in root.rglob("*") if p.is_file()
                  and not (unit == BUNDLE and p.relative_to(root).parts[0].startswith(SHARD_DIR)))
