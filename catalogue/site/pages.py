"""Write the site's pages for MkDocs: one folder per language, generated from the validated models.

Generated pages are `.md` files whose body is finished HTML (see `hooks.py`), with front matter
for the title, the table of contents and which sidebars to hide. They go into a git-ignored
folder under `build/`, never into `docs/`, so the site can move to another generator later.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import multiprocessing
import os
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from catalogue.build.context import REMOVE_LATER_FROM, left_behind, remove_folders
from catalogue.build.reuse import Reuse, Section, files_under, fingerprint, shared_fingerprint
from catalogue.load import Catalogue
from catalogue.settings import docs_dir, today_override
from catalogue.site import charts, editor, facets, planner, schemaorg, search, urls, variables
from catalogue.site.history import History
from catalogue.site.i18n import LANGS, PREFIX, localise, org_name, planner_strings, t, term
from catalogue.site.render import plain
from catalogue.site.views import EntryFacts, contact_html, entry_context, gather, years
from catalogue.validation.workers import QuietProcessPool

HERE = Path(__file__).parent
# assets/planner/: the pure rules, then state, rendering, export, and the start-up that wires them
PLANNER_PARTS = ("rules.js", "state.js", "render.js", "export.js", "main.js")
DOCS = docs_dir()  # the hand-written pages: the checkout's, or the installed copy
STATIC_CARDS = 100  # cards in the catalogue page's HTML; the rest come from the search index
ENTRY_TOC = ["summary", "description", "dictionary", "access", "linked", "cite", "completeness",
             "downloads", "history"]


@dataclass
class Sources:
    """What `write` produced: a docs folder per language and the entries' facts."""

    folder: Path
    docs: dict[str, Path]
    facts: list[EntryFacts]


def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                              trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True)


def _front(meta: dict[str, Any]) -> str:
    # JSON is YAML: every value quoted and escaped without thinking about YAML's rules. The theme
    # puts the title and description into <title>, a meta tag and the header unescaped, so they
    # are HTML-escaped here (a browser shows `&lt;` as `<`).
    safe = {k: html.escape(v) if k in ("title", "description") and isinstance(v, str) else v
            for k, v in meta.items()}
    return "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in safe.items()) + "---\n"


def _write(docs: Path, src: str, meta: dict[str, Any], html: str) -> bytes:
    """Write the page `src` of `docs`; returns the bytes written."""
    path = docs / src
    path.parent.mkdir(parents=True, exist_ok=True)
    data = (_front({**meta, "render": "html"}) + html).encode("utf-8")
    path.write_bytes(data)
    return data


def _card(cat: Catalogue, f: EntryFacts, lang: str, page: str) -> dict[str, Any]:
    """What a list of entries shows of `f` on `page`."""
    return _linked(_card_facts(cat, f, lang), f, page)


def _linked(card: dict[str, Any], f: EntryFacts, page: str) -> dict[str, Any]:
    """A card from `_card_facts`, with its link as seen from `page`."""
    return {**card, "href": urls.rel(page, f.url)}


def _card_facts(cat: Catalogue, f: EntryFacts, lang: str) -> dict[str, Any]:
    """An entry's card, but for its link (which depends on the page that lists it)."""
    m = f.entry.model
    loc = localise(m, lang)
    ctrl = cat.organizations.get(m.data_controller)
    summary = plain(loc.description)
    return {"title": loc.title, "kind": t(f.entry.kind, lang), "name": f.entry.name,
            "controller": org_name(ctrl.name, lang) if ctrl else m.data_controller,
            "years": years(f.entry, lang), "n_variables": f.n_variables,
            "summary": summary if len(summary) <= 240 else summary[:237].rsplit(" ", 1)[0] + " …"}


def _home(cat: Catalogue, facts: list[EntryFacts], lang: str, render: Callable[..., str]) -> str:
    page = ""
    per_entry = [f.facets for f in facts]
    regions: Counter[str] = Counter(v for fv in per_entry for v in fv["region"])
    cats: Counter[str] = Counter(v for fv in per_entry for v in fv["category"])
    region_bars = [charts.Bar(term("health-regions", r, lang), n)
                   for r, n in sorted(regions.items(), key=lambda kv: -kv[1])]
    theme_bars = [charts.Bar(term("health-categories", c, lang), n)
                  for c, n in sorted(cats.items(), key=lambda kv: -kv[1])]
    kinds = Counter(f.entry.kind for f in facts)
    n_vars = sum(f.n_variables for f in facts)
    cat_url = urls.rel(page, urls.CATALOGUE)
    tiles = [{"count": kinds.get("registry", 0), "label": t("registries", lang).lower(),
              "href": f"{cat_url}?kind=registry"},
             {"count": kinds.get("biobank", 0), "label": t("biobanks", lang).lower(),
              "href": f"{cat_url}?kind=biobank"}]
    tiles += [{"count": n, "label": term("health-regions", r, lang), "href": f"{cat_url}?region={r}"}
              for r, n in sorted(regions.items(), key=lambda kv: -kv[1])]

    def listed(key: Callable[[EntryFacts], str]) -> list[dict[str, str]]:
        return [{"title": localise(f.entry.model, lang).title, "href": urls.rel(page, f.url),
                 "kind": t(f.entry.kind, lang), "date": key(f)}
                for f in sorted(facts, key=lambda f: (key(f), f.entry.name), reverse=True)[:6]]

    links = [(variables.w("variables", lang), variables.PAGE), (t("planner", lang), urls.PLANNER),
             (t("access_guide", lang), "access-guide/"), (t("contributing", lang), "contributing/"),
             (t("entry_format", lang), "entry-format/"), (t("schema", lang), "reference/schema/"),
             (t("organisations", lang), urls.ORGANIZATIONS)]
    return render(
        "home.html", catalogue=cat_url, tiles=tiles, newest=listed(lambda f: f.added),
        updated=listed(lambda f: f.updated), links=links,
        holds=t("holds", lang, registries=kinds.get("registry", 0), biobanks=kinds.get("biobank", 0),
                variables=f"{n_vars:,}".replace(",", "\u00a0" if lang == "nb" else ","),
                organisations=len(cat.organizations)),
        chart_region=charts.bar_chart("chart-region", t("by_region", lang), region_bars,
                                      t("chart_table", lang), (t("health_region", lang), t("count", lang))),
        chart_theme=charts.bar_chart("chart-theme", t("by_theme", lang), theme_bars,
                                     t("chart_table", lang), (t("facet_category", lang), t("count", lang))),
    )


JS_STRINGS = ["results", "result_one", "showing", "more", "no_results", "matching_variables", "loading",
              "n_variables", "collect"]


def _catalogue(cat: Catalogue, facts: list[EntryFacts], lang: str, render: Callable[..., str]) -> str:
    page = urls.CATALOGUE
    ordered = sorted(facts, key=lambda f: localise(f.entry.model, lang).title.casefold())
    strings = {k: t(k, lang) for k in JS_STRINGS}
    site_root = urls.root(page) + ("/.." if PREFIX[lang] else "")  # the one index is at the site's root
    return render(
        "catalogue.html", root=urls.root(page), index=f"{site_root}/{search.FOLDER}",
        total=len(facts),
        cards=[_card(cat, f, lang, page) for f in ordered[:STATIC_CARDS]],
        facets=facets.counts(cat, [f.facets for f in facts], lang),
        strings=_json_script(strings), planner=urls.rel(page, urls.PLANNER),
    )


def _json_script(data: dict[str, str]) -> Markup:
    """JSON for a `<script type="application/json">`: no "<", so no "</script>" can end it."""
    return Markup(json.dumps(data, ensure_ascii=False).replace("<", "\\u003c"))


def _planner(lang: str, render: Callable[..., str]) -> str:
    """The planner page: a frame its script fills from the chosen entries' planner files."""
    page = urls.PLANNER
    return render("planner.html", root=urls.root(page),
                  data=urls.root(page) + ("/.." if PREFIX[lang] else "") + "/" + planner.FOLDER,
                  rules=urls.rel(page, "access-planner/"), strings=_json_script(planner_strings(lang)))


def _organizations(cat: Catalogue, facts: list[EntryFacts], lang: str, render: Callable[..., str],
                   docs: Path, cards: dict[str, dict[str, Any]]) -> None:
    """The organisations' pages, each listing its entries (`cards`, by entry, from
    `_card_facts`), and the list of organisations."""
    rows = []
    by_org: dict[str, list[EntryFacts]] = {}  # each entry under every organisation it names
    for f in facts:
        for org_id in f.organizations:
            by_org.setdefault(org_id, []).append(f)
    for org_id, org in sorted(cat.organizations.items(), key=lambda kv: org_name(kv[1].name, lang)):
        page = urls.organization(org_id)
        mine = by_org.get(org_id, [])
        name = org_name(org.name, lang)
        html = render("organization.html", org=org, name=name,
                      region=term("health-regions", org.health_region, lang),
                      org_type=term("organization-types", org.type, lang),
                      contact=contact_html(org.contact),
                      cards=[_linked(cards[f.entry.name], f, page) for f in mine],
                      catalogue=urls.rel(page, urls.CATALOGUE), planner=urls.rel(page, urls.PLANNER))
        _write(docs, f"{page}index.md", {"title": name, "toc": [["entries", t("entries_of", lang)]]}, html)
        rows.append({"name": name, "href": urls.rel(urls.ORGANIZATIONS, page), "count": len(mine),
                     "region": term("health-regions", org.health_region, lang)})
    _write(docs, f"{urls.ORGANIZATIONS}index.md", {"title": t("organisations", lang), "hide": ["toc"]},
           render("organizations.html", orgs=rows))


def _copy_docs(docs: Path) -> None:
    """The hand-written pages, except the home page, which is generated."""
    for src in DOCS.rglob("*"):
        rel = src.relative_to(DOCS)
        if src.is_dir() or rel == Path("index.md"):
            continue
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, docs / rel)
    assets = docs / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    for asset in (HERE / "assets").iterdir():
        if asset.is_file():  # assets/editor/ is published by catalogue/site/editor.py
            shutil.copy2(asset, assets / asset.name)
    # The planner's parts are served as one script, in the order they depend on each other.
    parts = [(HERE / "assets" / "planner" / name).read_text(encoding="utf-8") for name in PLANNER_PARTS]
    (assets / "planner.js").write_text("\n".join(parts), encoding="utf-8")


def write(cat: Catalogue, folder: Path, base_url: str, histories: dict[str, History],
          downloads: Callable[[EntryFacts], list[str]] = lambda f: [],
          done: Callable[[str, Path, dict[str, str]], None] | None = None,
          reuse: Reuse | None = None) -> Sources:
    """Write every page in both languages under `folder`, which holds nothing else afterwards.

    `done(lang, docs, prints)` is called as soon as a language is complete, so its MkDocs build
    can start while the next language is written; with `reuse`, `prints` holds the fingerprints
    of the entry pages' sources by path in `docs`, so that MkDocs' reuse need not read them again.

    With `reuse` (an incremental build), an entry page made from the same input as in the last
    build is not rendered again (`entry_page_print` says what that input is). Its source stays
    where it is when `folder` holds what the published build wrote, as its mark (`STATE`, a
    fingerprint of every entry page's source) says; otherwise the last build's `folder` is set
    aside and a source is kept from there only if it still holds what the manifest says.
    """
    last = folder.with_name(folder.name + "-last")
    remove_folders(last, *left_behind(last))  # a killed build's
    in_place = reuse is not None and _holds_published(folder, reuse)
    if in_place:
        (folder / STATE).unlink()  # from here on it holds this build's sources, half written
    elif folder.exists():
        folder.rename(last)
    try:
        concepts = variables.ConceptIndex()
        facts = gather(cat, histories, concepts.add)
        result = Sources(folder, {}, facts)
        key = entry_pages_key(cat, base_url) if reuse else ""
        sections = []
        own = {lang: reuse.section(f"pages-{lang}", key) if reuse else None for lang in LANGS}
        jobs = {}
        for lang in LANGS:
            result.docs[lang] = folder / lang
            jobs[lang] = partial(_write_language, cat, facts, concepts, lang, folder / lang, base_url,
                                 downloads, reuse, own[lang], last / lang, in_place)

        def written(lang: str) -> None:
            section = own[lang]
            if section:
                sections.append(section)
            if done:
                done(lang, result.docs[lang],
                     {src: section.wrote(src) or "" for src in section.new} if section else {})

        _each_language(jobs, own, len(facts) >= PARALLEL_FROM, written)
        if sections:
            mark = fingerprint(*(part for section in sections for src in sorted(section.new)
                                 for part in (src, section.wrote(src) or "")))
            (folder / STATE).write_text(mark, encoding="utf-8")
            sections[0].made(STATE, mark, [], mark)  # the first language's: `_holds_published`
    finally:
        remove_folders(last, later=len(cat.entries) >= REMOVE_LATER_FROM)
    return result


STATE = ".state"  # in the sources' folder: the mark of the entry pages' sources it holds
# Entries from which the second language is written by a forked process. A fork copies each
# memory page it touches: at 10,000 x 100, whose models are held as objects, the site step's
# peak rose from 2.04 to 2.55 GB (the build's from 2.26), and its time fell from 103 to 94 s.
PARALLEL_FROM = 1000


def _write_language(cat: Catalogue, facts: list[EntryFacts], concepts: variables.ConceptIndex, lang: str,
                    docs: Path, base_url: str, downloads: Callable[[EntryFacts], list[str]],
                    reuse: Reuse | None, section: Section | None, last: Path,
                    in_place: bool) -> Section | None:
    """`write_language` with what an incremental build keeps; returns the manifest's section."""
    present = _only_entry_pages(docs, {f"{f.url}index.md" for f in facts}) if in_place else None
    kept = Kept(reuse, section, last, present) if reuse and section else None
    write_language(cat, facts, lang, docs, base_url, downloads, kept, concepts)
    return section


_OTHERS: dict[str, Callable[[], Section | None]] = {}  # set just before forking; read by the fork


def _write_forked(lang: str) -> tuple[dict[str, Any], int] | None:
    section = _OTHERS[lang]()
    return (section.new, section.reused) if section else None


def _each_language(jobs: dict[str, Callable[[], Section | None]], sections: dict[str, Section | None],
                   parallel: bool, written: Callable[[str], None]) -> None:
    """Run each language's job, and `written(lang)` as soon as its pages are written.

    With `parallel`, a process forked from this one writes the other languages while this one
    writes the first (whose MkDocs build then starts), so both cores work from the start: the
    pages of one language are minutes of a single core's work on a big catalogue. The fork
    sends back what it recorded in its language's section of the manifest (`sections`, filled
    in here); everything else it did is in the files it wrote. A build that fails or is
    interrupted meanwhile stops the fork rather than wait for it."""
    first, *others = jobs
    if not parallel or not others or "fork" not in multiprocessing.get_all_start_methods():
        for lang, job in jobs.items():
            job()
            written(lang)
        return
    global _OTHERS
    _OTHERS = {lang: jobs[lang] for lang in others}
    try:
        with QuietProcessPool(1, fork=True, stop_on_error=True) as pool:
            forked = {lang: pool.submit(_write_forked, lang) for lang in others}
            jobs[first]()
            written(first)
            for lang in others:
                made, section = forked[lang].result(), sections[lang]
                if made is not None and section is not None:
                    section.new, section.reused = made
                written(lang)
    finally:
        _OTHERS = {}


def _holds_published(folder: Path, reuse: Reuse) -> bool:
    """Whether `folder` holds the entry pages' sources the published build wrote, unchanged."""
    try:
        mark = (folder / STATE).read_text(encoding="utf-8")
    except OSError:
        return False
    return reuse.recorded(f"pages-{LANGS[0]}", STATE) == mark


def _only_entry_pages(docs: Path, entries: set[str]) -> set[str]:
    """Remove every file of `docs` but the sources of this build's entry pages (the other
    pages are all written again); return those sources."""
    present = set()
    for rel in list(files_under(docs)):
        if rel in entries:
            present.add(rel)
        else:
            os.unlink(docs / rel)
    return present


@dataclass
class Kept:
    """Where the last build's sources of one language were set aside, and its manifest's part;
    `present`: the sources still in place, when the folder holds the published build's."""

    reuse: Reuse
    section: Section
    last: Path
    present: set[str] | None = None


def entry_pages_key(cat: Catalogue, base_url: str) -> str:
    """What every entry page may show besides its own entry: the templates, strings and code
    (the package), the vocabularies, the organisations, the site's address and today's date
    (the citation's "accessed", the review notice). A change to any of them renders all."""
    return shared_fingerprint(cat, base_url, dt.date.today().isoformat(), today_override())


def entry_page_print(f: EntryFacts, by_name: dict[str, EntryFacts], downloads: list[str]) -> str:
    """The input of one entry's page besides `entry_pages_key`: the entry, its facts (facets,
    completeness, history, dates) and the entries it links to or is linked from, which it names."""
    e = f.entry
    linked = [(name, by_name[name].entry.content_hash)
              for name in [*e.model.linked_entries, *f.linked_from] if name in by_name]
    return fingerprint(e.content_hash, e.kind, e.file, repr(e.schema_files), f.url,
                       json.dumps(f.facets, sort_keys=True), repr(f.completeness), repr(f.history),
                       f.added, f.updated, str(f.n_variables), repr(f.linked_from), repr(linked),
                       repr(downloads))


def write_language(cat: Catalogue, facts: list[EntryFacts], lang: str, docs: Path, base_url: str,
                   downloads: Callable[[EntryFacts], list[str]], kept: Kept | None,
                   concepts: variables.ConceptIndex) -> None:
    """Every page of one language: home, catalogue, organisations, entries, hand-written docs;
    with `kept`, the sources of unchanged entry pages are taken from the last build; `concepts`:
    the catalogue's, as `gather` collected them."""
    env = environment()
    env.globals.update(t=partial(_t, lang), lang=lang)
    render = partial(_render, env)
    _copy_docs(docs)
    _write(docs, "index.md", {"title": t("home", lang), "hide": ["navigation", "toc"]},
           _home(cat, facts, lang, render))
    _write(docs, f"{urls.CATALOGUE}index.md", {"title": t("catalogue", lang), "hide": ["navigation", "toc"]},
           _catalogue(cat, facts, lang, render)
           + schemaorg.script(schemaorg.catalog(cat, facts, lang, base_url)))
    _write(docs, f"{urls.PLANNER}index.md", {"title": t("planner", lang), "hide": ["navigation", "toc"]},
           _planner(lang, render))
    variables.write_language(lang, docs, render, _write, concepts)
    _write(docs, f"{editor.PAGE}index.md", {"title": t("editor_title", lang), "hide": ["navigation", "toc"],
                                           "scripts": editor.scripts(lang)}, editor.page(lang, render))
    template = env.get_template("entry.html")
    by_name = {f.entry.name: f for f in facts}
    global_prefix = "../" if PREFIX[lang] else ""
    cards = {}  # for the organisations' pages, made while the entry's model is at hand
    for f in facts:
        cards[f.entry.name] = _card_facts(cat, f, lang)
        names = downloads(f)
        src = f"{f.url}index.md"
        if kept:
            print_ = entry_page_print(f, by_name, names)
            if kept.present is not None:
                if src in kept.present and kept.reuse.keep_in_place(kept.section, src, print_):
                    continue
            elif kept.reuse.keep(kept.section, src, print_, kept.last / src, docs / src):
                continue
        ctx = entry_context(cat, f, lang, by_name, base_url, global_prefix, names)
        toc = [[a, t(a, lang)] for a in ENTRY_TOC if a != "linked" or ctx["linked"]]
        meta = {"title": ctx["loc"].title, "description": ctx["summary_text"][:160], "toc": toc,
                "feed": ctx["feed"], "feed_title": t("feed_title_entry", lang, title=ctx["loc"].title)}
        data = _write(docs, src, meta, template.render(ctx)
                      + schemaorg.script(schemaorg.dataset(cat, f, lang, base_url, names)))
        if kept:
            kept.section.made(src, print_, [], fingerprint(data))
    _organizations(cat, facts, lang, render, docs, cards)


def _t(lang: str, key: str, /, **kw: object) -> str:
    return t(key, lang, **kw)


def _render(env: jinja2.Environment, template: str, /, **ctx: Any) -> str:
    return env.get_template(template).render(**ctx)
