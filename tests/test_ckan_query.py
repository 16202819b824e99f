"""The query language of `q` and `fq`: what it reads, and that nothing a client sends is a 500."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.ckan.api.query import (
    All,
    And,
    Field,
    Not,
    Or,
    QuerySyntaxError,
    Range,
    Text,
    parse,
    parse_sort,
    timestamp,
)
from catalogue.ckan.store.fulltext import Term
from tests.feed_fixtures import api


@pytest.mark.parametrize(("text", "tree"), [
    ("", All()),
    ("*:*", All()),
    ("hjerte", Text(Term("hjerte"))),
    ('"acute stroke"', Text(Term("acute stroke"))),
    ("hjerne*", Text(Term("hjerne", prefix=True))),
    ("organization:ntnu", Field("organization", "ntnu")),
    ('tags:"type 2"', Field("tags", "type 2")),
    ("a b", And((Text(Term("a")), Text(Term("b"))))),
    ("a OR b", Or((Text(Term("a")), Text(Term("b"))))),
    ("a || b && c", Or((Text(Term("a")), And((Text(Term("b")), Text(Term("c"))))))),
    ("-organization:x", Not(Field("organization", "x"))),
    ("a NOT b", And((Text(Term("a")), Not(Text(Term("b")))))),
    ("groups:(a OR b)", Or((Field("groups", "a"), Field("groups", "b")))),
    ("metadata_modified:[2025-01-01T09:00:00Z TO *]",
     Range("metadata_modified", "2025-01-01T09:00:00Z", None, True, True)),
    ("metadata_created:{* TO NOW}", Range("metadata_created", None, "NOW", False, False)),
    ("(a OR b) +c", And((Or((Text(Term("a")), Text(Term("b")))), Text(Term("c"))))),
])
def test_parse(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize("text", ['"open', "(a OR b", "a)", "OR a", "a AND", "name:",
                                  "metadata_modified:[2025 TO"])
def test_syntax_errors(text):
    with pytest.raises(QuerySyntaxError):
        parse(text)


@pytest.mark.parametrize(("value", "stored"), [
    ("2025-01-01T09:00:00Z", "2025-01-01T09:00:00.000000"),
    ("2025-01-01T09:00:00.123456Z", "2025-01-01T09:00:00.123456"),
    ("2025-01-01T09:00:00.5Z", "2025-01-01T09:00:00.500000"),
    ("2025-01-01T10:00:00+01:00", "2025-01-01T09:00:00.000000"),
    ("2025-01-01", "2025-01-01T00:00:00.000000"),
])
def test_dates_become_the_stores_fixed_format(value, stored):
    assert timestamp(value) == stored


def test_now_and_date_math():
    assert timestamp("NOW-1DAY") < timestamp("NOW") < timestamp("NOW+1HOUR")
    assert timestamp("NOW/DAY").endswith("T00:00:00.000000")


def test_sort():
    assert parse_sort("name asc, metadata_modified desc") == [
        ("name", False), ("metadata_modified", True)]
    assert parse_sort(None) == [("score", True), ("metadata_modified", True)]


NASTY = ["_", "__*", '""', '"', "*", "**", ":", "a:", ":b", "\\", "\\\\", "(", ")", "()",
         "a:b:c", "NOT", "-", "+", "!", "&&", "tags:*", "name:x*", "title:*", "variables:\"\"",
         "metadata_modified:[* TO *]", "metadata_modified:{NOW-1DAY TO NOW]", "ø*", "é",
         "\x00", "'; DROP TABLE entries; --", '"a" NEAR "b"', "a AND NOT b", "title:(a b)",
         "AND OR", "a OR OR b"]


@pytest.mark.parametrize("text", NASTY)
@pytest.mark.parametrize("param", ["q", "fq"])
def test_nothing_a_client_sends_is_a_server_error(feed_app, text, param):
    r = api(feed_app, "package_search", **{param: text})
    assert r.status_code in (200, 400), r.text
    if r.status_code == 400:
        assert r.json()["error"]["__type"] == "Search Query Error"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from(list('ab:*"()[]{}-+!\\ _~^ORANDTNOW0123456789.')),
                    max_size=25))
def test_random_queries_never_break_the_search(feed_app, text):
    r = api(feed_app, "package_search", q=text, fq=text, rows=1)
    assert r.status_code in (200, 400), (text, r.text)
