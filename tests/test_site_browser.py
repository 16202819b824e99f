"""The built site in a real browser (Debian's Chromium through Playwright): search, facets,
entry pages, the language switch and accessibility. One site is built per test session."""

from __future__ import annotations

import re

import pytest

from tests.site_browser import axe_violations  # the fixtures come from conftest.py

DEATHS = "registries/dodsarsaksregisteret/"


def cards(tab):
    return tab.page.locator("#catalogue-list > li")


def settled(tab):
    """Wait until the catalogue has shown the results of the latest search."""
    tab.page.locator("#catalogue-app[data-state=ready]").wait_for(state="attached")


def test_the_home_page_loads_without_errors(tab):
    tab.page.goto("./")
    assert tab.page.locator("h1").inner_text() == "Katalog over helseregistre og biobanker"
    assert tab.page.locator('html[lang="nb"]').count() == 1
    assert tab.page.get_by_label("Søk i registre, biobanker og variabler").is_visible()
    assert tab.page.locator("figure svg[role=img]").count() == 2
    tab.page.wait_for_load_state("networkidle")
    assert tab.errors == []


def test_searching_for_a_variable_finds_the_entry_that_records_it(tab):
    tab.page.goto("./")
    tab.page.get_by_label("Søk i registre, biobanker og variabler").fill("underliggende_dodsarsak")
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_url(re.compile(r"/catalogue/\?q=underliggende_dodsarsak$"))
    settled(tab)
    first = cards(tab).first
    assert "Dødsårsaksregisteret" in first.locator("h3").inner_text()
    assert tab.page.locator("#catalogue-status").inner_text() == "1 treff"
    assert tab.page.get_by_role("button", name="Vis flere").is_hidden()  # everything is shown
    hit = first.get_by_role("link", name="underliggende_dodsarsak")
    assert hit.get_attribute("href").endswith(f"/{DEATHS}#var-dodsfall-underliggende_dodsarsak")
    hit.click()
    tab.page.wait_for_url(re.compile(r"#var-dodsfall-underliggende_dodsarsak$"))
    assert tab.page.locator("#var-dodsfall-underliggende_dodsarsak").is_visible()
    assert tab.errors == []


def test_a_facet_narrows_the_list_and_the_url_keeps_it(tab):
    tab.page.goto("catalogue/")
    assert cards(tab).count() == 19
    tab.page.get_by_role("group", name="Type").get_by_role("checkbox", name=re.compile("^Biobank")).check()
    tab.page.wait_for_url(re.compile(r"\?kind=biobank$"))
    tab.page.wait_for_function("document.querySelectorAll('#catalogue-list > li').length === 6")
    assert tab.page.locator("#catalogue-status").inner_text() == "6 treff"
    assert all("Biobank ·" in t for t in cards(tab).locator(".catalogue-card__meta").all_inner_texts())
    # a second facet narrows further; counts in the other facets follow
    region = tab.page.get_by_role("group", name="Helseregion")
    region.get_by_role("checkbox", name=re.compile("^Helse Vest")).check()
    tab.page.wait_for_url(re.compile(r"\?kind=biobank&region=helse-vest$"))
    tab.page.wait_for_function("document.querySelectorAll('#catalogue-list > li').length === 3")
    # reloading the URL restores the same search
    tab.page.reload()
    tab.page.wait_for_function("document.querySelectorAll('#catalogue-list > li').length === 3")
    kind = tab.page.get_by_role("group", name="Type")
    assert kind.get_by_role("checkbox", name=re.compile("^Biobank")).is_checked()
    assert tab.page.get_by_role("checkbox", name=re.compile("^Helse Vest")).is_checked()
    assert tab.errors == []


def test_a_shared_search_url_with_a_query_and_a_facet(tab):
    tab.page.goto("en/catalogue/?q=kjonn&kind=registry")
    settled(tab)
    assert tab.page.get_by_label("Search registries, biobanks and variables").input_value() == "kjonn"
    kinds = cards(tab).locator(".catalogue-card__meta").all_inner_texts()
    assert kinds and all(k.startswith("Registry ·") for k in kinds)
    assert tab.errors == []


def test_an_entry_page_shows_its_access_steps(tab):
    tab.page.goto(DEATHS)
    heading = tab.page.get_by_role("heading", name="Slik får du tilgang", level=2)
    assert heading.is_visible()
    steps = tab.page.locator("ol.catalogue-steps > li")
    assert steps.count() == 6
    assert "Skaff godkjenninger" in steps.nth(1).inner_text()
    assert "Godkjenning fra REK" in steps.nth(1).inner_text()
    assert "Helsedataservice" in steps.nth(3).inner_text()
    assert tab.page.get_by_role("link", name="Søk her").get_attribute("href") == "https://helsedata.no/"
    assert tab.page.get_by_text("Demonstrasjonsmetadata").is_visible()
    assert tab.page.locator("#var-dodsfall-kjonn").count() == 1
    assert tab.errors == []


def test_the_downloads_are_there(tab):
    tab.page.goto(DEATHS)
    for name in ("datapackage.json", "dictionary.csv", "dodsarsaksregisteret.yaml"):
        href = tab.page.get_by_role("link", name=name, exact=True).get_attribute("href")
        response = tab.page.request.get(tab.page.url + href)
        assert response.ok, name


def test_the_language_switch_keeps_the_page(tab):
    tab.page.goto(DEATHS)
    tab.page.get_by_role("link", name="Read this page in English").click()
    tab.page.wait_for_url(re.compile(r"/en/registries/dodsarsaksregisteret/$"))
    assert tab.page.locator('html[lang="en"]').count() == 1
    assert tab.page.locator("h1").inner_text() == "Norwegian Cause of Death Registry"
    assert tab.page.get_by_role("heading", name="How to get access", level=2).is_visible()
    tab.page.get_by_role("link", name="Les denne siden på norsk").click()
    tab.page.wait_for_url(re.compile(r"/registries/dodsarsaksregisteret/$"))
    assert "/en/" not in tab.page.url
    assert tab.page.locator("h1").inner_text() == "Dødsårsaksregisteret (DÅR)"
    assert tab.errors == []


def test_the_catalogue_works_from_the_keyboard(tab):
    tab.page.goto("catalogue/")
    tab.page.get_by_label("Søk i registre, biobanker og variabler").focus()
    tab.page.keyboard.type("hjerneslag")
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_url(re.compile(r"\?q=hjerneslag$"))
    settled(tab)
    box = tab.page.get_by_role("group", name="Type").get_by_role("checkbox", name=re.compile("^Register"))
    box.focus()
    tab.page.keyboard.press("Space")
    tab.page.wait_for_url(re.compile(r"\?q=hjerneslag&kind=registry$"))
    assert tab.errors == []


@pytest.mark.parametrize("path", ["./", "catalogue/", "catalogue/?q=kjonn", DEATHS,
                                  "biobanks/biobank-haukeland/", "en/", "organizations/helse-bergen/"])
def test_axe_finds_no_serious_or_critical_problems(tab, axe_source, path):
    tab.page.goto(path)
    if "?q=" in path:
        settled(tab)
    assert axe_violations(tab.page, axe_source) == []
