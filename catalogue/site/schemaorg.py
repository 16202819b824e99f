"""schema.org markup for search engines: a `Dataset` on every entry page, a `DataCatalog` on the
catalogue page, as JSON-LD in the page's language (Google Dataset Search reads these).

The markup is built from the validated models, like every other output. It goes into the page
as `<script type="application/ld+json">`, with `<`, `>` and `&` written as `\\u003c`,
`\\u003e` and `\\u0026`: JSON keeps the same text, and no metadata (`</script>`, `<!--`) can end
the element or open a comment inside it. The choices (what counts as a measurement technique,
how a too-short description is completed) are in docs/dcat.md, "schema.org".
"""

from __future__ import annotations

import json
from typing import Any

from catalogue.dcat.licences import by_code, entry_licence
from catalogue.dcat.uris import DcatConfig
from catalogue.format.models import BiobankEntry
from catalogue.load import Catalogue
from catalogue.site import urls
from catalogue.site.i18n import PREFIX, localise, org_name, t, term
from catalogue.site.render import plain
from catalogue.site.views import EntryFacts

CONTEXT = "https://schema.org/"
DESCRIPTION_MIN, DESCRIPTION_MAX = 50, 5000  # what Google Dataset Search accepts
MAX_VARIABLES = 200  # beyond this, the first ones and a link to the whole dictionary
MAX_CATALOGUE_DATASETS = 1000  # datasets listed in the DataCatalog; each has its own page
ENCODINGS = {".yaml": "application/yaml", ".json": "application/json", ".csv": "text/csv"}
BRREG = "https://data.brreg.no/enhetsregisteret/api/enheter/"

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def script(data: dict[str, Any]) -> str:
    """`data` as a JSON-LD script element that no text inside it can close (plain `str`: it is
    appended to finished HTML, and a Markup would escape the text it is added to)."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    for raw, escaped in _ESCAPES.items():
        text = text.replace(raw, escaped)
    return f'<script type="application/ld+json">{text}</script>\n'


def page_url(base_url: str, lang: str, page: str) -> str:
    return f"{base_url}{PREFIX[lang]}{page}"


def _organization(cat: Catalogue, org_id: str, lang: str) -> dict[str, Any]:
    org = cat.organizations.get(org_id)
    if org is None:
        return {"@type": "Organization", "name": org_id}
    out: dict[str, Any] = {"@type": "Organization", "name": org_name(org.name, lang) or org.id,
                           "url": org.homepage}
    if org.organization_number:
        out["identifier"] = org.organization_number
        out["sameAs"] = BRREG + org.organization_number
    return out


def _description(cat: Catalogue, f: EntryFacts, lang: str) -> str:
    """The entry's description as plain text, completed from its facts when under 50 characters
    and cut at a word (with an ellipsis) over 5,000."""
    m = f.entry.model
    text = plain(localise(m, lang).description)
    if len(text) < DESCRIPTION_MIN:
        controller = cat.organizations.get(m.data_controller)
        name = org_name(controller.name, lang) if controller else m.data_controller
        extra = [f"{t(f.entry.kind, lang)}, {t('role_controller', lang)}: {name}.",
                 m.coverage.population]
        text = " ".join(p.strip() for p in [text, *extra] if p and p.strip())
    if len(text) > DESCRIPTION_MAX:
        text = text[:DESCRIPTION_MAX - 2].rsplit(" ", 1)[0] + " …"
    return text


def _variables(f: EntryFacts, files: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for n, (_, field) in enumerate(f.entry.variables()):
        if n == MAX_VARIABLES:
            rest = f.n_variables - MAX_VARIABLES
            out.append({"@type": "PropertyValue", "name": f"{rest} more variables",
                        "description": "The whole data dictionary, every variable with its "
                                       "description, is in the Data Package.",
                        "url": files + "datapackage.json"})
            break
        pv: dict[str, Any] = {"@type": "PropertyValue", "name": field.name}
        if field.title or field.description:
            pv["description"] = field.description or field.title
        if field.unit:
            pv["unitText"] = field.unit
        if field.coding_system:
            pv["measurementTechnique"] = term("coding-systems", field.coding_system, "en")
        out.append(pv)
    return out


def _licence_url(f: EntryFacts, config: DcatConfig) -> str:
    m = f.entry.model
    own = next((lic.path for lic in m.licenses if lic.path), None)
    if own:
        return own
    row = entry_licence(m.licenses) or by_code(config.license)
    return row.url


def dataset(cat: Catalogue, f: EntryFacts, lang: str, base_url: str,
            downloads: list[str]) -> dict[str, Any]:
    """The schema.org Dataset of one entry page, in `lang`."""
    m, e = f.entry.model, f.entry
    config = DcatConfig(base_url=base_url)
    url = page_url(base_url, lang, f.url)
    files = base_url + f.url
    cov = m.coverage
    systems = sorted({*m.coding_systems, *(fl.coding_system for _, fl in e.variables() if fl.coding_system)})
    keywords = list(m.keywords)
    if isinstance(m, BiobankEntry):
        keywords += [term("material-types", x, lang) for x in m.biobank.material_types]
    controller = _organization(cat, m.data_controller, lang)
    creators = [controller] + ([_organization(cat, m.data_processor, lang)] if m.data_processor else [])
    out: dict[str, Any] = {
        "@context": CONTEXT, "@type": "Dataset", "@id": url,
        "name": localise(m, lang).title,
        "description": _description(cat, f, lang),
        "url": url,
        "identifier": [m.id, url],
        "sameAs": config.dataset(m.id),
        "keywords": keywords,
        "license": _licence_url(f, config),
        "creator": creators,
        "publisher": controller,
        "temporalCoverage": f"{cov.start_year}/{cov.end_year or '..'}",
        "spatialCoverage": {"@type": "Place", "name": term("geography", cov.geography, lang)},
        "variableMeasured": _variables(f, files),
        "isAccessibleForFree": False,
        "conditionsOfAccess": " ".join(s.strip() for s in (m.access.application_route,
                                                           m.access.conditions) if s),
        "includedInDataCatalog": {"@type": "DataCatalog", "name": t("site_name", lang),
                                  "url": page_url(base_url, lang, urls.CATALOGUE)},
        # the downloads live beside the Bokmål page (the root site), for both languages
        "distribution": [{"@type": "DataDownload", "name": name, "contentUrl": files + name,
                          "encodingFormat": ENCODINGS.get(name[name.rfind("."):], "application/octet-stream")}
                         for name in downloads],
        "datePublished": m.issued[:10],
        "dateModified": f.updated,
        "inLanguage": lang,
    }
    if systems:
        out["measurementTechnique"] = [term("coding-systems", s, "en") for s in systems]
    if m.version:
        out["version"] = m.version
    return out


def catalog(cat: Catalogue, facts: list[EntryFacts], lang: str, base_url: str) -> dict[str, Any]:
    """The schema.org DataCatalog of the catalogue page, in `lang`."""
    config = DcatConfig(base_url=base_url)
    ordered = sorted(facts, key=lambda f: f.entry.name)[:MAX_CATALOGUE_DATASETS]
    return {
        "@context": CONTEXT, "@type": "DataCatalog",
        "@id": page_url(base_url, lang, urls.CATALOGUE),
        "name": t("site_name", lang),
        "description": config.description.get(lang) or config.description["en"],
        "url": page_url(base_url, lang, urls.CATALOGUE),
        "inLanguage": lang,
        "license": by_code(config.license).url,
        "dataset": [{"@type": "Dataset", "name": localise(f.entry.model, lang).title,
                     "url": page_url(base_url, lang, f.url)} for f in ordered],
    }
