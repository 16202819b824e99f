"""CKAN dicts of our entries, organisations and groups: what `package_create` would accept.

Rendered once at load time and stored, so the feed only copies them out. Ids are UUIDs derived
from stable names, so every build and every backend gives an object the same id. Domain fields
go into `extras` under ckanext-dcat's `euro_health_dcat_ap` names, as strings (lists as JSON).
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from catalogue.ckan.licences import OPEN_IDS, ckan_licence
from catalogue.format import kinds
from catalogue.format.models import Organization
from catalogue.format.vocabularies import vocabulary
from catalogue.load import LoadedEntry

NAMESPACE = uuid.UUID("5b0f5a52-8f0e-4a77-9d6c-1c0a6f3e2b41")
THEMES = "eu-data-themes"
HEALTH_CATEGORIES = "health-categories"
NOT_SPECIFIED = {"id": "notspecified", "title": "License not specified", "url": ""}
OPEN_LICENSES = {"cc-by-4.0", "cc0-1.0", "cc-by-sa-4.0", "odc-by-1.0", "odc-pddl-1.0",
                 "odc-odbl-1.0", "nlod-2.0"} | OPEN_IDS  # SPDX names, and CKAN's open ids
PUBLISHER_TYPES = {
    "public-agency": "NationalAuthority",
    "health-trust": "RegionalAuthority",
    "regional-health-authority": "RegionalAuthority",
    "municipality": "LocalAuthority",
    "university": "Academia-ScientificOrganisation",
    "research-institute": "Academia-ScientificOrganisation",
    "private-hospital": "Company",
}
HDAB = {"name": "Helsedataservice", "url": "https://helsedata.no/", "email": ""}


def uid(*parts: str) -> str:
    """A stable UUID for a named thing, e.g. uid("organization", "ntnu")."""
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


def entry_url(base_url: str, kind: str, name: str) -> str:
    """The entry's page on the site."""
    return kinds.entry_url(base_url, kind, name)


def term_uri(vocab: str, term: str) -> str:
    """A term's URI when its vocabulary has one, else the term itself."""
    found = vocabulary(vocab).terms.get(term)
    return (found.uri if found and found.uri else term)


def term_label(vocab: str, term: str, lang: str = "en") -> str:
    """A term's label, or the term itself when the vocabulary lacks it."""
    found = vocabulary(vocab).terms.get(term)
    return found.text(lang) if found else term


def group_name(term: str) -> str:
    """CKAN group names are lowercase `[a-z0-9_-]`: `MEDICAL_REGISTRIES` -> `medical-registries`."""
    return re.sub(r"[^a-z0-9-]+", "-", term.lower()).strip("-")


def clean_tag(keyword: str) -> str | None:
    """A keyword as a valid CKAN tag (`[\\w \\-.]`, 2-100 characters), or None."""
    tag = re.sub(r"[^\w \-.]+", "-", keyword.strip(), flags=re.UNICODE)
    tag = re.sub(r"\s+", " ", tag).strip(" -")[:100].strip()
    return tag if len(tag) >= 2 else None


def license_of(entry: LoadedEntry) -> dict[str, str]:
    """id, title and url of the entry's licence: from CKAN's register when it knows it."""
    registered = ckan_licence(entry.model.licenses)
    if registered:
        return registered
    for lic in entry.model.licenses:
        if lic.name or lic.path:
            return {"id": lic.name or lic.path or "", "title": lic.title or lic.name or "",
                    "url": lic.path or ""}
    return dict(NOT_SPECIFIED)


def organization_dict(org: Organization, created: str) -> dict[str, Any]:
    """The organization as `organization_show` returns it (without package_count)."""
    title = org.name.nb or org.name.nn or org.name.en or org.id
    extras = [
        {"key": "organization_number", "value": org.organization_number},
        {"key": "organization_type", "value": org.type},
        {"key": "health_region", "value": org.health_region},
        {"key": "homepage", "value": org.homepage},
    ]
    if org.name.en:
        extras.append({"key": "title_en", "value": org.name.en})
    if org.contact.email:
        extras.append({"key": "email", "value": org.contact.email})
    extras.append({"key": "contact", "value": _json(org.contact.model_dump(exclude_none=True))})
    return {
        "id": uid("organization", org.id), "name": org.id, "title": title,
        "display_name": title,
        "description": f"{term_label('organization-types', org.type)}, "
                       f"{term_label('health-regions', org.health_region)}. "
                       f"Organisation number {org.organization_number}.",
        "image_url": "", "image_display_url": "", "created": created,
        "is_organization": True, "approval_status": "approved", "state": "active",
        "type": "organization", "num_followers": 0,
        "extras": sorted(extras, key=lambda e: e["key"]),
        "groups": [], "tags": [], "users": [],
    }


def group_dict(vocab: str, term: str, created: str) -> dict[str, Any]:
    """A theme or health category as `group_show` returns it (without package_count)."""
    found = vocabulary(vocab).terms.get(term)
    title = found.text("en") if found else term
    name = group_name(term)
    return {
        "id": uid("group", name), "name": name, "title": title, "display_name": title,
        "description": f"{vocabulary(vocab).title}: {title}"
                       + (f" ({found.uri})" if found and found.uri else ""),
        "image_url": "", "image_display_url": "", "created": created,
        "is_organization": False, "approval_status": "approved", "state": "active",
        "type": "group", "num_followers": 0,
        "extras": [{"key": "vocabulary", "value": vocab}, {"key": "term", "value": term}]
                  + ([{"key": "uri", "value": found.uri}] if found and found.uri else []),
        "groups": [], "tags": [], "users": [],
    }


def groups_of(entry: LoadedEntry) -> list[tuple[str, str]]:
    """(vocabulary, term) of every group the entry belongs to."""
    m = entry.model
    return [(THEMES, t) for t in m.themes] + [(HEALTH_CATEGORIES, c) for c in m.health_categories]


def resources_of(entry: LoadedEntry, base_url: str) -> list[dict[str, Any]]:
    """The entry's CKAN resources: its page, one data dictionary per table, access guidelines."""
    m, page = entry.model, entry_url(base_url, entry.kind, entry.name)
    out = [{"role": "page", "key": "page", "name": m.title, "url": page, "format": "HTML",
            "mimetype": "text/html",
            "description": "The entry's page in the catalogue: description, coverage, variables "
                           "and how to apply for access."}]
    for res, schema in entry.tables():
        table = next(r for r in m.resources if r.name == res)
        text = (f"Data dictionary (Frictionless Table Schema) of the table "
                f"'{table.title or res}': {len(schema.fields)} variables. "
                f"{table.description or ''} The data are held by the data controller "
                f"({table.path}) and are not published here.").replace("  ", " ")
        out.append({"role": "data-dictionary", "key": f"table:{res}",
                    "name": f"Data dictionary: {table.title or res}",
                    "url": f"{page}{res}.schema.json", "format": "JSON",
                    "mimetype": "application/json", "description": text,
                    "table": {k: v for k, v in (("table_name", res), ("table_title", table.title),
                                                ("table_description", table.description),
                                                ("table_path", table.path)) if v}})
    a = m.access
    out.append({"role": "access-guidelines", "key": "access", "name": "How to get access",
                "url": f"{page}#access", "format": "HTML", "mimetype": "text/html",
                "description": (f"{a.application_route} Apply at {a.application_url}. Decided by: "
                                f"{term_label('access-deciders', a.decided_by)}. Usual lead time "
                                f"{a.lead_time.min_weeks}-{a.lead_time.max_weeks} weeks; fees "
                                f"NOK {a.fees.min_nok}-{a.fees.max_nok}.")})
    for i, r in enumerate(out):
        r["id"] = uid("resource", entry.id, r["key"])
        r["position"] = i
    return out


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def extras_of(entry: LoadedEntry, controller: Organization) -> list[dict[str, str]]:
    """DCAT-AP and HealthDCAT-AP extras (ckanext-dcat names), then the catalogue's own."""
    m, cov, a = entry.model, entry.model.coverage, entry.model.access
    contact = next((c for c in m.contributors if "contact" in c.roles), m.contributors[0])
    x: dict[str, Any] = {
        "identifier": m.id, "issued": m.issued, "modified": m.modified,
        "language": _json([m.language] + sorted(m.translations)),
        "theme": _json([term_uri(THEMES, t) for t in m.themes]),
        "access_rights": term_uri("access-rights", a.access_rights),
        "frequency": term_uri("frequencies", m.update_frequency),
        "temporal_start": f"{cov.start_year}-01-01",
        "temporal_end": f"{cov.end_year}-12-31" if cov.end_year else None,
        "spatial_uri": term_uri("geography", cov.geography),
        "contact_name": contact.title, "contact_email": contact.email,
        "publisher_name": controller.name.nb or controller.name.en,
        "publisher_url": controller.homepage, "publisher_email": controller.contact.email,
        "health_category": _json([term_uri(HEALTH_CATEGORIES, c) for c in m.health_categories]),
        "health_theme": _json(m.diseases) if m.diseases else None,
        "coding_system": _json(m.coding_systems) if m.coding_systems else None,
        "min_typical_age": cov.age_min, "max_typical_age": cov.age_max,
        "number_of_records": cov.number_of_records,
        "number_of_unique_individuals": cov.number_of_individuals,
        "population_coverage": _json([cov.population]),
        "legal_basis": _json(m.legal_basis),
        "personal_data": _json(m.personal_data) if m.personal_data else None,
        "purpose": _json([m.purpose]) if m.purpose else None,
        "hdab": _json([HDAB]) if a.decided_by == "helsedataservice" else None,
        "publisher_type": (_json(["http://purl.org/adms/publishertype/"
                                  + PUBLISHER_TYPES[controller.type]])
                           if controller.type in PUBLISHER_TYPES else None),
        # the catalogue's own fields
        "catalogue_type": entry.kind, "data_controller": m.data_controller,
        "data_processor": m.data_processor, "health_region": controller.health_region,
        "access_decided_by": a.decided_by, "access_application_url": a.application_url,
        "access_approvals": _json(a.approvals),
        "access_lead_time_weeks": f"{a.lead_time.min_weeks}-{a.lead_time.max_weeks}",
        "access_fees_nok": f"{a.fees.min_nok}-{a.fees.max_nok}",
        "demonstration": m.demonstration,
        "last_reviewed": m.last_reviewed, "reviewed_by": m.reviewed_by,
        # the rest of the access guidelines and coverage, so `import-ckan` can re-create them
        "access_application_route": a.application_route, "access_conditions": a.conditions,
        "access_documents": _json(a.documents),
        "access_legal_basis_options": _json(a.legal_basis_options),
        "access_contact": _json(a.contact.model_dump(exclude_none=True)),
        "access_lead_time_note": a.lead_time.note, "access_fees_note": a.fees.note,
        "coverage_rates": (_json([r.model_dump() for r in cov.coverage_rates])
                           if cov.coverage_rates else None),
        "translations": (_json({k: v.model_dump(exclude_none=True)
                                for k, v in m.translations.items()}) if m.translations else None),
        "linked_entries": _json(m.linked_entries) if m.linked_entries else None,
        "publications": (_json([p.model_dump(exclude_none=True) for p in m.publications])
                         if m.publications else None),
        "time_lag_days": m.time_lag_days,
        "contributors": _json([c.model_dump(exclude_none=True) for c in m.contributors]),
        "keywords": _json(m.keywords),  # as written; tags are cleaned and sorted
    }
    if entry.kind == "registry":
        x["registry_type"] = m.registry_type  # type: ignore[union-attr]
        x["registry_stage"] = m.registry_stage  # type: ignore[union-attr]
        x["registry_stage_year"] = m.registry_stage_year  # type: ignore[union-attr]
    else:
        bb = m.biobank  # type: ignore[union-attr]
        x["biobank"] = _json(bb.model_dump(exclude_none=True))
        x["material_type"] = _json(bb.material_types)
        x["storage_temperature"] = _json(bb.storage_temperatures)
        x["number_of_samples"] = bb.number_of_samples
        x["number_of_donors"] = bb.number_of_donors
    if cov.coverage_rates:
        latest = max(cov.coverage_rates, key=lambda r: r.year)
        x["coverage_rate"] = f"{latest.rate:g}% ({latest.year})"
    return [{"key": k, "value": str(v)} for k, v in sorted(x.items()) if v not in (None, "")]


def package_dict(
    entry: LoadedEntry,
    controller: Organization,
    org_dict: dict[str, Any],
    group_dicts: list[dict[str, Any]],
    resources: list[dict[str, Any]],
    created: str,
    modified: str,
) -> dict[str, Any]:
    """The entry as `package_show` returns it."""
    m = entry.model
    lic = license_of(entry)
    tags = sorted({t for k in m.keywords if (t := clean_tag(k))})
    contact = next((c for c in m.contributors if "contact" in c.roles), m.contributors[0])
    author = next((c for c in m.contributors if "author" in c.roles), None)
    org = {k: org_dict[k] for k in ("id", "name", "title", "type", "description", "image_url",
                                    "created", "is_organization", "approval_status", "state")}
    return {
        "id": m.id, "name": m.name, "title": m.title, "notes": m.description.strip(),
        "url": m.homepage, "version": m.version, "type": "dataset", "state": "active",
        "private": False, "license_id": lic["id"], "license_title": lic["title"],
        "license_url": lic["url"], "isopen": lic["id"].lower() in OPEN_LICENSES,
        "metadata_created": created, "metadata_modified": modified,
        "owner_org": org["id"], "organization": org, "creator_user_id": None,
        "author": author.title if author else (controller.name.nb or controller.name.en),
        "author_email": (author.email if author else controller.contact.email),
        "maintainer": contact.title, "maintainer_email": contact.email,
        "groups": [{k: g[k] for k in ("id", "name", "title", "display_name", "description",
                                      "image_display_url")} for g in group_dicts],
        "tags": [{"id": uid("tag", t), "name": t, "display_name": t, "state": "active",
                  "vocabulary_id": None} for t in tags],
        "num_tags": len(tags),
        "extras": extras_of(entry, controller),
        "resources": [{
            "id": r["id"], "package_id": m.id, "url": r["url"], "name": r["name"],
            "description": r["description"], "format": r["format"], "mimetype": r["mimetype"],
            "position": r["position"], "state": "active", "resource_type": r["role"],
            "created": created, "last_modified": modified, "url_type": None,
            **r.get("table", {}),
        } for r in resources],
        "num_resources": len(resources),
        "relationships_as_object": [], "relationships_as_subject": [],
    }
