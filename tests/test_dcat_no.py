"""DCAT-AP-NO, as Norway's national data catalogue harvests it, holds for every dataset.

Mandatory there: a publisher identified by its organisation number in Enhetsregisteret, a
contact point, EU data themes, and title and description as language-tagged text (nb, nn, en),
at most one per language.
"""

from __future__ import annotations

import re

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from catalogue.dcat import DcatConfig, export
from catalogue.load import load_catalogue
from tests.conftest import REPO
from tests.dcat_fixtures import dcat_catalogue

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
BASE = "https://katalog.example.no/"
BRREG = re.compile(r"^https://data\.brreg\.no/enhetsregisteret/api/enheter/(\d{9})$")
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"


def check_dcat_ap_no(g: Graph, dataset: URIRef, entry, organizations) -> None:  # noqa: ANN001
    publishers = list(g.objects(dataset, DCT.publisher))
    assert len(publishers) == 1
    number = BRREG.match(str(publishers[0]))
    assert number, publishers
    assert number.group(1) == organizations[entry.model.data_controller].organization_number
    assert g.value(publishers[0], DCT.identifier) == Literal(number.group(1))
    assert list(g.objects(publishers[0], FOAF.name))

    contacts = list(g.objects(dataset, DCAT.contactPoint))
    assert contacts
    for c in contacts:
        assert (c, RDF.type, VCARD.Kind) in g
        email, url = g.value(c, VCARD.hasEmail), g.value(c, VCARD.hasURL)
        assert (email and str(email).startswith("mailto:")) or url

    themes = [str(t) for t in g.objects(dataset, DCAT.theme)]
    assert themes and all(t.startswith(EU_THEME) for t in themes)

    for prop in (DCT.title, DCT.description):
        texts = list(g.objects(dataset, prop))
        languages = [t.language for t in texts]
        assert set(languages) <= {"nb", "nn", "en"}, (prop, languages)
        assert len(languages) == len(set(languages)), f"{prop}: more than one per language"
        assert entry.model.language in languages


@pytest.mark.parametrize("source", ["fixture", "sample"])
def test_every_dataset_meets_dcat_ap_no(tmp_path, source):
    root = dcat_catalogue(tmp_path / "metadata") if source == "fixture" else REPO / "metadata"
    catalogue = load_catalogue(root)
    config = DcatConfig(base_url=BASE)
    export(catalogue, tmp_path / "site", config)
    page = Graph().parse(tmp_path / "site" / "catalog.ttl")  # every dataset, as harvested
    assert len(list(page.subjects(RDF.type, DCAT.Dataset))) == len(catalogue.entries)
    for entry in catalogue.entries:
        check_dcat_ap_no(page, URIRef(config.dataset(entry.id)), entry, catalogue.organizations)


def test_translations_add_languages_but_never_a_second_text_in_one(tmp_path):
    catalogue = load_catalogue(dcat_catalogue(tmp_path / "metadata"))
    config = DcatConfig(base_url=BASE)
    export(catalogue, tmp_path / "site", config)
    entry = catalogue.entry("slag-restricted")
    g = Graph().parse(tmp_path / "site" / config.dataset_path(entry.id, "ttl"))
    titles = {t.language: str(t) for t in g.objects(URIRef(config.dataset(entry.id)), DCT.title)}
    assert titles == {"nb": "Norsk hjerneslagregister", "en": entry.model.translations["en"].title,
                      "nn": "Norsk hjerneslagregister (nynorsk)"}
