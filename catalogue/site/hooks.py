"""MkDocs hooks: generated pages arrive as finished HTML and skip Markdown.

Entry pages are written by our templates (escaped, with safe Markdown already rendered), so
running Python-Markdown over them would only cost time; at 1,000 entries of 100 variables it is
most of the build. Hand-written pages go through Markdown as usual; on a non-English site they
are marked as English, since they exist only in English.

MkDocs reads every page before it writes the first, and keeps what it read. A generated page's
HTML is therefore not kept: the page holds a marker until it is written, when its HTML is read
again from its source (as MkDocs itself reads it). At 10,000 entries of 100 variables that is
gigabytes less in each MkDocs process, and the same bytes in the output.
"""

from __future__ import annotations

from typing import Any

from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import get_data

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
    """Hold a generated page's place (and set its table of contents); label English-only pages."""
    marker = getattr(page, _GENERATED, None)
    if marker is not None:
        page.toc = get_toc([{"level": 2, "id": anchor, "name": name, "html": name, "children": []}
                            for anchor, name in page.meta.get("toc") or []])
        return marker
    site = config.extra.get("catalogue", {})
    if site.get("lang", "en") != "en":
        note = site.get("docs_in_english", "")
        return f'<p class="catalogue-fallback">{note}</p><div lang="en">{html}</div>'
    return html


def on_post_page(output: str, page: Any, config: Any, **_: Any) -> str:
    """Put a generated page's HTML, read from its source, where its marker holds the place."""
    marker = getattr(page, _GENERATED, None)
    if marker is not None:
        body, _ = get_data(page.file.content_string)
        return output.replace(marker, body)
    return output
