"""Findings are data: a stable code, a severity, where it is and how to fix it.

Checks never raise for bad input; they return findings, which a `Report` collects. The codes,
severities and hints come from `validators/rules.yaml`, so the site can publish them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

import yaml

from catalogue.settings import validators_dir


@cache
def rules() -> dict[str, dict[str, str]]:
    """The rule table: code -> {severity, title, hint}."""
    text = (validators_dir() / "rules.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass(frozen=True)
class Finding:
    """One problem in one file, at one place."""

    code: str
    severity: str
    file: str
    line: int
    column: int
    path: str
    message: str
    hint: str

    def text(self) -> str:
        """One line for a person: `file:line:col: severity [code] message Fix: hint`."""
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.severity} [{self.code}] {self.message} Fix: {self.hint}"

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the line in a pull request."""
        kind = "error" if self.severity == "error" else "warning"
        msg = f"[{self.code}] {self.message} Fix: {self.hint}"
        msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        title = rules()[self.code]["title"].replace(",", "%2C").replace("::", "%3A%3A")
        return f"::{kind} file={self.file},line={self.line},col={self.column},title={title}::{msg}"


@dataclass
class Issue:
    """A finding before it is placed: the code, the JSON pointer and the message."""

    code: str
    path: str
    message: str
    at_key: bool = True  # place on the key's line (True) or on the value's (False)
    hint: str = ""  # said before the rule's hint, when the fix depends on the value

    def place(self, file: str, line: int, column: int) -> Finding:
        rule = rules()[self.code]
        return Finding(
            code=self.code,
            severity=rule["severity"],
            file=file,
            line=line,
            column=column,
            path=self.path,
            message=self.message,
            hint=f"{self.hint} {rule['hint']}" if self.hint else rule["hint"],
        )


# an entry's datapackage.yaml (absolute path) -> (its data pickled, Table Schemas inlined; the
# schema files it names)
Parsed = dict[str, tuple[bytes, tuple[str, ...]]]


@dataclass
class Report:
    """Everything a validation run found, with counts."""

    findings: list[Finding] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    parsed: Parsed = field(default_factory=dict, repr=False)  # with `validate(keep_parsed=True)`

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def valid(self) -> bool:
        return not self.errors

    def sort(self) -> None:
        self.findings.sort(key=lambda f: (f.file, f.line, f.column, f.code))

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "errors": [asdict(f) for f in self.errors],
            "warnings": [asdict(f) for f in self.warnings],
            "stats": self.stats,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def flatten(self, keys: list[str]) -> list[list[Any]]:
        """Rows of the chosen attributes, as frictionless reports do; handy in tests."""
        return [[getattr(f, k) for k in keys] for f in self.findings]
