"""The catalogue page's search index (`catalogue.site.search`), written from the sample
catalogue: what a search reads from it, file by file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from catalogue.load import Catalogue, load_catalogue
from catalogue.site import facets, search
from catalogue.site.i18n import LANGS, localise
from catalogue.site.variables_index import shard_key
from tests.conftest import REPO


@pytest.fixture(name="cat", scope="module")
def cat_fixture() -> Catalogue:
    return load_catalogue(REPO / "metadata")


@pytest.fixture(name="index", scope="module")
def index_fixture(cat: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search")
    search.write(out, cat)
    return out / search.FOLDER


def read(index: Path, name: str) -> Any:
    return json.loads((index / name).read_text(encoding="utf-8"))


def ids_by_name(cat: Catalogue, index: Path) -> dict[str, int]:
    """Entry name -> id, from the cards' pages."""
    out = {}
    for card in index.glob("d/*.json"):
        out[read(index, f"d/{card.name}")["url"].rstrip("/").split("/")[-1]] = int(card.stem)
    assert len(out) == len(cat.entries)
    return out


def postings(index: Path, word: str) -> dict[int, int]:
    """Entry id -> weight for `word`, as a search reads them."""
    shard = read(index, f"t/{shard_key(word)}.json")
    return {p // 4: p % 4 for p in shard.get(word, [])}


def test_a_variable_name_finds_only_the_entry_that_records_it(cat, index):
    ids = ids_by_name(cat, index)
    assert postings(index, "underliggende_dodsarsak") == {ids["dodsarsaksregisteret"]: search.VARIABLE}
    assert postings(index, "dodsarsak")[ids["dodsarsaksregisteret"]] >= search.VARIABLE  # a part of it too


def test_a_title_word_ranks_above_the_same_word_in_variables(cat, index):
    ids = ids_by_name(cat, index)
    title = localise(next(e for e in cat.entries if e.name == "dodsarsaksregisteret").model, "nb").title
    word = title.casefold().split()[0]
    assert postings(index, word)[ids["dodsarsaksregisteret"]] == search.TITLE


def test_a_card_shows_the_entry_in_both_languages_with_its_variables(cat, index):
    ids = ids_by_name(cat, index)
    entry = next(e for e in cat.entries if e.name == "dodsarsaksregisteret")
    card = read(index, f"d/{ids[entry.name]}.json")
    assert card["url"] == "registries/dodsarsaksregisteret/"
    for lang in LANGS:
        assert card[lang]["title"] == localise(entry.model, lang).title
    assert card["n"] == sum(1 for _ in entry.variables()) == len(card["v"])
    assert ["var-dodsfall-underliggende_dodsarsak", "underliggende_dodsarsak"] in [v[:2] for v in card["v"]]


def test_each_facet_column_holds_every_entrys_values(cat, index):
    ids = ids_by_name(cat, index)
    for name in facets.FACET_NAMES:
        column = read(index, f"f/{name}.json")
        for e in cat.entries:
            got = column["of"][ids[e.name]]
            got = [got] if isinstance(got, int) else got
            assert [column["values"][v] for v in got] == facets.values(cat, e)[name], (name, e.name)


def test_the_title_orders_list_every_entry_in_each_languages_order(cat, index):
    for lang in LANGS:
        order = read(index, f"order/{lang}.json")
        titles = [read(index, f"d/{i}.json")[lang]["title"] for i in order]
        assert titles == sorted(titles) and len(order) == len(cat.entries)
    assert read(index, f"order/{LANGS[0]}.json") == list(range(len(cat.entries)))  # ids are nb's order


def test_writing_it_twice_gives_the_same_bytes(cat, index, tmp_path):
    search.write(tmp_path, cat)
    again = tmp_path / search.FOLDER
    files = sorted(p.relative_to(index) for p in index.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert all((index / f).read_bytes() == (again / f).read_bytes() for f in files)


def test_an_incremental_build_makes_the_words_and_card_of_changed_entries_only(cat, tmp_path, monkeypatch):
    from dataclasses import replace

    from catalogue.build.reuse import Reuse

    cache = tmp_path / "cache"
    search.write(tmp_path / "full", cat, Reuse(), cache)  # a full build makes all, and remembers them
    made: list[str] = []
    real = search.words
    monkeypatch.setattr(search, "words", lambda c, e: made.append(e.name) or real(c, e))
    search.write(tmp_path / "next", cat, Reuse(previous=tmp_path / "full"), cache)
    assert made == []
    assert tree(tmp_path / "next") == tree(tmp_path / "full")
    changed = cat.entries[0]
    cat2 = replace(cat, entries=[replace(changed, content_hash="edited"), *cat.entries[1:]])
    search.write(tmp_path / "after", cat2, Reuse(previous=tmp_path / "next"), cache)
    assert made == [changed.name]
    search.write(tmp_path / "again", cat, Reuse(), cache)
    assert len(made) == 1 + len(cat.entries)  # --full makes every entry's again


def test_a_damaged_remembered_file_is_made_again(cat, tmp_path):
    from catalogue.build.reuse import Reuse

    cache = tmp_path / "cache"
    search.write(tmp_path / "full", cat, Reuse(), cache)
    [remembered] = cache.glob("search-*.pickle")
    remembered.write_bytes(b"not a pickle")
    search.write(tmp_path / "next", cat, Reuse(previous=tmp_path / "full"), cache)
    assert tree(tmp_path / "next") == tree(tmp_path / "full")
    assert remembered.read_bytes() != b"not a pickle"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_numbered_part_of_a_name_is_not_a_word_but_a_number_is(cat, tmp_path):
    """`hjerte_var_0042` is found by its name and its words, not by `0042`, which would list
    every entry with numbered variables in one shard; a number written as a word is found."""
    assert search._tokens("hjerte_var_0042") == {"hjerte_var_0042", "hjerte", "var"}
    assert {"1990", "2010"} <= search._tokens("Startet i 1990, utvidet 2010.")
