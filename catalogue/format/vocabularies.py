"""Controlled vocabularies (`validators/vocabularies/*.yaml`) and which fields use them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from catalogue.settings import validators_dir


@dataclass(frozen=True)
class Term:
    id: str
    label: dict[str, str]
    uri: str | None = None

    def text(self, lang: str = "en") -> str:
        return self.label.get(lang) or self.label.get("en") or self.id


@dataclass(frozen=True)
class Vocabulary:
    name: str
    title: str
    description: str
    terms: dict[str, Term]


@cache
def vocabulary(name: str) -> Vocabulary:
    path = validators_dir() / "vocabularies" / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    terms = {t["id"]: Term(t["id"], t["label"], t.get("uri")) for t in data["terms"]}
    return Vocabulary(name, data["title"], data.get("description", ""), terms)


@cache
def field_table() -> dict[str, dict[str, str]]:
    """`validators/vocabulary-fields.yaml`: kind -> {dotted path: vocabulary name}."""
    text = (validators_dir() / "vocabulary-fields.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def fields_for(kind: str) -> dict[str, str]:
    """The vocabulary-governed paths of one kind of file."""
    table = field_table()
    if kind == "organization":
        return dict(table["organization"])
    return {**table["entry"], **table.get(kind, {})}


def walk(data: Any, dotted: str) -> Iterator[tuple[str, Any]]:
    """Yield (JSON pointer, value) for each value a dotted path with `*` reaches."""
    items: list[tuple[str, Any]] = [("", data)]
    for part in dotted.split("."):
        nxt: list[tuple[str, Any]] = []
        for pointer, value in items:
            if part == "*":
                if isinstance(value, list):
                    nxt.extend((f"{pointer}/{i}", v) for i, v in enumerate(value))
            elif isinstance(value, dict) and part in value:
                nxt.append((f"{pointer}/{part}", value[part]))
        items = nxt
    yield from items
