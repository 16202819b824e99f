"""The Directory's tables as rows: Persons, Networks, Biobanks, Collections, AlsoKnownIn and
CollectionFacts, built from the validated models (never from the YAML files).

A biobank entry is one collection; its sub-collections (`biobank.collections`) become
collections whose `parent_collection` is that one. Each organisation that is the juristic person
of a biobank is a network of its biobanks, so the Directory groups them as we do. Values are
text as the Directory's CSV import reads them: lists joined with commas, booleans `true`/`false`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalogue.bbmri import ids
from catalogue.format import bbmri_directory as directory
from catalogue.format import bbmri_mapping as mapping
from catalogue.format.models import BiobankEntry, Contact, Organization, SubCollection
from catalogue.load import Catalogue, LoadedEntry
from catalogue.settings import DEFAULT_BASE_URL

TABLES = ("Persons", "Networks", "AlsoKnownIn", "Biobanks", "Collections", "CollectionFacts")
Row = dict[str, str]


def _join(values: list[str]) -> str:
    return ",".join(values)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return _join([str(v) for v in value])
    return str(value)


def org_name(org: Organization | None, fallback: str) -> str:
    if org is None:
        return fallback
    return org.name.en or org.name.nb or org.name.nn or fallback


def english(entry: BiobankEntry) -> tuple[str, str]:
    """Title and description in English when the entry has them (the Directory is English)."""
    tr = entry.translations.get("en")
    if entry.language != "en" and tr is not None:
        return tr.title or entry.title, tr.description or entry.description
    return entry.title, entry.description


def contact_email(entry: BiobankEntry, org: Organization | None) -> str | None:
    """The address the Directory shows: the contact point's, the access desk's, any
    contributor's, else the juristic person's. None when there is none (a validator warning)."""
    contacts = [c for c in entry.contributors if "contact" in c.roles]
    for email in [*(c.email for c in contacts), entry.access.contact.email,
                  *(c.email for c in entry.contributors),
                  org.contact.email if org is not None else None]:
        if email:
            return email
    return None


@dataclass
class _Builder:
    catalogue: Catalogue
    node: str
    base_url: str

    def __post_init__(self) -> None:
        self.rows: dict[str, list[Row]] = {t: [] for t in TABLES}
        self.seen: set[tuple[str, str]] = set()
        self.registries = {e.name for e in self.catalogue.entries if e.kind == "registry"}

    def add(self, table: str, values: dict[str, Any]) -> None:
        key = (table, values["id"])
        if key in self.seen:
            return
        self.seen.add(key)
        self.rows[table].append({c: _text(values.get(c)) for c in directory.model()[table].header})

    def country(self, code: str) -> str:
        return code if code in directory.terms("Countries") else ""

    def person(self, key: str, name: str, email: str | None, contact: Contact | None,
               role: str) -> str:
        pid = ids.person(self.node, key)
        self.add("Persons", {"id": pid, "last_name": name, "email": email,
                             "phone": contact.phone if contact else None,
                             "country": self.country(self.node), "role": role})
        return pid

    def network(self, org_id: str) -> str:
        org = self.catalogue.organizations.get(org_id)
        nid = ids.network(self.node, org_id)
        if ("Networks", nid) in self.seen:
            return nid
        name = org_name(org, org_id)
        contact = self.person(f"org:{org_id}", name, org.contact.email if org else None,
                              org.contact if org else None, f"Contact of {name}")
        self.add("Networks", {
            "id": nid, "name": f"Biobanks of {name}",
            "description": f"The biobanks of {name} in {mapping.node()['name_system']}.",
            "url": org.homepage if org else None, "juridical_person": name,
            "contact": contact, "withdrawn": False})
        return nid

    def entry(self, entry: LoadedEntry) -> None:
        m = entry.model
        assert isinstance(m, BiobankEntry)
        b = m.biobank
        org = self.catalogue.organizations.get(b.juristic_person)
        title, description = english(m)
        contact_point = next((c for c in m.contributors if "contact" in c.roles), None)
        contact = self.person(m.name, contact_point.title if contact_point else title,
                              contact_email(m, org), m.access.contact,
                              f"Contact point of {title}")
        network = self.network(b.juristic_person)
        aki = ids.also_known(self.node, m.name)
        self.add("AlsoKnownIn", {"id": aki, "name_system": mapping.node()["name_system"],
                                 "pid": m.id, "url": f"{self.base_url}biobanks/{m.name}/"})
        biobank_id = ids.biobank(self.node, m.name)
        self.add("Biobanks", {
            "id": biobank_id, "name": title, "acronym": b.acronym, "description": description,
            "url": m.homepage, "country": self.country(b.country), "contact": contact,
            "juridical_person": org_name(org, b.juristic_person), "network": [network],
            "also_known": [aki], "withdrawn": False})
        shared = {"country": self.country(b.country), "contact": contact, "withdrawn": False,
                  "biobank": biobank_id, "network": [network],
                  "access_description": m.access.application_route,
                  "access_uri": m.access.application_url}
        categories = self.data_categories(entry)
        main = ids.collection(self.node, m.name, m.name)
        self.add("Collections", {
            **shared, "id": main, "name": title, "acronym": b.acronym,
            "description": description, "url": m.homepage, "also_known": [aki],
            **self.characteristics(b.collection_types, b.material_types, b.storage_temperatures,
                                   b.sex, b.number_of_samples, b.number_of_donors,
                                   b.diseases or m.diseases, m.coverage.age_min,
                                   m.coverage.age_max, "year"),
            "data_categories": categories})
        self.facts(m, main, m.name, b.number_of_samples, b.number_of_donors)
        for sub in b.collections:
            self.sub_collection(m, sub, main, shared, categories)

    def sub_collection(self, m: BiobankEntry, sub: SubCollection, parent: str,
                       shared: dict[str, Any], categories: list[str]) -> None:
        b = m.biobank
        cid = ids.collection(self.node, m.name, sub.name)
        self.add("Collections", {
            **shared, "id": cid, "name": sub.title, "description": sub.description,
            "parent_collection": parent,
            **self.characteristics(sub.collection_types or b.collection_types,
                                   sub.material_types or b.material_types,
                                   sub.storage_temperatures or b.storage_temperatures,
                                   sub.sex or b.sex, sub.number_of_samples,
                                   sub.number_of_donors, sub.diseases, sub.age_min,
                                   sub.age_max, sub.age_unit),
            "data_categories": categories})
        self.facts(m, cid, sub.name, sub.number_of_samples, sub.number_of_donors)

    def characteristics(self, types: list[str], materials: list[str], temperatures: list[str],
                        sex: list[str], samples: int | None, donors: int | None,
                        diseases: list[str], age_low: int | None, age_high: int | None,
                        unit: str) -> dict[str, Any]:
        has_age = age_low is not None or age_high is not None
        return {
            "type": mapping.terms("collection-types", types),
            "materials": mapping.terms("material-types", materials),
            "storage_temperatures": mapping.terms("storage-temperatures", temperatures),
            "sex": mapping.terms("sex", sex),
            "order_of_magnitude": mapping.magnitude(samples), "size": samples,
            "number_of_donors": donors, "order_of_magnitude_donors": mapping.magnitude(donors),
            "diagnosis_available": [d for d in map(mapping.diagnosis, diseases) if d],
            "age_low": age_low, "age_high": age_high,
            "age_unit": mapping.table("age-units")["map"][unit] if has_age else None,
        }

    def data_categories(self, entry: LoadedEntry) -> list[str]:
        table = mapping.table("data-categories")
        out = dict.fromkeys(table["always"])
        out.update(dict.fromkeys(mapping.terms("data-categories", entry.model.personal_data)))
        if any(name in self.registries for name in entry.model.linked_entries):
            out.update(dict.fromkeys(table["linked_registry"]))
        return list(out)

    def facts(self, m: BiobankEntry, collection: str, name: str, samples: int | None,
              donors: int | None) -> None:
        if samples is None and donors is None:
            return
        self.add("CollectionFacts", {
            "id": ids.fact(self.node, m.name, name), "collection": collection, "sex": "*",
            "age_range": "*", "sample_type": "*", "number_of_samples": samples,
            "number_of_donors": donors, "last_update": (m.modified or m.issued)[:10]})


def directory_tables(catalogue: Catalogue, node: str | None = None,
                     base_url: str = DEFAULT_BASE_URL) -> dict[str, list[Row]]:
    """Table name -> rows (column -> text) for every biobank of `catalogue`, sorted by id."""
    b = _Builder(catalogue, node or mapping.node()["code"],
                 base_url if base_url.endswith("/") else base_url + "/")
    for entry in sorted(catalogue.entries, key=lambda e: e.name):
        if entry.kind == "biobank":
            b.entry(entry)
    return {t: sorted(rows, key=lambda r: r["id"]) for t, rows in b.rows.items()}
