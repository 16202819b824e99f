"""One entry as a HealthDCAT-AP dcat:Dataset (the field -> property table is docs/dcat.md).

`DatasetBuilder.build` returns the triples that belong to the entry alone; the agents and
concepts it refers to go into the builder's shared store, described once however many
entries use them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from catalogue.dcat.agents import Agents, dataset_contacts
from catalogue.dcat.licences import by_code, entry_licence
from catalogue.dcat.rdf import Lit, Nodes, iri, term, text, typed
from catalogue.dcat.uris import DcatConfig, part
from catalogue.dcat.variables import variables
from catalogue.dcat.vocab import Concepts
from catalogue.format.models import BiobankEntry, RegistryEntry
from catalogue.format.vocabularies import vocabulary
from catalogue.load import Catalogue, LoadedEntry

DATA_PACKAGE_SPEC = "https://specs.frictionlessdata.io/data-package/"
DATA_PACKAGE_TITLE = "Frictionless Data Package"
DATA_PROCESSOR_ROLE = "https://w3id.org/dpv#DataProcessor"

DICTIONARY_TITLE = {"nb": "Variabelliste (Frictionless Data Package)",
                    "en": "Data dictionary (Frictionless Data Package)"}
DICTIONARY_DESCRIPTION = {
    "nb": "Tabellene og variablene som Table Schema, uten data.",
    "en": "The tables and variables as Table Schemas, without any data.",
}
ACCESS_TITLE = {"nb": "Tilgang: søknad og vilkår", "en": "Access: how to apply, and conditions"}


def _date(value: str | None) -> Lit | None:
    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return typed(value, "date")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})?", value):
        return typed(value, "dateTime")
    return None


def _year_start(year: int) -> Lit:
    """A bare year as DCAT-AP-NO's xsd:date: its first day (the profile allows no xsd:gYear)."""
    return typed(f"{year:04d}-01-01", "date")


def _year_end(year: int) -> Lit:
    """The end of a bare year as xsd:date: its last day."""
    return typed(f"{year:04d}-12-31", "date")


def _count(value: int | None) -> Lit | None:
    return typed(value, "nonNegativeInteger") if value is not None else None


def _texts(m: RegistryEntry | BiobankEntry) -> tuple[dict[str, str], dict[str, str]]:
    """Title and description by language: the entry's own language first, one per language."""
    titles, descriptions = {m.language: m.title}, {m.language: m.description}
    for lang, tr in m.translations.items():
        if tr.title:
            titles.setdefault(lang, tr.title)
        if tr.description:
            descriptions.setdefault(lang, tr.description)
    return titles, descriptions


def _labels(vocab: str, term_id: str) -> dict[str, str]:
    return vocabulary(vocab).terms[term_id].label


def entry_ids(entries: Iterable[LoadedEntry]) -> dict[str, str]:
    """Each entry's id by its name: what a dataset's links to the entries it names need."""
    return {e.name: e.id for e in entries}


class DatasetBuilder:
    """Builds datasets of one catalogue; shared agents and concepts accumulate in `shared`."""

    def __init__(self, catalogue: Catalogue, config: DcatConfig,
                 ids: Mapping[str, str] | None = None) -> None:
        """`ids`: every entry's id by name, when the caller has it. A forked worker that made it
        again would touch every entry, and so copy the pages they live on: 0.14 s per worker at
        30,000 entries, for each of the fresh workers an export forks."""
        self.config = config
        self.shared = Nodes()
        self.concepts = Concepts(config, self.shared)
        self.agents = Agents(config, self.shared, self.concepts, catalogue.organizations)
        self.ids = ids if ids is not None else entry_ids(catalogue.entries)

    def build(self, entry: LoadedEntry) -> Nodes:
        """The entry's own triples (the dataset and its parts)."""
        m = entry.model
        ds = self.config.dataset(m.id)
        g = Nodes()
        c, a = self.concepts, self.agents
        add = g.add
        g.typed_as(ds, "dcat:Dataset")
        add(ds, term("dct:identifier"), text(m.id))
        titles, descriptions = _texts(m)
        for lang, title in titles.items():
            add(ds, term("dct:title"), text(title, lang))
        for lang, description in descriptions.items():
            add(ds, term("dct:description"), text(description, lang))
        add(ds, term("dct:issued"), _date(m.issued))
        add(ds, term("dct:modified"), _date(m.modified))
        add(ds, term("dcat:version"), text(m.version) if m.version else None)
        add(ds, term("skos:editorialNote"), text(m.demonstration) if m.demonstration else None)
        g.add_all(ds, term("dcat:keyword"), (text(k) for k in m.keywords))
        g.add_all(ds, term("dcat:theme"), (c.theme(t) for t in m.themes))
        g.add_all(ds, term("healthdcatap:healthCategory"),
                  (c.health_category(h) for h in m.health_categories))
        add(ds, term("dct:language"), c.language(m.language))
        add(ds, term("dct:type"), c.dataset_type())  # one, from the EU list; our kinds below
        add(ds, term("dct:subject"), c.entry_kind(entry.kind))

        controller = a.organization(m.data_controller)
        add(ds, term("dct:publisher"), controller)
        add(ds, term("geodcatap:custodian"), controller)
        g.add_all(ds, term("dcat:contactPoint"), dataset_contacts(g, ds, m.contributors, m.access.contact))
        add(ds, term("dct:accessRights"), c.access_rights(m.access.access_rights))
        add(ds, term("dcatap:applicableLegislation"), c.legislation())
        add(ds, term("healthdcatap:hdab"), self._access_body(m))
        if m.data_processor:
            attribution = part(ds, "processor")
            g.typed_as(attribution, "prov:Attribution")
            add(attribution, term("prov:agent"), a.organization(m.data_processor))
            add(attribution, term("dcat:hadRole"), DATA_PROCESSOR_ROLE)
            add(ds, term("prov:qualifiedAttribution"), attribution)

        self._coverage(g, ds, m)
        self._provenance(g, ds, entry)
        self._privacy(g, ds, m, entry)
        self._links(g, ds, entry)
        self._distributions(g, ds, entry)
        add(ds, term("healthdcatap:hasStructuredData"), typed(True, "boolean"))
        add(ds, term("healthdcatap:hasVariables"), variables(g, ds, entry, titles))
        self._record(g, ds, entry)
        if isinstance(m, RegistryEntry):
            add(ds, term("dct:subject"), c.own("registry-types", m.registry_type))
        else:
            self._biobank(g, ds, m)
        return g

    def _access_body(self, m: RegistryEntry | BiobankEntry) -> str:
        """healthdcatap:hdab: who decides on access (Release 8 requires exactly one)."""
        if m.access.decided_by == "helsedataservice":
            return self.agents.helsedataservice()
        if m.access.decided_by == "biobank" and isinstance(m, BiobankEntry):
            return self.agents.organization(m.biobank.juristic_person)
        return self.agents.organization(m.data_controller)

    def _coverage(self, g: Nodes, ds: str, m: RegistryEntry | BiobankEntry) -> None:
        cov, add = m.coverage, g.add
        g.add_all(ds, term("dct:spatial"), self.concepts.places(cov.geography))
        period = part(ds, "temporal")
        g.typed_as(period, "dct:PeriodOfTime")
        add(period, term("dcat:startDate"), _year_start(cov.start_year))
        add(period, term("dcat:endDate"), _year_end(cov.end_year) if cov.end_year else None)
        add(ds, term("dct:temporal"), period)
        add(ds, term("dct:accrualPeriodicity"), self.concepts.frequency(m.update_frequency))
        individuals, records = cov.number_of_individuals, cov.number_of_records
        if isinstance(m, BiobankEntry):
            individuals = individuals if individuals is not None else m.biobank.number_of_donors
            records = records if records is not None else m.biobank.number_of_samples
        add(ds, term("healthdcatap:minTypicalAge"), _count(cov.age_min))
        add(ds, term("healthdcatap:maxTypicalAge"), _count(cov.age_max))
        add(ds, term("healthdcatap:numberOfUniqueIndividuals"), _count(individuals))
        add(ds, term("healthdcatap:numberOfRecords"), _count(records))
        add(ds, term("healthdcatap:populationCoverage"), text(cov.population))
        for rate in cov.coverage_rates:
            add(ds, term("healthdcatap:populationCoverage"),
                text(f"Coverage {rate.rate:g} % in {rate.year} ({rate.method})", "en"))

    def _provenance(self, g: Nodes, ds: str, entry: LoadedEntry) -> None:
        """dct:provenance (mandatory for NON_PUBLIC): who holds the data, in one sentence."""
        m = entry.model
        org = self.agents.organizations[m.data_controller]
        kind = (_labels("registry-types", m.registry_type) if isinstance(m, RegistryEntry)
                else {"nb": "Biobank", "en": "Biobank"})
        sentences = {
            "nb": f"{kind.get('nb', kind.get('en'))} med {org.name.nb or org.name.en or org.id} "
                  f"(organisasjonsnummer {org.organization_number}) som dataansvarlig.",
            "en": f"{kind.get('en', kind.get('nb'))} with {org.name.en or org.name.nb or org.id} "
                  f"(organisation number {org.organization_number}) as data controller.",
        }
        if isinstance(m, RegistryEntry) and m.registry_stage:
            year = f" ({m.registry_stage_year})" if m.registry_stage_year else ""
            sentences["nb"] += f" Stadium {m.registry_stage}{year}."
            sentences["en"] += f" Registry stage {m.registry_stage}{year}."
        statement = part(ds, "provenance")
        g.typed_as(statement, "dct:ProvenanceStatement")
        for lang, sentence in sentences.items():
            g.add(statement, term("rdfs:label"), text(sentence, lang))
        g.add(ds, term("dct:provenance"), statement)

    def _privacy(self, g: Nodes, ds: str, m: RegistryEntry | BiobankEntry, entry: LoadedEntry) -> None:
        c = self.concepts
        g.add_all(ds, term("dpv:hasLegalBasis"),
                  (c.own("legal-bases", b, "dpv:LegalBasis") for b in m.legal_basis))
        if m.purpose:
            purpose = part(ds, "purpose")
            g.typed_as(purpose, "dpv:Purpose")
            g.add(purpose, term("dct:description"), text(m.purpose))
            g.add(ds, term("dpv:hasPurpose"), purpose)
        g.add_all(ds, term("dpv:hasPersonalData"), (c.personal_data(p) for p in m.personal_data))
        systems = list(m.coding_systems) + [f.coding_system for _, f in entry.variables() if f.coding_system]
        g.add_all(ds, term("healthdcatap:hasCodingSystem"), (c.coding_system(s) for s in systems))
        g.add_all(ds, term("healthdcatap:hasCodeValues"), (text(d) for d in m.diseases))

    def _links(self, g: Nodes, ds: str, entry: LoadedEntry) -> None:
        m = entry.model
        landing = self.config.landing_page(entry)
        g.typed_as(landing, "foaf:Document")
        g.add(ds, term("dcat:landingPage"), landing)
        home = iri(m.homepage)
        g.typed_as(home, "foaf:Document")
        g.add(ds, term("foaf:page"), home)
        g.add_all(ds, term("dct:relation"), (self.config.dataset(self.ids[n]) for n in m.linked_entries
                                             if n in self.ids))
        for pub in m.publications:
            ref = f"https://doi.org/{pub.doi}" if pub.doi else pub.url
            g.add(ds, term("dct:isReferencedBy"), iri(ref) if ref else None)

    def _distributions(self, g: Nodes, ds: str, entry: LoadedEntry) -> None:
        c, m, add = self.concepts, entry.model, g.add
        dictionary, access = part(ds, "data-dictionary"), part(ds, "access")
        for dist in (dictionary, access):
            g.typed_as(dist, "dcat:Distribution")
            add(ds, term("dcat:distribution"), dist)
            add(dist, term("dcatap:applicableLegislation"), c.legislation())
            add(dist, term("dcatap:availability"), c.availability())
        url = self.config.datapackage(entry)
        for lang in ("nb", "en"):
            add(dictionary, term("dct:title"), text(DICTIONARY_TITLE[lang], lang))
            add(dictionary, term("dct:description"), text(DICTIONARY_DESCRIPTION[lang], lang))
            add(access, term("dct:title"), text(ACCESS_TITLE[lang], lang))
        add(dictionary, term("dcat:accessURL"), url)
        add(dictionary, term("dcat:downloadURL"), url)
        add(dictionary, term("dct:format"), c.file_type("JSON"))
        add(dictionary, term("dcat:mediaType"), c.media_type("application/json"))
        g.typed_as(DATA_PACKAGE_SPEC, "dct:Standard")
        g.add(DATA_PACKAGE_SPEC, term("dct:title"), text(DATA_PACKAGE_TITLE, "en"))
        add(dictionary, term("dct:conformsTo"), DATA_PACKAGE_SPEC)
        licence = self.metadata_licence(entry)
        add(dictionary, term("dct:license"), licence)
        add(access, term("dct:license"), licence)

        add(access, term("dct:description"), text(m.access.application_route))
        add(access, term("dcat:accessURL"), self.config.access_page(entry))
        application = iri(m.access.application_url)
        g.typed_as(application, "foaf:Document")
        add(access, term("foaf:page"), application)
        add(access, term("dct:format"), c.file_type("HTML"))
        add(access, term("dcat:mediaType"), c.media_type("text/html"))
        conditions = part(ds, "access-conditions")
        g.typed_as(conditions, "dct:RightsStatement")
        add(conditions, term("rdfs:label"), text(m.access.conditions))
        add(access, term("dct:rights"), conditions)

    def metadata_licence(self, entry: LoadedEntry) -> str | None:
        """The entry's licence in the EU vocabulary; the catalogue's when it names none.

        A licence the vocabulary does not know is left out (DCAT-AP-NO allows no other IRI).
        """
        m = entry.model
        row = entry_licence(m.licenses)
        if row is None and m.licenses:
            return None
        return self.concepts.licence(row or by_code(self.config.license))

    def _record(self, g: Nodes, ds: str, entry: LoadedEntry) -> None:
        """dcat:CatalogRecord: when the entry's metadata was published and changed, and its licence."""
        m = entry.model
        record = self.config.record(m.id)
        g.typed_as(record, "dcat:CatalogRecord")
        g.add(record, term("foaf:primaryTopic"), ds)
        g.add(record, term("dct:modified"), _date(m.modified) or _date(m.issued))
        g.add(record, term("dct:license"), self.metadata_licence(entry))
        g.add(record, term("dct:language"), self.concepts.language(m.language))

    def _biobank(self, g: Nodes, ds: str, m: BiobankEntry) -> None:
        """The MIABIS fields DCAT has a place for; the rest stays on the entry page."""
        b, c = m.biobank, self.concepts
        g.add(ds, term("dct:alternative"), text(b.acronym) if b.acronym else None)
        g.add(ds, term("dct:rightsHolder"), self.agents.organization(b.juristic_person))
        g.add(ds, term("dct:spatial"), c.country(b.country))
        g.add_all(ds, term("dct:subject"), (c.own("collection-types", t) for t in b.collection_types))
        for material in b.material_types:
            for lang, label in _labels("material-types", material).items():
                g.add(ds, term("dcat:keyword"), text(label, lang))
        g.add_all(ds, term("healthdcatap:hasCodeValues"), (text(d) for d in b.diseases))
