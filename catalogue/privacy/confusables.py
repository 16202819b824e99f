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

from catalogue.settings import validators_dir


@cache
def _table(folder: Path) -> dict[int, str]:
    data = yaml.safe_load((folder / "confusables.yaml").read_text(encoding="utf-8"))
    return {ord(c): latin for latin, chars in data.items() for c in chars}


def skeleton(text: str) -> str:
    """What a text looks like: NFKC (width, ligatures), look-alikes as Latin, case and spaces folded."""
    folded = unicodedata.normalize("NFKC", text).translate(_table(validators_dir()))
    return " ".join(folded.casefold().split())


def plain(text: str) -> bool:
    """True when folding changes nothing but case and spaces: no look-alikes, no odd widths."""
    return skeleton(text) == " ".join(text.casefold().split())


def explain(value: str) -> tuple[str, str]:
    """What is not ASCII in a name, for the message, and what to write instead, for the hint.

    ('It holds U+0430 CYRILLIC SMALL LETTER A, which looks like `a`.', 'Replace U+0430 with `a`.')
    """
    table = _table(validators_dir())
    strange = list(dict.fromkeys(c for c in value if not c.isascii()))[:3]
    if not strange:
        return "", ""
    parts, fixes = [], []
    for c in strange:
        like = table.get(ord(c)) or unicodedata.normalize("NFKC", c)
        name = f"U+{ord(c):04X} {unicodedata.name(c, 'an unnamed character')}"
        if like != c and like.isascii():
            parts.append(f"{name}, which looks like `{like}`")
            fixes.append(f"U+{ord(c):04X} with `{like}`")
        else:
            parts.append(name)
            fixes.append(f"U+{ord(c):04X} with an ASCII letter")
    return (f" It holds {', '.join(parts)}: not an ASCII letter.",
            f"Replace {', '.join(fixes)}.")
