"""What a check declares: its name, the files it applies to and the finding codes it can emit.

Every module that emits findings declares its checks in a `CHECKS` tuple beside the code (as a
frictionless check declares its error classes); `catalogue.validation.registry` collects them,
and a test holds the codes of `validators/rules.yaml` equal to the codes declared.
"""

from __future__ import annotations

from dataclasses import dataclass

ENTRIES = frozenset({"registry", "biobank"})
FILES = frozenset({"registry", "biobank", "organization"})  # every file the validator reads
CATALOGUE = frozenset({"catalogue"})  # the whole metadata folder: across files, or its layout


@dataclass(frozen=True)
class Check:
    """One check: `applies_to` names file kinds (`registry`, `biobank`, `organization`) or
    `catalogue` for rules over the whole folder; `codes` are the findings it can emit."""

    name: str
    applies_to: frozenset[str]
    codes: frozenset[str]
    doc: str = ""


def check(name: str, applies_to: frozenset[str], *codes: str, doc: str = "") -> Check:
    """A `Check`, written compactly."""
    return Check(name, applies_to, frozenset(codes), doc)
