"""The access planner in a real browser (Debian's Chromium through Playwright), on the sample site:
collecting sources, the combined plan, sharing it by link, the downloads, gaps and accessibility.

Expected values are worked out by hand from metadata/ (see docs/access-planner.md for the rules):
Norsk nyreregister (OUS decides, 8-20 weeks, NOK 5,000-35,000), Norsk MS-register (Helse Bergen
decides, 6-16, 0-25,000), HUNT Biobank (NTNU's biobank, 6-16, 15,000-150,000), Norsk
pasientregister (Helsedataservice, 16-52, 1,500-3,000) and Dødsårsaksregisteret
(Helsedataservice, 10-36, 1,500-3,000)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from tests.site_browser import axe_violations  # the fixtures come from conftest.py

PICKED = ["norsk-nyreregister", "norsk-ms-register", "hunt-biobank", "norsk-pasientregister",
          "dodsarsaksregisteret"]
GROUPS = ["Søknad til Oslo universitetssykehus HF (dataansvarlig)",
          "Søknad til Helse Bergen HF (dataansvarlig)",
          "Avtale om materialoverføring (MTA) med Norges teknisk-naturvitenskapelige universitet (NTNU)",
          "Én søknad til Helsedataservice"]
MS = "Norsk MS-register og biobank – registeret"
NYRE_VARS = 'details[data-entry="norsk-nyreregister"]'
APPROVALS = [
    "Godkjenning fra REK – Kreves av: alle kildene",
    "Godkjenning fra egen institusjon – Kreves av: alle kildene",
    "Personvernombudets vurdering – Kreves av: alle kildene",
    f"Godkjenning fra dataansvarlig – Kreves av: Norsk nyreregister, {MS}",
    f"Avtale om dataoverføring (DTA) – Kreves av: {MS}, HUNT Biobank",
    "Avtale om overføring av materiale (MTA) – Kreves av: HUNT Biobank",
    "Tilgangsvedtak fra Helsedataservice – Kreves av: Norsk pasientregister (NPR), "
    "Dødsårsaksregisteret (DÅR)",
]


def ready(page):
    page.locator("#planner-app[data-state=ready]").wait_for(state="attached")


def text(locator) -> str:
    return locator.inner_text().replace("\u00a0", " ")


def collect(page, name: str) -> None:
    button = page.get_by_role("button", name=f"Legg til i studien ({name})", exact=True)
    button.click()
    assert button.get_attribute("aria-pressed") == "true"


def assert_the_plan(page) -> None:
    """The plan of PICKED, however it was opened."""
    groups = page.locator("#planner-groups .planner-group")
    assert groups.locator("h3").all_inner_texts() == GROUPS
    ous = groups.nth(0)
    assert "Send a project description and the list of requested variables" in ous.inner_text()
    assert ous.get_by_role("link", name="https://www.nephro.no/nnr.html").count() == 2  # apply at, contact
    assert ous.locator(".planner-documents li").all_inner_texts() == [
        "Prosjektprotokoll", "REK-vedtak", "Personvernombudets vurdering", "Variabelliste"]
    hds = groups.nth(3)
    assert "Gjelder: Norsk pasientregister (NPR), Dødsårsaksregisteret (DÅR)" in hds.inner_text()
    assert hds.locator(".planner-documents li").all_inner_texts()[-1] == "Datahåndteringsplan"
    assert text(hds).count("Gebyr for denne søknaden: 1 500–3 000 kr") == 1  # charged once
    # every controller is named once in the whole list of applications
    for org in ("Oslo universitetssykehus HF", "Helse Bergen HF", "(NTNU)"):
        assert page.locator("#planner-groups h3").filter(has_text=org).count() == 1
    assert page.locator("#planner-approvals > li").all_inner_texts() == APPROVALS
    assert text(page.locator("#planner-time .planner-lead")) == "Behandlingstid: 16–52 uker"
    assert "Lengst: Norsk pasientregister (NPR) (16–52 uker)." in page.locator("#planner-time").inner_text()
    assert text(page.locator("#planner-time .planner-fees")) == "Gebyr: 21 500–213 000 kr"
    assert page.locator("#planner-legal-common li").all_inner_texts() == ["GDPR art. 9 nr. 2 j (forskning)"]
    assert page.locator("#planner-problems-section").is_hidden()


def test_collected_sources_make_one_plan_that_a_link_shares(tab, browser, site_url):
    page = tab.page
    page.goto("catalogue/")
    for name in ("Norsk nyreregister", MS, "HUNT Biobank"):
        collect(page, name)
    assert page.locator(".catalogue-study").first.inner_text().startswith("Min studie (3)")
    page.goto("registries/norsk-pasientregister/")
    collect(page, "Norsk pasientregister (NPR)")
    page.goto("registries/dodsarsaksregisteret/")
    collect(page, "Dødsårsaksregisteret (DÅR)")
    page.get_by_role("link", name="Min studie (5)").click()
    page.wait_for_url(re.compile(r"/planner/$"))
    ready(page)
    assert_the_plan(page)
    assert page.locator("#planner-shared").is_hidden()
    link = page.get_by_label("Lenke til denne planen").input_value()
    assert link == site_url + "planner/?entries=" + ",".join(PICKED)
    assert tab.errors == []

    # the same plan in a browser that never saw the collection
    fresh = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        other = fresh.new_page()
        other.goto(link)
        ready(other)
        assert_the_plan(other)
        assert other.locator("#planner-shared").is_visible()
        assert json.loads(other.evaluate("localStorage.getItem('catalogue.study') || '[]'")) == []
        other.get_by_role("button", name="Lagre som min studie").click()
        assert json.loads(other.evaluate("localStorage.getItem('catalogue.study')")) == PICKED
        assert other.locator("#planner-shared").is_hidden()
    finally:
        fresh.close()


def test_removing_a_source_and_unticking_on_an_entry_page(tab):
    page = tab.page
    page.goto("registries/norsk-nyreregister/")
    collect(page, "Norsk nyreregister")
    page.goto("biobanks/hunt-biobank/")
    button = page.get_by_role("button", name="Legg til i studien (HUNT Biobank)", exact=True)
    button.focus()
    page.keyboard.press("Enter")  # the toggle works from the keyboard
    assert button.get_attribute("aria-pressed") == "true"
    page.keyboard.press("Space")
    assert button.get_attribute("aria-pressed") == "false"
    page.keyboard.press("Space")
    page.goto("planner/")
    ready(page)
    assert page.locator("#planner-groups h3").all_inner_texts() == [GROUPS[0], GROUPS[2]]
    page.get_by_role("button", name="Fjern (HUNT Biobank)", exact=True).click()
    assert page.locator("#planner-groups h3").all_inner_texts() == [GROUPS[0]]
    assert text(page.locator("#planner-time .planner-lead")) == "Behandlingstid: 8–20 uker"
    assert json.loads(page.evaluate("localStorage.getItem('catalogue.study')")) == ["norsk-nyreregister"]
    assert tab.errors == []


def test_ticked_variables_download_as_csv_and_the_plan_as_markdown(tab, tmp_path: Path):
    page = tab.page
    page.goto("planner/?entries=norsk-nyreregister,hunt-biobank")
    ready(page)
    page.locator('details[data-entry="hunt-biobank"] > summary').click()
    page.locator(f"{NYRE_VARS} > summary").click()
    nyre = page.locator(NYRE_VARS)
    hunt = page.locator('details[data-entry="hunt-biobank"]')
    hunt.get_by_label("deltaker_lopenr Løpenummer for deltakeren").check()
    nyre.get_by_label("fodselsaar Fødselsår").check()
    nyre.get_by_label("kjonn Kjønn").check()
    assert nyre.locator(".planner-vars__count").inner_text() == "(2 av 17 valgt)"
    # a shared plan keeps its ticks in its URL
    assert page.url.endswith("&vars=norsk-nyreregister/nyreerstattende-behandling/kjonn,"
                             "norsk-nyreregister/nyreerstattende-behandling/fodselsaar,"
                             "hunt-biobank/hunt-prover/deltaker_lopenr")
    with page.expect_download() as got:
        page.get_by_role("button", name="Last ned variabellisten (CSV)").click()
    rows = list(csv.reader(io.StringIO(Path(got.value.path()).read_text(encoding="utf-8-sig"))))
    assert got.value.suggested_filename == "variables.csv"
    table = "nyreerstattende-behandling"
    assert rows == [["entry", "table", "variable", "title", "type", "unit"],
                    ["norsk-nyreregister", table, "kjonn", "Kjønn", "integer", ""],
                    ["norsk-nyreregister", table, "fodselsaar", "Fødselsår", "year", ""],
                    ["hunt-biobank", "hunt-prover", "deltaker_lopenr", "Løpenummer for deltakeren", "string",
                     ""]]
    with page.expect_download() as got:
        page.get_by_role("button", name="Last ned planen (Markdown)").click()
    md = Path(got.value.path()).read_text(encoding="utf-8").replace("\u00a0", " ")
    assert md.startswith("# Tilgangsplan\n")
    for line in ("### Søknad til Oslo universitetssykehus HF (dataansvarlig)",
                 "### " + GROUPS[2],
                 "- **Avtale om overføring av materiale (MTA)** – Kreves av: HUNT Biobank",
                 "- Dokumenter: Prosjektprotokoll, REK-vedtak, Variabelliste, CV for prosjektleder, "
                 "Utkast til MTA, Finansieringsbekreftelse",
                 "**Gebyr: 20 000–185 000 kr**",
                 "| Norsk nyreregister | nyreerstattende-behandling | kjonn | Kjønn | integer |  |",
                 "| HUNT Biobank | hunt-prover | deltaker\\_lopenr | Løpenummer for deltakeren | string"
                 " |  |"):
        assert line in md.splitlines(), line
    assert "**Behandlingstid: 8–20 uker**. Lengst: Norsk nyreregister (8–20 uker)." in md
    # the ticks survive a reload of the shared link
    page.reload()
    ready(page)
    assert nyre.locator(".planner-vars__count").inner_text() == "(2 av 17 valgt)"
    assert tab.errors == []


def test_an_unknown_entry_and_incomplete_guidelines_are_flagged(tab):
    page = tab.page

    def broken(route):
        # the real file, with the gaps a build would report for an entry lacking these fields
        data = route.fetch().json()
        data["access"].pop("documents")
        data["access"]["contact"] = {"name": "Desk"}
        data["gaps"] = ["documents", "contact"]
        route.fulfill(json=data)

    page.route("**/planner/entries/norsk-ms-register.json", broken)
    page.goto("planner/?entries=norsk-nyreregister,finnes-ikke,norsk-ms-register")
    ready(page)
    assert page.locator("#planner-problems li").all_inner_texts() == [
        "«finnes-ikke» finnes ikke i katalogen.",
        f"{MS} mangler: liste over dokumenter søknaden trenger, "
        "kontakt med e-post eller nettside."]
    # still planned with what it has, not skipped
    assert page.locator("#planner-groups h3").all_inner_texts() == GROUPS[:2]
    assert [e for e in tab.errors if "finnes-ikke" not in e and "404" not in e] == []


def test_sources_without_a_common_legal_basis_are_named(tab):
    page = tab.page

    def consent_only(route):
        data = route.fetch().json()
        data["access"]["legal_basis_options"] = ["biobank-consent"]
        route.fulfill(json=data)

    page.route("**/planner/entries/hunt-biobank.json", consent_only)
    page.goto("planner/?entries=norsk-nyreregister,hunt-biobank")
    ready(page)
    assert page.locator("#planner-legal-conflict").is_visible()
    assert page.locator("#planner-legal-partial li").all_inner_texts() == [
        "GDPR art. 6 nr. 1 e (allmennhetens interesse) – godtas av 1 av 2; ikke av: HUNT Biobank",
        "GDPR art. 9 nr. 2 j (forskning) – godtas av 1 av 2; ikke av: HUNT Biobank",
        "Helseforskningsloven § 35 (dispensasjon fra taushetsplikt) – godtas av 1 av 2; "
        "ikke av: HUNT Biobank",
        "Bredt samtykke til biobank – godtas av 1 av 2; ikke av: Norsk nyreregister"]
    assert tab.errors == []


def test_a_uuid_in_the_link_and_the_english_planner(tab, site_url):
    page = tab.page
    page.goto("en/planner/?entries=be81842c-45ab-4340-97dc-1f40c8a3e118")
    ready(page)
    assert page.locator("#planner-groups h3").all_inner_texts() == [
        "Material transfer agreement (MTA) with Norwegian University of Science and Technology (NTNU)"]
    assert page.get_by_role("link", name="HUNT Biobank (the Trøndelag Health Study)").first.get_attribute(
        "href") == "../biobanks/hunt-biobank/"
    link = page.get_by_label("Link to this plan").input_value()
    assert link == site_url + "en/planner/?entries=hunt-biobank"
    assert text(page.locator("#planner-time .planner-fees")) == "Fees: NOK 15,000–150,000"
    assert tab.errors == []


def test_the_print_view_hides_navigation_and_buttons(tab):
    page = tab.page
    page.goto("planner/?entries=norsk-nyreregister")
    ready(page)
    page.emulate_media(media="print")
    assert page.locator(".md-header").is_hidden()
    assert page.get_by_role("button", name="Skriv ut").is_hidden()
    assert page.locator("#planner-variables").is_hidden()
    assert page.locator("#planner-groups h3").first.is_visible()


def test_axe_finds_no_serious_or_critical_problems_on_the_planner(tab, axe_source):
    page = tab.page
    page.goto("planner/?entries=" + ",".join(PICKED) + "&vars=hunt-biobank/hunt-prover/prove_id")
    ready(page)
    page.locator('details[data-entry="hunt-biobank"] > summary').click()
    assert axe_violations(page, axe_source) == []
    page.goto("planner/")  # the empty plan
    ready(page)
    assert page.get_by_text("Du har ikke valgt noen kilder ennå").is_visible()
    assert axe_violations(page, axe_source) == []
