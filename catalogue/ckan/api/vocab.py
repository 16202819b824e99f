"""Display names of facet values: organisation and group titles, vocabulary labels."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Connection, select

from catalogue.ckan.store.models import Group, Organization
from catalogue.format.vocabularies import vocabulary

FIELD_VOCABULARIES = {
    "access_rights": "access-rights", "access_decided_by": "access-deciders",
    "health_region": "health-regions", "theme": "eu-data-themes",
    "health_category": "health-categories", "coding_system": "coding-systems",
    "registry_type": "registry-types", "material_type": "material-types",
}
CATALOGUE_TYPES = {"registry": "Registry", "biobank": "Biobank"}


@cache
def _label(vocab: str, term: str) -> str:
    found = vocabulary(vocab).terms.get(term)
    return found.text("en") if found else term


def display_names(conn: Connection, facets: dict[str, list[tuple[str, int]]]
                  ) -> dict[tuple[str, str], str]:
    """{(field, value): display name} for the values in `facets` that have a nicer name."""
    out: dict[tuple[str, str], str] = {}
    for field, model in (("organization", Organization), ("groups", Group)):
        values = [v for v, _ in facets.get(field, [])]
        if values:
            rows = conn.execute(select(model.name, model.title).where(model.name.in_(values)))
            out.update(((field, name), title) for name, title in rows)
    for field, vocab in FIELD_VOCABULARIES.items():
        out.update(((field, v), _label(vocab, v)) for v, _ in facets.get(field, []))
    out.update((("catalogue_type", v), CATALOGUE_TYPES.get(v, v))
               for v, _ in facets.get("catalogue_type", []))
    return out
