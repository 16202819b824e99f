"""A harvester's walk: start at catalog.<ext>, follow hydra:next, and meet every entry once."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from catalogue.dcat import FORMATS, DcatConfig, export
from catalogue.devtools.synth import synth
from catalogue.load import load_catalogue

DCAT = Namespace("http://www.w3.org/ns/dcat#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
BASE = "https://katalog.example.no/"
# rdflib's own JSON-LD parser uses a class rdflib itself deprecates
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory):
    root = synth(tmp_path_factory.mktemp("paging") / "metadata", entries=7, variables=3, seed=4)
    return load_catalogue(root)


def fetch(out: Path, url: str, fmt: str) -> Graph:
    """What a static host serves for `url`: the file at the same path under `out`."""
    assert url.startswith(BASE), url
    return Graph().parse(out / url[len(BASE):], format=FORMATS[fmt].rdflib_name)


def walk(out: Path, fmt: str) -> tuple[list[str], list[str], Graph]:
    """Follow hydra:next from catalog.<ext>; returns the page URLs, the datasets met, page 1."""
    url: str | None = BASE + "catalog." + FORMATS[fmt].extension
    pages, datasets, first = [], [], None
    while url:
        assert url not in pages, f"{url} links back into the chain"
        g = fetch(out, url, fmt)
        first = first if first is not None else g
        pages.append(url)
        datasets += [str(d) for d in g.objects(URIRef(BASE + "#catalog"), DCAT.dataset)]
        paging = next(g.subjects(RDF.type, HYDRA.PagedCollection))
        assert str(paging) == url
        url = next((str(n) for n in g.objects(paging, HYDRA.next)), None)
    return pages, datasets, first


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_following_next_from_the_catalogue_meets_every_entry_exactly_once(catalogue, tmp_path, fmt):
    config = DcatConfig(base_url=BASE, page_size=3)
    export(catalogue, tmp_path, config)
    pages, datasets, first = walk(tmp_path, fmt)
    ext = FORMATS[fmt].extension
    assert pages == [BASE + f"catalog.{ext}", BASE + f"catalog/page-2.{ext}",
                     BASE + f"catalog/page-3.{ext}"]
    assert sorted(datasets) == sorted(config.dataset(e.id) for e in catalogue.entries)
    assert len(set(datasets)) == len(datasets) == 7
    paging = URIRef(pages[0])
    assert first.value(paging, HYDRA.totalItems) == Literal(7)
    assert first.value(paging, HYDRA.itemsPerPage) == Literal(3)
    assert first.value(paging, HYDRA.first) == URIRef(pages[0])
    assert first.value(paging, HYDRA.last) == URIRef(pages[-1])
    # each page describes its datasets in full, not only links to them
    for url in pages:
        g = fetch(tmp_path, url, fmt)
        for d in g.objects(URIRef(BASE + "#catalog"), DCAT.dataset):
            assert (d, RDF.type, DCAT.Dataset) in g


def test_pages_written_by_two_processes_are_the_same_bytes(catalogue, tmp_path):
    config = DcatConfig(base_url=BASE, page_size=2)
    export(catalogue, tmp_path / "one", config, workers=1)
    export(catalogue, tmp_path / "two", config, workers=2)
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*.*"))
    assert len(files) == (7 + 4) * 3
    for f in files:
        assert (tmp_path / "two" / f).read_bytes() == (tmp_path / "one" / f).read_bytes(), f


def test_a_single_page_has_no_next(catalogue, tmp_path):
    export(catalogue, tmp_path, DcatConfig(base_url=BASE))
    pages, datasets, _ = walk(tmp_path, "ttl")
    assert pages == [BASE + "catalog.ttl"] and len(datasets) == 7
    assert not list((tmp_path / "catalog").iterdir())


def test_an_empty_catalogue_still_has_page_one(tmp_path):
    (tmp_path / "metadata" / "organizations").mkdir(parents=True)
    export(load_catalogue(tmp_path / "metadata", check=False), tmp_path / "site", DcatConfig(base_url=BASE))
    pages, datasets, first = walk(tmp_path / "site", "ttl")
    assert pages == [BASE + "catalog.ttl"] and datasets == []
    assert first.value(URIRef(pages[0]), HYDRA.totalItems) == Literal(0)
