"""`catalogue new`: commented skeletons that validate, so an owner starts from something right.

Every value in a skeleton is a placeholder to replace; the `demonstration` notice stays on the
entry until the owner has replaced them, so an unfinished entry is never taken as the record.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from pathlib import Path

from catalogue.packaged.editor import schema_line

PROFILE_LINE = "# yaml-language-server: $schema={rel}validators/profiles/{kind}.schema.json\n"
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,98}[a-z0-9]$")


class ScaffoldError(Exception):
    """The skeleton cannot be written; the message says why and what to do."""


ENTRY = """\
{profile}# A {what} in the catalogue. Replace every value, then run `catalogue validate`.
# The schema reference lists every field: docs/schema-reference.md; the format: docs/entry-format.md.
id: {uuid}  # stable: never change it once published
name: {name}  # equals the folder name
title: {title}  # in the language below
language: nb  # nb, nn or en: the language of title and description
description: |
  What the {what} holds, who is in it and what it is used for. Markdown is allowed.
translations:
  en:
    title: {title} (English title)
    description: The same description in English.
homepage: https://example.org/{name}  # the {what}'s own public page
issued: {today}  # when the {what} was established or first published
keywords: [{name}]
contributors:  # contact points: at least one with the role `contact`
  - title: Secretariat of {title}
    email: post@example.org
    roles: [contact]
data_controller: {org}  # an id from metadata/organizations/
themes: [HEAL]  # EU data themes
health_categories: [{category}]  # validators/vocabularies/health-categories.yaml
coverage:
  start_year: {year}
  geography: "NO"  # NO or a health region id
  population: Who is included, e.g. all patients treated for ... in Norway.
  age_min: 0
  age_max: 120
  number_of_individuals: 0
update_frequency: ANNUAL  # validators/vocabularies/frequencies.yaml
coding_systems: [ICD-10]
legal_basis: [{legal_basis}]
{specific}access:  # how a researcher gets access: every field is shown on the entry's page
  access_rights: non-public  # public, restricted or non-public
  decided_by: {decided_by}  # helsedataservice, data-controller or biobank
  approvals: [{approvals}]
  legal_basis_options: [gdpr-6-1-e, gdpr-9-2-j]
  application_url: https://example.org/{name}/apply
  application_route: How to apply, in a sentence or two.
  documents: [protocol, rek-decision]
  lead_time: {{min_weeks: 4, max_weeks: 12}}
  fees: {{min_nok: 0, max_nok: 0}}
  conditions: Conditions of use.
  contact:
    email: post@example.org
demonstration: >-
  This entry is a skeleton: its values are placeholders. Remove this line when they are replaced.
resources:  # the tables of the {what}; the data themselves are never in the catalogue
  - name: main
    title: Main table
    path: https://example.org/{name}  # where the data controller holds the table (never read)
    schema:  # the data dictionary; `catalogue import-dictionary` fills it from CSV or XLSX
      fields:
        - name: example_variable
          title: Example variable
          description: Replace with the real variables.
          type: string
"""

REGISTRY_PART = """\
registry_type: national-quality-registry  # validators/vocabularies/registry-types.yaml
registry_stage: 1  # 1-4, for national medical quality registries only
"""

BIOBANK_PART = """\
biobank:  # the MIABIS core
  juristic_person: {org}  # the institution responsible for the biobank
  material_types: [plasma]  # validators/vocabularies/material-types.yaml
  storage_temperatures: ["-60--85"]
  number_of_donors: 0
  quality_standards: []
"""

ORGANIZATION = """\
{profile}# A data controller or biobank owner. Replace every value, then run `catalogue validate`.
id: {name}  # equals the file name
name:
  nb: Navn på bokmål
  en: Name in English
organization_number: "000000000"  # nine digits from Enhetsregisteret
type: health-trust  # validators/vocabularies/organization-types.yaml
health_region: helse-vest  # validators/vocabularies/health-regions.yaml
homepage: https://example.org/
contact:
  email: post@example.org
demonstration: This organisation is a skeleton; its values are placeholders.
"""


def new_entry(metadata: Path, kind: str, name: str, organization: str | None = None) -> Path:
    """Write `metadata/<registries|biobanks>/<name>/datapackage.yaml`; returns its path."""
    if not NAME.match(name):
        raise ScaffoldError(
            f"{name!r} is not a valid id: use 3-100 lowercase letters, digits and hyphens."
        )
    folder = metadata / ("registries" if kind == "registry" else "biobanks") / name
    target = folder / "datapackage.yaml"
    if target.exists():
        raise ScaffoldError(f"{target} already exists; edit it or choose another id.")
    orgs = sorted(p.stem for p in (metadata / "organizations").glob("*.yaml"))
    org = organization or (orgs[0] if orgs else None)
    if org is None or org not in orgs:
        raise ScaffoldError(
            f"No organisation {org or ''} in {metadata / 'organizations'}: create it first with "
            "`catalogue new organization <id>` or pass --organization."
        )
    today = date.today()
    text = ENTRY.format(
        profile=schema_line(metadata, kind, "../../../"),
        what=kind,
        uuid=uuid.uuid4(),
        name=name,
        title=name.replace("-", " ").capitalize(),
        today=today.isoformat(),
        year=today.year,
        org=org,
        category="BIOBANKS" if kind == "biobank" else "MEDICAL_REGISTRIES",
        legal_basis="biobank-consent" if kind == "biobank" else "kvalitetsregisterforskriften",
        decided_by="biobank" if kind == "biobank" else "data-controller",
        approvals="rek, mta" if kind == "biobank" else "rek, dpo-assessment, data-controller-approval",
        specific=(BIOBANK_PART if kind == "biobank" else REGISTRY_PART).format(org=org),
    )
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def new_organization(metadata: Path, name: str) -> Path:
    """Write `metadata/organizations/<name>.yaml`; returns its path."""
    if not NAME.match(name):
        raise ScaffoldError(f"{name!r} is not a valid id: use lowercase letters, digits, hyphens.")
    target = metadata / "organizations" / f"{name}.yaml"
    if target.exists():
        raise ScaffoldError(f"{target} already exists.")
    target.parent.mkdir(parents=True, exist_ok=True)
    profile = schema_line(metadata, "organization", "../../")
    target.write_text(ORGANIZATION.format(profile=profile, name=name), encoding="utf-8")
    return target
