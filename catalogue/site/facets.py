"""The catalogue's facets: which values each entry has, and what to call them in each language.

Values are stable ids (term ids, organisation ids), so a shared URL such as
`/catalogue/?region=helse-vest` means the same in both languages; labels are looked up per page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from catalogue.format.models import BiobankEntry, RegistryEntry
from catalogue.load import Catalogue, LoadedEntry
from catalogue.site.i18n import org_name, t, term
from catalogue.validation.review import ReviewStatus, status_of

# (URL parameter, interface string, vocabulary or None when labelled another way)
FACETS: list[tuple[str, str, str | None]] = [
    ("kind", "facet_kind", None),
    ("region", "facet_region", "health-regions"),
    ("controller", "facet_controller", None),
    ("theme", "facet_theme", "eu-data-themes"),
    ("category", "facet_category", "health-categories"),
    ("coding", "facet_coding", "coding-systems"),
    ("access", "facet_access", "access-deciders"),
    ("stage", "facet_stage", None),
    ("material", "facet_material", "material-types"),
    ("review", "facet_review", None),  # due | current: the review cadence (catalogue/review.py)
]
FACET_NAMES = [name for name, _, _ in FACETS]


def region_of(cat: Catalogue, entry: LoadedEntry) -> str | None:
    """The health region of the entry's data controller."""
    org = cat.organizations.get(entry.model.data_controller)
    return org.health_region if org else None


def values(cat: Catalogue, entry: LoadedEntry) -> dict[str, list[str]]:
    """Facet name -> the entry's values (possibly none)."""
    m = entry.model
    codings = set(m.coding_systems) | {f.coding_system for _, f in entry.variables() if f.coding_system}
    region = region_of(cat, entry)
    out = {
        "kind": [entry.kind],
        "region": [region] if region else [],
        "controller": [m.data_controller],
        "theme": list(dict.fromkeys(m.themes)),
        "category": list(dict.fromkeys(m.health_categories)),
        "coding": sorted(codings),
        "access": [m.access.decided_by],
        "stage": [],
        "material": [],
        "review": ["due" if review_status(entry).overdue else "current"],
    }
    if isinstance(m, RegistryEntry) and m.registry_stage:
        out["stage"] = [str(m.registry_stage)]
    if isinstance(m, BiobankEntry):
        out["material"] = list(dict.fromkeys(m.biobank.material_types))
    return out


def review_status(entry: LoadedEntry) -> ReviewStatus:
    """The entry's review status as of the build (`CATALOGUE_TODAY` or the system date)."""
    m = entry.model
    return status_of({"name": m.name, "last_reviewed": m.last_reviewed, "reviewed_by": m.reviewed_by},
                     kind=entry.kind)


def label(cat: Catalogue, facet: str, value: str, lang: str) -> str:
    """What a facet value is called in `lang`."""
    if facet == "kind":
        return t(value, lang)
    if facet == "controller":
        org = cat.organizations.get(value)
        return org_name(org.name, lang) if org else value
    if facet == "stage":
        return t("stage_n", lang, n=value)
    if facet == "review":
        return t(f"review_{value}", lang)
    vocab = next(v for name, _, v in FACETS if name == facet)
    return term(vocab, value, lang) if vocab else value


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class Facet:
    name: str
    title: str
    values: list[FacetValue]


def counts(cat: Catalogue, per_entry: list[dict[str, list[str]]], lang: str) -> list[Facet]:
    """Every facet with its values and how many entries have each, most common first."""
    out = []
    for name, title_key, _ in FACETS:
        c: Counter[str] = Counter(v for vals in per_entry for v in vals[name])
        if not c:
            continue
        vals = [FacetValue(v, label(cat, name, v, lang), n) for v, n in c.items()]
        order = (lambda fv: fv.value) if name == "stage" else (lambda fv: (-fv.count, fv.label))
        out.append(Facet(name, t(title_key, lang), sorted(vals, key=order)))
    return out
