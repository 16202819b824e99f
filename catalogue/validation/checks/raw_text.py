"""Checks on a file's raw text: control characters and identity numbers, where they are written.

One regex pass each over the text, so a clean file costs next to nothing. The raw text holds what
parsed values do not (comments, which are published with the repository, and a number folded
over two lines), and gives the exact line and column. Escapes (`"\\u202e"`, `"\\x32"`) make
characters that the raw text does not show, so a file with a backslash also has its parsed
values looked at.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from catalogue.privacy import national_ids as identity
from catalogue.validation import yaml_reader as yamlfile
from catalogue.validation.findings import Finding, Issue
from catalogue.validation.rules import FILES, check

MAX_PER_FILE = 20  # findings of one code in one file; past that the file speaks for itself
_NAMES = {"\x00": "NUL", "\x1b": "ESC", "\x7f": "DEL", "\x85": "NEL (next line)",
          "\ufeff": "a byte order mark"}
ID_MESSAGE = "This looks like a Norwegian national identity number or D-number."


def describe(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`, or a control character's short name."""
    name = _NAMES.get(char) or unicodedata.name(char, "a control character")
    return f"U+{ord(char):04X} {name}"


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _pointer_near(table: yamlfile.PositionTable, line: int, column: int) -> str:
    """The JSON pointer of the last value that starts at or before a position."""
    best, where = "", (0, 0)
    for pointer, (_, value_pos) in table.items():
        if where < value_pos <= (line, column):
            best, where = pointer.split("#", 1)[0], value_pos
    return best


def raw_findings(text: str, display: str, table: Callable[[], yamlfile.PositionTable]) -> list[Finding]:
    """Control characters and identity numbers in the raw text, at their line and column."""
    out: list[Finding] = []
    lines: set[int] = set()
    for line, col, char in yamlfile.control_characters(text):
        if len(lines) >= MAX_PER_FILE:
            break
        if line in lines:
            continue
        lines.add(line)
        msg = f"{describe(char)} is invisible or changes how the text around it is shown."
        out.append(Issue("control-character", _pointer_near(table(), line, col), msg)
                   .place(display, line, col))
    for offset, _ in identity.find_national_ids(text, MAX_PER_FILE):
        line, col = _line_col(text, offset)
        issue = Issue("national-id-number", _pointer_near(table(), line, col), ID_MESSAGE)
        out.append(issue.place(display, line, col))
    return out


def _strings(data: Any) -> Iterator[tuple[str, str]]:
    from catalogue.validation.checks.format_rules import (
        strings,  # checks imports frictionless; only needed here
    )

    return strings(data)


def escaped_issues(data: Any, texts: list[str], found: set[str]) -> list[Issue]:
    """What escapes hide in parsed values: control characters and identity numbers.

    `found` holds the pointers already reported from the raw text, which are not repeated.
    """
    if not any("\\" in t for t in texts):
        return []
    issues = []
    for at, value in _strings(data):
        if at in found:
            continue
        control = yamlfile.CONTROL.search(value)
        if control:
            msg = f"{describe(control.group())} is invisible or changes how the text around it is shown."
            issues.append(Issue("control-character", at, msg, False))
        if len(value) >= 11 and identity.find_national_ids(value, 1):
            issues.append(Issue("national-id-number", at, ID_MESSAGE, False))
    return issues


CHECKS = (
    check("raw-text", FILES, "control-character", "national-id-number",
          doc="the file's raw text and escaped strings: control characters, identity numbers"),
)
