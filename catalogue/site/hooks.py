"""MkDocs hooks: generated pages arrive as finished HTML and skip Markdown.

Entry pages are written by our templates (escaped, with safe Markdown already rendered), so
running Python-Markdown over them would only cost time; at 1,000 entries of 100 variables it is
most of the build. Hand-written pages go through Markdown as usual; on a non-English site they
are marked as English, since they exist only in English.

The theme's navigation is the same on every page that is not in it and sits in the same folder
(the entry and organisation pages: the links are relative, and no item is the page or holds
it), so it is rendered once per folder for those (`SameNav`, through `overrides/partials/nav.html`):
a fifth of MkDocs' time on a big site.

MkDocs reads every page before it writes the first, and keeps what it read. A generated page's
HTML is therefore not kept: the page holds a marker until it is written, when its HTML is read
again from its source (as MkDocs itself reads it). At 10,000 entries of 100 variables that is
gigabytes less in each MkDocs process, and the same bytes in the output.
"""

from __future__ import annotations

import os
from typing import Any

import jinja2
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import YAML_RE

_GENERATED = "_catalogue_html"
# Where the page's HTML goes when it is written. The theme gives a page whose content has no
# "<h1" a heading of its own, so the marker of a page that has one says so too.
_BODY = {False: "<!--catalogue:generated-page-body-->", True: "<!--catalogue:generated-page-body:<h1-->"}


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any, **_: Any) -> str:
    """Give Markdown nothing to do for a generated page (its HTML comes back when it is written)."""
    if page.meta.get("render") == "html":
        setattr(page, _GENERATED, _BODY["<h1" in markdown])
        return ""
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any, **_: Any) -> str:
    """Hold a generated page's place; label English-only pages."""
    marker = getattr(page, _GENERATED, None)
    if marker is not None:
        return marker
    site = config.extra.get("catalogue", {})
    if site.get("lang", "en") != "en":
        note = site.get("docs_in_english", "")
        return f'<p class="catalogue-fallback">{note}</p><div lang="en">{html}</div>'
    return html


def on_page_context(context: dict[str, Any], page: Any, config: Any, nav: Any, **_: Any) -> dict[str, Any]:
    """Set a generated page's table of contents from its front matter, just before the theme
    renders it: made while MkDocs reads the pages, every page's would be held until the last
    is written (about a third of what MkDocs holds of a generated page)."""
    if getattr(page, _GENERATED, None) is not None:
        page.toc = _toc(page.meta.get("toc") or [])
    return context


def _toc(items: list[list[str]]) -> Any:
    return get_toc([{"level": 2, "id": anchor, "name": name, "html": name, "children": []}
                    for anchor, name in items])


def on_post_page(output: str, page: Any, config: Any, **_: Any) -> str:
    """Put a generated page's HTML, read from its source, where its marker holds the place
    (and let its table of contents go)."""
    marker = getattr(page, _GENERATED, None)
    if marker is not None:
        page.toc = _toc([])
        # the body after the front matter, as MkDocs' `get_data` cuts it, without parsing the
        # YAML again (7 % of a big site's MkDocs time): the page's meta came from it already
        source = page.file.content_string
        front = YAML_RE.match(source)
        body = source[front.end():].lstrip("\n") if front else source
        return output.replace(marker, body)
    return output


def on_env(env: jinja2.Environment, config: Any, files: Any, **_: Any) -> jinja2.Environment:
    """Make the theme's own templates reachable as `theme/...` (for an override that wraps one)
    and give the templates `same_nav`."""
    ours = os.path.realpath(config.theme.custom_dir or "")
    theme = next(d for d in config.theme.dirs
                 if os.path.realpath(d) != ours and os.path.isfile(os.path.join(d, "partials", "nav.html")))
    themes = jinja2.PrefixLoader({"theme": jinja2.FileSystemLoader(theme)})
    env.loader = jinja2.ChoiceLoader([env.loader, themes])
    env.globals["same_nav"] = SameNav()
    return env


class SameNav:
    """The navigation as the theme renders it (`caller`), rendered once for all the pages that
    are not in it and lie in the same folder (`registries/`): its links, relative to the page,
    are then the same (no link leads into the page's own folder), and so is the rest (no item
    is active, none is the page). Any other page (one in the navigation, one with a link below
    it, the 404 page, whose links are absolute) is rendered as usual."""

    def __init__(self) -> None:
        self.held: dict[str, Any] = {}

    def __call__(self, page: Any, nav: Any, caller: Any) -> Any:
        url = page.url if page is not None else ""
        if (not url.endswith("/") or any(p is page or p.url.startswith(url) for p in nav.pages)
                or any(item.active for item in nav.items)):
            return caller()
        folder = url[:url.rstrip("/").rfind("/") + 1]  # "registries/" of "registries/x/"
        if folder not in self.held:
            self.held[folder] = caller()
        return self.held[folder]
