"""Parsing CKAN's Solr-style `q`, `fq` and `sort` into a small tree, so no text reaches SQL.

Supported: words, "phrases" and `word*` (full text), `field:value`, `field:"a b"`,
`field:(a OR b)`, `field:[from TO to]` and `{...}` ranges (dates with or without fractional
seconds, `*`, `NOW-1DAY`), `*:*`, `AND`/`&&`, `OR`/`||`, `NOT`/`!`/`-`, `+`, and parentheses.
Clauses without an operator are ANDed. Anything else is a `QuerySyntaxError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from catalogue.ckan.api.limits import MAX_NESTING, MAX_QUERY_CHARS, MAX_SORT_KEYS
from catalogue.ckan.store.fulltext import Term


class QuerySyntaxError(ValueError):
    """The query, filter or sort cannot be read; the message says where."""


@dataclass(frozen=True)
class All:
    """Everything (`*:*` or an empty query)."""


@dataclass(frozen=True)
class Text:
    """Full text: a word, phrase or prefix."""

    term: Term


@dataclass(frozen=True)
class Field:
    """`field:value`."""

    name: str
    value: str  # "*" for "has a value"; a trailing "*" for a prefix


@dataclass(frozen=True)
class Range:
    """`field:[low TO high]`; None for an open end."""

    name: str
    low: str | None  # None for "*"
    high: str | None
    low_inclusive: bool
    high_inclusive: bool


@dataclass(frozen=True)
class And:
    """All of these."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Any of these."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """Not this."""

    item: Node


Node = All | Text | Field | Range | And | Or | Not

_FIELD = re.compile(r"([A-Za-z_][\w.]*):")
_BARE = re.compile(r'(?:\\.|[^\s()"\\])+')
_RANGE = re.compile(r"([\[{])\s*(\S+)\s+TO\s+(\S+)\s*([\]}])")
_OPS = {"AND": "AND", "&&": "AND", "OR": "OR", "||": "OR", "NOT": "NOT"}


def _unescape(s: str) -> str:
    return re.sub(r"\\(.)", r"\1", s)


def snippet(s: str, at: int | None = None, width: int = 60) -> str:
    """`s` quoted, or the part of a long `s` around `at`: an error never echoes a huge query."""
    if len(s) <= 2 * width:
        return repr(s)
    lo = max(0, (at or 0) - width)
    return f"...{s[lo:lo + 2 * width]!r}... ({len(s)} characters)"


class _Parser:
    """A recursive-descent parser over the raw string."""

    def __init__(self, text: str) -> None:
        self.s, self.i, self.depth = text, 0, 0

    def error(self, what: str) -> QuerySyntaxError:
        return QuerySyntaxError(f"{what} at position {self.i} of {snippet(self.s, self.i)}")

    def nest(self) -> None:
        """One level deeper (a parenthesis or a negation); recursion is bounded by MAX_NESTING."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error(f"more than {MAX_NESTING} nested parentheses or negations")

    def ws(self) -> None:
        while self.i < len(self.s) and self.s[self.i].isspace():
            self.i += 1

    def peek_op(self) -> str | None:
        self.ws()
        for tok in ("&&", "||"):
            if self.s.startswith(tok, self.i):
                return tok
        m = re.compile(r"(AND|OR|NOT)(?=[\s(]|$)").match(self.s, self.i)
        return m.group(1) if m else None

    def parse(self) -> Node:
        node = self.or_expr()
        self.ws()
        if self.i < len(self.s):
            raise self.error("unexpected " + repr(self.s[self.i]))
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while (op := self.peek_op()) and _OPS[op] == "OR":
            self.i += len(op)
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Node:
        items = [self.unary()]
        while True:
            op = self.peek_op()
            if op and _OPS[op] == "AND":
                self.i += len(op)
                items.append(self.unary())
            elif op is None and self.i < len(self.s) and self.s[self.i] != ")" or op == "NOT":
                items.append(self.unary())
            else:
                break
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        op = self.peek_op()
        if op == "NOT" or self.s.startswith("!", self.i):
            self.i += 3 if op == "NOT" else 1
            self.nest()
            node: Node = Not(self.unary())
            self.depth -= 1
            return node
        if self.s.startswith("-", self.i):
            self.i += 1
            self.nest()
            node = Not(self.primary())
            self.depth -= 1
            return node
        if self.s.startswith("+", self.i):
            self.i += 1
        if op is not None:
            raise self.error(f"{op} needs something before it")
        return self.primary()

    def primary(self) -> Node:
        self.ws()
        if self.i >= len(self.s):
            raise self.error("query ends too early")
        if self.s.startswith("*:*", self.i):
            self.i += 3
            return All()
        if self.s[self.i] == "(":
            self.i += 1
            return self.group()
        if self.s[self.i] == ")":
            raise self.error("unexpected ')'")
        m = _FIELD.match(self.s, self.i)
        if m:
            self.i = m.end()
            return self.field_value(m.group(1))
        return Text(self.term())

    def group(self) -> Node:
        """What is inside parentheses, up to and over the closing one."""
        self.nest()
        node = self.or_expr()
        self.ws()
        if not self.s.startswith(")", self.i):
            raise self.error("missing ')'")
        self.i += 1
        self.depth -= 1
        return node

    def quoted(self) -> str:
        m = re.compile(r'"((?:\\.|[^"\\])*)"').match(self.s, self.i)
        if not m:
            raise self.error("unclosed quote")
        self.i = m.end()
        return _unescape(m.group(1))

    def term(self) -> Term:
        if self.s[self.i] == '"':
            return Term(self.quoted())
        m = _BARE.match(self.s, self.i)
        if not m:
            raise self.error("expected a word")
        self.i = m.end()
        word = _unescape(m.group(0))
        if word.endswith("*") and len(word) > 1:
            return Term(word.rstrip("*"), prefix=True)
        return Term(word)

    def field_value(self, name: str) -> Node:
        if self.i >= len(self.s) or self.s[self.i].isspace():
            raise self.error(f"missing value for {name}")
        c = self.s[self.i]
        if c in "[{":
            m = _RANGE.match(self.s, self.i)
            if not m:
                raise self.error(f"malformed range for {name}")
            self.i = m.end()
            low, high = m.group(2), m.group(3)
            return Range(name, None if low == "*" else _unescape(low),
                         None if high == "*" else _unescape(high),
                         m.group(1) == "[", m.group(4) == "]")
        if c == "(":  # field:(a OR b) applies the field to every value inside
            self.i += 1
            return _with_field(self.group(), name)
        if c == '"':
            return Field(name, self.quoted())
        m = _BARE.match(self.s, self.i)
        if not m:
            raise self.error(f"missing value for {name}")
        self.i = m.end()
        return Field(name, _unescape(m.group(0)))


def _with_field(node: Node, name: str) -> Node:
    if isinstance(node, Text):
        return Field(name, node.term.text + ("*" if node.term.prefix else ""))
    if isinstance(node, And | Or):
        return type(node)(tuple(_with_field(n, name) for n in node.items))
    if isinstance(node, Not):
        return Not(_with_field(node.item, name))
    return node


def parse(text: str | None) -> Node:
    """Parse a `q` or `fq`; empty means everything."""
    if text is None or not str(text).strip():
        return All()
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(f"a query or filter may have at most {MAX_QUERY_CHARS} characters, "
                               f"not {len(text)}")
    return _Parser(str(text)).parse()


def clauses(node: Node) -> int:
    """The words, phrases, field clauses and ranges of a tree."""
    if isinstance(node, And | Or):
        return sum(clauses(n) for n in node.items)
    if isinstance(node, Not):
        return clauses(node.item)
    return 0 if isinstance(node, All) else 1


_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?"
                   r"(Z|[+-]\d{2}:?\d{2})?$")
_NOW = re.compile(r"NOW(?:([+-])(\d+)(SECOND|MINUTE|HOUR|DAY|WEEK)S?)?(?:/(DAY|HOUR))?$")
_UNITS = {"SECOND": "seconds", "MINUTE": "minutes", "HOUR": "hours", "DAY": "days",
          "WEEK": "weeks"}


def timestamp(value: str) -> str:
    """A Solr date (`2025-01-01T09:00:00.123Z`, `2025-01-01`, `NOW-1DAY`) as the store's format."""
    m = _NOW.match(value)
    if m:
        t = datetime.now(UTC).replace(tzinfo=None)
        if m.group(1):
            try:
                delta = timedelta(**{_UNITS[m.group(3)]: int(m.group(2))})
                t = t + delta if m.group(1) == "+" else t - delta
            except (ValueError, OverflowError):  # NOW+99999999999DAYS
                raise QuerySyntaxError(f"date out of range: {snippet(value)}") from None
        if m.group(4) == "DAY":
            t = t.replace(hour=0, minute=0, second=0, microsecond=0)
        elif m.group(4) == "HOUR":
            t = t.replace(minute=0, second=0, microsecond=0)
        return t.isoformat(timespec="microseconds")
    m = _DATE.match(value)
    if not m:
        raise QuerySyntaxError(f"not a date: {snippet(value)} (use e.g. 2025-01-01T09:00:00Z)")
    day, hh, mm, ss, frac, tz = m.groups()
    try:
        t = datetime.fromisoformat(f"{day}T{hh or '00'}:{mm or '00'}:{ss or '00'}")
        t = t.replace(microsecond=int((frac or "0")[:6].ljust(6, "0")))
        if tz and tz != "Z":
            sign = 1 if tz[0] == "+" else -1
            hours, minutes = int(tz[1:3]), int(tz[-2:])
            t -= sign * timedelta(hours=hours, minutes=minutes)
    except (ValueError, OverflowError) as exc:  # 0001-01-01T00:00+01:00 falls off the calendar
        raise QuerySyntaxError(f"not a date: {snippet(value)} ({exc})") from None
    return t.isoformat(timespec="microseconds")


SORT_FIELDS = {"score", "id", "name", "title_string", "title", "metadata_modified",
               "metadata_created"}
DEFAULT_SORT = "score desc, metadata_modified desc"


def parse_sort(text: str | None) -> list[tuple[str, bool]]:
    """`"name asc, metadata_modified desc"` -> [("name", False), ("metadata_modified", True)]."""
    out = []
    parts = (text or DEFAULT_SORT).split(",")
    if len(parts) > MAX_SORT_KEYS:
        raise QuerySyntaxError(f"sort may have at most {MAX_SORT_KEYS} parts, not {len(parts)}")
    for part in parts:
        words = part.split()
        if len(words) != 2 or words[1].lower() not in ("asc", "desc"):
            raise QuerySyntaxError(f"cannot sort by {snippet(part.strip())}: use '<field> asc|desc'")
        if words[0] not in SORT_FIELDS:
            raise QuerySyntaxError(f"cannot sort by {snippet(words[0])}; sortable fields: "
                                   + ", ".join(sorted(SORT_FIELDS)))
        out.append((words[0], words[1].lower() == "desc"))
    return out
