"""Licences as a CKAN portal sees them: in the Action API, and in the DCAT it harvests.

CKAN knows a licence by the id of its register (`cc-by` for CC BY 4.0); ckanext-dcat's RDF
parser (profiles `euro_dcat_ap_3`, `euro_health_dcat_ap`) sets a harvested dataset's
`license_id` from the first distribution whose `dct:license` it finds in that register, by URL
or else by the licence's `dct:title` (`RDFProfile._license` in ckanext/dcat/profiles/base.py).
`ckanext_dcat_license_id` below does the same lookup over CKAN's default register.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from sqlalchemy.orm import Session

from catalogue.ckan.app import create_app
from catalogue.ckan.store import load, make_engine
from catalogue.dcat import DcatConfig, export
from catalogue.load import load_catalogue
from tests.conftest import REPO
from tests.feed_fixtures import api

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

# CKAN's default register as ckan/model/license.py defines it: id -> (url, title)
CKAN_REGISTER = {
    "notspecified": ("", "License not specified"),
    "odc-pddl": ("http://www.opendefinition.org/licenses/odc-pddl",
                 "Open Data Commons Public Domain Dedication and License (PDDL)"),
    "odc-odbl": ("http://www.opendefinition.org/licenses/odc-odbl",
                 "Open Data Commons Open Database License (ODbL)"),
    "odc-by": ("http://www.opendefinition.org/licenses/odc-by", "Open Data Commons Attribution License"),
    "cc-zero": ("http://www.opendefinition.org/licenses/cc-zero", "Creative Commons CCZero"),
    "cc-by": ("http://www.opendefinition.org/licenses/cc-by", "Creative Commons Attribution"),
    "cc-by-sa": ("http://www.opendefinition.org/licenses/cc-by-sa",
                 "Creative Commons Attribution Share-Alike"),
    "gfdl": ("http://www.opendefinition.org/licenses/gfdl", "GNU Free Documentation License"),
    "other-open": ("", "Other (Open)"),
    "other-pd": ("", "Other (Public Domain)"),
    "other-at": ("", "Other (Attribution)"),
    "uk-ogl": ("http://reference.data.gov.uk/id/open-government-licence", "UK Open Government Licence (OGL)"),
    "cc-nc": ("http://creativecommons.org/licenses/by-nc/2.0/", "Creative Commons Non-Commercial (Any)"),
    "other-nc": ("", "Other (Non-Commercial)"),
    "other-closed": ("", "Other (Not Open)"),
}


def ckanext_dcat_license_id(g: Graph, dataset: URIRef, default_lang: str = "en") -> str | None:
    by_url = {url: lid for lid, (url, _) in CKAN_REGISTER.items()}
    by_title = {title: lid for lid, (_, title) in CKAN_REGISTER.items()}
    for dist in g.objects(dataset, DCAT.distribution):
        licence = g.value(dist, DCT.license)
        if licence is None:
            continue
        found = by_url.get(str(licence))
        if not found:
            titles = list(g.objects(licence, DCT.title))
            title = next((str(t) for t in titles if isinstance(t, Literal) and t.language == default_lang),
                         str(titles[0]) if titles else "")
            found = by_title.get(title)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def sample_app(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    work = tmp_path_factory.mktemp("licences")
    url = f"sqlite:///{work / 'store.sqlite'}"
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        load(session, load_catalogue(REPO / "metadata"), "http://feed.test/")
    engine.dispose()
    (work / "site").mkdir()
    return create_app(url, work / "site")


def result(app, action, **params):  # noqa: ANN001, ANN201
    r = api(app, action, **params)
    assert r.status_code == 200, r.text
    return r.json()["result"]


def test_package_show_names_the_licence_from_ckans_register(sample_app):
    pkg = result(sample_app, "package_show", id="norsk-hjerneslagregister")
    assert (pkg["license_id"], pkg["license_title"], pkg["license_url"]) == (
        "cc-by", "Creative Commons Attribution", "http://www.opendefinition.org/licenses/cc-by")
    assert pkg["isopen"] is True
    facets = result(sample_app, "package_search", rows=0, **{"facet.field": '["license_id"]'})
    assert facets["facets"]["license_id"] == {"cc-by": facets["count"]}


def test_license_list_answers_as_ckan_does(sample_app):
    licences = result(sample_app, "license_list")
    assert [lic["id"] for lic in licences] == list(CKAN_REGISTER)
    for lic in licences:
        assert (lic["url"], lic["title"]) == CKAN_REGISTER[lic["id"]]
        # License.license_dictize(): every value a string, booleans as "True" / "False"
        assert set(lic) == {"domain_content", "id", "domain_data", "domain_software", "family",
                            "is_generic", "od_conformance", "osd_conformance", "maintainer",
                            "status", "url", "title"}
        assert all(isinstance(v, str) for v in lic.values())
    cc_by = next(lic for lic in licences if lic["id"] == "cc-by")
    assert cc_by["od_conformance"] == "approved" and cc_by["is_generic"] == "False"


def test_ckanext_dcat_finds_the_licence_id_in_our_dcat(tmp_path: Path):
    catalogue = load_catalogue(REPO / "metadata")
    config = DcatConfig(base_url="https://katalog.example.no/")
    export(catalogue, tmp_path, config)
    g = Graph().parse(tmp_path / "catalog.ttl")
    for entry in catalogue.entries:
        dataset = URIRef(config.dataset(entry.id))
        licences = {g.value(d, DCT.license) for d in g.objects(dataset, DCAT.distribution)}
        assert licences == {URIRef("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0")}
        assert ckanext_dcat_license_id(g, dataset) == "cc-by", entry.name
        assert ckanext_dcat_license_id(g, dataset, default_lang="nb") == "cc-by", entry.name
