"""Directory ids: derived from our names (slugs) and the node code, never from row order, so
they stay the same from one export to the next and the Directory keeps its history."""

from __future__ import annotations

PREFIX = "bbmri-eric"


def biobank(node: str, name: str) -> str:
    return f"{PREFIX}:ID:{node}_{name}"


def collection(node: str, biobank_name: str, name: str) -> str:
    return f"{biobank(node, biobank_name)}:collection:{name}"


def person(node: str, key: str) -> str:
    return f"{PREFIX}:contactID:{node}_{key}"


def network(node: str, key: str) -> str:
    return f"{PREFIX}:networkID:{node}_{key}"


def also_known(node: str, key: str) -> str:
    return f"{PREFIX}:akiID:{node}_{key}"


def fact(node: str, biobank_name: str, collection_name: str) -> str:
    """The fact of a collection's totals (every dimension `*`)."""
    return f"{PREFIX}:factID:{node}_{biobank_name}:{collection_name}:total"
