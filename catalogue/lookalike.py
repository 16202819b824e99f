"""Look-alike characters: folding text to what it looks like, and naming a stray character.

Names and ids are ASCII slugs, so a look-alike there is simply invalid; titles, organisation names
and keywords are free text, where a Cyrillic `а` can pass for a Latin `a`. The table of
look-alikes is data (`validators/confusables.yaml`).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

import yaml

from catalogue.paths import validators_dir


@cache
def _table(folder: Path) -> dict[int, str]:
    data = yaml.safe_load((folder / "confusables.yaml").read_text(encoding="utf-8"))
    return {ord(c): latin for latin, chars in data.items() for c in chars}


def skeleton(text: str) -> str:
    """What a text looks like: NFKC (width, ligatures), look-alikes as Latin, case and spaces folded."""
    folded = unicodedata.normalize("NFKC", text).translate(_table(validators_dir()))
    return " ".join(folded.casefold().split())


def explain(value: str) -> str:
    """' It holds U+0430 CYRILLIC SMALL LETTER A (looks like `a`).' for a value with non-ASCII."""
    table = _table(validators_dir())
    strange = list(dict.fromkeys(c for c in value if not c.isascii()))[:3]
    if not strange:
        return ""
    parts = []
    for c in strange:
        like = table.get(ord(c)) or unicodedata.normalize("NFKC", c)
        looks = f" (looks like `{like}`)" if like != c and like.isascii() else ""
        parts.append(f"U+{ord(c):04X} {unicodedata.name(c, 'an unnamed character')}{looks}")
    return f" It holds {', '.join(parts)}: only ASCII letters, digits and hyphens are allowed."
