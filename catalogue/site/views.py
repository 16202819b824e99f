"""What each entry page shows, gathered once from the validated models.

`EntryFacts` holds what does not depend on the language (facet values, completeness, history);
`entry_context` turns it into the words and links of one language for the template.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from catalogue.format.models import BiobankEntry, Category, Contact, RegistryEntry, TableField, TableSchema
from catalogue.load import Catalogue, LoadedEntry
from catalogue.site import charts, dictionary_extras, facets, urls
from catalogue.site.completeness import Completeness, score
from catalogue.site.history import History
from catalogue.site.i18n import localise, org_name, t, term
from catalogue.site.render import markdown, plain


@dataclass
class EntryFacts:
    """Language-independent facts about one entry."""

    entry: LoadedEntry
    url: str
    facets: dict[str, list[str]]
    completeness: Completeness
    history: History | None
    added: str  # when the entry came into the catalogue
    updated: str  # when it last changed
    n_variables: int
    linked_from: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)  # the resources with a Table Schema
    organizations: list[str] = field(default_factory=list)  # each it names, the controller first


def gather(cat: Catalogue, histories: dict[str, History],
           concepts: Callable[[LoadedEntry, str, TableField], None] | None = None) -> list[EntryFacts]:
    """Facts for every entry, with links in both directions resolved; `concepts` is given each
    variable annotated with a concept on the way. Each entry's model is read here once: a page
    that lists every entry takes what it shows of one from its facts, as reading a packed model
    again costs a pass over the catalogue (about 14 s at 100,000 entries)."""
    out = []
    for e in cat.entries:
        url = urls.entry(e)
        hist = histories.get(url.rstrip("/"))
        m = e.model
        added = hist.first if hist else m.issued[:10]
        updated = max(filter(None, [m.modified, hist.last if hist else None, m.issued]))[:10]
        n_variables = 0
        for res, f in e.variables():
            n_variables += 1
            if concepts is not None and f.concepts:
                concepts(e, res, f)
        juristic = getattr(getattr(m, "biobank", None), "juristic_person", None)
        named = list(dict.fromkeys(o for o in (m.data_controller, m.data_processor, juristic) if o))
        out.append(EntryFacts(e, url, facets.values(cat, e), score(e), hist, added, updated, n_variables,
                              tables=[r.name for r in m.resources if isinstance(r.schema_, TableSchema)],
                              organizations=named))
    by_name = {f.entry.name: f for f in out}
    for f in out:
        for target in f.entry.model.linked_entries:
            if target in by_name and f.entry.name not in by_name[target].entry.model.linked_entries:
                by_name[target].linked_from.append(f.entry.name)
    return out


def years(e: LoadedEntry, lang: str) -> str:
    cov = e.model.coverage
    return f"{cov.start_year}–{cov.end_year or t('until_now', lang)}"


def _number(n: int | None, lang: str) -> str | None:
    if n is None:
        return None
    text = f"{n:,}"
    return text.replace(",", "\u00a0") if lang == "nb" else text


def contact_html(c: Contact) -> Markup:
    """A contact as links: name, e-mail, web page, phone."""
    parts = [escape(c.name)] if c.name else []
    if c.email:
        parts.append(Markup('<a href="mailto:{0}">{0}</a>').format(c.email))
    if c.url:
        parts.append(Markup('<a href="{0}">{0}</a>').format(c.url))
    if c.phone:
        parts.append(escape(c.phone))
    return Markup(", ").join(parts)


def _codes(cats: list[Category | str | int] | None) -> list[tuple[str, str]]:
    out = []
    for c in cats or []:
        if isinstance(c, Category):
            out.append((str(c.value), c.label or ""))
        else:
            out.append((str(c), ""))
    return out


def dictionary(e: LoadedEntry, lang: str) -> list[dict[str, Any]]:
    """The data dictionary: one table per resource, one row (with its own anchor) per variable."""
    tables = []
    for res in e.model.resources:
        schema = res.schema_
        assert not isinstance(schema, str)
        rows = [{
            "id": urls.variable_anchor(res.name, f.name),
            "name": f.name, "title": f.title, "description": f.description,
            "type": term("field-types", f.type, lang), "format": f.format, "unit": f.unit,
            "codes": _codes(f.categories),
            "coding": term("coding-systems", f.coding_system, lang) if f.coding_system else None,
            "concepts": f.concepts,
        } for f in schema.fields]
        tables.append({"id": f"table-{res.name}", "name": res.name, "title": res.title or res.name,
                       "description": res.description, "rows": rows,
                       "html": _rows_html(rows, dictionary_extras.labels(lang, urls.entry(e)))})
    return tables


LONG_CODE_LIST = 8  # longer code lists are collapsed


def _rows_html(rows: list[dict[str, Any]], labels: dict[str, str]) -> Markup:
    """The dictionary's table rows. Built here with `html.escape` rather than in Jinja: at 100
    variables per entry and thousands of entries this loop is a large share of the pages' time."""
    esc = html.escape
    out = []
    for v in rows:
        text = f"<strong>{esc(v['title'])}</strong>" if v["title"] else ""
        if v["description"]:
            text += f"<br>{esc(v['description'])}"
        kind = esc(v["type"]) + (f" ({esc(v['format'])})" if v["format"] else "")
        codes = esc(v["coding"]) if v["coding"] else ""
        if v["codes"]:
            items = "".join(f"<li><code>{esc(c)}</code> {esc(label)}</li>" if label
                            else f"<li><code>{esc(c)}</code></li>" for c, label in v["codes"])
            listed = f'<ul class="catalogue-codes">{items}</ul>'
            codes += (f'<details class="catalogue-codes-long">'
                      f'<summary>{len(v["codes"])} {esc(labels["codes"])}'
                      f"</summary>{listed}</details>" if len(v["codes"]) > LONG_CODE_LIST else listed)
        codes += dictionary_extras.concepts_html(v.get("concepts"), labels["page"])
        anchor = esc(v["id"])
        out.append(f'<tr id="row-{anchor}"><td data-label="{esc(labels["variable"])}">'
                   f'<h4 id="{anchor}" class="catalogue-var">'
                   f"<code>{esc(v['name'])}</code></h4></td>"
                   f"<td data-label=\"{esc(labels['title'])}\">{text}</td>"
                   f"<td data-label=\"{esc(labels['type'])}\">{kind}</td>"
                   f"<td data-label=\"{esc(labels['unit'])}\">{esc(v['unit'] or '')}</td>"
                   f"<td data-label=\"{esc(labels['code_list'])}\">{codes}</td></tr>\n")
    return Markup("".join(out))


def access_steps(e: LoadedEntry, lang: str, page: str) -> list[dict[str, Any]]:
    """The access guidelines as numbered steps, in the order a researcher takes them."""
    a = e.model.access
    steps = [
        {"title": t("step_check", lang), "text": t("step_check_text", lang),
         "contact": contact_html(a.contact)},
        {"title": t("step_approvals", lang),
         "bullets": [term("approvals", x, lang) for x in a.approvals],
         "after": t("step_legal", lang),
         "after_items": [term("legal-bases", x, lang) for x in a.legal_basis_options]},
    ]
    if a.documents:
        steps.append({"title": t("step_documents", lang),
                      "bullets": [term("documents", x, lang) for x in a.documents]})
    steps.append({"title": t("step_apply", lang), "text": a.application_route,
                  "decided": term("access-deciders", a.decided_by, lang),
                  "link": a.application_url})
    wait = [t("lead_time", lang, min=a.lead_time.min_weeks, max=a.lead_time.max_weeks)]
    if a.lead_time.note:
        wait.append(a.lead_time.note)
    wait.append(t("fees", lang, min=_number(a.fees.min_nok, lang), max=_number(a.fees.max_nok, lang)))
    if a.fees.note:
        wait.append(a.fees.note)
    steps.append({"title": t("step_wait", lang), "paragraphs": wait})
    steps.append({"title": t("step_use", lang), "text": a.conditions})
    return steps


def summary(cat: Catalogue, f: EntryFacts, lang: str, page: str) -> list[tuple[str, Any]]:
    """The facts a planner scans first, as (label, value) rows; empty values are left out."""
    m, e = f.entry.model, f.entry
    ctrl = cat.organizations.get(m.data_controller)
    link = Markup('<a href="{0}">{1}</a>')
    rows: list[tuple[str, Any]] = [
        (t("held_by", lang), link.format(urls.rel(page, urls.organization(m.data_controller)),
                                         org_name(ctrl.name, lang) if ctrl else m.data_controller)),
    ]
    if m.data_processor:
        proc = cat.organizations.get(m.data_processor)
        href = urls.rel(page, urls.organization(m.data_processor))
        rows.append((t("processor", lang),
                     link.format(href, org_name(proc.name, lang) if proc else m.data_processor)))
    if ctrl:
        rows.append((t("health_region", lang), term("health-regions", ctrl.health_region, lang)))
    if isinstance(m, RegistryEntry):
        rows.append((t("kind_type", lang), term("registry-types", m.registry_type, lang)))
        if m.registry_stage:
            stage = t("stage_n", lang, n=m.registry_stage)
            rows.append((t("stage", lang), f"{stage} ({m.registry_stage_year})" if m.registry_stage_year
                         else stage))
    cov = m.coverage
    rows += [
        (t("years", lang), years(e, lang)),
        (t("geography", lang), term("geography", cov.geography, lang)),
        (t("population", lang), cov.population),
        (t("individuals", lang), _number(cov.number_of_individuals, lang)),
        (t("records", lang), _number(cov.number_of_records, lang)),
        (t("ages", lang), f"{cov.age_min if cov.age_min is not None else ''}–"
                          f"{cov.age_max if cov.age_max is not None else ''}"
         if cov.age_min is not None or cov.age_max is not None else None),
        (t("frequency", lang), term("frequencies", m.update_frequency, lang)),
        (t("time_lag", lang), t("days", lang, n=m.time_lag_days) if m.time_lag_days is not None else None),
        (t("access_rights", lang), term("access-rights", m.access.access_rights, lang)),
    ]
    if isinstance(m, BiobankEntry):
        b = m.biobank
        rows += [(t("material", lang), ", ".join(term("material-types", x, lang) for x in b.material_types)),
                 (t("donors", lang), _number(b.number_of_donors, lang)),
                 (t("samples", lang), _number(b.number_of_samples, lang))]
    rows += [(t("keywords", lang), ", ".join(m.keywords)),
             (t("homepage", lang), Markup('<a href="{0}">{0}</a>').format(m.homepage)),
             (t("last_updated", lang), f.updated),
             (t("last_reviewed", lang), reviewed_text(f, lang))]
    return [(k, v) for k, v in rows if v not in (None, "")]


def reviewed_text(f: EntryFacts, lang: str) -> str:
    """`2026-03-01 by the secretariat`, or "never reviewed"."""
    m = f.entry.model
    if not m.last_reviewed:
        return t("never_reviewed", lang)
    date = m.last_reviewed[:10]
    return t("reviewed_by_x", lang, date=date, who=m.reviewed_by) if m.reviewed_by else date


def review_notice(f: EntryFacts, lang: str) -> dict[str, str] | None:
    """The overdue notice for the entry page, or None when the review is in time."""
    from catalogue.validation.review import interval_months

    s = facets.review_status(f.entry)
    if not s.overdue:
        return None
    text = (t("review_overdue_text", lang, date=s.last_reviewed, months=interval_months())
            if s.last_reviewed else t("review_never_text", lang))
    return {"title": t("review_overdue", lang), "text": text}


def citation(cat: Catalogue, f: EntryFacts, lang: str, base_url: str, title: str) -> str:
    """A plain-text reference to the entry's catalogue page."""
    m = f.entry.model
    ctrl = cat.organizations.get(m.data_controller)
    who = org_name(ctrl.name, lang) if ctrl else m.data_controller
    kind = t(f.entry.kind, lang)
    version = f", version {m.version}" if m.version else ""
    today = dt.date.today().isoformat()
    return (f"{who}. {title} [{kind.lower()}]{version}. {base_url}{f.url} "
            f"({t('accessed', lang)} {today}).")


def search_meta(cat: Catalogue, e: LoadedEntry, lang: str) -> dict[str, str]:
    """What a search result card shows, in one language (`catalogue.site.search`)."""
    m = e.model
    loc = localise(m, lang)
    ctrl = cat.organizations.get(m.data_controller)
    return {"title": loc.title, "kind": t(e.kind, lang),
            "controller": org_name(ctrl.name, lang) if ctrl else m.data_controller,
            "years": years(e, lang), "summary": plain(loc.description)[:300]}


def entry_context(cat: Catalogue, f: EntryFacts, lang: str, by_name: dict[str, EntryFacts],
                  base_url: str, global_prefix: str, downloads: list[str]) -> dict[str, Any]:
    """Everything the entry template needs, in `lang`."""
    e, m, page = f.entry, f.entry.model, f.url
    loc = localise(m, lang)
    cov = m.coverage
    now = dt.date.today().year
    uid = e.name
    charts_html = [charts.timeline(f"timeline-{uid}", t("coverage_timeline", lang), cov.start_year,
                                   cov.end_year, now, t("until_now", lang), t("chart_table", lang),
                                   (t("years", lang), ""))]
    if cov.coverage_rates:
        charts_html.append(charts.rate_chart(
            f"rates-{uid}", t("coverage_rate", lang), [(r.year, r.rate) for r in cov.coverage_rates],
            t("chart_table", lang), (t("year", lang), t("rate", lang))))
    linked = []
    for name in list(m.linked_entries) + f.linked_from:
        other = by_name.get(name)
        if other:
            linked.append({"title": localise(other.entry.model, lang).title,
                           "url": urls.rel(page, other.url), "kind": t(other.entry.kind, lang),
                           "back": name in f.linked_from})
    here = urls.rel(page, "") + global_prefix + page
    return {
        "e": e, "m": m, "page": page, "loc": loc, "kind": t(e.kind, lang),
        "description": markdown(loc.description),
        "summary_text": plain(loc.description)[:300],
        "summary": summary(cat, f, lang, page),
        "tables": dictionary(e, lang),
        "n_variables": f.n_variables,
        "steps": access_steps(e, lang, page),
        "guide": urls.rel(page, "access-guide/"),
        "linked": linked,
        "citation": citation(cat, f, lang, base_url, loc.title),
        "publications": m.publications,
        "history": f.history.commits if f.history else [],
        "updated": f.updated,
        "completeness": f.completeness,
        "charts": charts_html,
        "downloads": [(name, here + name) for name in downloads],
        "catalogue": urls.rel(page, urls.CATALOGUE),
        "planner": urls.rel(page, urls.PLANNER),
        "review": review_notice(f, lang),
        "feed": "changes.atom",  # beside the page, in its language (catalogue/site/feeds.py)
        "edit": urls.rel(page, "editor/") + f"?entry={e.name}",  # catalogue/site/editor.py
    }
