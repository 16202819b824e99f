"""Concepts: our vocabulary terms as the authority concepts HealthDCAT-AP expects.

Every concept a dataset uses is described beside it (rdf:type skos:Concept, skos:prefLabel,
skos:inScheme, and the scheme with a dct:title), because harvesters and validators check
membership in the scheme, and not all of them hold the EU vocabularies.

The HealthData@EU codes below are taken from the Release 8 validator's vocabularies
(code.europa.eu/healthdataeu/healthdcat-ap, `validator/catalogue/*.rdf`, as snapshotted in
SemanticDataCharter/sdc_healthdcat_ap `data/healthdcat-ap-r8-cd7841f/`). Our own terms that
have no authority concept get URIs under `{base_url}vocabularies/`.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.dcat.licences import ADMS_LICENCE_TYPE, EU_LICENCE, Licence
from catalogue.dcat.rdf import Nodes, term, text
from catalogue.dcat.uris import DcatConfig
from catalogue.format.vocabularies import vocabulary

EU = "http://publications.europa.eu/resource/authority/"
HDEU = "https://hdeu-dcat.data.health.europa.eu/resource/authority/"
DPV_PD = "https://w3id.org/dpv/dpv-pd"

# EHDS, Regulation (EU) 2025/327: the applicable legislation of every dataset and distribution.
EHDS = "http://data.europa.eu/eli/reg/2025/327/oj"


@dataclass(frozen=True)
class Scheme:
    iri: str
    title: str  # English, as the authority names it


DATA_THEME = Scheme(EU + "data-theme", "Data theme")
ACCESS_RIGHT = Scheme(EU + "access-right", "Access right")
FREQUENCY = Scheme(EU + "frequency", "Frequency")
LANGUAGE = Scheme(EU + "language", "Language")
COUNTRY = Scheme(EU + "country", "Country")
FILE_TYPE = Scheme(EU + "file-type", "File type")
AVAILABILITY = Scheme(EU + "planned-availability", "Planned availability")
HEALTH_CATEGORIES = Scheme(HDEU + "healthcategories", "Health Categories")
CODING_SYSTEMS = Scheme(HDEU + "coding-system", "Coding Systems")
PUBLISHER_TYPES = Scheme(HDEU + "publisher-type", "Publisher Types")
PERSONAL_DATA = Scheme(DPV_PD, "DPV Personal Data Categories")
DATASET_TYPE = Scheme(EU + "dataset-type", "Dataset type")
LICENCE = Scheme(EU_LICENCE.rstrip("/"), "Licence")
LICENCE_TYPE = Scheme("http://purl.org/adms/licencetype/1.0", "Licence type")
RESOURCE_TYPE = Scheme(EU + "resource-type", "Resource type")

# The one dct:type of every dataset (DCAT-AP-NO allows one, from the EU dataset-type list, and
# HealthDCAT-AP recommends that list). The list has no "registry", "biobank" or "personal
# data"; "Statistical data" is the code HealthDCAT-AP's own example uses for health data. Our
# own kinds (entry kind, registry type, collection types) go into dct:subject.
DATASET_TYPE_CODE = ("STATISTICAL", {"en": "Statistical data", "nb": "Statistiske data"})

# validators/vocabularies/health-categories.yaml ids -> the published HealthData@EU codes. The
# vocabulary's own URIs predate the published list (only EHRS matched); these replace them.
HEALTH_CATEGORY_CODES: dict[str, str] = {
    "EHRS": "EHRS",
    "HEALTH_DETERMINANTS": "DIOH",
    "HEALTHCARE_AGGREGATED": "NRPE",
    "PATHOGEN_GENOMICS": "RPDG",
    "ADMINISTRATIVE": "HRAD",
    "HUMAN_GENETICS": "HGPD",
    "HUMAN_MOLECULAR": "HPML",
    "MEDICAL_DEVICES": "PGEH",
    "POPULATION_REGISTRIES": "PHDR",
    "MEDICAL_REGISTRIES": "MRMR",
    "CLINICAL_TRIALS": "EHCT",
    "RESEARCH_COHORTS": "RQSH",
    "BIOBANKS": "EINS",
}

# coding-systems.yaml ids -> HealthData@EU coding-system codes with a short English label.
# Terms without a code (NLK, TNM, NORPAT, ISCO, SSB-KOMMUNE) are not published as
# healthdcatap:hasCodingSystem: the vocabulary shape accepts only that scheme.
CODING_SYSTEM_CODES: dict[str, tuple[str, str]] = {
    "ICD-10": ("ICD-10", "ICD-10"),
    "ICD-11": ("ICD-11", "ICD-11"),
    "ICPC-2": ("ICPC-2", "ICPC-2"),
    "ICD-O-3": ("ICD-O", "ICD-O"),
    "ATC": ("ATC", "Anatomical Therapeutic Chemical Classification System"),
    "SNOMED-CT": ("SNOMED-CT", "SNOMED CT"),
    "LOINC": ("LOINC", "LOINC"),
    "ORPHA": ("ORPHACODE", "ORPHAcode"),
    "NCSP": ("PROC-CODES-NAT", "National procedure codes"),
    "NCMP": ("PROC-CODES-NAT", "National procedure codes"),
}

# organization-types.yaml ids -> HealthData@EU publisher types (code, English, Bokmål label).
PUBLISHER_TYPE_CODES: dict[str, tuple[str, str, str]] = {
    "health-trust": ("inpatient-institute", "Inpatient institution/Hospital",
                     "Sykehus/institusjon for inneliggende pasienter"),
    "private-hospital": ("inpatient-institute", "Inpatient institution/Hospital",
                         "Sykehus/institusjon for inneliggende pasienter"),
    "regional-health-authority": ("regional-authority", "Regional authority", "Regional myndighet"),
    "public-agency": ("other-government-agency", "Other government agency", "Annet statlig organ"),
    "university": ("university", "University", "Universitet"),
    "research-institute": ("research-institute-org", "Research institute/organisation",
                           "Forskningsinstitutt/-organisasjon"),
    "municipality": ("municipality-or-other-area", "Municipality or other area",
                     "Kommune eller annet område"),
}
NATIONAL_AUTHORITY = ("national-authority", "National authority", "Nasjonal myndighet")

# personal-data.yaml ids -> DPV personal data categories (the dpv-pd namespace HealthDCAT-AP
# requires). lifestyle and socio-economic have no single DPV-PD category and are left out.
PERSONAL_DATA_CODES: dict[str, tuple[str, str]] = {
    "health": ("MedicalHealth", "Medical health"),
    "prom": ("MedicalHealth", "Medical health"),
    "genetic": ("Genetic", "Genetic"),
    "biometric": ("Biometric", "Biometric"),
    "age": ("Age", "Age"),
    "gender": ("Gender", "Gender"),
    "residence": ("Location", "Location"),
}

LANGUAGES: dict[str, tuple[str, dict[str, str]]] = {
    "nb": ("NOB", {"en": "Norwegian Bokmål", "nb": "norsk bokmål"}),
    "nn": ("NNO", {"en": "Norwegian Nynorsk", "nb": "norsk nynorsk"}),
    "en": ("ENG", {"en": "English", "nb": "engelsk"}),
}

COUNTRIES = {"NO": "NOR", "SE": "SWE", "DK": "DNK", "FI": "FIN", "IS": "ISL"}

ENTRY_KINDS = {"registry": {"nb": "Register", "en": "Registry"},
               "biobank": {"nb": "Biobank", "en": "Biobank"}}


class Concepts:
    """Describes each concept once in the shared store and returns its IRI."""

    def __init__(self, config: DcatConfig, shared: Nodes) -> None:
        self.config = config
        self.shared = shared

    def scheme(self, scheme: Scheme) -> str:
        """A skos:ConceptScheme with its title."""
        if scheme.iri not in self.shared:
            self.shared.typed_as(scheme.iri, "skos:ConceptScheme")
            self.shared.add(scheme.iri, term("dct:title"), text(scheme.title, "en"))
        return scheme.iri

    def concept(self, iri: str, labels: dict[str, str], scheme: Scheme, *classes: str) -> str:
        """A skos:Concept (and any extra classes) with its labels, in `scheme`."""
        if iri not in self.shared:
            self.shared.typed_as(iri, "skos:Concept", *classes)
            for lang, label in labels.items():
                self.shared.add(iri, term("skos:prefLabel"), text(label, lang))
            self.shared.add(iri, term("skos:inScheme"), self.scheme(scheme))
        return iri

    def _term(self, vocab: str, term_id: str, scheme: Scheme, *classes: str) -> str:
        """A term of one of our vocabularies whose URI is an authority's."""
        t = vocabulary(vocab).terms[term_id]
        if not t.uri:
            raise ValueError(f"{vocab}: term {term_id} has no URI")
        return self.concept(t.uri, t.label, scheme, *classes)

    def own(self, vocab: str, term_id: str, *classes: str) -> str:
        """A term of one of our vocabularies that has no authority URI."""
        v = vocabulary(vocab)
        t = v.terms[term_id]
        scheme = Scheme(self.config.vocabulary(vocab), v.title)
        return self.concept(self.config.concept(vocab, term_id), t.label, scheme, *classes)

    def theme(self, term_id: str) -> str:
        return self._term("eu-data-themes", term_id, DATA_THEME)

    def access_rights(self, term_id: str) -> str:
        return self._term("access-rights", term_id, ACCESS_RIGHT, "dct:RightsStatement")

    def frequency(self, term_id: str) -> str:
        return self._term("frequencies", term_id, FREQUENCY, "dct:Frequency")

    def language(self, lang: str) -> str:
        code, labels = LANGUAGES[lang]
        return self.concept(f"{EU}language/{code}", labels, LANGUAGE, "dct:LinguisticSystem")

    def country(self, alpha2: str) -> str | None:
        code = COUNTRIES.get(alpha2)
        if code is None:
            return None
        t = vocabulary("geography").terms.get(alpha2)
        labels = t.label if t else {"en": alpha2}
        return self.concept(f"{EU}country/{code}", labels, COUNTRY, "dct:Location")

    def places(self, geography: str) -> list[str]:
        """dct:spatial for a geography term: the country, and a health region as our concept."""
        t = vocabulary("geography").terms[geography]
        if t.uri:
            return [self.concept(t.uri, t.label, COUNTRY, "dct:Location")]
        return [p for p in (self.country("NO"), self.own("geography", geography, "dct:Location")) if p]

    def health_category(self, term_id: str) -> str:
        code = HEALTH_CATEGORY_CODES.get(term_id)
        labels = vocabulary("health-categories").terms[term_id].label
        if code is None:  # a new term nobody mapped yet: its own (provisional) URI
            return self._term("health-categories", term_id, HEALTH_CATEGORIES)
        return self.concept(f"{HDEU}healthcategories/{code}", labels, HEALTH_CATEGORIES)

    def coding_system(self, term_id: str) -> str | None:
        found = CODING_SYSTEM_CODES.get(term_id)
        if found is None:
            return None
        code, label = found
        return self.concept(f"{HDEU}coding-system/{code}", {"en": label}, CODING_SYSTEMS, "dct:Standard")

    def personal_data(self, term_id: str) -> str | None:
        found = PERSONAL_DATA_CODES.get(term_id)
        if found is None:
            return None
        code, label = found
        return self.concept(f"{DPV_PD}#{code}", {"en": label}, PERSONAL_DATA, "dpv:PersonalData")

    def publisher_type(self, org_type: str | None) -> str | None:
        found = NATIONAL_AUTHORITY if org_type is None else PUBLISHER_TYPE_CODES.get(org_type)
        if found is None:
            return None
        code, en, nb = found
        return self.concept(f"{HDEU}publisher-type/{code}", {"en": en, "nb": nb}, PUBLISHER_TYPES)

    def entry_kind(self, kind: str) -> str:
        scheme = Scheme(self.config.vocabulary("entry-kinds"), "Entry kinds")
        return self.concept(self.config.concept("entry-kinds", kind), ENTRY_KINDS[kind], scheme)

    def file_type(self, code: str) -> str:
        return self.concept(f"{EU}file-type/{code}", {"en": code}, FILE_TYPE, "dct:MediaTypeOrExtent")

    def availability(self) -> str:
        return self.concept(f"{EU}planned-availability/AVAILABLE", {"en": "available"}, AVAILABILITY)

    def media_type(self, mime: str) -> str:
        iri = f"http://www.iana.org/assignments/media-types/{mime}"
        self.shared.typed_as(iri, "dct:MediaType")
        return iri

    def legislation(self) -> str:
        if EHDS not in self.shared:
            self.shared.typed_as(EHDS, "eli:LegalResource")
            self.shared.add(EHDS, term("dct:title"), text(
                "Regulation (EU) 2025/327 on the European Health Data Space", "en"))
            self.shared.add(EHDS, term("dct:type"), self.concept(
                f"{EU}resource-type/REG", {"en": "Regulation", "nb": "Forordning"}, RESOURCE_TYPE))
        return EHDS

    def dataset_type(self) -> str:
        code, labels = DATASET_TYPE_CODE
        return self.concept(f"{EU}dataset-type/{code}", labels, DATASET_TYPE)

    def licence(self, lic: Licence) -> str:
        """A licence of the EU vocabulary, typed dct:LicenseDocument with its ADMS licence types.

        dct:title is CKAN's own title for the licence: ckanext-dcat, which does not know the
        EU IRIs, finds the CKAN licence id by that title.
        """
        iri = lic.iri
        if iri not in self.shared:
            self.concept(iri, {"en": lic.title}, LICENCE, "dct:LicenseDocument")
            self.shared.add(iri, term("dct:title"), text(lic.ckan_title))
            for t in lic.types:
                self.shared.add(iri, term("dct:type"), self.concept(
                    ADMS_LICENCE_TYPE + t, {"en": t}, LICENCE_TYPE))
        return iri
