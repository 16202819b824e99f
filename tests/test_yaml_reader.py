"""The validator's YAML reader builds a plain document straight from libyaml's events and reads
anything unusual the full way: both ways give the same values, and the same findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.validation import yaml_reader
from tests.conftest import FIXTURES, REPO

TRICKY = [
    "a: 1\nb: 0x1A\nc: 0o17\nd: 1_000\ne: 1:30\nf: -.5e3\ng: .inf\nh: .NaN\ni: +12\n",
    "yes: no\non: off\nTrue: FALSE\ny: n\nnull: ~\nempty:\nN: Null\n",
    "date: 2014-03-01\nstamp: 2001-12-14t21:59:43.10-05:00\nquoted: '2014-03-01'\nnum: '12'\n",
    "text: |\n  two\n  lines\nfolded: >\n  one\n  line\nplain: a b c\nkey with spaces: x\n",
    "list: [1, two, 3.0, {a: b}, [c]]\nmap: {x: 1, y: [2]}\nnested:\n  - - 1\n    - 2\n  - k: v\n",
    "<<: {a: 1}\nb: 2\n",                     # a merge key
    "base: &b {a: 1}\nother: *b\n",           # an anchor and an alias
    "x: !!str 12\ny: !custom 3\n",            # tags
    "? [a, b]\n: complex key\n",              # a key that is a list
    "a: 1\na: 2\nb: {c: 1, c: 2}\n",          # keys written twice
    "a: 1\n---\nb: 2\n",                      # two documents
    "a: [1, 2\n",                             # a syntax error
    "a: b: c\n",                              # another
    "1: one\n01: also one\n'1': text one\n",  # keys that become the same number
    "=: value key\nv: =\n",                   # the value tag
    "---\n",                                  # a document of nothing
    "- a\n- b\n",                             # not a mapping
    "a:\n" + "".join("  " * i + "- \n" for i in range(1, 70)),  # deeper than the limit
    "ключ: значение ✓\nemoji: 🙂\n",
    "a: 'it''s'\nb: \"tab\\tand \\u00e9\"\nc: plain # a comment\n",
]


def _full_way(text: str):
    """What `parse` gives without its fast path: PyYAML's own construction."""
    real = yaml_reader._plain_document
    try:
        yaml_reader._plain_document = _refuse
        return _outcome(text)
    finally:
        yaml_reader._plain_document = real


def _refuse(text: str, max_depth: int):
    raise yaml_reader._Unusual


def _outcome(text: str):
    try:
        data, dups = yaml_reader.parse(text)
    except yaml_reader.YamlProblem as exc:
        return ("problem", exc.issue.code, exc.issue.message, exc.line, exc.column)
    return ("data", repr(data), [(d.key, d.line, d.column) for d in dups])


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_documents_read_as_pyyaml_reads_them(text: str):
    assert _outcome(text) == _full_way(text)


def test_every_yaml_file_of_the_project_reads_the_same_both_ways():
    files = [p for root in (FIXTURES, REPO / "metadata", REPO / "validators")
             for p in sorted(Path(root).rglob("*.y*ml"))]
    assert len(files) > 20
    for p in files:
        text = p.read_text(encoding="utf-8")
        assert _outcome(text) == _full_way(text), p


def test_a_plain_document_takes_the_fast_way_and_an_unusual_one_does_not():
    assert yaml_reader._plain_document("a: [1, b]\n", 64) == {"a": [1, "b"]}
    for text in ("<<: {a: 1}\n", "x: !!str 1\n", "a: 1\na: 2\n", "? [a]\n: b\n", "a: [1\n"):
        with pytest.raises(Exception):  # noqa: B017, PT011 - each is read again the full way
            yaml_reader._plain_document(text, 64)
