"""The planner's static files (catalogue/site/planner.py): what the build writes for the browser
to combine, from the sample metadata and from broken copies of the fixture catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalogue.load import load_catalogue
from catalogue.site import downloads, pages, planner
from tests.conftest import REPO, edit
from tests.test_site_pages import BASE, body


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The planner files of the sample catalogue in metadata/."""
    out = tmp_path_factory.mktemp("planner")
    planner.write(out, load_catalogue(REPO / "metadata"))
    return out / "planner"


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_one_file_per_entry_and_one_alias_per_uuid_nothing_of_the_whole_catalogue(sample):
    assert sorted(p.name for p in sample.iterdir()) == ["entries", "ids", "vocabularies.json"]
    entries = sorted(p.stem for p in (sample / "entries").iterdir())
    assert len(entries) == 19 and "hunt-biobank" in entries and "norsk-nyreregister" in entries
    assert read(sample / "ids/be81842c-45ab-4340-97dc-1f40c8a3e118.json") == {"name": "hunt-biobank"}
    # small enough to fetch a handful: a plan never needs the others
    assert max(p.stat().st_size for p in (sample / "entries").iterdir()) < 12_000


def test_a_biobank_file_has_its_juristic_person_and_access_fields(sample):
    hunt = read(sample / "entries/hunt-biobank.json")
    assert hunt["kind"] == "biobank" and hunt["url"] == "biobanks/hunt-biobank/"
    assert hunt["title"] == {"nb": "HUNT Biobank", "en": "HUNT Biobank (the Trøndelag Health Study)"}
    ntnu = {"id": "ntnu", "name": {"nb": "Norges teknisk-naturvitenskapelige universitet (NTNU)",
                                   "en": "Norwegian University of Science and Technology (NTNU)"}}
    assert hunt["juristic_person"] == ntnu and hunt["data_controller"] == ntnu
    a = hunt["access"]
    assert a["decided_by"] == "biobank"
    assert a["approvals"] == ["rek", "institution-approval", "dpo-assessment", "mta", "dta"]
    assert a["documents"] == ["protocol", "rek-decision", "variable-list", "cv", "mta-draft", "funding"]
    assert a["lead_time"] == {"min_weeks": 6, "max_weeks": 16}
    assert (a["fees"]["min_nok"], a["fees"]["max_nok"]) == (15000, 150000)
    assert a["contact"] == {"name": "HUNT forskningssenter", "url": "https://www.ntnu.no/hunt/datatilgang"}
    assert "access_rights" not in a  # only what the plan uses
    assert hunt["gaps"] == []


def test_a_registry_file_has_its_data_dictionary_and_controller(sample):
    nyre = read(sample / "entries/norsk-nyreregister.json")
    assert nyre["juristic_person"] is None
    ous = {"nb": "Oslo universitetssykehus HF", "en": "Oslo University Hospital"}
    assert nyre["data_controller"] == {"id": "oslo-universitetssykehus", "name": ous}
    [table] = nyre["tables"]
    assert (table["name"], table["title"], len(table["variables"])) == (
        "nyreerstattende-behandling", "Nyreerstattende behandling", 17)
    assert table["variables"][1] == {"name": "kjonn", "title": "Kjønn", "type": "integer", "unit": None}
    npr = read(sample / "entries/norsk-pasientregister.json")
    assert npr["access"]["decided_by"] == "helsedataservice"
    assert npr["data_controller"]["id"] == "helsedirektoratet"


def test_the_vocabulary_labels_in_both_languages(sample):
    vocab = read(sample / "vocabularies.json")
    assert sorted(vocab) == sorted(planner.VOCABULARIES)
    assert vocab["approvals"]["rek"] == {"nb": "Godkjenning fra REK",
                                         "en": "Approval from a regional ethics committee (REK)"}
    assert vocab["documents"]["mta-draft"] == {"nb": "Utkast til MTA",
                                               "en": "Draft material transfer agreement"}
    assert vocab["access-deciders"]["helsedataservice"]["nb"] == "Helsedataservice"


def test_complete_guidelines_have_no_gaps():
    access = {"documents": ["protocol"], "contact": {"url": "https://x.no/"}, "application_url": "https://x.no/",
              "lead_time": {"min_weeks": 2, "max_weeks": 2}, "fees": {"min_nok": 0, "max_nok": 0},
              "approvals": ["rek"], "legal_basis_options": ["gdpr-9-2-j"]}
    assert planner.gaps(access) == []


@pytest.mark.parametrize(("change", "expected"), [
    ({"documents": []}, ["documents"]),
    ({"contact": {"name": "Desk", "phone": "+47 00 00 00 00"}}, ["contact"]),
    ({"application_url": None}, ["application_url"]),
    ({"lead_time": {"min_weeks": 10, "max_weeks": 4}}, ["lead_time"]),
    ({"fees": None, "lead_time": {"min_weeks": 1}}, ["lead_time", "fees"]),
    ({"approvals": [], "legal_basis_options": []}, ["approvals", "legal_basis_options"]),
])
def test_each_gap_is_named(change, expected):
    access = {"documents": ["protocol"], "contact": {"email": "a@b.no"}, "application_url": "https://x.no/",
              "lead_time": {"min_weeks": 2, "max_weeks": 8}, "fees": {"min_nok": 0, "max_nok": 10},
              "approvals": ["rek"], "legal_basis_options": ["gdpr-9-2-j"], **change}
    assert planner.gaps(access) == expected
    assert planner.gaps(None, controller_known=False) == list(planner.GAPS)


def test_an_entry_without_documents_passes_validation_but_is_flagged(catalogue_dir: Path, tmp_path: Path):
    planner.write(tmp_path / "before", load_catalogue(catalogue_dir))
    assert read(tmp_path / "before/planner/entries/hjerteregister.json")["gaps"] == []
    # the fixture biobank lists no documents at all
    assert read(tmp_path / "before/planner/entries/hjertebiobank.json")["gaps"] == ["documents"]
    edit(catalogue_dir / "registries/hjerteregister/datapackage.yaml",
         "documents: [protocol, rek-decision]", "documents: []")
    cat = load_catalogue(catalogue_dir)  # the validator lets it through
    planner.write(tmp_path / "after", cat)
    assert read(tmp_path / "after/planner/entries/hjerteregister.json")["gaps"] == ["documents"]


def test_the_planner_page_and_the_collect_buttons_are_written(catalogue_dir: Path, tmp_path: Path):
    cat = load_catalogue(catalogue_dir)
    src = pages.write(cat, tmp_path / "src", BASE, {}, lambda f: downloads.names(f.entry, False))
    nb = body(src.docs["nb"] / "planner/index.md")
    en = body(src.docs["en"] / "planner/index.md")
    assert 'data-data="../planner/"' in nb and 'data-data="../../planner/"' in en  # the site root's files
    strings = json.loads(nb.split('id="planner-strings">', 1)[1].split("</script>", 1)[0])
    assert strings["group_hds"] == "Én søknad til Helsedataservice"
    assert "<h1>Tilgangsplanlegger</h1>" in nb and "<h1>Access planner</h1>" in en
    entry = body(src.docs["nb"] / "registries/hjerteregister/index.md")
    assert 'data-entry="hjerteregister"' in entry and "Legg til i studien" in entry
    assert 'href="../../planner/"' in entry
    card_page = body(src.docs["en"] / "catalogue/index.md")
    assert 'data-entry="hjertebiobank"' in card_page and "Add to my study" in card_page
