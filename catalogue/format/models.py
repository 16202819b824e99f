"""The typed view of an entry: pydantic models of organisations, registries and biobanks.

These models are the single definition of the entry format. The JSON Schema profiles in
`validators/profiles/` are generated from them (`catalogue profiles --write`) and a test fails
when the two drift. Controlled vocabularies are plain strings here and are checked against
`validators/vocabularies/` by the validator, so a new term never needs a code change.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from catalogue.format.kinds import KIND_FOLDERS  # noqa: F401 - re-exported: the folders of each kind

Lang = Literal["nb", "nn", "en"]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,98}[a-z0-9]$")]
Uuid = Annotated[
    str,
    Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),
]
Url = Annotated[str, Field(pattern=r"^(https?://|mailto:)\S+$")]
HttpUrl = Annotated[str, Field(pattern=r"^https?://\S+$")]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-zA-Z]{2,}$")]
IsoDate = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}")]
Year = Annotated[int, Field(ge=1900, le=2100)]
Text = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    """Unknown keys are findings, not silently ignored: they are usually typos."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# --- organisations -------------------------------------------------------------------------


class LocalisedName(Strict):
    nb: Text | None = None
    nn: Text | None = None
    en: Text | None = None


class Contact(Strict):
    """A way to reach a person or a desk: at least one of email, url or phone."""

    name: Text | None = None
    email: Email | None = None
    url: Url | None = None
    phone: Text | None = None


class Organization(Strict):
    """A data controller, data processor or biobank owner (`metadata/organizations/<id>.yaml`)."""

    schema_: str | None = Field(default=None, alias="$schema")
    id: Slug = Field(description="Equals the file name without `.yaml`.")
    name: LocalisedName
    organization_number: Annotated[str, Field(pattern=r"^\d{9}$")] = Field(
        description="Nine digits from Enhetsregisteret (Brønnøysundregistrene)."
    )
    type: Text = Field(description="Term from vocabularies/organization-types.yaml.")
    health_region: Text = Field(description="Term from vocabularies/health-regions.yaml.")
    homepage: HttpUrl
    contact: Contact
    demonstration: Text | None = None


# --- Table Schema (the data dictionary) ----------------------------------------------------


class Category(Strict):
    value: str | int | float | bool
    label: Text | None = None


class Constraints(Strict):
    required: bool | None = None
    unique: bool | None = None
    minimum: int | float | str | None = None
    maximum: int | float | str | None = None
    minLength: int | None = None
    maxLength: int | None = None
    pattern: str | None = None
    enum: list[Any] | None = None


class Concept(Strict):
    """What a variable measures in a terminology: the same measure under different names."""

    system: Text = Field(description="Term from vocabularies/coding-systems.yaml, e.g. LOINC.")
    code: Text = Field(description="The code in that system, e.g. 4548-4; its form is checked.")
    label: Text | None = None


class TableField(Strict):
    """One variable of a registry table (a Table Schema field)."""

    name: Text
    title: Text | None = None
    description: Text | None = None
    type: Text = "string"
    format: str | None = None
    unit: Text | None = Field(default=None, description="Unit of measurement, e.g. `mmHg`.")
    categories: list[Category | str | int] | None = Field(
        default=None, description="The code list: values with optional labels."
    )
    categoriesOrdered: bool | None = None
    coding_system: Text | None = Field(
        default=None, description="Term from vocabularies/coding-systems.yaml, e.g. ICD-10."
    )
    missingValues: list[str] | None = None
    constraints: Constraints | None = None
    example: Any = None
    rdfType: str | None = None
    concepts: list[Concept] | None = Field(
        default=None, description="Concepts the variable records (the first is the primary one)."
    )


class TableSchema(Strict):
    schema_: str | None = Field(default=None, alias="$schema")
    fields: list[TableField] = Field(min_length=1)
    missingValues: list[str] | None = None
    primaryKey: list[str] | str | None = None
    foreignKeys: list[dict[str, Any]] | None = None


class Resource(Strict):
    """A table of the registry's data. Only its description lives here, never its rows."""

    name: Slug
    title: Text | None = None
    description: Text | None = None
    path: HttpUrl = Field(
        description="Where the table is held (a URL at the data controller). Never read."
    )
    profile: str | None = None
    format: str | None = None
    mediatype: str | None = None
    schema_: TableSchema | str = Field(
        alias="schema", description="Inline Table Schema or a `*.schema.yaml` file beside it."
    )


# --- the entry -----------------------------------------------------------------------------


class Translation(Strict):
    title: Text | None = None
    description: Text | None = None


class Contributor(Strict):
    """Data Package contributor; a `contact` role marks a contact point."""

    title: Text
    email: Email | None = None
    path: Url | None = None
    organization: Text | None = None
    roles: list[Text] = Field(min_length=1)


class License(Strict):
    name: Text | None = None
    path: Url | None = None
    title: Text | None = None


class CoverageRate(Strict):
    year: Year
    rate: Annotated[float, Field(ge=0, le=100)] = Field(description="Percent.")
    method: Text = Field(description="How it was computed, e.g. against the NPR.")


class Coverage(Strict):
    start_year: Year
    end_year: Year | None = None
    geography: Text = Field(description="Term from vocabularies/geography.yaml, e.g. NO.")
    population: Text = Field(description="Who is included.")
    age_min: Annotated[int, Field(ge=0, le=130)] | None = None
    age_max: Annotated[int, Field(ge=0, le=130)] | None = None
    number_of_individuals: Annotated[int, Field(ge=0)] | None = None
    number_of_records: Annotated[int, Field(ge=0)] | None = None
    coverage_rates: list[CoverageRate] = Field(default_factory=list)


class Publication(Strict):
    title: Text
    url: HttpUrl | None = None
    doi: Annotated[str, Field(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    year: Year | None = None


class LeadTime(Strict):
    min_weeks: Annotated[int, Field(ge=0)]
    max_weeks: Annotated[int, Field(ge=0)]
    note: Text | None = None


class Fees(Strict):
    min_nok: Annotated[int, Field(ge=0)]
    max_nok: Annotated[int, Field(ge=0)]
    note: Text | None = None


class Access(Strict):
    """How a researcher gets access: the part of every entry that the planner reads."""

    access_rights: Text = Field(description="Term: public, restricted or non-public.")
    decided_by: Text = Field(
        description="Term from vocabularies/access-deciders.yaml: who decides on applications."
    )
    approvals: list[Text] = Field(
        min_length=1, description="Terms from vocabularies/approvals.yaml needed before access."
    )
    legal_basis_options: list[Text] = Field(
        min_length=1, description="Terms from vocabularies/legal-bases.yaml the source accepts."
    )
    application_url: HttpUrl
    application_route: Text = Field(description="How to apply, in a sentence or two.")
    documents: list[Text] = Field(
        default_factory=list, description="Terms from vocabularies/documents.yaml."
    )
    lead_time: LeadTime
    fees: Fees
    conditions: Text = Field(description="Conditions of use.")
    contact: Contact


class SubCollection(Strict):
    """A part of a biobank's collection (a cohort, a disease group, a sample series): the
    BBMRI-ERIC Directory shows it under the biobank's collection. Lists left out inherit the
    biobank's."""

    name: Slug = Field(description="Stable id within the biobank; part of the Directory id.")
    title: Text
    description: Text
    material_types: list[Text] = Field(default_factory=list)
    storage_temperatures: list[Text] = Field(default_factory=list)
    collection_types: list[Text] = Field(default_factory=list)
    sex: list[Text] = Field(default_factory=list)
    number_of_donors: Annotated[int, Field(ge=0)] | None = None
    number_of_samples: Annotated[int, Field(ge=0)] | None = None
    age_min: Annotated[int, Field(ge=0, le=130)] | None = None
    age_max: Annotated[int, Field(ge=0, le=130)] | None = None
    age_unit: Literal["year", "month", "week", "day"] = "year"
    diseases: list[Text] = Field(default_factory=list, description="ICD-10 codes.")


class Biobank(Strict):
    """The MIABIS core of a biobank and its collection."""

    acronym: Text | None = None
    juristic_person: Slug = Field(description="Organisation id of the responsible institution.")
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "NO"
    material_types: list[Text] = Field(
        min_length=1, description="Terms from vocabularies/material-types.yaml."
    )
    storage_temperatures: list[Text] = Field(
        min_length=1, description="Terms from vocabularies/storage-temperatures.yaml."
    )
    number_of_donors: Annotated[int, Field(ge=0)] | None = None
    number_of_samples: Annotated[int, Field(ge=0)] | None = None
    diseases: list[Text] = Field(default_factory=list, description="ICD-10 codes.")
    quality_standards: list[Text] = Field(default_factory=list)
    collection_types: list[Text] = Field(default_factory=list)
    sex: list[Text] = Field(default_factory=list)
    collections: list[SubCollection] = Field(
        default_factory=list, description="Sub-collections; without them the biobank is one."
    )


class EntryBase(Strict):
    """Fields shared by registries and biobanks: a Frictionless Data Package with our extras."""

    schema_: str | None = Field(default=None, alias="$schema")
    profile: str | None = None
    id: Uuid = Field(description="Stable UUID; never changes once published.")
    name: Slug = Field(description="Equals the folder name; part of the entry's URL.")
    title: Text = Field(description="The title in `language`.")
    description: Text = Field(description="Markdown.")
    language: Lang = Field(description="Language of title and description.")
    translations: dict[Lang, Translation] = Field(
        default_factory=dict, description="Title and description in the other languages."
    )
    homepage: HttpUrl = Field(description="The registry's or biobank's own public page.")
    version: str | None = None
    created: str | None = None
    issued: IsoDate = Field(description="When it was established or first published.")
    modified: IsoDate | None = Field(default=None, description="When its content last changed.")
    last_reviewed: IsoDate | None = Field(
        default=None, description="When the owner last checked every field (`catalogue review-due`)."
    )
    reviewed_by: Text | None = Field(default=None, description="Who did that review.")
    keywords: list[Text] = Field(min_length=1, description="Words researchers search for.")
    licenses: list[License] = Field(default_factory=list, description="Licence of the metadata.")
    contributors: list[Contributor] = Field(
        min_length=1, description="People and desks; the role `contact` marks a contact point."
    )
    sources: list[dict[str, Any]] = Field(default_factory=list)
    image: str | None = None
    data_controller: Slug = Field(description="Organisation id.")
    data_processor: Slug | None = None
    themes: list[Text] = Field(min_length=1, description="EU data themes, e.g. HEAL.")
    health_categories: list[Text] = Field(min_length=1)
    diseases: list[Text] = Field(default_factory=list, description="ICD-10 codes or chapters.")
    coverage: Coverage
    update_frequency: Text = Field(description="Term from vocabularies/frequencies.yaml.")
    time_lag_days: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="Days from an event to its appearance in the data."
    )
    coding_systems: list[Text] = Field(
        default_factory=list, description="Terms from vocabularies/coding-systems.yaml."
    )
    legal_basis: list[Text] = Field(
        min_length=1, description="The legal basis the registry is kept on (legal-bases)."
    )
    purpose: Text | None = Field(default=None, description="What the data are collected for.")
    personal_data: list[Text] = Field(
        default_factory=list, description="Terms from vocabularies/personal-data.yaml."
    )
    linked_entries: list[Slug] = Field(
        default_factory=list, description="Names of linked registries or biobanks (both ways)."
    )
    publications: list[Publication] = Field(default_factory=list)
    access: Access = Field(description="How a researcher gets access.")
    demonstration: Text | None = Field(
        default=None, description="Say which values are illustrative, not the official record."
    )
    resources: list[Resource] = Field(min_length=1)


class RegistryEntry(EntryBase):
    """`metadata/registries/<name>/datapackage.yaml`."""

    registry_type: Text = Field(description="Term from vocabularies/registry-types.yaml.")
    registry_stage: Annotated[int, Field(ge=1, le=4)] | None = Field(
        default=None, description="Stage 1-4 of a national medical quality registry."
    )
    registry_stage_year: Year | None = Field(default=None, description="Year of that stage.")


class BiobankEntry(EntryBase):
    """`metadata/biobanks/<name>/datapackage.yaml`."""

    biobank: Biobank = Field(description="The MIABIS core of the biobank.")


Kind = Literal["registry", "biobank"]
ENTRY_MODELS: dict[str, type[EntryBase]] = {"registry": RegistryEntry, "biobank": BiobankEntry}
