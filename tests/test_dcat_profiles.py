"""The three profiles on the same output: DCAT-AP-NO v2.2, HealthDCAT-AP Release 8, DCAT-AP 3.

data.norge.no harvests `catalog.ttl` and follows its pages; European portals read the same files
as HealthDCAT-AP. Each output below is checked against all three shape sets: the sample
catalogue's whole feed, every page of a paged synthetic catalogue, and the dataset files of
entries with every optional field filled in. 0 violations each.

DCAT-AP-NO warnings are allowed only where the metadata cannot avoid them (`UNAVOIDABLE`, the
reasons are in docs/dcat.md); HealthDCAT-AP and DCAT-AP 3 warn about recommended properties
the entries do not have (retention period, quality annotations, ...), which is information
for the owners, not a fault of the feed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace, URIRef

from catalogue.dcat import DcatConfig, export
from catalogue.devtools.synth import synth
from catalogue.load import load_catalogue
from tests.conftest import REPO
from tests.dcat_fixtures import findings, full_catalogue, level_views, profile_shapes

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
BASE = "https://katalog.example.no/"

UNAVOIDABLE = [
    # the catalogue's themes are EU data themes (HealthDCAT-AP accepts no other dcat:theme);
    # this check of DCAT-AP-NO 2.2 accepts only EuroVoc as the theme taxonomy
    re.compile(r"#catalog http://www.w3.org/ns/dcat#themeTaxonomy: Node "
               r"<http://publications.europa.eu/resource/authority/data-theme> .*eurovoc"),
]


def check_all(g: Graph, name: str) -> None:
    """0 violations for all three profiles; DCAT-AP-NO warns only where it cannot be avoided."""
    no = findings(g, profile_shapes("dcat-ap-no"))
    assert no["Violation"] == [], name
    avoidable = [w for w in no["Warning"] if not any(p.search(w) for p in UNAVOIDABLE)]
    assert avoidable == [], name
    for level, view in level_views(g).items():
        for profile in ("healthdcat-ap", "dcat-ap-3"):
            assert findings(view, profile_shapes(profile, level))["Violation"] == [], \
                (name, profile, level)


def test_the_sample_feed_conforms_to_all_three_profiles(tmp_path):
    catalogue = load_catalogue(REPO / "metadata")
    export(catalogue, tmp_path, DcatConfig(base_url=BASE))
    g = Graph().parse(tmp_path / "catalog.ttl")
    assert len(set(g.subjects(RDF.type, DCAT.Dataset))) == len(catalogue.entries)
    check_all(g, "catalog.ttl")
    files = sorted((tmp_path / "dataset").glob("*.ttl"))
    assert len(files) == len(catalogue.entries)
    for file in files:  # each dataset's own RDF, as a harvester that follows the links gets it
        check_all(Graph().parse(file), file.name)


def test_every_page_of_a_synthetic_catalogue_conforms(tmp_path):
    root = synth(tmp_path / "metadata", entries=9, variables=3, seed=17)
    export(load_catalogue(root), tmp_path / "site", DcatConfig(base_url=BASE, page_size=4))
    pages = [tmp_path / "site" / "catalog.ttl",
             *sorted((tmp_path / "site" / "catalog").glob("page-*.ttl"))]
    assert len(pages) == 3
    for page in pages:
        check_all(Graph().parse(page), page.name)


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DcatConfig, object]:
    root = full_catalogue(tmp_path_factory.mktemp("full") / "metadata")
    catalogue = load_catalogue(root)
    config = DcatConfig(base_url=BASE, page_size=3)
    export(catalogue, root.parent / "site", config)
    return root.parent / "site", config, catalogue


@pytest.mark.parametrize("name", ["slag-full", "biobank-full"])
def test_an_entry_with_every_optional_field_conforms(full, name):
    out, config, catalogue = full
    entry = catalogue.entry(name)
    g = Graph().parse(out / config.dataset_path(entry.id, "ttl"))
    ds = URIRef(config.dataset(entry.id))
    assert g.value(ds, DCT.modified) is not None and g.value(ds, DCAT.version) is not None
    check_all(g, name)


def test_every_page_of_the_full_fixture_conforms(full):
    out, _, _ = full
    for page in [out / "catalog.ttl", *sorted((out / "catalog").glob("page-*.ttl"))]:
        check_all(Graph().parse(page), page.name)


def test_the_shapes_catch_what_the_feed_used_to_get_wrong(full):
    out, config, catalogue = full
    entry = catalogue.entry("slag-full")
    ds = URIRef(config.dataset(entry.id))
    g = Graph().parse(out / config.dataset_path(entry.id, "ttl"))
    g.add((ds, DCT.type, URIRef(BASE + "vocabularies/entry-kinds/registry")))  # a second type
    dist = URIRef(str(ds) + "#access")
    g.set((dist, DCT.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    violations = findings(g, profile_shapes("dcat-ap-no"))["Violation"]
    assert any("terms/type" in v for v in violations)
    assert any("terms/license" in v for v in violations)
