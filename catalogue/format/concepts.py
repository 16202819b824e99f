"""Concept annotations on variables: `concepts: [{system, code, label?}]` on a Table Schema field.

A concept says which measure a variable records in a terminology (LOINC, SNOMED CT, ICD-10, ATC,
NCSP, NLK ...), so the same measure is found under different names across sources. The systems
are the terms of `validators/vocabularies/coding-systems.yaml` (checked as `unknown-term`); this
module checks each code's *form* for the systems whose form is known, with one finding code per
system (`validators/rules.yaml`), and turns the primary (first) concept into an IRI for the
field's `rdfType` (Frictionless) and the DCAT column. A code of the right form may still not
exist: the catalogue does not ship the terminologies.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

# Verhoeff's tables (dihedral group D5), as SNOMED CT's identifiers use them.
_D = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
      [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
      [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
      [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
_P = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
      [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
      [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]


def verhoeff_ok(digits: str) -> bool:
    """True when the last digit is the Verhoeff check digit of the others."""
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _D[c][_P[i % 8][int(ch)]]
    return c == 0


def mod10_ok(digits: str) -> bool:
    """LOINC's check digit: the Luhn (mod 10) algorithm over the number and its check digit."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _loinc(code: str) -> str | None:
    if not re.fullmatch(r"[0-9]{1,7}-[0-9]", code):
        return "a LOINC code is 1-7 digits, a hyphen and a check digit, e.g. 4548-4"
    if not mod10_ok(code.replace("-", "")):
        return "its check digit (after the hyphen) is wrong: the code is mistyped"
    return None


def _snomed(code: str) -> str | None:
    if not re.fullmatch(r"[1-9][0-9]{5,17}", code):
        return "a SNOMED CT identifier is 6-18 digits, not starting with 0, e.g. 38341003"
    if code[-3:-1] not in ("00", "10"):
        return (f"its partition identifier {code[-3:-1]!r} (the two digits before the check digit) "
                "is not a concept's (00 or 10): it is a description or relationship id")
    if not verhoeff_ok(code):
        return "its last digit is not the Verhoeff check digit: the code is mistyped"
    return None


def _pattern(regex: str, example: str, what: str) -> Callable[[str], str | None]:
    def check(code: str) -> str | None:
        return None if re.fullmatch(regex, code) else f"{what}, e.g. {example}"
    return check


@dataclass(frozen=True)
class System:
    """A coding system whose code form the validator knows."""

    finding: str  # the finding code for a malformed code (validators/rules.yaml)
    check: Callable[[str], str | None]  # None when the form is right, else what is wrong
    iri: str | None  # IRI template for `{code}`, or None: the concept page's IRI is used


SYSTEMS: dict[str, System] = {
    "LOINC": System("invalid-loinc-code", _loinc, "https://loinc.org/{code}/"),
    "SNOMED-CT": System("invalid-snomed-code", _snomed, "http://snomed.info/id/{code}"),
    "ICD-10": System("invalid-icd10-code", _pattern(
        r"[A-Z][0-9]{2}(\.?[0-9A-Z]{1,4})?", "E11 or E11.9",
        "an ICD-10 code is a letter and two digits, optionally a dot and up to four characters"),
        "http://id.who.int/icd/release/10/{code}"),
    "ATC": System("invalid-atc-code", _pattern(
        r"[ABCDGHJLMNPRSV]([0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?)?", "A10BA02",
        "an ATC code is an anatomical group letter (A B C D G H J L M N P R S V) followed by "
        "the digits and letters of levels 2-5"), "https://atcddd.fhi.no/atc_ddd_index/?code={code}"),
    "NCSP": System("invalid-ncsp-code", _pattern(
        r"[A-Z]{3}[0-9]{2}[A-Z]?", "NFB49", "an NCSP procedure code is three letters and two "
        "digits, optionally a letter"), None),
    "NLK": System("invalid-nlk-code", _pattern(
        r"(NPU|NOR|DNK|SWE)[0-9]{5}", "NPU27300", "an NLK code is NPU (or NOR for Norwegian "
        "additions) followed by five digits"), None),
    "ICPC-2": System("invalid-icpc2-code", _pattern(
        r"[A-Z][0-9]{2}", "T90", "an ICPC-2 code is a chapter letter and two digits"), None),
    "ORPHA": System("invalid-orpha-code", _pattern(
        r"(ORPHA:)?[0-9]{1,7}", "ORPHA:558", "an Orphanet code is up to seven digits"),
        "http://www.orpha.net/ORDO/Orphanet_{code}"),
}


def findings() -> set[str]:
    """Every finding code this module can report (a test holds them equal to rules.yaml)."""
    return {s.finding for s in SYSTEMS.values()}


def field_concepts(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(JSON path, concept) for every concept of every field of an entry's plain data."""
    resources = data.get("resources")
    for i, res in enumerate(resources if isinstance(resources, list) else []):
        schema = res.get("schema") if isinstance(res, dict) else None
        fields = schema.get("fields") if isinstance(schema, dict) else None
        for j, field in enumerate(fields if isinstance(fields, list) else []):
            concepts = field.get("concepts") if isinstance(field, dict) else None
            for k, concept in enumerate(concepts if isinstance(concepts, list) else []):
                if isinstance(concept, dict):
                    yield f"/resources/{i}/schema/fields/{j}/concepts/{k}", concept


def problem(system: str, code: str) -> tuple[str, str] | None:
    """(finding code, what is wrong) for a malformed code; None when right or not checkable."""
    known = SYSTEMS.get(system)
    if known is None:
        return None
    wrong = known.check(code)
    return (known.finding, wrong) if wrong else None


def iri(system: str, code: str, base_url: str = "") -> str:
    """The concept's IRI: the system's own where it has one, else the catalogue's concept page."""
    known = SYSTEMS.get(system)
    if known and known.iri:
        return known.iri.format(code=quote(code, safe=":"))
    return f"{base_url}variables/concepts/{quote(system, safe='')}/{quote(code, safe='')}/"


def concept_slug(system: str, code: str) -> str:
    """The concept page's path below the site root."""
    return f"variables/concepts/{quote(system, safe='')}/{quote(code, safe='')}/"


def primary_iri(field: Any, base_url: str = "") -> str | None:
    """The IRI of a model field's primary (first) concept, or None without concepts."""
    first = (getattr(field, "concepts", None) or [None])[0]
    return iri(first.system, first.code, base_url) if first is not None else None


def with_rdf_types(resources: list[dict[str, Any]], base_url: str = "") -> list[dict[str, Any]]:
    """Resources (plain descriptors) whose annotated fields carry `rdfType`: the primary concept,
    unless the owner gave one. Copies what it changes; the descriptors stay as loaded."""
    out = []
    for res in resources:
        schema = res.get("schema")
        if isinstance(schema, dict) and any(isinstance(f, dict) and f.get("concepts")
                                            for f in schema.get("fields", [])):
            fields = []
            for f in schema["fields"]:
                first = (f.get("concepts") or [None])[0] if isinstance(f, dict) else None
                if isinstance(first, dict) and not f.get("rdfType"):
                    f = {**f, "rdfType": iri(str(first.get("system")), str(first.get("code")), base_url)}
                fields.append(f)
            res = {**res, "schema": {**schema, "fields": fields}}
        out.append(res)
    return out
