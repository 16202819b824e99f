"""The variables pages and the dictionaries in a real browser (Debian's Chromium through
Playwright): a concept search across sources, compare, concept pages, the dictionary's filter and
sorting, the catalogue on a phone, and accessibility. Uses the session's built sample site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.site_browser import axe_violations  # the fixtures come from conftest.py

DIABETES = "registries/norsk-diabetesregister-for-voksne/"
SMOKING = "72166-2"  # LOINC "Tobacco smoking status": `royking` in some sources, `royker` in another


def ready(tab, app="#variables-app"):
    tab.page.locator(f"{app}[data-state=ready]").wait_for(state="attached")


def hits(tab):
    return tab.page.locator("#variables-list > li")


def test_a_concept_code_finds_variables_of_several_sources_under_different_names(tab):
    tab.page.goto("variables/")
    tab.page.get_by_label("Søk etter variabler").fill(SMOKING)
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_url(re.compile(rf"/variables/\?q={SMOKING}$"))
    ready(tab)
    tab.page.wait_for_function("document.querySelectorAll('#variables-list > li').length > 0")
    names = hits(tab).locator("h3 code").all_inner_texts()
    sources = hits(tab).locator(".catalogue-card__meta a").all_inner_texts()
    assert {"royking", "royker"} <= set(names)
    assert len(set(sources)) >= 2
    assert tab.page.locator("#variables-status").inner_text() == f"{len(names)} treff"
    first = hits(tab).first
    assert "LOINC 72166-2" in first.inner_text() and "Variabeltype" in first.inner_text()
    assert re.search(r"\d{4}–", first.locator(".catalogue-card__meta").inner_text())  # coverage years
    assert tab.errors == []


def test_a_search_sent_before_the_facets_have_arrived_waits_for_them(tab):
    """On a slow line the reader may press Enter before facets.json is in (CI saw a page error)."""
    held = []
    tab.page.route("**/variable-index/facets.json", lambda route: held.append(route))
    tab.page.goto("variables/")
    tab.page.wait_for_function("document.getElementById('variables-q') !== null")
    tab.page.get_by_label("Søk etter variabler").fill(SMOKING)
    with tab.page.expect_response(re.compile(r"/variable-index/t/72\.json$")):
        tab.page.keyboard.press("Enter")
    tab.page.wait_for_timeout(100)  # the shard's hits are in hand; facets.json is still held
    assert len(held) == 1 and tab.errors == []
    held[0].continue_()
    ready(tab)
    tab.page.wait_for_function("document.querySelectorAll('#variables-list > li').length > 0")
    assert {"royking", "royker"} <= set(hits(tab).locator("h3 code").all_inner_texts())
    assert tab.errors == []


def test_a_filter_narrows_the_hits_and_lives_in_the_url(tab):
    tab.page.goto(f"en/variables/?q={SMOKING}")
    ready(tab)
    tab.page.wait_for_function("document.querySelectorAll('#variables-list > li').length > 1")
    before = hits(tab).count()
    kind = tab.page.get_by_role("group", name="Source kind")
    kind.get_by_role("checkbox", name=re.compile("^Biobank")).check()
    tab.page.wait_for_url(re.compile(r"kind=biobank"))
    tab.page.wait_for_function(f"document.querySelectorAll('#variables-list > li').length < {before}")
    assert all("HUNT" in s for s in hits(tab).locator(".catalogue-card__meta").all_inner_texts())
    tab.page.reload()
    ready(tab)
    assert tab.page.get_by_role("checkbox", name=re.compile("^Biobank")).is_checked()
    assert tab.page.get_by_label("Search variables").input_value() == SMOKING
    assert tab.errors == []


def test_a_prefix_of_a_name_finds_it_and_concept_labels_are_searched(tab):
    tab.page.goto("en/variables/?q=hba1")
    ready(tab)
    tab.page.wait_for_function("document.querySelectorAll('#variables-list > li').length >= 4")
    assert set(hits(tab).locator("h3 code").all_inner_texts()) == {"hba1c"}
    tab.page.goto("en/variables/?q=tobacco+smoking")
    ready(tab)
    tab.page.wait_for_function("document.querySelectorAll('#variables-list > li').length > 1")
    assert "royker" in hits(tab).locator("h3 code").all_inner_texts()


def test_compare_three_variables_side_by_side_survives_a_reload(tab):
    refs = ["norsk-diabetesregister-for-voksne/arskontroll/royking",
            "nasjonalt-kvalitetsregister-for-ryggkirurgi/ryggoperasjon/royker",
            "hunt-biobank/hunt-prover/royking"]
    tab.page.goto("variables/compare/?v=" + ",".join(refs))
    ready(tab, "#compare-app")
    table = tab.page.locator("#compare-table")
    assert table.locator("thead th.compare-col").count() == 3
    assert table.locator("thead code").all_inner_texts() == ["royking", "royker", "royking"]
    concepts_row = table.locator("tbody tr", has=tab.page.locator("th", has_text="Konsepter"))
    assert concepts_row.locator("td").all_inner_texts() == ["LOINC 72166-2 Tobacco smoking status"] * 3
    decider = table.locator("tbody tr", has=tab.page.locator("th", has_text="Hvem avgjør tilgang"))
    assert all(decider.locator("td").all_inner_texts())
    tab.page.reload()
    ready(tab, "#compare-app")
    assert table.locator("thead code").all_inner_texts() == ["royking", "royker", "royking"]
    # CSV download and the planner's variable list
    with tab.page.expect_download() as dl:
        tab.page.get_by_role("button", name="Last ned CSV").click()
    csv = Path(dl.value.path()).read_text(encoding="utf-8-sig")
    assert csv.splitlines()[0].count(",") == 3 and "royker" in csv
    tab.page.locator(".compare-plan").first.click()
    stored = tab.page.evaluate("JSON.parse(localStorage.getItem('catalogue.study.vars'))")
    assert stored == {"norsk-diabetesregister-for-voksne": ["arskontroll\u001froyking"]}
    assert "norsk-diabetesregister-for-voksne" in tab.page.evaluate("localStorage.getItem('catalogue.study')")
    # removing a column rewrites the shareable URL
    tab.page.locator(".compare-remove").nth(1).click()
    assert "royker" not in tab.page.url and table.locator("thead th.compare-col").count() == 2
    assert tab.errors == []


def test_variables_chosen_in_the_search_open_in_compare(tab):
    tab.page.goto(f"variables/?q={SMOKING}")
    ready(tab)
    tab.page.wait_for_function("document.querySelectorAll('#variables-list > li').length > 1")
    buttons = hits(tab).get_by_role("button", name=re.compile("^Legg til i sammenligning"))
    buttons.nth(0).click()
    buttons.nth(1).click()
    assert buttons.nth(0).get_attribute("aria-pressed") == "true"
    tab.page.get_by_role("link", name="Sammenlign valgte (2)").click()
    ready(tab, "#compare-app")
    assert tab.page.locator("#compare-table thead th.compare-col").count() == 2


def test_a_concept_page_lists_its_variables_and_compares_them_all(tab):
    tab.page.goto(f"variables/concepts/LOINC/{SMOKING}/")
    assert "LOINC 72166-2" in tab.page.locator("h1").inner_text()
    rows = tab.page.locator("table.catalogue-concept-vars tbody tr")
    names = rows.locator("td:first-child code").all_inner_texts()
    assert {"royking", "royker"} <= set(names) and len(names) >= 4
    tab.page.get_by_role("link", name=re.compile("^Sammenlign alle")).click()
    ready(tab, "#compare-app")
    assert tab.page.locator("#compare-table thead th.compare-col").count() == len(names)
    # the entry page links each annotated variable to its concept page
    tab.page.goto(DIABETES)
    tab.page.locator("#row-var-arskontroll-royking").get_by_role("link", name=re.compile("72166-2")).click()
    tab.page.wait_for_url(re.compile(r"/variables/concepts/LOINC/72166-2/$"))
    assert tab.errors == []


def test_the_dictionary_filter_and_sorting(tab):
    tab.page.goto(DIABETES)
    table = tab.page.locator("table.catalogue-dictionary")

    def names():
        shown = table.locator("tbody tr").evaluate_all("rs => rs.map(r => !r.hidden)")
        all_names = table.locator("tbody tr h4 code").all_inner_texts()
        return [n for n, s in zip(all_names, shown, strict=True) if s]

    assert len(names()) == 21
    box = tab.page.get_by_label("Filtrer variablene")
    box.fill("kolesterol")
    assert names() == ["totalkolesterol", "ldl_kolesterol"]
    assert tab.page.locator(".catalogue-dictionary-count").inner_text() == "2 av 21 variabler"
    box.fill("")
    tab.page.get_by_role("button", name="Sorter etter Variabel").click()
    assert names() == sorted(names(), key=str.casefold)
    assert table.locator("th[aria-sort=ascending]").count() == 1
    tab.page.get_by_role("button", name="Sorter etter Variabel").click()
    assert names()[0] == "urin_acr" or names() == sorted(names(), key=str.casefold, reverse=True)
    assert tab.page.locator("#var-arskontroll-hba1c").count() == 1  # rows keep their anchors
    assert tab.errors == []


@pytest.fixture(name="phone")
def phone_fixture(browser, site_url):
    context = browser.new_context(base_url=site_url, viewport={"width": 390, "height": 844},
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_on_a_phone_the_first_result_comes_before_the_facets(phone):
    phone.goto("catalogue/")
    first = phone.locator("#catalogue-list > li").first
    box = first.bounding_box()
    assert box and box["y"] + 40 < 844, box  # its top is on the first screen, no scrolling
    assert phone.locator("#catalogue-facets").is_hidden()
    button = phone.get_by_role("button", name=re.compile("^Avgrens"))
    button.click()
    assert phone.locator("#catalogue-facets").is_visible() and button.get_attribute("aria-expanded") == "true"
    phone.get_by_role("group", name="Type").get_by_role("checkbox", name=re.compile("^Biobank")).check()
    phone.wait_for_function("document.querySelector('.catalogue-filter-count').textContent === '(1)'")


def test_on_a_phone_no_dictionary_column_is_cut_off(phone):
    phone.goto(DIABETES)
    width = phone.evaluate("document.documentElement.clientWidth")
    right = phone.evaluate("""() => Math.max(...Array.from(
        document.querySelectorAll('table.catalogue-dictionary td, table.catalogue-dictionary th'))
        .map(c => c.getBoundingClientRect().right))""")
    assert right <= width, (right, width)
    assert phone.evaluate("document.documentElement.scrollWidth") <= width
    label = phone.evaluate("""getComputedStyle(document.querySelector(
        '#row-var-arskontroll-hba1c td:nth-child(3)'), '::before').content""")
    assert "Type" in label


@pytest.mark.parametrize("path", [f"variables/?q={SMOKING}", "en/variables/?q=hba1c",
                                  "variables/compare/?v=hunt-biobank/hunt-prover/bmi,"
                                  "norsk-diabetesregister-for-voksne/arskontroll/bmi",
                                  f"variables/concepts/LOINC/{SMOKING}/", "variables/concepts/", DIABETES])
def test_the_new_pages_have_no_serious_accessibility_violations(tab, axe_source, path):
    tab.page.goto(path)
    tab.page.wait_for_load_state("networkidle")
    assert axe_violations(tab.page, axe_source) == []
