"""`catalogue import-ckan`: dataset descriptions from a CKAN portal as new entries.

Uses `ckanapi` like any harvester. Standard CKAN and ckanext-dcat fields map to our format;
extras written by this catalogue's own feed map back completely, and the data dictionary comes
from a resource holding a Table Schema. Whatever has no place, or is required and missing, is
listed per dataset, never dropped silently: the written YAML is then a draft to complete.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ckanapi
import requests
import yaml

from catalogue.ckan.packages import HEALTH_CATEGORIES, THEMES
from catalogue.format.kinds import FOLDERS
from catalogue.format.vocabularies import vocabulary

# package fields that carry nothing to keep, or that the mapping below reads
KNOWN = {"id", "name", "title", "notes", "url", "version", "license_id", "license_title",
         "license_url", "isopen", "type", "state", "private", "metadata_created",
         "metadata_modified", "owner_org", "organization", "creator_user_id", "author",
         "author_email", "maintainer", "maintainer_email", "groups", "tags", "num_tags",
         "extras", "resources", "num_resources", "relationships_as_object",
         "relationships_as_subject"}
# extras this catalogue writes only to describe, never to read back
DERIVED = {"identifier", "theme", "health_category", "publisher_name", "publisher_url",
           "publisher_email", "publisher_type", "contact_name", "contact_email", "hdab",
           "catalogue_type", "health_region", "coverage_rate", "material_type",
           "storage_temperature", "number_of_samples", "number_of_donors", "data_controller",
           "language"}


@dataclass
class ImportReport:
    """What an import wrote, skipped and could not map (per dataset name)."""

    written: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    unmapped: dict[str, list[str]] = field(default_factory=dict)


def _uri_to_term(vocab: str, value: str) -> str:
    for term in vocabulary(vocab).terms.values():
        if value in (term.uri, term.id):
            return term.id
    return value.rstrip("/").rsplit("/", 1)[-1]


def _loads(value: str | None) -> Any:
    if value is None:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return value


def _range(value: str | None) -> tuple[int, int] | None:
    m = re.fullmatch(r"(\d+)-(\d+)", value or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def packages(ckan: ckanapi.RemoteCKAN, organizations: list[str]) -> Iterator[dict[str, Any]]:
    """Every dataset (of these organisations), paged by id like ckanext-harvest."""
    fq = " OR ".join(f"organization:{o}" for o in organizations)
    start, seen = 0, set()
    while True:
        page = ckan.action.package_search(fq=fq, rows=100, start=start, sort="id asc")["results"]
        new = [p for p in page if p["id"] not in seen]
        if not new:
            return
        seen.update(p["id"] for p in new)
        yield from new
        start += len(page)


def entry_from_package(pkg: dict[str, Any], fetch: Any = None) -> tuple[str, dict[str, Any], list[str]]:
    """(kind, entry descriptor, what could not be mapped) for one CKAN package dict."""
    x = {e["key"]: e["value"] for e in pkg.get("extras") or []}
    lost: list[str] = [f"field {k}" for k in pkg if k not in KNOWN]
    kind = "biobank" if x.get("catalogue_type") == "biobank" or x.get("biobank") else "registry"
    lang = (_loads(x.get("language")) or ["nb"])[0]
    lang = lang if lang in ("nb", "nn", "en") else "nb"
    org = (pkg.get("organization") or {}).get("name")
    entry: dict[str, Any] = {
        "id": pkg["id"], "name": pkg["name"], "title": pkg["title"],
        "description": pkg.get("notes") or "", "language": lang,
        "translations": _loads(x.get("translations")),
        "homepage": pkg.get("url"), "version": pkg.get("version"),
        "issued": x.get("issued") or (pkg.get("metadata_created") or "")[:10] or None,
        "modified": x.get("modified"),
        "last_reviewed": x.get("last_reviewed"), "reviewed_by": x.get("reviewed_by"),
        "keywords": _loads(x.get("keywords")) or [t["name"] for t in pkg.get("tags") or []],
        "licenses": ([{k: v for k, v in (("name", pkg["license_id"]),
                                         ("path", pkg.get("license_url")),
                                         ("title", pkg.get("license_title"))) if v}]
                     if pkg.get("license_id") not in (None, "", "notspecified") else None),
        "contributors": _loads(x.get("contributors")) or _contributors(pkg),
        "data_controller": x.get("data_controller") or org,
        "data_processor": x.get("data_processor"),
        "themes": [_uri_to_term(THEMES, t) for t in _loads(x.get("theme")) or []] or None,
        "health_categories": [_uri_to_term(HEALTH_CATEGORIES, c)
                              for c in _loads(x.get("health_category")) or []] or None,
        "diseases": _loads(x.get("health_theme")),
        "coverage": _coverage(x),
        "update_frequency": _uri_to_term("frequencies", x["frequency"]) if x.get("frequency") else None,
        "time_lag_days": int(x["time_lag_days"]) if x.get("time_lag_days") else None,
        "coding_systems": _loads(x.get("coding_system")),
        "legal_basis": _loads(x.get("legal_basis")),
        "purpose": (_loads(x.get("purpose")) or [None])[0],
        "personal_data": _loads(x.get("personal_data")),
        "linked_entries": _loads(x.get("linked_entries")),
        "publications": _loads(x.get("publications")),
        "access": _access(x, pkg),
        "demonstration": x.get("demonstration"),
        "resources": _tables(pkg, fetch, lost),
    }
    if kind == "registry":
        entry["registry_type"] = x.get("registry_type")
        for key in ("registry_stage", "registry_stage_year"):
            entry[key] = int(x[key]) if x.get(key) else None
    else:
        entry["biobank"] = _loads(x.get("biobank"))
    used = {"contributors", "keywords", "issued", "modified", "translations", "data_processor",
            "last_reviewed", "reviewed_by",
            "theme", "health_category", "health_theme", "frequency", "time_lag_days",
            "coding_system", "legal_basis",
            "purpose", "personal_data", "linked_entries", "publications", "demonstration",
            "registry_type", "registry_stage", "registry_stage_year", "biobank",
            "temporal_start", "temporal_end", "spatial_uri", "population_coverage",
            "min_typical_age", "max_typical_age", "number_of_records",
            "number_of_unique_individuals", "coverage_rates"}
    lost += [f"extra {k}" for k in x if k not in used | DERIVED and not k.startswith("access_")]
    entry = {k: v for k, v in entry.items() if v not in (None, [], {}, "")}
    required = ["homepage", "issued", "keywords", "contributors", "data_controller", "themes",
                "health_categories", "coverage", "update_frequency", "legal_basis", "access",
                "resources"] + (["registry_type"] if kind == "registry" else ["biobank"])
    lost += [f"required {k} (missing)" for k in required if k not in entry]
    return kind, entry, lost


def _contributors(pkg: dict[str, Any]) -> list[dict[str, Any]] | None:
    out = []
    for who, role in (("maintainer", "contact"), ("author", "author")):
        name = pkg.get(who)
        if name and not (role == "author" and name == (pkg.get("organization") or {}).get("title")):
            out.append({k: v for k, v in (("title", name), ("email", pkg.get(f"{who}_email")),
                                          ("roles", [role])) if v})
    return out or None


def _coverage(x: dict[str, str]) -> dict[str, Any] | None:
    if not x.get("temporal_start"):
        return None
    cov = {
        "start_year": int(x["temporal_start"][:4]),
        "end_year": int(x["temporal_end"][:4]) if x.get("temporal_end") else None,
        "geography": _uri_to_term("geography", x["spatial_uri"]) if x.get("spatial_uri") else None,
        "population": (_loads(x.get("population_coverage")) or [None])[0],
        "age_min": int(x["min_typical_age"]) if x.get("min_typical_age") else None,
        "age_max": int(x["max_typical_age"]) if x.get("max_typical_age") else None,
        "number_of_individuals": (int(x["number_of_unique_individuals"])
                                  if x.get("number_of_unique_individuals") else None),
        "number_of_records": int(x["number_of_records"]) if x.get("number_of_records") else None,
        "coverage_rates": _loads(x.get("coverage_rates")),
    }
    return {k: v for k, v in cov.items() if v is not None}


def _access(x: dict[str, str], pkg: dict[str, Any]) -> dict[str, Any] | None:
    if not x.get("access_rights"):
        return None
    lead, fees = _range(x.get("access_lead_time_weeks")), _range(x.get("access_fees_nok"))
    access = {
        "access_rights": _uri_to_term("access-rights", x["access_rights"]),
        "decided_by": x.get("access_decided_by"),
        "approvals": _loads(x.get("access_approvals")),
        "legal_basis_options": _loads(x.get("access_legal_basis_options")),
        "application_url": x.get("access_application_url"),
        "application_route": x.get("access_application_route"),
        "documents": _loads(x.get("access_documents")),
        "lead_time": ({"min_weeks": lead[0], "max_weeks": lead[1],
                       "note": x.get("access_lead_time_note")} if lead else None),
        "fees": ({"min_nok": fees[0], "max_nok": fees[1], "note": x.get("access_fees_note")}
                 if fees else None),
        "conditions": x.get("access_conditions"),
        "contact": _loads(x.get("access_contact")),
    }
    for part in ("lead_time", "fees"):
        if access[part]:
            access[part] = {k: v for k, v in access[part].items() if v is not None}
    return {k: v for k, v in access.items() if v not in (None, [], "")}


def _tables(pkg: dict[str, Any], fetch: Any, lost: list[str]) -> list[dict[str, Any]] | None:
    """Data dictionary resources (Table Schema JSON) become our resources; others are listed."""
    out = []
    for res in pkg.get("resources") or []:
        is_dictionary = res.get("resource_type") == "data-dictionary" or str(
            res.get("url", "")).endswith(".schema.json")
        if not is_dictionary:
            if res.get("resource_type") not in ("page", "access-guidelines"):
                lost.append(f"resource {res.get('name') or res.get('url')}")
            continue
        try:
            schema = fetch(res["url"]) if fetch else None
        except (requests.RequestException, ValueError) as exc:
            lost.append(f"data dictionary {res['url']} ({exc})")
            continue
        name = res.get("table_name") or Path(res["url"]).name.removesuffix(".schema.json")
        out.append({k: v for k, v in (
            ("name", name), ("title", res.get("table_title")),
            ("description", res.get("table_description")),
            ("path", res.get("table_path") or pkg.get("url")), ("schema", schema)) if v})
    return out or None


def fetch_json(url: str) -> Any:
    """GET a JSON document (a data dictionary)."""
    r = requests.get(url, timeout=30)
    r.raise_for_status()
    return r.json()


def organization_from_dict(org: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """(organisation file, what could not be mapped) for a CKAN organization dict."""
    x = {e["key"]: e["value"] for e in org.get("extras") or []}
    data = {
        "id": org["name"],
        "name": {k: v for k, v in (("nb", org.get("title")), ("en", x.get("title_en"))) if v},
        "organization_number": x.get("organization_number"),
        "type": x.get("organization_type"), "health_region": x.get("health_region"),
        "homepage": x.get("homepage"),
        "contact": _loads(x.get("contact")) or ({"email": x["email"]} if x.get("email") else None),
    }
    data = {k: v for k, v in data.items() if v}
    lost = [f"required {k} (missing)" for k in ("organization_number", "type", "health_region",
                                                 "homepage", "contact") if k not in data]
    return data, lost


def _write_organization(ckan: ckanapi.RemoteCKAN, name: str, metadata: Path,
                        report: ImportReport) -> None:
    target = metadata / "organizations" / f"{name}.yaml"
    if target.exists():
        return
    data, lost = organization_from_dict(ckan.action.organization_show(id=name))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("# yaml-language-server: $schema=../../validators/profiles/"
                      "organization.schema.json\n" + _yaml(data), encoding="utf-8")
    report.written.append(target)
    if lost:
        report.unmapped[f"organization {name}"] = lost


def import_ckan(url: str, metadata: Path, organizations: list[str] | None = None,
                ckan: ckanapi.RemoteCKAN | None = None) -> ImportReport:
    """Write every dataset of the portal at `url` (or of `organizations`) as a new entry, and
    the organisations they need that `metadata` does not have yet."""
    report = ImportReport()
    ckan = ckan or ckanapi.RemoteCKAN(url, get_only=True)
    for pkg in packages(ckan, organizations or []):
        kind, entry, lost = entry_from_package(pkg, fetch_json)
        for org in {entry.get("data_controller"), entry.get("data_processor")} - {None}:
            _write_organization(ckan, org, metadata, report)
        target = metadata / FOLDERS[kind] / entry["name"] / "datapackage.yaml"
        if any((metadata / f / entry["name"]).exists() for f in FOLDERS.values()):
            report.skipped.append((entry["name"], "an entry of that name exists"))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# yaml-language-server: $schema=../../../validators/profiles/"
                          f"{kind}.schema.json\n" + _yaml(entry), encoding="utf-8")
        report.written.append(target)
        if lost:
            report.unmapped[entry["name"]] = lost
    return report


def _yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
