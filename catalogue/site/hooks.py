"""MkDocs hooks: generated pages arrive as finished HTML and skip Markdown.

Entry pages are written by our templates (escaped, with safe Markdown already rendered), so
running Python-Markdown over them would only cost time; at 1,000 entries of 100 variables it is
most of the build. Hand-written pages go through Markdown as usual; on a non-English site they
are marked as English, since they exist only in English.
"""

from __future__ import annotations

from typing import Any

from mkdocs.structure.toc import get_toc

_STASH = "_catalogue_html"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any, **_: Any) -> str:
    """Keep a generated page's HTML aside and give Markdown nothing to do."""
    if page.meta.get("render") == "html":
        setattr(page, _STASH, markdown)
        return ""
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any, **_: Any) -> str:
    """Put the generated HTML (and its table of contents) back; label English-only pages."""
    stashed = getattr(page, _STASH, None)
    if stashed is not None:
        delattr(page, _STASH)
        page.toc = get_toc([{"level": 2, "id": anchor, "name": name, "html": name, "children": []}
                            for anchor, name in page.meta.get("toc") or []])
        return stashed
    site = config.extra.get("catalogue", {})
    if site.get("lang", "en") != "en":
        note = site.get("docs_in_english", "")
        return f'<p class="catalogue-fallback">{note}</p><div lang="en">{html}</div>'
    return html
