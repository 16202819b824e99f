"""The feed against the HealthDCAT-AP Release 8 and DCAT-AP 3 SHACL shapes, offline.

Every dataset is validated at the level that matches its own dct:accessRights (PUBLIC,
NON_PUBLIC or RESTRICTED), with the range shapes and the controlled-vocabulary shapes loaded.

Shapes left out, and what the shapes cannot check offline (the one place that says so)
----------------------------------------------------------------------------------------
- Left out: HealthDCAT-AP's own `validator/deprecated/deprecateduris.ttl`, which is not in
  ../shared/reference/healthdcat-ap; DCAT-AP 3.0.0's file of that name (warnings only) is
  loaded in its place. No other shape is left out.
- The controlled-vocabulary shapes (`mdr-vocabularies.shape.ttl`) check that each concept is
  `skos:inScheme` the right authority scheme. The authority vocabularies (EU NALs,
  HealthData@EU health categories, coding systems and publisher types, DPV) are not in the
  folder, so those shapes can only check the membership the export states itself. The test
  `test_every_authority_concept_is_a_published_code` closes that gap: it checks every concept
  the export can produce against the published code lists below, transcribed from the Release 8
  validator's vocabularies (`validator/catalogue/*.rdf` in SemanticDataCharter/sdc_healthdcat_ap,
  data/healthdcat-ap-r8-cd7841f) and the EU Publications Office tables.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace, URIRef

from catalogue.dcat import DcatConfig, dataset_nodes, export
from catalogue.dcat.licences import LICENCES
from catalogue.dcat.rdf import Nodes
from catalogue.dcat.vocab import HDEU, Concepts
from catalogue.format.vocabularies import vocabulary
from catalogue.load import Catalogue, load_catalogue
from tests.conftest import REPO
from tests.dcat_fixtures import dcat_catalogue, level_of, violations

DCAT = Namespace("http://www.w3.org/ns/dcat#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
BASE = "https://katalog.example.no/"
HEALTH = "http://healthdataportal.eu/ns/health#"
EU = "http://publications.europa.eu/resource/authority/"

PUBLISHED: dict[str, set[str]] = {
    HDEU + "healthcategories": {
        "EHRS", "EHCT", "EINS", "EMRD", "DIOH", "HGPD", "HPML", "HRAD", "IDHP", "MRMR", "NRPE",
        "PGEH", "PHDR", "RMMD", "RPDG", "RQSH", "WELA"},
    HDEU + "coding-system": {
        "ATC", "DICOM-CT", "EDQM", "EMA-SPOR", "EMDN", "GMDN", "HGNC", "HPO", "ICD-9-CM", "ICD-10",
        "ICD-10-NAT", "ICD-11", "ICD-O", "ICF", "ICHI", "ICPC-2", "ICPC-3", "LOINC", "MEDDRA", "MESH",
        "NCIT", "NPU", "OHDSI-VOCAB", "OPS", "ORDO", "ORPHACODE", "PROC-CODES-NAT", "RXNORM",
        "SNOMED-CT", "UCUM", "UMLS", "WHODRUG"},
    HDEU + "publisher-type": {
        "administrative-institution", "biobank", "gov-public-sector-org", "healthcare-providers",
        "inpatient-institute", "laboratory", "municipality-or-other-area", "national-authority",
        "national-cancer-institute", "non-gov-org", "not-for-profit-org", "other-government-agency",
        "other-public-institute", "outpatient-institution", "pathology-registry", "primary-care-org",
        "private-company", "public-health-institute", "public-health-org", "public-health-registry",
        "regional-authority", "research-academic-org", "research-institute-org", "university"},
    EU + "data-theme": {"AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST",
                        "OP_DATPRO", "REGI", "SOCI", "TECH", "TRAN"},
    EU + "access-right": {"PUBLIC", "RESTRICTED", "NON_PUBLIC"},
    EU + "frequency": {"CONT", "DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "BIANNUAL", "ANNUAL",
                       "IRREG", "NEVER", "UNKNOWN"},
    EU + "language": {"NOB", "NNO", "ENG"},
    EU + "country": {"NOR", "SWE", "DNK", "FIN", "ISL"},
    EU + "file-type": {"JSON", "HTML"},
    EU + "planned-availability": {"AVAILABLE"},
    # EU dataset types (the whole published list), licences and resource types, and ADMS
    # licence types: only the codes the export can produce are listed for the last three
    EU + "dataset-type": {
        "APROF", "ATTO_LEX", "ATTO_PUB", "CODE_LIST", "CORE_COMP", "DIRECTORY", "DOMAIN_MODEL",
        "DSCRP_SERV", "GEOSPATIAL", "GLOSSARY", "HVD", "IEPD", "MAPPING", "NAL", "ONTOLOGY",
        "OP_DATPRO", "RELEASE", "SCHEMA", "STATISTICAL", "STYLES", "SYNTAX_ECD_SCHEME",
        "SYNTHETIC_DATA", "TAXONOMY", "TEST_DATA", "THESAURUS"},
    EU + "licence": {"CC_BY_4_0", "CC0", "CC_BYSA_4_0"},
    EU + "resource-type": {"REG"},
    "http://purl.org/adms/licencetype": {"Attribution", "PublicDomain", "ShareAlike"},
    "https://w3id.org/dpv/dpv-pd": {"Age", "Gender", "MedicalHealth", "Genetic", "Biometric",
                                    "Location"},
}


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Catalogue, Path, DcatConfig]:
    root = dcat_catalogue(tmp_path_factory.mktemp("dcat") / "metadata")
    catalogue = load_catalogue(root)
    config = DcatConfig(base_url=BASE, page_size=2)
    export(catalogue, root.parent / "site", config)
    return catalogue, root.parent / "site", config


def dataset_graph(feed: tuple[Catalogue, Path, DcatConfig], name: str) -> tuple[Graph, URIRef]:
    catalogue, out, config = feed
    entry = catalogue.entry(name)
    assert entry is not None
    return Graph().parse(out / config.dataset_path(entry.id, "ttl")), URIRef(config.dataset(entry.id))


@pytest.mark.parametrize("dcat_ap", ["3.0.0", "3.0.1"])
def test_every_dataset_conforms_at_the_level_of_its_own_access_rights(feed, dcat_ap):
    levels = {}
    for entry in feed[0].entries:
        g, dataset = dataset_graph(feed, entry.name)
        levels[entry.name] = level = level_of(g, dataset)
        assert violations(g, level, dcat_ap) == [], entry.name
    assert levels == {"hjerteregister": "non-public", "hjertebiobank": "restricted",
                      "slag-hds": "non-public", "slag-restricted": "restricted",
                      "slag-public": "public"}


def test_the_shapes_catch_a_dataset_at_the_wrong_level_or_without_an_access_body(feed):
    g, dataset = dataset_graph(feed, "slag-hds")
    assert any("NON_PUBLIC" not in v and "accessRights" in v for v in violations(g, "public"))
    g.remove((dataset, URIRef(HEALTH + "hdab"), None))
    assert any("hdab" in v for v in violations(g, "non-public"))


def test_every_page_conforms_for_the_datasets_of_each_level(feed):
    _, out, config = feed
    pages = [out / "catalog.ttl", *sorted((out / "catalog").glob("page-*.ttl"))]
    assert len(pages) == 3
    for page in pages:
        g = Graph().parse(page)
        datasets = set(g.subjects(RDF.type, DCAT.Dataset))
        by_level: dict[str, set[URIRef]] = {}
        for d in datasets:
            by_level.setdefault(level_of(g, d), set()).add(d)
        for level, keep in by_level.items():
            # a page mixes levels; leave out the datasets of other levels and their parts
            drop = datasets - keep
            view = Graph()
            for s, p, o in g:
                # (a dataset's parts include its catalogue record, `<dataset>#record`)
                if str(s).split("#")[0] in map(str, drop) or str(o).split("#")[0] in map(str, drop):
                    continue
                view.add((s, p, o))
            assert violations(view, level) == [], (page.name, level)


def concepts_in(g: Graph) -> set[str]:
    return {str(c) for c in g.subjects(RDF.type, SKOS.Concept)}


def test_every_authority_concept_is_a_published_code(feed, tmp_path):
    # every concept the fixture's feed uses ...
    used: set[str] = set()
    for entry in feed[0].entries:
        used |= concepts_in(dataset_graph(feed, entry.name)[0])
    # ... and every concept any term of the vocabularies can produce
    store = Nodes()
    concepts = Concepts(DcatConfig(base_url=BASE), store)
    for t in vocabulary("health-categories").terms:
        concepts.health_category(t)
    for t in vocabulary("coding-systems").terms:
        concepts.coding_system(t)
    for t in vocabulary("personal-data").terms:
        concepts.personal_data(t)
    for t in [*vocabulary("organization-types").terms, None]:
        concepts.publisher_type(t)
    for t in vocabulary("eu-data-themes").terms:
        concepts.theme(t)
    for t in vocabulary("access-rights").terms:
        concepts.access_rights(t)
    for t in vocabulary("frequencies").terms:
        concepts.frequency(t)
    for lang in ("nb", "nn", "en"):
        concepts.language(lang)
    for lic in LICENCES:
        concepts.licence(lic)
    concepts.dataset_type()
    concepts.legislation()
    used |= concepts_in(store.to_graph())
    authority = [c for c in used if not c.startswith(BASE)]
    assert len(authority) > 40
    for concept in authority:
        scheme, _, code = concept.replace("#", "/").rpartition("/")
        assert scheme in PUBLISHED, f"{concept}: scheme not known to the test"
        assert code in PUBLISHED[scheme], f"{concept} is not in the published {scheme}"


def test_the_sample_catalogue_conforms_too(tmp_path):
    catalogue = load_catalogue(REPO / "metadata")
    config = DcatConfig(base_url=BASE)
    for entry in catalogue.entries:
        g = dataset_nodes(catalogue, entry, config).to_graph()
        dataset = URIRef(config.dataset(entry.id))
        assert violations(g, level_of(g, dataset)) == [], entry.name
