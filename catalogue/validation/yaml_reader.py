"""Reading YAML safely: duplicate keys and aliases are findings, dates stay text, sizes are bounded.

The fast path builds a plain document straight from the events of libyaml's C parser
(`_plain_document`); anything unusual is read again by PyYAML's own construction. Line numbers
cost a second parse, so they are computed (`positions`) only for files that have findings.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from catalogue.settings import validators_dir
from catalogue.validation.findings import Issue
from catalogue.validation.rules import FILES, check

try:
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _BaseLoader = yaml.SafeLoader  # type: ignore[misc,assignment]


def limits() -> dict[str, int]:
    """The safety limits from `validators/limits.yaml` (of `CATALOGUE_VALIDATORS` when set)."""
    return _limits(validators_dir())


@cache
def _limits(folder: Path) -> dict[str, int]:
    return yaml.safe_load((folder / "limits.yaml").read_text(encoding="utf-8"))


# Characters that can hide or reorder text: C0 controls but tab, newline and carriage return,
# DEL, C1 controls (U+0085 too: YAML reads it as a line break that no editor shows), the bidi
# embeddings, overrides and isolates ("Trojan source"), the line and paragraph separators, and a
# byte order mark anywhere but at the start (the decoder has removed that one).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                     "\u2028\u2029\ufeff]")


def control_characters(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, character) of the first control character of each line that has one.

    One pass: after a match the search goes on at the next line, so a line of a million of
    them costs one match.
    """
    line, line_start, pos = 1, 0, 0
    while (m := CONTROL.search(text, pos)) is not None:
        start = m.start()
        breaks = text.count("\n", line_start, start)
        if breaks:
            line += breaks
            line_start = text.rfind("\n", line_start, start) + 1
        yield line, start - line_start + 1, m.group()
        pos = text.find("\n", start) + 1
        if not pos:
            return


def clean(text: str) -> str:
    """The text with each control character replaced by a space, so it can still be parsed and
    every other position stays where it was (they are reported as `control-character`)."""
    return CONTROL.sub(" ", text) if CONTROL.search(text) else text


class YamlProblem(Exception):
    """Loading cannot go on; carries the finding and its 1-based position."""

    def __init__(self, issue: Issue, line: int = 1, column: int = 1) -> None:
        super().__init__(issue.message)
        self.issue, self.line, self.column = issue, line, column


@dataclass
class Duplicate:
    path: str
    key: str
    line: int
    column: int


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that records duplicate keys and keeps dates as strings."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[Duplicate] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is not None and key in seen:
                mark = key_node.start_mark
                self.duplicates.append(Duplicate("", str(key), mark.line + 1, mark.column + 1))
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _AliasRefusingLoader(_Loader):
    """`_Loader` that also refuses aliases: for texts with an anchor (`&`), without which no
    alias can be written. Looking at every node costs a sixth of the parse, so only there."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            mark = node.start_mark
            raise YamlProblem(
                Issue("yaml-alias", "", "An alias (*name) repeats a value anchored here."),
                mark.line + 1,
                mark.column + 1,
            )
        return super().construct_object(node, deep)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_yaml_map)


_WIDE_BOMS = {b"\xff\xfe\x00\x00": "UTF-32", b"\x00\x00\xfe\xff": "UTF-32",
              b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16"}


def decode(raw: bytes) -> str:
    """UTF-8 text (a BOM is allowed); anything else is a `file-encoding` problem.

    A few NUL bytes in UTF-8 text are control characters (reported with their line); many are
    binary or UTF-16 without a byte order mark.
    """
    for bom, name in _WIDE_BOMS.items():
        if raw.startswith(bom):
            raise YamlProblem(Issue("file-encoding", "", f"The file is {name} text, not UTF-8."))
    if b"\x00" in raw:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = ""
        if not text or raw.count(b"\x00") * 8 > len(raw):
            hint = "The file holds NUL bytes: it is binary or UTF-16, not UTF-8 text."
            raise YamlProblem(Issue("file-encoding", "", hint))
        return text
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        msg = f"Byte 0x{raw[exc.start]:02x} is not valid UTF-8."
        raise YamlProblem(Issue("file-encoding", "", msg), line, col) from None


def _check_depth(data: Any) -> None:
    """Iterative walk: refuses structures nested deeper than the limit (`_too_many_values` has
    refused documents with too many values before they were built)."""
    max_depth = limits()["max_depth"]
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > max_depth:
            msg = f"The structure is nested more than {max_depth} levels deep."
            raise YamlProblem(Issue("yaml-too-deep", "", msg))
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


# Every value but the first two of a document follows one of these characters (a key or value
# after `:` or a line break, a list item after `-`, `[` or `,`, a mapping after `{`, an explicit
# key after `?`): their count bounds the number of values without parsing anything.
_SEPARATORS = ("\n", ":", ",", "-", "[", "{", "?")


def _too_many_values(text: str) -> bool:
    """True when the document holds more values than the limit, counted without building them.

    Ordinary files pass on the character count alone; a file that might pass the limit has its
    parser events counted, and counting stops at the limit: a 5 MB list of 2.5 million numbers
    is refused in the time it takes to read the first 200,000.
    """
    limit = limits()["max_nodes"]
    if sum(text.count(c) for c in _SEPARATORS) + 2 <= limit:
        return False
    loader = _BaseLoader(text)
    nodes = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, _NODE_EVENTS):
                nodes += 1
                if nodes > limit:
                    return True
    except (yaml.YAMLError, RecursionError):
        return False  # the parse proper reports the syntax error at its place
    finally:
        loader.dispose()
    return False


_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)


def _too_many_values_problem() -> YamlProblem:
    msg = f"The file holds more than {limits()['max_nodes']:,} values (keys, items and scalars)."
    return YamlProblem(Issue("yaml-too-many-nodes", "", msg))


class _Unusual(Exception):
    """The document holds something `_plain_document` leaves to PyYAML's own construction."""


_STR, _TIMESTAMP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"
_CONSTRUCTED = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                          "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"})


def _plain_document(text: str, max_depth: int) -> Any:
    """The document built straight from libyaml's events, as `_Loader` builds it, for the
    documents metadata is written as: one document of mappings, lists and untagged scalars.
    Anything else (a tag, an anchor or alias, a merge key, a key that is not a scalar, a key
    written twice, deeper than `max_depth`, a syntax error) raises, and `parse` reads the text
    again the full way, which reports it. PyYAML builds a node tree first and then the values
    from it, in Python; a file of 100 variables took 3.2 ms that way and 1.8 ms this way.

    A plain scalar is resolved by PyYAML's own resolver (`yes` is true, `1.5` a number), except
    that one whose first character starts no implicit type is text without asking; dates stay
    text, as `_Loader` keeps them."""
    loader = _Loader(text)
    resolvers = loader.yaml_implicit_resolvers
    constructors = loader.yaml_constructors
    if None in resolvers:  # a resolver for any first character: ask for every scalar
        raise _Unusual
    get_event = loader.get_event
    # each open collection: (the mapping or list, the keys written so far, the pending key)
    stack: list[list[Any]] = []
    root: Any = _Unusual
    documents = 0
    try:
        while True:
            event = get_event()
            kind = type(event)
            if kind is yaml.ScalarEvent:
                if event.tag is not None or event.anchor is not None:
                    raise _Unusual
                value: Any = event.value
                if event.implicit[0] and (not value or value[0] in resolvers):
                    tag = loader.resolve(yaml.ScalarNode, value, event.implicit)
                    if tag in _CONSTRUCTED:
                        value = constructors[tag](loader, yaml.ScalarNode(tag, value))
                    elif tag != _STR and tag != _TIMESTAMP:
                        raise _Unusual
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if event.tag is not None or event.anchor is not None or len(stack) + 1 >= max_depth:
                    raise _Unusual
                stack.append([{} if kind is yaml.MappingStartEvent else [], set(), _Unusual])
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                value = stack.pop()[0]
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Unusual
                continue
            elif kind is yaml.StreamEndEvent:
                break
            elif kind is yaml.StreamStartEvent or kind is yaml.DocumentEndEvent:
                continue
            else:  # an alias
                raise _Unusual
            if not stack:
                root = value
                continue
            top = stack[-1]
            into = top[0]
            if into.__class__ is list:
                into.append(value)
            elif top[2] is not _Unusual:
                into[top[2]] = value
                top[2] = _Unusual
            elif kind is not yaml.ScalarEvent or event.value in top[1]:
                raise _Unusual  # a key that is a collection, or written twice
            else:
                top[1].add(event.value)
                top[2] = value
    finally:
        loader.dispose()
    if root is _Unusual:
        raise _Unusual
    return root


def parse(text: str) -> tuple[Any, list[Duplicate]]:
    """Parse one YAML document; raises `YamlProblem` when it cannot be read."""
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise YamlProblem(Issue("file-empty", "", "The file is empty."))
    if _too_many_values(text):
        raise _too_many_values_problem()
    if "&" not in text:
        try:
            return _plain_document(text, limits()["max_depth"]), []
        except Exception:  # noqa: BLE001 - anything unusual is read again the full way, below
            pass
    loader = (_AliasRefusingLoader if "&" in text else _Loader)(text)
    try:
        data = loader.get_single_data()
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        msg = str(exc.problem or exc.context or "cannot be parsed")
        if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
            msg += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
        if "depth" in msg or "nest" in msg:
            raise YamlProblem(Issue("yaml-too-deep", "", f"YAML: {msg}."), line, col) from None
        raise YamlProblem(Issue("yaml-syntax", "", f"YAML: {msg}."), line, col) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(Issue("yaml-syntax", "", f"YAML: {exc}.")) from None
    except RecursionError:
        msg = "The structure is nested too deeply to read."
        raise YamlProblem(Issue("yaml-too-deep", "", msg)) from None
    except (ValueError, TypeError) as exc:  # e.g. an unhashable key: {[1]: x}
        raise YamlProblem(Issue("yaml-syntax", "", f"YAML: {exc}.")) from None
    finally:
        loader.dispose()
    _check_depth(data)
    return data, loader.duplicates


def read_text(path: Path) -> str:
    """A file's text, within the size limit and as UTF-8; raises `YamlProblem`.

    Never reads more than the limit, even from a file that grows meanwhile.
    """
    limit = limits()["max_file_bytes"]
    with path.open("rb") as f:
        size = os.fstat(f.fileno()).st_size
        raw = f.read(limit + 1) if size <= limit else b""
    if size > limit or len(raw) > limit:
        msg = f"The file has {max(size, len(raw)):,} bytes; the limit is {limit:,}."
        raise YamlProblem(Issue("file-too-large", "", msg))
    return decode(raw)


def read(path: Path) -> tuple[Any, list[Duplicate], str]:
    """Read and parse a file within the limits; raises `YamlProblem`."""
    text = read_text(path)
    data, dups = parse(clean(text))
    return data, dups, text


Position = tuple[int, int]
PositionTable = dict[str, tuple[Position, Position]]


def positions(text: str) -> PositionTable:
    """Map each JSON pointer in the document to (key position, value position), 1-based.

    A key written twice is also listed under `pointer#<line>` so its own line can be found.
    """
    text = clean(text)
    if _too_many_values(text):  # composing it would take as long as refusing it saved
        return {}
    try:
        root = yaml.compose(text, Loader=_BaseLoader)
    except (yaml.YAMLError, RecursionError):
        return {}
    out: PositionTable = {}
    if root is None:
        return out

    def mark(node: yaml.Node) -> Position:
        return node.start_mark.line + 1, node.start_mark.column + 1

    seen: set[int] = set()
    stack: list[tuple[yaml.Node, str, Position]] = [(root, "", mark(root))]
    while stack:
        node, pointer, key_pos = stack.pop()
        if pointer in out:
            out[f"{pointer}#{key_pos[0]}"] = (key_pos, mark(node))
        else:
            out[pointer] = (key_pos, mark(node))
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                name = str(k.value).replace("~", "~0").replace("/", "~1")
                stack.append((v, f"{pointer}/{name}", mark(k)))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                stack.append((v, f"{pointer}/{i}", mark(v)))
    return out


def pointer_at(table: PositionTable, line: int, column: int) -> str:
    """The JSON pointer of the key written at a position ('' when none is)."""
    for pointer, (key_pos, _) in table.items():
        if key_pos == (line, column):
            return pointer.split("#", 1)[0]
    return ""


def locate(table: PositionTable, pointer: str, at_key: bool) -> Position:
    """The position of a pointer, or of its nearest ancestor that is in the file."""
    while True:
        if pointer in table:
            key_pos, value_pos = table[pointer]
            return key_pos if at_key else value_pos
        if not pointer:
            return (1, 1)
        pointer = pointer.rsplit("/", 1)[0]


CHECKS = (
    check("yaml", FILES, "file-too-large", "file-encoding", "file-empty", "yaml-syntax",
          "yaml-alias", "yaml-too-deep", "yaml-too-many-nodes"),
)
