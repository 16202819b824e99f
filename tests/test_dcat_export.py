"""The DCAT export as a user and a harvester meet it: files, formats, URIs and the mapping."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import yaml
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from catalogue.build.pipeline import BuildContext, steps
from catalogue.cli.main import app
from catalogue.dcat import FORMATS, DcatConfig, build_step, dataset, dataset_nodes, export
from catalogue.load import Catalogue, load_catalogue
from tests.conftest import REPO
from tests.dcat_fixtures import dcat_catalogue

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
CV = Namespace("http://data.europa.eu/m8g/")
CSVW = Namespace("http://www.w3.org/ns/csvw#")
HEALTH = Namespace("http://healthdataportal.eu/ns/health#")
GEO = Namespace("http://data.europa.eu/930/")
BASE = "https://katalog.example.no/"
ORG = "https://data.brreg.no/enhetsregisteret/api/enheter/"
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


@pytest.fixture
def metadata(tmp_path: Path) -> Path:
    return dcat_catalogue(tmp_path / "metadata")


@pytest.fixture
def feed(metadata: Path) -> tuple[Catalogue, Path, DcatConfig]:
    catalogue = load_catalogue(metadata)
    config = DcatConfig(base_url=BASE, page_size=2)
    export(catalogue, metadata.parent / "site", config)
    return catalogue, metadata.parent / "site", config


def graph_of(feed, name: str, fmt: str = "ttl") -> tuple[Graph, URIRef]:  # noqa: ANN001
    catalogue, out, config = feed
    entry = catalogue.entry(name)
    path = out / config.dataset_path(entry.id, FORMATS[fmt].extension)
    return Graph().parse(path, format=FORMATS[fmt].rdflib_name), URIRef(config.dataset(entry.id))


def test_the_three_formats_hold_the_same_triples(feed):
    catalogue, _, config = feed
    for entry in catalogue.entries:
        expected = dataset_nodes(catalogue, entry, config).to_graph()
        for fmt in FORMATS:
            assert isomorphic(graph_of(feed, entry.name, fmt)[0], expected), (entry.name, fmt)


def test_a_page_holds_every_triple_of_its_datasets(feed):
    catalogue, out, config = feed
    page = Graph().parse(out / "catalog.rdf", format="xml")
    on_page = [e for e in catalogue.entries if (URIRef(config.dataset(e.id)), RDF.type, DCAT.Dataset) in page]
    assert len(on_page) == 2
    for entry in on_page:
        for triple in graph_of(feed, entry.name)[0]:
            assert triple in page


def test_the_same_metadata_gives_the_same_bytes_and_uris_follow_the_base_url(feed, tmp_path):
    catalogue, out, config = feed
    export(catalogue, tmp_path / "again", config)
    for f in out.rglob("*.*"):
        assert (tmp_path / "again" / f.relative_to(out)).read_bytes() == f.read_bytes(), f
    other = DcatConfig(base_url="https://data.example.org/katalog")  # no trailing slash
    export(catalogue, tmp_path / "other", other)
    entry = catalogue.entry("hjerteregister")
    g = Graph().parse(tmp_path / "other" / other.dataset_path(entry.id, "ttl"))
    dataset = URIRef(f"https://data.example.org/katalog/dataset/{entry.id}")
    assert g.value(dataset, DCT.identifier) == Literal(entry.id)
    assert g.value(dataset, DCAT.landingPage) == URIRef(
        "https://data.example.org/katalog/registries/hjerteregister/")


def test_an_entry_removed_from_the_metadata_leaves_the_feed(feed, metadata):
    catalogue, out, config = feed
    gone = catalogue.entry("slag-public")
    (metadata / "registries" / "slag-public" / "datapackage.yaml").unlink()
    (metadata / "registries" / "slag-public").rmdir()
    export(load_catalogue(metadata), out, config)
    assert not list((out / "dataset").glob(f"{gone.id}.*"))
    assert not (out / "catalog" / "page-3.ttl").exists()


def test_the_access_body_is_whoever_decides(feed):
    g, dataset = graph_of(feed, "slag-hds")  # Helsedataservice decides
    hdab = g.value(dataset, HEALTH.hdab)
    assert str(hdab) == BASE + "organizations/helsedataservice/"
    assert g.value(g.value(hdab, CV.contactPoint), CV.contactPage) == URIRef("https://helsedata.no/")
    g, dataset = graph_of(feed, "hjerteregister")  # the data controller decides
    st_olav = URIRef(ORG + "883974832")
    assert g.value(dataset, HEALTH.hdab) == st_olav
    assert g.value(dataset, DCT.publisher) == g.value(dataset, GEO.custodian) == st_olav
    g, dataset = graph_of(feed, "hjertebiobank")  # the biobank's institution decides
    assert g.value(dataset, HEALTH.hdab) == g.value(dataset, DCT.rightsHolder)


def test_access_rights_follow_the_entry(feed):
    rights = {}
    for entry in feed[0].entries:
        g, dataset = graph_of(feed, entry.name)
        rights[entry.name] = str(g.value(dataset, DCT.accessRights)).rsplit("/", 1)[1]
    assert rights == {"hjerteregister": "NON_PUBLIC", "hjertebiobank": "RESTRICTED",
                      "slag-hds": "NON_PUBLIC", "slag-restricted": "RESTRICTED",
                      "slag-public": "PUBLIC"}


def test_every_variable_is_a_csvw_column(feed):
    catalogue = feed[0]
    entry = catalogue.entry("slag-hds")
    g, dataset = graph_of(feed, "slag-hds")
    group = g.value(dataset, HEALTH.hasVariables)
    assert g.value(dataset, HEALTH.hasStructuredData) == Literal(True)
    tables = list(g.objects(group, CSVW.table))
    columns = [c for t in tables for c in g.objects(t, CSVW.column)]
    fields = {f.name: f for _, f in entry.variables()}
    assert len(columns) == len(fields) > 10
    for c in columns:
        field = fields[str(g.value(c, CSVW.name))]
        assert str(g.value(c, CSVW.title)) == (field.title or field.name)
        assert g.value(c, DCT.description) is not None
        assert str(g.value(c, CSVW.datatype)) == {"date": "date", "integer": "integer",
                                                   "string": "string", "boolean": "boolean"}[field.type]


def test_distributions_are_the_data_dictionary_and_the_access_guidelines(feed):
    g, dataset = graph_of(feed, "slag-hds")
    urls = {str(g.value(d, DCAT.accessURL)) for d in g.objects(dataset, DCAT.distribution)}
    assert urls == {BASE + "registries/slag-hds/datapackage.json", BASE + "registries/slag-hds/#access"}
    assert g.value(dataset, DCAT.landingPage) == URIRef(BASE + "registries/slag-hds/")
    g, dataset = graph_of(feed, "hjertebiobank")
    assert g.value(dataset, DCAT.landingPage) == URIRef(BASE + "biobanks/hjertebiobank/")


def test_a_biobank_maps_its_miabis_fields_where_dcat_has_a_place(feed):
    g, dataset = graph_of(feed, "hjertebiobank")
    assert int(g.value(dataset, HEALTH.numberOfUniqueIndividuals)) == 1200  # number_of_donors
    keywords = {(str(k), k.language) for k in g.objects(dataset, DCAT.keyword)}
    assert {("Plasma", "en"), ("DNA", "nb")} <= keywords
    categories = {str(c).rsplit("/", 1)[1] for c in g.objects(dataset, HEALTH.healthCategory)}
    assert categories == {"EINS"}  # "Health data from biobanks and associated databases"


def test_awkward_text_and_names_survive_every_format(metadata, tmp_path):
    path = metadata / "registries" / "slag-public" / "datapackage.yaml"
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    awkward = 'Quote " backslash \\ <b>&amp;</b>\nline two\r\ttab æøå ✓ \x07bell'
    entry["description"] = awkward
    entry["homepage"] = 'https://example.org/a{x}|"q"'
    entry["resources"][0]["schema"]["fields"][0]["name"] = "dato for slag / år"
    path.write_text(yaml.safe_dump(entry, allow_unicode=True), encoding="utf-8")
    catalogue = load_catalogue(metadata, check=False)
    config = DcatConfig(base_url=BASE)
    export(catalogue, tmp_path / "site", config)
    expected = dataset_nodes(catalogue, catalogue.entry("slag-public"), config).to_graph()
    for fmt in FORMATS:
        g, dataset = graph_of((catalogue, tmp_path / "site", config), "slag-public", fmt)
        assert isomorphic(g, expected), fmt
        assert str(g.value(dataset, DCT.description)) == awkward.replace("\x07", "")
        assert g.value(dataset, FOAF.page) == URIRef("https://example.org/a%7Bx%7D%7C%22q%22")


def test_catalogue_export_dcat_writes_the_feed(metadata, tmp_path):
    out = tmp_path / "feed"
    result = CliRunner().invoke(app, ["export", "dcat", "--metadata", str(metadata), "--out", str(out),
                                      "--base-url", BASE, "--page-size", "2", "--format", "ttl"])
    assert result.exit_code == 0, result.output
    assert "wrote 5 datasets on 3 page(s) in 8 files (ttl)" in result.output
    assert sorted(p.name for p in out.glob("catalog*")) == ["catalog", "catalog.ttl"]
    assert len(list((out / "dataset").glob("*.ttl"))) == 5


def test_catalogue_export_dcat_refuses_invalid_metadata(metadata, tmp_path):
    (metadata / "organizations" / "ntnu.yaml").unlink()
    result = CliRunner().invoke(app, ["export", "dcat", "--metadata", str(metadata),
                                      "--out", str(tmp_path / "feed")])
    assert result.exit_code == 1
    assert "NOT exported" in result.output
    assert not (tmp_path / "feed").exists()


def test_the_build_writes_the_feed_into_the_site(metadata, tmp_path):
    assert ("Writing the DCAT feed", build_step) in steps()
    ctx = BuildContext(load_catalogue(metadata), tmp_path, "sqlite://", BASE)
    build_step(ctx)
    assert {p.name for p in tmp_path.iterdir()} >= {"catalog.ttl", "catalog.jsonld", "catalog.rdf",
                                                    "catalog", "dataset"}
    assert len(list((tmp_path / "dataset").iterdir())) == 5 * 3


def test_sample_registries_that_need_a_permit_are_not_public(tmp_path):
    catalogue = load_catalogue(REPO / "metadata")
    config = DcatConfig(base_url=BASE)
    permits = {"hds-permit", "data-controller-approval", "mta"}
    checked = 0
    for entry in catalogue.entries:
        if permits & set(entry.model.access.approvals):
            g = dataset_nodes(catalogue, entry, config).to_graph()
            rights = str(g.value(URIRef(config.dataset(entry.id)), DCT.accessRights))
            assert rights.rsplit("/", 1)[1] in {"NON_PUBLIC", "RESTRICTED"}, entry.name
            checked += 1
    assert checked >= 10


def test_a_page_writer_takes_the_entry_ids_the_export_made_once(tmp_path, monkeypatch):
    """A forked worker that listed every entry's id again would copy the pages the entries live
    on; each worker's builder takes the ids the export made before forking."""
    export_module = importlib.import_module("catalogue.dcat.export")  # the package's `export` is the function
    made = []
    real = dataset.entry_ids
    monkeypatch.setattr(export_module, "entry_ids", lambda entries: made.append(1) or real(entries))
    monkeypatch.setattr(dataset, "entry_ids", lambda entries: made.append(2) or real(entries))
    cat = load_catalogue(REPO / "metadata")
    export(cat, tmp_path, DcatConfig(page_size=3), workers=1)
    assert made == [1]  # once, by the export: not by the page writers' builders
    assert (tmp_path / "catalog" / "page-2.ttl").exists()
