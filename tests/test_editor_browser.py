"""The editor (/editor/, /en/editor/) in a real browser on the sample site: what it writes is the
entry's file, byte for byte where nothing changed, and `catalogue validate` accepts it."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import Workbook
from typer.testing import CliRunner

from catalogue.cli import app
from tests.conftest import REPO
from tests.site_browser import axe_violations  # the fixtures come from conftest.py

SAMPLES = sorted(p.relative_to(REPO / "metadata").parent.as_posix()
                 for p in (REPO / "metadata").glob("*/*/datapackage.yaml"))
ROWS = [["Variabelnavn", "Ledetekst", "Datatype", "Enhet", "Kodeliste", "Påkrevd", "Min", "Max",
         "Kodeverk"],
        ["kjonn", "Kjønn", "kategori", "", "1=Mann | 2=Kvinne", "ja", "", "", ""],
        ["vekt", "Vekt", "desimaltall", "kg", "", "", "0", "400,5", ""],
        ["diagnose", "Hoveddiagnose", "tekst", "", "", "nei", "", "", "ICD-10"],
        ["innlagt", "Innleggelsesdato", "dato", "", "", "", "", "", ""]]


def open_editor(tab: Any, query: str, lang: str = "") -> Any:
    page = tab.page
    page.goto(f"{lang}editor/?{query}")
    page.locator("#editor-app[data-state=ready]").wait_for(state="attached")
    return page


def download(page: Any) -> str:
    with page.expect_download() as info:
        page.click("#editor-download")
    return Path(info.value.path()).read_text(encoding="utf-8")


def validate_with_cli(tmp_path: Path, folder: str, text: str) -> tuple[int, str]:
    """Put the file into a copy of the sample catalogue and run `catalogue validate` on it."""
    meta = tmp_path / "metadata"
    if not meta.exists():
        shutil.copytree(REPO / "metadata", meta)
    target = meta / folder / "datapackage.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(meta), "--no-cache"])
    return result.exit_code, result.output


def test_every_sample_entry_saved_without_edits_is_its_file(tab):
    for folder in SAMPLES:
        name = folder.split("/")[1]
        page = open_editor(tab, f"entry={name}")
        original = (REPO / "metadata" / folder / "datapackage.yaml").read_text(encoding="utf-8")
        assert download(page) == original, folder
        assert page.locator("#editor-diff").inner_text().strip() in ("No changes.", "Ingen endringer.")
    assert tab.errors == []


def test_an_entry_opens_by_its_uuid_too(tab):
    entry = yaml.safe_load((REPO / "metadata/biobanks/hunt-biobank/datapackage.yaml").read_text())
    page = open_editor(tab, f"entry={entry['id']}", "en/")
    assert page.locator("#editor-path").inner_text() == "metadata/biobanks/hunt-biobank/datapackage.yaml"
    assert page.locator("#editor-summary").inner_text() == "No findings: the file is valid."


@pytest.mark.parametrize(("field", "value"), [
    ("#f-coverage-population", "Alle innlagt med akutt hjerneslag: også de som dør tidlig."),
    ("#f-access-lead_time-max_weeks", "44"),
    ("#f-resources-0-schema-fields-1-unit", "år"),
])
def test_changing_one_field_changes_only_its_lines_and_validates(tab, tmp_path, field, value):
    folder = "registries/norsk-hjerneslagregister"
    original = (REPO / "metadata" / folder / "datapackage.yaml").read_text(encoding="utf-8")
    page = open_editor(tab, "entry=norsk-hjerneslagregister")
    page.fill(field, value)
    text = download(page)
    changed = [line for line in difflib.unified_diff(original.splitlines(), text.splitlines(), n=0,
                                                     lineterm="")
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert len([c for c in changed if c.startswith("-")]) <= 1, changed
    assert len([c for c in changed if c.startswith("+")]) == 1, changed
    assert value.split(":")[0] in changed[-1]
    assert page.locator("#editor-diff .editor-add").count() == 1
    code, out = validate_with_cli(tmp_path, folder, text)
    assert code == 0, out


def test_a_national_identity_number_is_found_as_you_type_and_fixing_it_clears_it(tab):
    page = open_editor(tab, "entry=norsk-hjerneslagregister")
    description = page.locator("#f-description")
    before = description.input_value()
    description.press("End")
    description.type(" Kontakt pasient 010100 12356.")
    finding = page.locator("#editor-findings li[data-code=national-id-number]")
    finding.wait_for()
    assert "[national-id-number]" in finding.inner_text()
    assert "This looks like a Norwegian national identity number" in finding.inner_text()
    assert page.locator("#f-description[aria-invalid=true]").count() == 1
    description.fill(before)
    assert page.locator("#editor-findings li[data-code=national-id-number]").count() == 0
    assert page.locator("#editor-summary").inner_text() == "Ingen funn: filen er gyldig."


def test_a_javascript_url_and_an_unknown_term_show_the_cli_codes(tab):
    page = open_editor(tab, "entry=norsk-hjerneslagregister", "en/")
    page.fill("#f-homepage", "javascript:alert(1)")
    page.locator("#editor-findings li[data-code=invalid-url]").wait_for()
    page.fill("#f-name", "norsk-pasientregister")  # taken by another entry
    codes = set(page.locator("#editor-app").get_attribute("data-findings").split())
    assert {"invalid-url", "duplicate-name", "name-mismatch"} <= codes


def test_a_new_biobank_with_the_required_fields_validates(tab, tmp_path):
    page = open_editor(tab, "new=biobank", "en/")
    page.fill("#f-name", "vestlandsbiobanken")
    page.fill("#f-title", "Vestlandsbiobanken")
    page.fill("#f-translations-en-title", "The Western Norway biobank")
    page.fill("#f-description", "Blodprøver fra pasienter i Helse Vest, samlet siden 2020.\n")
    page.fill("#f-homepage", "https://www.helse-bergen.no/vestlandsbiobanken")
    page.fill("#f-coverage-population", "Patients in Western Norway who gave consent.")
    page.fill("#f-contributors-0-email", "vestlandsbiobanken@helse-bergen.no")
    page.select_option("#f-data_controller", "helse-bergen")
    assert page.locator("#editor-summary").inner_text().startswith(("No findings", "0 error"))
    page.wait_for_function("document.getElementById('editor-propose').href.includes('vestlandsbiobanken')")
    propose = page.locator("#editor-propose").get_attribute("href")
    assert propose.startswith("https://github.com/catalogue/catalogue/new/main/metadata/biobanks/"
                              "vestlandsbiobanken?filename=datapackage.yaml&value=")
    text = download(page)
    assert "name: vestlandsbiobanken  # equals the folder name" in text
    code, out = validate_with_cli(tmp_path, "biobanks/vestlandsbiobanken", text)
    assert code == 0, out


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_dictionary_from_a_sheet_equals_import_dictionary(tab, tmp_path, suffix):
    sheet = tmp_path / f"variabler{suffix}"
    if suffix == ".csv":
        sheet.write_text("\n".join(";".join(r) for r in ROWS) + "\n", encoding="utf-8")
    else:
        book = Workbook()
        for row in ROWS:
            book.active.append(row)
        book.save(sheet)
    meta = tmp_path / "metadata"
    shutil.copytree(REPO / "metadata", meta)
    result = CliRunner().invoke(app, ["import-dictionary", str(sheet), "--entry", "norsk-nyreregister",
                                      "--metadata", str(meta)])
    assert result.exit_code == 0, result.output
    expected = yaml.safe_load((meta / "registries/norsk-nyreregister/main.schema.yaml").read_text())
    page = open_editor(tab, "entry=norsk-nyreregister")
    page.set_input_files("#import-0", str(sheet))
    page.locator("#editor-status", has_text="4 variabler").wait_for()
    fields = page.evaluate("CatalogueEditor.value().resources[0].schema.fields")
    assert fields == expected["fields"]
    assert page.locator("table.editor-dictionary tbody tr").count() == 4
    text = download(page)
    code, out = validate_with_cli(tmp_path / "v", "registries/norsk-nyreregister", text)
    assert code == 0, out


@pytest.mark.parametrize("path", ["editor/?entry=norsk-hjerneslagregister", "en/editor/?new=registry",
                                  "en/editor/"])
def test_axe_finds_no_serious_or_critical_problems_in_the_editor(tab, axe_source, path):
    tab.page.goto(path)
    tab.page.locator("#editor-status:not(:empty)").wait_for()
    tab.page.wait_for_timeout(300)
    assert axe_violations(tab.page, axe_source) == []
    assert tab.errors == []


def test_entry_pages_link_the_editor_and_the_home_page_links_a_new_entry(tab):
    page = tab.page
    page.goto("registries/norsk-hjerneslagregister/")
    page.click("text=Rediger denne oppføringen")
    page.locator("#editor-app[data-state=ready]").wait_for(state="attached")
    assert page.url.endswith("/editor/?entry=norsk-hjerneslagregister")
    page.goto("en/")
    page.click("text=Describe a new registry or biobank")
    page.locator("#editor-choose:not([hidden])").wait_for()
    page.click("text=New biobank")
    page.locator("#editor-app[data-state=ready]").wait_for(state="attached")
    assert "en/editor/?new=biobank" in page.url
