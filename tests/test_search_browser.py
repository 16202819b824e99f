"""The catalogue page's search, in Debian's Chromium, on a synthetic catalogue of 45 entries:
more than the page's 20 results at a time, and with facets that hold more values than a
closed facet shows. What the page lists and counts is compared with the loaded catalogue."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from catalogue.build.pipeline import build
from catalogue.devtools.synth import synth
from catalogue.load import Catalogue, load_catalogue
from catalogue.site import facets
from catalogue.site.i18n import localise
from tests.feed_fixtures import Server
from tests.site_browser import Page


@pytest.fixture(name="synthetic", scope="module")
def synthetic_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Catalogue]]:
    """A synthetic catalogue of 45 entries, built and served, and the catalogue as loaded."""
    work = tmp_path_factory.mktemp("synthetic-search")
    synth(work / "metadata", 45, 3, seed=5)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(work)
        build(work / "metadata", work / "site", f"sqlite:///{work / 'store.sqlite'}", "https://katalog.example.no/")
    server = Server(work, "--out", str(work / "site"), "--db", f"sqlite:///{work / 'store.sqlite'}")
    yield server.url + "/", load_catalogue(work / "metadata")
    server.stop()


@pytest.fixture(name="tab")
def tab_fixture(browser: Any, synthetic: tuple[str, Catalogue]) -> Iterator[Page]:
    context = browser.new_context(base_url=synthetic[0], viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield Page(context.new_page())
    context.close()


def shown(tab: Page, path: str) -> tuple[str, list[str]]:
    """The status line and the result titles the catalogue shows at `path`, once it has searched."""
    tab.page.goto(path)
    tab.page.locator("#catalogue-app[data-state=ready]").wait_for(state="attached")
    return (tab.page.locator("#catalogue-status").inner_text(),
            tab.page.locator("#catalogue-list > li h3").all_inner_texts())


def counts(tab: Page, facet: str) -> dict[str, int]:
    """The counts the page shows for `facet`'s values."""
    found = tab.page.locator(f'[data-facet="{facet}"] .catalogue-count')
    return {el.get_attribute("data-value"): int(el.inner_text()) for el in found.all()}


def titles(cat: Catalogue, lang: str) -> list[str]:
    """Every entry's title in `lang`, in code-point order (as the index sorts them)."""
    return sorted(localise(e.model, lang).title for e in cat.entries)


def test_a_list_without_a_query_is_in_title_order_and_shows_more(tab, synthetic):
    cat = synthetic[1]
    status, first = shown(tab, "catalogue/?kind=registry&kind=biobank")
    assert status == "Viser 20 av 45"
    assert first == titles(cat, "nb")[:20]
    tab.page.get_by_role("button", name="Vis flere").click()
    tab.page.wait_for_function("document.querySelectorAll('#catalogue-list > li').length === 40")
    assert tab.page.locator("#catalogue-list > li h3").all_inner_texts() == titles(cat, "nb")[:40]
    assert tab.page.locator("#catalogue-status").inner_text() == "Viser 40 av 45"
    assert tab.errors == []


def test_the_english_list_is_in_english_title_order(tab, synthetic):
    status, first = shown(tab, "en/catalogue/?kind=registry&kind=biobank")
    assert first == titles(synthetic[1], "en")[:20]
    assert tab.errors == []


def test_a_query_finds_every_entry_with_the_word_and_counts_their_facets(tab, synthetic):
    cat = synthetic[1]
    want = [e for e in cat.entries if "hjerte" in localise(e.model, "nb").title.casefold()]
    assert 2 <= len(want) < 20
    status, found = shown(tab, "catalogue/?q=hjerte")
    assert status == f"{len(want)} treff"
    assert sorted(found) == sorted(localise(e.model, "nb").title for e in want)
    assert counts(tab, "kind") == {"registry": sum(e.kind == "registry" for e in want),
                                   "biobank": sum(e.kind == "biobank" for e in want)}
    # a word is found by its beginning, and marked where the card shows it
    assert tab.page.locator("#catalogue-list mark").first.inner_text().casefold().startswith("hjerte")
    assert tab.errors == []


def test_a_facets_own_counts_ignore_its_own_choice(tab, synthetic):
    cat = synthetic[1]
    shown(tab, "catalogue/?q=hjerte&kind=biobank")
    hearts = [e for e in cat.entries if "hjerte" in localise(e.model, "nb").title.casefold()]
    assert counts(tab, "kind")["registry"] == sum(e.kind == "registry" for e in hearts)
    regions = Counter(r for e in hearts if e.kind == "biobank" for r in facets.values(cat, e)["region"])
    assert {k: v for k, v in counts(tab, "region").items() if v} == dict(regions)
    assert tab.errors == []


def search(tab: Page, query: str) -> list[str]:
    """Search for `query` on the catalogue page, with the coding facet closed first, and say
    which files of the search index the search fetched."""
    tab.page.goto("catalogue/")
    tab.page.wait_for_load_state("networkidle")
    tab.page.locator('[data-facet="coding"] summary').click()  # close it
    fetched: list[str] = []
    tab.page.on("requestfinished", lambda r: fetched.extend(r.url.split("/search-index/")[1:]))
    tab.page.fill("#catalogue-q", query)
    tab.page.keyboard.press("Enter")
    tab.page.locator("#catalogue-app[data-state=ready]").wait_for(state="attached")
    tab.page.wait_for_load_state("networkidle")
    return fetched


def test_a_closed_facet_gets_its_counts_when_it_is_opened(tab, synthetic):
    cat = synthetic[1]
    assert "f/coding.json" not in search(tab, "hjerte")
    tab.page.locator('[data-facet="coding"] summary').click()
    hearts = [e for e in cat.entries if "hjerte" in localise(e.model, "nb").title.casefold()]
    want = Counter(c for e in hearts for c in facets.values(cat, e)["coding"])
    assert len(want) >= 2
    tab.page.wait_for_function("""want => Object.entries(want).every(([v, n]) => document.querySelector(
        '[data-facet="coding"] .catalogue-count[data-value="' + v + '"]').textContent === String(n))""",
                               arg=dict(want))
    assert tab.errors == []


def test_one_search_fetches_only_the_index_files_it_needs(tab):
    fetched = search(tab, "hjerte")
    shards = [f for f in fetched if f.startswith("t/")]
    cards = [f for f in fetched if f.startswith("d/")]
    columns = [f for f in fetched if f.startswith("f/")]
    assert shards == ["t/hj.json"]
    assert len(cards) == tab.page.locator("#catalogue-list > li").count() > 0
    open_facets = tab.page.locator("[data-facet][open]").evaluate_all("els => els.map(e => e.dataset.facet)")
    assert sorted(columns) == sorted(f"f/{name}.json" for name in open_facets)
    assert "coding" not in open_facets  # a closed facet is not counted
    assert sorted(fetched) == sorted(shards + cards + columns)  # no title order for a query
    assert len(fetched) == len(set(fetched))  # and nothing twice
    assert tab.errors == []


def test_a_search_overtaken_by_a_newer_one_leaves_it_its_first_results(tab, synthetic):
    """While the facet columns of a first search are still on their way, a second search
    starts; the first must not take the second's first 20 results when its columns arrive."""
    def slowly(route: Any) -> None:
        tab.page.wait_for_timeout(600)
        route.continue_()

    tab.page.goto("catalogue/")
    tab.page.wait_for_load_state("networkidle")
    tab.page.route("**/search-index/f/*.json", slowly)
    tab.page.fill("#catalogue-q", "syntetisk")
    tab.page.keyboard.press("Enter")
    tab.page.fill("#catalogue-q", "syntetisk ")
    tab.page.keyboard.press("Enter")
    tab.page.locator("#catalogue-app[data-state=ready]").wait_for(state="attached")
    tab.page.wait_for_load_state("networkidle")
    assert tab.page.locator("#catalogue-status").inner_text() == "Viser 20 av 45"
    assert tab.page.locator("#catalogue-list > li").count() == 20
    assert tab.errors == []
