"""The variables pages: search every variable (/variables/), compare some side by side
(/variables/compare/?v=<entry>/<resource>/<field>,...) and one page per concept
(/variables/concepts/<system>/<code>/), in both languages.

The search and compare pages are frames that `assets/variables.js` fills from the static index
(`variables_index.py`); concept pages are written out in full. Their words are kept here rather
than in `i18n.py`, so this feature stays in its own modules.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from catalogue.format import concepts as concept_rules
from catalogue.site import urls
from catalogue.site.i18n import PREFIX, localise, strings, term
from catalogue.site.variables_index import FOLDER, code_summary

PAGE = "variables/"
COMPARE = "variables/compare/"
CONCEPTS = "variables/concepts/"
CONCEPT_ROWS = 500  # a concept page lists this many variables, then links to the search

WORDS: dict[str, dict[str, str]] = strings("variables")  # key -> language -> text


def w(key: str, lang: str, **kw: Any) -> str:
    """A word of these pages in `lang`."""
    text = WORDS[key].get(lang) or WORDS[key]["en"]
    return text.format(**kw) if kw else text


def _data(page: str, lang: str) -> str:
    """The index folder as seen from `page` of language `lang` (the English site is under /en/)."""
    return urls.root(page) + ("/.." if PREFIX[lang] else "") + "/" + FOLDER


def _strings(lang: str) -> Markup:
    data = {k: w(k, lang) for k in WORDS}
    return Markup(json.dumps(data, ensure_ascii=False).replace("<", "\\u003c"))


def _filters(lang: str) -> list[tuple[str, str]]:
    return [(k, w(k, lang)) for k in ("kind", "region", "controller", "type", "coding", "system")]


def search_page(lang: str, render: Callable[..., str]) -> str:
    return render("variables.html", w=lambda k, **kw: w(k, lang, **kw), data=_data(PAGE, lang),
                  root=urls.root(PAGE), strings=_strings(lang), filters=_filters(lang),
                  compare=urls.rel(PAGE, COMPARE), concepts=urls.rel(PAGE, CONCEPTS))


def compare_page(lang: str, render: Callable[..., str]) -> str:
    return render("compare.html", w=lambda k, **kw: w(k, lang, **kw), data=_data(COMPARE, lang),
                  root=urls.root(COMPARE), strings=_strings(lang), search=urls.rel(COMPARE, PAGE),
                  planner=urls.rel(COMPARE, urls.PLANNER))


@dataclass
class Concept:
    """The variables annotated with one concept: how many, the first `CONCEPT_ROWS` of them in
    the catalogue's order as (entry, resource, field) (what its page lists), and the first
    label one of them gives its code."""

    count: int = 0
    rows: list[tuple[Any, str, Any]] = field(default_factory=list)
    label: str = ""


class ConceptIndex(dict[tuple[str, str], Concept]):
    """(system, code) -> `Concept`, filled a variable at a time (`add`) in the catalogue's
    order: by `views.gather`, which reads every entry's model once for all the pages. Only the
    rows a page lists are kept, not every annotated variable of the catalogue."""

    def add(self, e: Any, res: str, f: Any) -> None:
        for c in f.concepts or []:
            concept = self.setdefault((c.system, c.code), Concept())
            concept.count += 1
            if len(concept.rows) < CONCEPT_ROWS:
                concept.rows.append((e, res, f))
            if not concept.label:
                concept.label = next((x.label for x in f.concepts if x.code == c.code and x.label), "")


def _years(e: Any, lang: str) -> str:
    cov = e.model.coverage
    return f"{cov.start_year}–{cov.end_year or w('until_now', lang)}"


def concept_page(system: str, code: str, concept: Concept, lang: str) -> tuple[str, str]:
    """(title, HTML) of one concept's page."""
    esc = html.escape
    page = concept_rules.concept_slug(system, code)
    rows, label = concept.rows, concept.label
    title = f"{term('coding-systems', system, lang)} {code}" + (f" {label}" if label else "")
    refs = [f"{e.name}/{res}/{f.name}" for e, res, f in rows[:50]]
    compare = urls.rel(page, COMPARE) + "?v=" + ",".join(quote(r, safe="/") for r in refs)
    out = [f'<p class="catalogue-kind"><a href="{urls.rel(page, PAGE)}">{esc(w("variables", lang))}</a>'
           f' · <a href="{urls.rel(page, CONCEPTS)}">{esc(w("concept_pages", lang))}</a></p>',
           f"<h1>{esc(title)}</h1>", f"<p>{esc(w('concept_intro', lang))}</p>"]
    link = concept_rules.iri(system, code)
    if link.startswith("http"):
        text = w("concept_link", lang, system=term("coding-systems", system, lang))
        out.append(f'<p><a href="{esc(link)}">{esc(text)}</a></p>')
    out.append(f'<p><a class="md-button md-button--primary catalogue-compare-all" href="{esc(compare)}">'
               f'{esc(w("compare_all", lang))} ({min(concept.count, 50)})</a></p>')
    out.append('<div class="catalogue-table-wrap" tabindex="0" role="region" aria-labelledby="concept-vars">'
               f'<table class="catalogue-dictionary catalogue-concept-vars"><caption id="concept-vars">'
               f'{esc(w("variables", lang))}: {concept.count}</caption><thead><tr>'
               + "".join(f'<th scope="col">{esc(w(k, lang))}</th>' for k in
                         ("variable", "source", "title", "type", "unit", "codes", "years"))
               + "</tr></thead><tbody>")
    for e, res, f in rows[:CONCEPT_ROWS]:
        href = urls.rel(page, urls.entry(e)) + "#" + urls.variable_anchor(res, f.name)
        src = localise(e.model, lang).title
        out.append(f'<tr><td data-label="{esc(w("variable", lang))}">'
                   f'<a href="{esc(href)}"><code>{esc(f.name)}</code></a></td>'
                   f'<td data-label="{esc(w("source", lang))}">{esc(src)}</td>'
                   f'<td data-label="{esc(w("title", lang))}">{esc(f.title or "")}</td>'
                   f'<td data-label="{esc(w("type", lang))}">{esc(term("field-types", f.type, lang))}</td>'
                   f'<td data-label="{esc(w("unit", lang))}">{esc(f.unit or "")}</td>'
                   f'<td data-label="{esc(w("codes", lang))}">{esc(code_summary(f))}</td>'
                   f'<td data-label="{esc(w("years", lang))}">{esc(_years(e, lang))}</td></tr>')
    out.append("</tbody></table></div>")
    if concept.count > CONCEPT_ROWS:
        search = urls.rel(page, PAGE) + "?q=" + quote(code)
        more = w("n_more", lang, n=concept.count - CONCEPT_ROWS)
        out.append(f'<p><a href="{esc(search)}">{esc(more)}</a></p>')
    return title, "\n".join(out)


def write_language(lang: str, docs: Path, render: Callable[..., str],
                   write_page: Callable[[Path, str, dict[str, Any], str], None], index: ConceptIndex) -> None:
    """The search, compare and concept pages of one language (called from `pages.write_language`);
    `index`: the catalogue's concepts, as `views.gather` collected them."""
    hide = {"hide": ["navigation", "toc"]}
    write_page(docs, f"{PAGE}index.md", {"title": w("variables", lang), **hide}, search_page(lang, render))
    write_page(docs, f"{COMPARE}index.md", {"title": w("compare_title", lang), **hide},
               compare_page(lang, render))
    items = []
    for (system, code), concept in sorted(index.items()):
        title, body = concept_page(system, code, concept, lang)
        slug = concept_rules.concept_slug(system, code)
        write_page(docs, f"{slug}index.md", {"title": title, **hide}, body)
        items.append(f'<li><a href="{html.escape(urls.rel(CONCEPTS, slug))}">{html.escape(title)}</a> '
                     f"({concept.count})</li>")
    write_page(docs, f"{CONCEPTS}index.md", {"title": w("concept_pages", lang), **hide},
               f"<h1>{html.escape(w('concept_pages', lang))}</h1>\n<ul>{''.join(items)}</ul>")
