"""The skeletons `catalogue new` writes and the site's editor starts from: one text, two users.

Owns: the commented entry and organisation templates. May import: nothing of the catalogue.
"""

from __future__ import annotations

PROFILE_LINE = "# yaml-language-server: $schema={rel}validators/profiles/{kind}.schema.json\n"

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
last_reviewed: {today}  # when every field was last checked; reviews are due every 12 months
reviewed_by: Secretariat of {title}  # who checked them
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


def entry(kind: str, *, profile: str, uuid: str, name: str, title: str, today: str, year: str,
          org: str) -> str:
    """The skeleton of a registry or biobank entry with these values filled in; `profile` is its
    first line, the `$schema` reference for editors."""
    biobank = kind == "biobank"
    return ENTRY.format(
        profile=profile, what=kind,
        uuid=uuid, name=name, title=title, today=today, year=year, org=org,
        category="BIOBANKS" if biobank else "MEDICAL_REGISTRIES",
        legal_basis="biobank-consent" if biobank else "kvalitetsregisterforskriften",
        decided_by="biobank" if biobank else "data-controller",
        approvals="rek, mta" if biobank else "rek, dpo-assessment, data-controller-approval",
        specific=(BIOBANK_PART if biobank else REGISTRY_PART).format(org=org),
    )
