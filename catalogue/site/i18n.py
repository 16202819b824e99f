"""The site's two languages: interface strings, vocabulary labels and per-entry fallback.

The strings themselves are data in `strings/`: `ui.yaml`, `planner.yaml`, `maintenance.yaml`,
`editor.yaml` (and, read by their own modules, `editor-script.yaml` and `variables.yaml`).

Bokmål is the main language (served at `/`), English the mirror (served at `/en/`). An entry is
shown in the reader's language where it has one, else in the language it was written in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from catalogue.format.models import EntryBase, LocalisedName
from catalogue.format.vocabularies import vocabulary

LANGS = ("nb", "en")
PREFIX = {"nb": "", "en": "en/"}  # where each language's pages live, from the site root
NAMES = {"nb": "Norsk", "en": "English"}

STRINGS = Path(__file__).parent / "strings"  # data, like the vocabularies: no code to translate


def strings(name: str) -> dict:
    """The strings of `strings/<name>.yaml`."""
    return yaml.load((STRINGS / f"{name}.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


UI: dict[str, dict[str, str]] = strings("ui")  # key -> language -> text
PLANNER_UI: dict[str, dict[str, str]] = strings("planner")  # also handed to the planner's script
assert not UI.keys() & PLANNER_UI.keys(), "a planner string hides a page string"
UI.update(PLANNER_UI)
for _part in ("maintenance", "editor"):  # review cadence and change feeds; the editor's page
    _more = strings(_part)
    assert not UI.keys() & _more.keys(), f"a string of {_part}.yaml hides a page string"
    UI.update(_more)


def planner_strings(lang: str) -> dict[str, str]:
    """The planner's strings in `lang`, for its script."""
    return {k: t(k, lang) for k in PLANNER_UI}


def t(key: str, lang: str, /, **kw: object) -> str:
    """An interface string in `lang`, with `{placeholders}` filled in."""
    text = UI[key].get(lang) or UI[key]["en"]
    return text.format(**kw) if kw else text


def term(vocab: str, term_id: str, lang: str) -> str:
    """A controlled term's label in `lang` (the id when the vocabulary does not know it)."""
    found = vocabulary(vocab).terms.get(term_id)
    return found.text(lang) if found else term_id


def org_name(name: LocalisedName, lang: str) -> str:
    """An organisation's name in `lang`, falling back to bokmål, nynorsk, then English."""
    return getattr(name, lang) or name.nb or name.nn or name.en or ""


@dataclass(frozen=True)
class Localised:
    """An entry's title and description in one language, and which language each is in."""

    title: str
    title_lang: str
    description: str
    description_lang: str


def localise(entry: EntryBase, lang: str) -> Localised:
    """Title and description in `lang` where the entry has them, else in its own language."""
    own = entry.language
    if own == lang:
        return Localised(entry.title, own, entry.description, own)
    tr = entry.translations.get(lang)  # type: ignore[call-overload]
    title = (tr.title, lang) if tr and tr.title else (entry.title, own)
    desc = (tr.description, lang) if tr and tr.description else (entry.description, own)
    return Localised(title[0], title[1], desc[0], desc[1])
