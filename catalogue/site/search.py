"""The catalogue page's search index: static files the browser reads a few at a time.

Written once per build into `search-index/` at the site's root (both languages share it) and
read by `assets/catalogue.js`. Built from the loaded entries, not from the built pages. One
search fetches a handful of files: the shard of each of its words, the columns of the open
facets and the cards it shows, 20 at a time (43 KB compressed at 10,000 entries of 100
variables; the goal is 300 KB). What they hold grows with the entries that have the words and,
by a few bytes per entry, with the catalogue. Pagefind, which the catalogue used before, loaded
every shard's page list and filters for each search (690 KB at 10,000 entries), and held every
page it indexed in memory.

- `t/<key>.json`, one shard per word's first two characters (`variables_index.shard_key`):
  word -> postings `id * 4 + weight`, in id order, where the weight says where the entry has
  the word: 3 in a title, 2 in its other text (description, keywords, controller, themes), 1
  only in its variables. A search loads the shard of each of its words and matches words by
  prefix, as the variables search does (`variables_index.tokens` splits them the same way).
- `f/<facet>.json`: the facet's values, and each entry's value (a number), values (a list)
  or none (`[]`). The page loads the column of a facet only when it is open or chosen, and
  counts its values over the hits itself.
- `d/<id>.json`: what a result card shows, in each language, and the entry's variables
  (anchor, name, title), from which the card lists the variables that match the query.
- `order/<lang>.json`: every id in that language's title order (code points), for a list
  without a query.

An entry's id is its place in the first language's title order, so ids of equal rank sort by
title. Every file goes through `Reuse.put`: an incremental build leaves a file whose bytes are
unchanged where the last build wrote it. The build remembers each entry's words and card in its
cache (`Remembered`), so it makes them again only for the entries that changed.
"""

from __future__ import annotations

import json
import os
import pickle
from array import array
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from catalogue.build.reuse import SAME_BYTES, Reuse, shared_fingerprint
from catalogue.load import Catalogue, LoadedEntry
from catalogue.site import facets, urls
from catalogue.site.i18n import LANGS, localise, org_name, term
from catalogue.site.variables_index import TOKEN, shard_key, tokens

FOLDER = "search-index/"
TITLE, TEXT, VARIABLE = 3, 2, 1  # a posting's weight: where the entry has the word
CACHE = "search-{}.pickle"  # in the build's cache folder (`Remembered`)


def write(out: Path, cat: Catalogue, reuse: Reuse | None = None, cache_dir: Path | None = None) -> None:
    """Write the search index into `out` (the site's root). With `cache_dir`, each entry's words
    and card are remembered there, and taken from there while the entry is unchanged."""
    reuse = reuse or Reuse()
    section = reuse.section("search", SAME_BYTES)

    def put(name: str, data: Any) -> None:
        reuse.put(section, FOLDER + name, _json(data), out)

    # a full build (nothing to reuse) makes every entry's words and card again, and remembers them
    remembered = (Remembered.open(cache_dir, shared_fingerprint(cat), read=reuse.previous is not None)
                  if cache_dir else Remembered())
    # word -> postings, as C ints, not lists of Python ones (30,000 x 20: the step grew the
    # build process by 0.11 GB, against 0.18 GB)
    postings: dict[str, array[int]] = defaultdict(lambda: array("i"))
    # One pass over the entries reads each one's model (unpacking a packed one costs a pass
    # over a big catalogue: about 14 s at 100,000 entries): its words and card, facets and
    # titles. Entries are numbered in the order of their bokmål titles.
    made = [(remembered.of(cat, e), facets.values(cat, e),
             [localise(e.model, lang).title for lang in LANGS]) for e in cat.entries]
    order = sorted(range(len(made)), key=lambda i: (made[i][2][0], cat.entries[i].name))
    for id_, i in enumerate(order):
        (text, weights, card_json), _, _ = made[i]
        base = id_ * 4
        for word, weight in zip(text.split("\n"), weights, strict=False):
            postings[word].append(base + weight)
        reuse.put(section, f"{FOLDER}d/{id_}.json", card_json, out)
    remembered.save()
    shards: dict[str, list[str]] = defaultdict(list)
    for word in sorted(postings):
        shards[shard_key(word)].append(word)
    for key, words_ in sorted(shards.items()):  # one shard's lists of Python ints at a time
        put(f"t/{key}.json", {word: postings[word].tolist() for word in words_})
    for name in facets.FACET_NAMES:
        put(f"f/{name}.json", column([made[i][1][name] for i in order]))
    for n, lang in enumerate(LANGS):
        titles = [made[i][2][n] for i in order]
        put(f"order/{lang}.json", sorted(range(len(order)), key=lambda i: (titles[i], i)))


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


class Remembered:
    """Each entry's words and card as the last build made them, by the entry's content, in a
    file of the build's cache named by everything else they show (the code, the rules, the
    organisations): an incremental build makes them again only for the entries that changed,
    which at 10,000 entries of 100 variables saves most of the index's time."""

    def __init__(self, path: Path | None = None, old: dict[str, tuple[str, bytes, bytes]] | None = None):
        self.path = path
        self.old = old or {}
        self.new: dict[str, tuple[str, bytes, bytes]] = {}

    @classmethod
    def open(cls, folder: Path, key: str, read: bool = True) -> Remembered:
        """What the last build remembered under `key` in `folder` (nothing, if it is unreadable
        or not to be `read`), to remember this build's there in turn."""
        path = folder / CACHE.format(key[:24])
        if not read:
            return cls(path)
        try:
            with open(path, "rb") as f:
                old = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
            old = {}
        return cls(path, old if isinstance(old, dict) else {})

    def of(self, cat: Catalogue, e: LoadedEntry) -> tuple[str, bytes, bytes]:
        """The entry's words (one a line), their weights (a byte each) and its card's JSON."""
        key = f"{e.kind}:{e.content_hash}"
        got = self.old.get(key)
        if got is None:
            found = words(cat, e)
            got = ("\n".join(found), bytes(found.values()), _json(card(cat, e)))
        self.new[key] = got
        return got

    def save(self) -> None:
        """Remember this build's entries (only them), replacing any other key's file."""
        if self.path is None:
            return
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(CACHE.format("*")):
            if stale != self.path:
                stale.unlink(missing_ok=True)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(self.new, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.path)


def words(cat: Catalogue, e: LoadedEntry) -> dict[str, int]:
    """Every word the entry is found by, with the weight of the best place it has it."""
    m = e.model
    org = cat.organizations.get(m.data_controller)
    titles: list[str | None] = [e.name]
    texts: list[str | None] = [m.purpose, *m.keywords, *m.diseases]
    for lang in LANGS:
        loc = localise(m, lang)
        titles.append(loc.title)
        texts += [loc.description, org_name(org.name, lang) if org else m.data_controller,
                  *(term("eu-data-themes", x, lang) for x in m.themes),
                  *(term("health-categories", x, lang) for x in m.health_categories)]
    variables: list[str | None] = []
    for _, f in e.variables():
        variables += [f.name, f.title, f.description, f.unit]
        variables += [c.label for c in f.categories or [] if not isinstance(c, str | int)]
    found: dict[str, int] = {}
    for weight, group in ((VARIABLE, variables), (TEXT, texts), (TITLE, titles)):  # the best last
        for text in group:
            if text:
                found.update(dict.fromkeys(_tokens(text), weight))
    return found


@lru_cache(maxsize=1 << 16)
def _tokens(text: str) -> frozenset[str]:
    """`tokens`, remembered (code-list labels and variable titles repeat across entries), but
    without the all-digit parts of longer words: the `0042` of `hjerte_var_0042` would list
    every entry with a numbered variable in one shard (2.1 MB compressed at 10,000 entries),
    and a number is found as a word of its own."""
    whole = {w.rstrip(".-") for w in TOKEN.findall(text.casefold())}
    return frozenset(w for w in tokens(text) if not w.isdigit() or w in whole)


def card(cat: Catalogue, e: LoadedEntry) -> dict[str, Any]:
    """What a result shows: the page (relative to a language's root), the card's facts in each
    language, the number of variables, and each variable's anchor, name and title."""
    from catalogue.site.views import search_meta

    variables = [[urls.variable_anchor(res, f.name), f.name, f.title or ""] for res, f in e.variables()]
    return {"url": urls.entry(e), "n": len(variables), "v": variables,
            **{lang: search_meta(cat, e, lang) for lang in LANGS}}


def column(values: list[list[str]]) -> dict[str, Any]:
    """A facet's values (in order of first use) and each entry's, by number."""
    ids: dict[str, int] = {}
    of: list[Any] = []
    for vals in values:
        nums = [ids.setdefault(v, len(ids)) for v in vals]
        of.append(nums[0] if len(nums) == 1 else nums)
    return {"values": list(ids), "of": of}
