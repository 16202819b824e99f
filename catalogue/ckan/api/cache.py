"""A bounded cache of serialised action results, emptied whenever the store changes.

The store changes only when a build publishes, so every read action's result is a function of
(action, parameters, store generation). Portals and harvesters repeat the same searches (a
landing page's facets, the first page of a harvest), and a hit costs a dictionary lookup
instead of several queries.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import orjson

MAX_ITEM = 2 * 1024 * 1024  # a result larger than this (rows=1000 pages) is not kept


def key(action: str, params: dict[str, Any], base_url: str) -> bytes:
    """The cache key of a call: the action, its parameters in a canonical order, the site."""
    try:
        return orjson.dumps([action, base_url, params], option=orjson.OPT_SORT_KEYS)
    except TypeError:  # parameters orjson cannot encode: computed, never cached
        return b""


class ResultCache:
    """Least-recently-used results up to `max_bytes`, for one store generation at a time."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.items: OrderedDict[bytes, bytes] = OrderedDict()
        self.size = 0
        self.generation: object = None
        self.hits = self.misses = 0

    def get(self, k: bytes, generation: object) -> bytes | None:
        """The stored result, or None; a new generation empties the cache first."""
        if generation != self.generation:
            self.items.clear()
            self.size, self.generation = 0, generation
        found = self.items.get(k) if k else None
        if found is None:
            self.misses += 1
            return None
        self.items.move_to_end(k)
        self.hits += 1
        return found

    def put(self, k: bytes, value: bytes, generation: object) -> None:
        """Keep `value` if it is small enough and still of the current generation."""
        if not k or generation != self.generation or len(value) > min(MAX_ITEM, self.max_bytes):
            return
        old = self.items.pop(k, None)
        self.size += len(value) - (len(old) if old else 0)
        self.items[k] = value
        while self.size > self.max_bytes:
            _, dropped = self.items.popitem(last=False)
            self.size -= len(dropped)
