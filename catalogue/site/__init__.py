"""The researcher's site: pages from the validated models, built with mkdocs-material, searched
through a static index of our own.

Two build steps (`steps()`, collected by `catalogue.build.pipeline`): write the pages for MkDocs
into `build/` and run MkDocs for both languages into the output, then write the search index.
Owns: the pages and their data (`pages`, `views`, `facets`, `charts`, `completeness`, `history`),
where pages live (`urls`), the two languages (`i18n`, strings as data in `strings/`), the
downloads (`downloads`), the planner's data (`planner`) and scripts (`assets/planner/`), MkDocs
(`mkdocs_run`, `hooks`) and the catalogue page's search index (`search`).
May import: `settings`, `errors`, `format`, `validation` (file names, forked workers), `load`,
`ckan` (the package builder and the store it reads `ckan.json` from), and `build.context`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from catalogue.build.context import BuildContext, Step
from catalogue.ckan.dump import stored_packages

if TYPE_CHECKING:
    from catalogue.load import LoadedEntry

SOURCES = Path("build") / "site-src"


def source_folder(out: Path) -> Path:
    """Where the pages for one output folder's builds are written (one per output, so parallel
    builds into different folders do not meet)."""
    key = hashlib.sha1(str(out.resolve().parent).encode()).hexdigest()[:12]
    return SOURCES / key


def _with_ckan(ctx: BuildContext) -> Iterator[tuple[LoadedEntry, str | None]]:
    """Each entry with its `ckan.json`'s source: what `package_show` answers from the store
    just loaded, so the download and the API can never differ (None when the build has no store)."""
    if ctx.state.store is None:
        return ((e, None) for e in ctx.catalogue.entries)
    return stored_packages(ctx.state.store, ctx.catalogue.entries)


def build_site(ctx: BuildContext) -> None:
    """Write the pages of each language and build them with mkdocs-material; add the downloads
    and the planner's per-entry files, then the change feeds and the editor's files."""
    from catalogue.site import downloads, history, mkdocs_run, pages, planner, robots, urls, variables_index

    with_ckan = ctx.state.store is not None
    entries = ctx.catalogue.entries
    builder = mkdocs_run.Build(ctx.out, ctx.base_url, background=len(entries) >= mkdocs_run.PARALLEL_FROM,
                               reuse=ctx.reuse)
    ctx.rollbacks.append(builder.abort)
    pages.write(ctx.catalogue, source_folder(ctx.out), ctx.base_url, history.histories(ctx.catalogue.root),
                lambda f: downloads.names(f.entry, with_ckan, f.tables), done=builder.start,
                reuse=ctx.reuse)
    kept = (ctx.reuse, ctx.reuse.section("downloads", downloads.reuse_key()))
    for e, ckan in _with_ckan(ctx):  # while MkDocs runs, on a big site
        downloads.write(ctx.out, urls.entry(e), e, ckan, ctx.catalogue.root, kept)
    planner.write(ctx.out, ctx.catalogue, ctx.reuse)
    variables_index.write(ctx.out, ctx.catalogue, ctx.reuse)
    builder.finish()
    robots.write(ctx.out, ctx.base_url)
    write_feeds(ctx)  # after MkDocs, which empties the folders it builds into
    write_editor(ctx)


def index_search(ctx: BuildContext) -> None:
    """Write the catalogue page's search index (a file whose bytes are unchanged is the last
    build's)."""
    from catalogue.site import search
    from catalogue.validation.run import default_cache_dir

    search.write(ctx.out, ctx.catalogue, ctx.reuse, default_cache_dir(ctx.catalogue.root))


def write_feeds(ctx: BuildContext) -> None:
    """The Atom change feeds, per entry and for the whole catalogue, from the git history."""
    from catalogue.site import feeds

    feeds.write(ctx.out, ctx.catalogue, ctx.base_url, ctx.reuse)


def write_editor(ctx: BuildContext) -> None:
    """The editor's scripts and data: profiles, rules, vocabularies and the entries' YAML files."""
    from catalogue.site import editor

    editor.write(ctx.out, ctx.catalogue, ctx.reuse)


def steps() -> list[Step]:
    """The site's build steps, in order."""
    return [("Building the site (pages, mkdocs-material, downloads)", build_site),
            ("Indexing search", index_search)]
