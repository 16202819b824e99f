"""Every bound on what one request to the feed may ask for, in one place.

docs/ckan-api.md ("Limits") lists them; tests/test_api_attack.py sends requests just past each.
A request past a bound is refused early with a 4xx (or, for numbers, capped), so no client can
make the server parse, query or hold more than this.
"""

from __future__ import annotations

# --- HTTP (enforced by catalogue.ckan.api.server's protocol, before the app sees the request) ------
MAX_HEAD_BYTES = 256 * 1024  # request line and headers; more: 431 and the connection is closed
MAX_URL_BYTES = 65535  # the request target (httptools' URL parser reads no more); more: 414
HEAD_TIMEOUT = 10.0  # seconds to send a whole request head (slow clients); then: closed
KEEP_ALIVE_TIMEOUT = 5  # seconds an idle keep-alive connection stays open
MAX_CONNECTIONS = 1024  # open connections (or running requests) per worker; more: 503

# --- the app -----------------------------------------------------------------------------------
MAX_QUERY_STRING_BYTES = 65535  # a GET's query string (behind any server); more: 414
MAX_BODY_BYTES = 1024 * 1024  # a POST's body; more: 413, without reading it
BODY_TIMEOUT = 10.0  # seconds to send a POST's body; then: 408
MAX_JSON_DEPTH = 16  # nesting of arrays and objects in a POSTed body; deeper: 400

# --- package_search ------------------------------------------------------------------------------
MAX_QUERY_CHARS = 8192  # one `q` or `fq`; longer: Search Query Error
MAX_FILTERS = 64  # `fq` plus the items of `fq_list`
MAX_CLAUSES = 256  # words, phrases and field clauses in `q` and every filter together
MAX_NESTING = 32  # parentheses and negations inside each other
MAX_SORT_KEYS = 8  # comma-separated parts of `sort`

# --- numbers ---------------------------------------------------------------------------------------
MAX_INT = 2**31 - 1  # rows, start, limit, offset, facet.*: larger values count as this (Solr's int)
