"""The researcher's site: pages from the validated models, built with mkdocs-material, searched with Pagefind.

Three build steps (see `catalogue.build.steps`): write the pages for MkDocs into `build/`, run
MkDocs for both languages into the output, then index the output with Pagefind.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from catalogue.build import BuildContext, Step
    from catalogue.load import LoadedEntry

SOURCES = Path("build") / "site-src"


def source_folder(out: Path) -> Path:
    """Where the pages for one output folder's builds are written (one per output, so parallel
    builds into different folders do not meet)."""
    key = hashlib.sha1(str(out.resolve().parent).encode()).hexdigest()[:12]
    return SOURCES / key


def _ckan(ctx: BuildContext) -> Callable[[LoadedEntry], dict[str, Any]] | None:
    from catalogue.site.downloads import ckan_package_maker

    make = ckan_package_maker(ctx.catalogue, ctx.base_url)
    if make is None or not ctx.catalogue.entries:
        return make
    try:
        make(ctx.catalogue.entries[0])
    except Exception as exc:  # noqa: BLE001 - the CKAN module is optional for the site
        warnings.warn(f"no CKAN download: the CKAN module failed ({exc!r})", stacklevel=2)
        return None
    return make


def write_pages(ctx: BuildContext) -> None:
    """Generate every page (both languages) into `build/site-src/`."""
    from catalogue.site import downloads, history, pages

    ckan = _ckan(ctx)
    ctx.state["site.ckan"] = ckan
    ctx.state["site.sources"] = pages.write(
        ctx.catalogue, source_folder(ctx.out), ctx.base_url, history.histories(ctx.catalogue.root),
        lambda f: downloads.names(f.entry, with_ckan=ckan is not None))


def build_site(ctx: BuildContext) -> None:
    """Run mkdocs-material for both languages into the output, then add the downloads."""
    from catalogue.site import downloads, mkdocs_run, urls

    sources = ctx.state["site.sources"]
    mkdocs_run.build(sources.docs, ctx.out, ctx.base_url, pages=len(ctx.catalogue.entries))
    ckan = ctx.state.get("site.ckan")
    for e in ctx.catalogue.entries:
        downloads.write(ctx.out / urls.entry(e), e, ckan)


def index_search(ctx: BuildContext) -> None:
    """Index the built pages with Pagefind."""
    from catalogue.site import search

    search.index(ctx.out)


def steps() -> list[Step]:
    """The site's build steps, in order."""
    return [("Writing the site's pages", write_pages),
            ("Building the site (mkdocs-material)", build_site),
            ("Indexing search (Pagefind)", index_search)]
