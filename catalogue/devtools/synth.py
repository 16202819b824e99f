"""`catalogue synth`: a valid synthetic catalogue of any size, for benchmarks and tests.

Entries are deterministic for a seed, pass `catalogue validate`, and are marked as
demonstration metadata so nobody mistakes them for real registries.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from catalogue.format.kinds import FOLDERS
from catalogue.validation import review

try:
    _Dumper = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _Dumper = yaml.SafeDumper  # type: ignore[misc,assignment]

REGIONS = ["helse-sor-ost", "helse-vest", "helse-midt-norge", "helse-nord"]
THEMES = ["hjerte", "kreft", "diabetes", "nyre", "slag", "lunge", "psykisk", "barn", "muskel"]
TYPES = ["integer", "number", "string", "date", "boolean"]
CODINGS = ["ICD-10", "NCSP", "ATC", "SNOMED-CT"]
# Well-formed codes (their check digits hold), so a concept search finds variables of many
# entries under different names, as in a real catalogue.
CONCEPTS = [("LOINC", "4548-4", "Hemoglobin A1c"), ("LOINC", "8480-6", "Systolic blood pressure"),
            ("LOINC", "39156-5", "Body mass index"), ("LOINC", "72166-2", "Tobacco smoking status"),
            ("SNOMED-CT", "38341003", "Hypertensive disorder"), ("ICD-10", "E11", "Type 2 diabetes"),
            ("ATC", "A10BA02", "Metformin"), ("NLK", "NPU27300", "HbA1c (IFCC)")]
HEALTH_CATEGORIES = ["MEDICAL_REGISTRIES", "POPULATION_REGISTRIES", "RESEARCH_COHORTS", "EHRS"]


def _org_number(i: int) -> str:
    """A nine-digit organisation number with a valid mod-11 check digit."""
    from catalogue.privacy.national_ids import is_organization_number

    n = 810000000 + i * 97
    while True:
        s = str(n)[:8]
        for d in range(10):
            if is_organization_number(s + str(d)):
                return s + str(d)
        n += 10


def organization(i: int, rng: random.Random) -> dict[str, Any]:
    oid = f"synth-org-{i:04d}"
    return {
        "id": oid,
        "name": {"nb": f"Syntetisk helseforetak {i}", "en": f"Synthetic health trust {i}"},
        "organization_number": _org_number(i),
        "type": "health-trust",
        "health_region": REGIONS[i % len(REGIONS)],
        "homepage": f"https://org{i}.example.org/",
        "contact": {"email": f"post@org{i}.example.org"},
        "demonstration": "Synthetic organisation for tests and benchmarks.",
    }


def variable(j: int, rng: random.Random, theme: str) -> dict[str, Any]:
    kind = rng.choice(TYPES)
    field: dict[str, Any] = {
        "name": f"{theme}_var_{j:04d}",
        "title": f"Variabel {j} om {theme}",
        "description": f"Synthetic variable {j} describing {theme} care, recorded at admission.",
        "type": kind,
    }
    if kind == "integer" and j % 3 == 0:
        field["categories"] = [{"value": v, "label": f"Kategori {v}"} for v in range(1, 5)]
    if kind == "number":
        field["unit"] = rng.choice(["kg", "mmHg", "mmol/L", "cm"])
        field["constraints"] = {"minimum": 0, "maximum": 500}
    if kind == "string" and j % 4 == 0:
        field["coding_system"] = rng.choice(CODINGS)
    if j % 10 == 0:
        system, code, label = rng.choice(CONCEPTS)
        field["concepts"] = [{"system": system, "code": code, "label": label}]
    return field


def entry(i: int, kind: str, org: str, variables: int, rng: random.Random) -> dict[str, Any]:
    theme = THEMES[i % len(THEMES)]
    name = f"synth-{kind}-{i:05d}"
    start = 1990 + i % 30
    data: dict[str, Any] = {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "name": name,
        "title": f"Syntetisk {theme}register {i}",
        "language": "nb",
        "description": f"Et syntetisk register om **{theme}**, laget for ytelsestester.",
        "translations": {"en": {"title": f"Synthetic {theme} registry {i}",
                                "description": f"A synthetic {theme} registry for benchmarks."}},
        "homepage": f"https://{name}.example.org/",
        "issued": f"{start + 5}-01-01",
        # reviewed within the last eleven months, counted from the review cadence's "today"
        "last_reviewed": (review.today() - timedelta(days=rng.randint(0, 330))).isoformat(),
        "reviewed_by": f"Kontakt {i}",
        "keywords": [theme, "syntetisk", f"tema-{i % 17}"],
        "contributors": [{"title": f"Kontakt {i}", "email": f"kontakt{i}@example.org",
                          "roles": ["contact"]}],
        "data_controller": org,
        "themes": ["HEAL"],
        "health_categories": [rng.choice(HEALTH_CATEGORIES)],
        "coverage": {
            "start_year": start, "geography": "NO", "population": f"Patients with {theme}.",
            "age_min": 0, "age_max": 120, "number_of_individuals": rng.randint(100, 500000),
            "coverage_rates": [{"year": start + 20, "rate": round(rng.uniform(50, 99), 1),
                                "method": "Against the Norwegian Patient Registry."}],
        },
        "update_frequency": "ANNUAL",
        "coding_systems": sorted(set(rng.sample(CODINGS, 2))),
        "legal_basis": ["kvalitetsregisterforskriften"],
        "access": {
            "access_rights": "non-public",
            "decided_by": "biobank" if kind == "biobank" else "data-controller",
            "approvals": ["rek", "dpo-assessment"] + (["mta"] if kind == "biobank" else []),
            "legal_basis_options": ["gdpr-6-1-e", "gdpr-9-2-j"],
            "application_url": f"https://{name}.example.org/apply",
            "application_route": "Apply to the data controller.",
            "documents": ["protocol", "rek-decision"],
            "lead_time": {"min_weeks": 4, "max_weeks": 4 + i % 20},
            "fees": {"min_nok": 0, "max_nok": 1000 * (1 + i % 30)},
            "conditions": "Use only for the approved project.",
            "contact": {"email": f"access{i}@example.org"},
        },
        "demonstration": "Synthetic entry generated by `catalogue synth`; nothing here is real.",
        "resources": [{
            "name": "main", "title": "Hovedtabell", "path": f"https://{name}.example.org/data",
            "schema": {"fields": [variable(j, rng, theme) for j in range(variables)]},
        }],
    }
    if kind == "registry":
        data["registry_type"] = "national-quality-registry"
        data["registry_stage"] = 1 + i % 4
    else:
        data["biobank"] = {"juristic_person": org, "material_types": ["plasma", "dna"],
                           "storage_temperatures": ["-60--85"], "number_of_samples": i * 10}
    return data


def synth(
    out: Path,
    entries: int,
    variables: int,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
) -> Path:
    """Write a metadata root with `entries` entries of `variables` variables each to `out`."""
    rng = random.Random(seed)
    out = Path(out)
    n_orgs = max(4, entries // 50)
    (out / "organizations").mkdir(parents=True, exist_ok=True)
    for i in range(n_orgs):
        _write(out / "organizations" / f"synth-org-{i:04d}.yaml", organization(i, rng))
    for i in range(entries):
        kind = "biobank" if i % 5 == 4 else "registry"
        folder = out / FOLDERS[kind] / f"synth-{kind}-{i:05d}"
        folder.mkdir(parents=True, exist_ok=True)
        data = entry(i, kind, f"synth-org-{i % n_orgs:04d}", variables, rng)
        _write(folder / "datapackage.yaml", data)
        if progress:
            progress(1)
    return out


def _write(path: Path, data: dict[str, Any]) -> None:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")
