"""What the entry page's data dictionary adds for concepts and small screens: the cells' labels
(a row reflows into a card on a phone, each cell introduced by its column's name) and the
concept links to `/variables/concepts/<system>/<code>/`."""

from __future__ import annotations

import html
from typing import Any

from catalogue.format import concepts
from catalogue.site import urls
from catalogue.site.i18n import t, term


def labels(lang: str, page: str) -> dict[str, str]:
    """The column names of the dictionary (as the template's header has them) and the page."""
    return {"variable": t("variable", lang), "title": t("title", lang), "type": t("type", lang),
            "unit": t("unit", lang), "code_list": t("code_list", lang),
            "codes": "koder" if lang == "nb" else "codes", "page": page}


def concepts_html(items: list[Any] | None, page: str) -> str:
    """The variable's concepts as links to their concept pages."""
    if not items:
        return ""
    esc = html.escape
    links = "".join(
        f'<li><a href="{esc(urls.rel(page, concepts.concept_slug(c.system, c.code)))}">'
        f'{esc(term("coding-systems", c.system, "en"))} <code>{esc(c.code)}</code></a>'
        f'{" " + esc(c.label) if c.label else ""}</li>' for c in items)
    return f'<ul class="catalogue-concepts">{links}</ul>'
