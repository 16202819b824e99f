"""The BBMRI-ERIC Directory's own definitions: the EMX2 staging model and its ontology terms.

They are copies of molgenis-emx2's `data/biobank-directory` (see `source.yaml` beside them), so
the export writes the Directory's column names and the tests check against its rules offline.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from catalogue.settings import validators_dir


def folder() -> Path:
    return validators_dir() / "mappings" / "bbmri" / "directory"


@dataclass(frozen=True)
class Column:
    """One column of the model (`molgenis.csv` row)."""

    table: str
    name: str
    type: str
    required: bool
    ref_table: str | None = None
    ref_schema: str | None = None
    validation: str | None = None  # the model's JavaScript check, e.g. an id pattern

    @property
    def stored(self) -> bool:
        """A column a CSV carries: headings and refbacks are computed by the Directory."""
        return self.type not in ("heading", "refback")

    @property
    def ontology(self) -> str | None:
        """The DirectoryOntologies table whose term names the column holds."""
        return self.ref_table if self.ref_schema == "DirectoryOntologies" else None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns if c.stored]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


@cache
def model() -> dict[str, Table]:
    """The staging model's tables in the model's order."""
    cols: dict[str, list[Column]] = {}
    with (folder() / "molgenis.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            table = row["tableName"]
            cols.setdefault(table, [])
            if not row["columnName"]:
                continue
            cols[table].append(Column(
                table, row["columnName"], row["columnType"] or "string", row["required"] == "true",
                row["refTable"] or None, row["refSchema"] or None, row["validation"] or None,
            ))
    return {name: Table(name, tuple(c)) for name, c in cols.items()}


_JS_PATTERN = re.compile(r"/(\^.*\$)/\.test")


def id_pattern(table: str) -> re.Pattern[str] | None:
    """The model's id check as a Python pattern (`[\\w-:]` is JavaScript for word, - or :)."""
    validation = model()[table].column("id").validation or ""
    m = _JS_PATTERN.search(validation)
    if not m:
        return None
    js = m.group(1).replace("\\\\", "\\").replace("[\\w-:]", "[\\w\\-:]")
    return re.compile(js, re.ASCII)


@cache
def terms(ontology: str) -> dict[str, str]:
    """Term name -> label of a DirectoryOntologies table (ICD-10 only, for DiseaseTypes)."""
    if ontology == "DiseaseTypes":
        lines = (folder() / "DiseaseTypes-ICD10.txt").read_text(encoding="utf-8").splitlines()
        return {line: line for line in lines if line and not line.startswith("#")}
    with (folder() / f"{ontology}.csv").open(encoding="utf-8", newline="") as f:
        return {row["name"]: row["label"] for row in csv.DictReader(f)}
