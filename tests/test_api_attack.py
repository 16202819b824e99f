"""The API under attack: injection through q, fq and sort, absurd numbers, oversized and
malformed requests, on SQLite and PostgreSQL in-process; oversized heads and bodies and slow
clients against a real `catalogue serve` on 127.0.0.1. Every answer is a 2xx or a documented
4xx, never a 500, and the store is intact afterwards."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from pathlib import Path

import httpx
import orjson
import pytest

from catalogue.ckan.api import limits
from tests.feed_fixtures import Server, api, load_feed, new_store_url, write_site

INJECTIONS = [
    '"', '""', '"""', "*", "**", "***:***", "NEAR(", "NEAR(a b, 2)", 'a NEAR "b"', "AND OR NOT",
    "AND", "OR", "NOT", "a AND", "a OR", "NOT NOT", "'; DROP TABLE entries; --",
    "' OR '1'='1", "1; SELECT * FROM entries", "\\x00", "a\x00b", "\x00", "((((a", "a))))",
    "(a OR (b AND c)", ")(", "title:", "title:(", "title:)", "title:\"", "^", "a^2", "^^^",
    "tags:hjerte^10", "entry_fts:a", "rowid:1", "{title}: a", "- -", "!!", "a" * 5000,
    "x" * 3000 + "*", "a:b:c:d", "metadata_modified:[NOW+99999999999DAYS TO *]",
    "metadata_modified:[0001-01-01T00:00:00+01:00 TO *]", "metadata_modified:[9999-12-31 TO *]",
    "name:%", "name:_", "name:a%*", "tags:*%*", "'", "`", ";", "--", "/*", "*/", "&", "|",
    "a & b", "a | b", "!a", "a:*", "é*", "\u202e", "\ufeff", "\U0001F600",
]


@pytest.fixture
def intact(feed_app):
    """Every test here leaves the store as it found it."""
    before = api(feed_app, "package_list").json()["result"]
    yield
    assert api(feed_app, "package_list").json()["result"] == before


def assert_ok_or_search_error(r: httpx.Response) -> None:
    assert r.status_code in (200, 400), r.text
    body = r.json()
    if r.status_code == 400:
        assert body["success"] is False and body["error"]["__type"] == "Search Query Error"
    else:
        assert body["success"] is True


@pytest.mark.parametrize("text", INJECTIONS)
@pytest.mark.parametrize("param", ["q", "fq"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_injection_through_q_and_fq(feed_app, intact, text, param, method):
    assert_ok_or_search_error(api(feed_app, "package_search", method=method, **{param: text}))


@pytest.mark.parametrize("sort", ["id; DROP TABLE entries", "id asc; DROP TABLE entries", "1",
                                  "1 asc", "colour asc", "id", "id asc,", ",", "id asc" + ", id asc" * 8,
                                  "id ASC", "entries.id asc", "(select 1) asc", "id asc --"])
def test_sort_injection(feed_app, intact, sort):
    r = api(feed_app, "package_search", sort=sort)
    if sort == "id ASC":
        assert r.status_code == 200
    else:
        assert r.status_code == 400 and r.json()["error"]["__type"] == "Search Query Error", r.text


@pytest.mark.parametrize(("params", "count", "results"), [
    ({"rows": 10**12}, 25, 25), ({"start": 10**12}, 25, 0), ({"rows": 2**62, "start": 2**62}, 25, 0),
    ({"rows": "0"}, 25, 0), ({"facet.limit": 2**62, "facet.field": '["tags"]'}, 25, 10),
])
def test_huge_numbers_are_capped(feed_app, intact, params, count, results):
    for method in ("GET", "POST"):
        res = api(feed_app, "package_search", method=method, **params).json()["result"]
        assert (res["count"], len(res["results"])) == (count, results)
    assert api(feed_app, "package_list", limit=10**30, offset=10**30).json()["result"] == []
    # a JSON integer past 64 bits reads as a float (orjson), which is refused like 1.5


@pytest.mark.parametrize("value", ["-1", "ten", "1.5", "1e3", "", " ", "0x10", "9" * 5000])
def test_malformed_numbers_are_rejected(feed_app, intact, value):
    for key in ("rows", "start"):
        r = api(feed_app, "package_search", **{key: value})
        assert r.status_code == (200 if value == "" else 400), r.text  # "": the default
    r = api(feed_app, "package_list", offset=value)
    assert r.status_code == (200 if value == "" else 409), r.text


@pytest.mark.parametrize("value", [1.5, -1, True, [1], {"a": 1}, "1.0", 1e300])
def test_malformed_json_numbers_are_rejected(feed_app, value):
    r = api(feed_app, "package_search", method="POST", rows=value)
    assert r.status_code == 400 and r.json()["error"]["__type"] == "Search Query Error"


def test_the_limits_of_the_query_language(feed_app, intact):
    def status(**params):
        r = api(feed_app, "package_search", method="POST", **params)
        assert_ok_or_search_error(r)
        return r.status_code

    ors = " OR ".join(f"tags:t{i}" for i in range(limits.MAX_CLAUSES))  # at the limit: served
    assert status(q="hjerte", fq=ors[:ors.rindex(" OR ")]) == 200
    assert status(fq=ors + " OR tags:hjerte") == 400
    assert status(fq_list=[f"tags:t{i}" for i in range(limits.MAX_FILTERS)]) == 200
    assert status(fq_list=["tags:t"] * (limits.MAX_FILTERS + 1)) == 400
    assert status(fq_list=["tags:t"] * 10_000) == 400
    assert status(q="a" * limits.MAX_QUERY_CHARS) == 200  # one very long word
    assert status(q="a" * (limits.MAX_QUERY_CHARS + 1)) == 400
    assert status(q="x " * 50_000) == 400  # 100 KB
    assert status(q="(" * limits.MAX_NESTING + "a" + ")" * limits.MAX_NESTING) == 200
    assert status(q="(" * (limits.MAX_NESTING + 1) + "a" + ")" * (limits.MAX_NESTING + 1)) == 400
    assert status(q="(" * 5000) == 400
    assert status(q="!" * 5000 + "a") == 400
    assert status(q="NOT " * 1000 + "a") == 400
    assert status(q="-(" * 1000 + "a") == 400
    r = api(feed_app, "package_search", q="(" * 5000)
    assert len(r.content) < 1000  # the error does not echo the query


def test_nul_characters_are_refused_everywhere(feed_app, intact):
    r = api(feed_app, "package_show", id="hjerte\x00register")
    assert r.status_code == 409 and r.json()["error"]["__type"] == "Validation Error"
    r = api(feed_app, "package_search", method="POST", fq_list=["tags:\x00"])
    assert r.status_code == 400 and r.json()["error"]["__type"] == "Search Query Error"
    r = api(feed_app, "tag_list", method="POST", query={"nested": ["\x00"]})
    assert r.status_code == 409


def post(app, body: bytes, ctype: str | None = "application/json", action: str = "package_search",
         **headers: str) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://feed.test") as client:
            h = {**headers, **({"content-type": ctype} if ctype else {})}
            return await client.post(f"/api/3/action/{action}", content=body, headers=h)
    return asyncio.run(go())


@pytest.mark.parametrize(("body", "ctype", "status"), [
    (b'{"q": ' + b"[" * 100 + b"]" * 100 + b"}", "application/json", 400),
    (b"[" * 5000 + b"]" * 5000, "application/json", 400),
    (b'{"q": {"a": ' * 20 + b"1" + b"}" * 21, "application/json", 400),
    (b"not json", "application/json", 400),
    (b"[1, 2]", "application/json", 400),
    (b'"q"', "application/json", 400),
    (b"NaN", "application/json", 400),
    (b'{"q": "\\ud800"}', "application/json", 400),  # a lone surrogate
    (b'{"rows": 1e999}', "application/json", 400),
    (b"\xff\xfe\x00", "application/json", 400),
    (b"<q>hjerte</q>", "text/xml", 400),
    (b'{"q": "hjerte", "rows": 1}', "text/plain", 200),
    (b'{"q": "hjerte", "rows": 1}', None, 200),
    (b"q=hjerte&rows=1", "application/x-www-form-urlencoded", 200),
    (b"q=%00", "application/x-www-form-urlencoded", 400),
    (b"--x\r\n\r\n--x--", "multipart/form-data; boundary=x", 415),
    (b"x" * (limits.MAX_BODY_BYTES + 1), "application/json", 413),
])
def test_bodies(feed_app, intact, body, ctype, status):
    r = post(feed_app, body, ctype)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"
    if status != 200 and isinstance(r.json(), str):
        assert r.json().startswith("Bad request - ")
    if status == 200:
        assert r.json()["result"]["count"] == 4


def test_other_methods_get_a_json_405(feed_app):
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=feed_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://feed.test") as client:
            return await client.put("/api/3/action/package_list", content=b"{}")
    r = asyncio.run(go())
    assert r.status_code == 405 and r.json().startswith("Bad request - ")
    assert r.headers["allow"] == "GET, HEAD, POST"


# --- a real server ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, feed_catalogue):
    """`catalogue serve` over a SQLite feed store (the HTTP layer is the same on both backends)."""
    tmp = tmp_path_factory.mktemp("attack")
    url, _ = new_store_url("sqlite", tmp, "attack")
    load_feed(url, feed_catalogue)
    server = Server(tmp, "--db", url, "--out", str(write_site(tmp / "site")))
    yield server
    server.stop()


def raw(port: int, data: bytes, timeout: float = 15) -> bytes:
    """Send `data` and read the answer until the server closes or `timeout` passes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_huge_body_is_refused_before_it_is_sent(live):
    head = (b"POST /api/3/action/package_search HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{")
    answer = raw(live.port, head)  # the body never comes: the answer must not wait for it
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert b"Bad request - request body larger than" in answer


def test_a_huge_head_is_refused(live):
    head = (b"GET /api/3 HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (limits.MAX_HEAD_BYTES + 10)
            + b"\r\n\r\n")
    assert raw(live.port, head).startswith(b"HTTP/1.1 431 ")


def test_long_query_strings_over_http(live):
    with httpx.Client(base_url=live.url, timeout=30) as client:
        r = client.get("/api/3/action/package_search", params={"q": "x " * 30_000})
        assert r.status_code == 400 and r.json()["error"]["__type"] == "Search Query Error"
        assert client.get("/api/3/action/package_list").status_code == 200

    def get(query: str) -> bytes:
        return raw(live.port, f"GET /api/3/action/package_search?{query} HTTP/1.1\r\n"
                   "Host: x\r\nConnection: close\r\n\r\n".encode())

    answer = get("q=" + "x+" * 50_000)  # 100 KB: past the URL limit
    assert answer.startswith(b"HTTP/1.1 414 ") and b'"Bad request - URL longer than' in answer
    answer = get("&".join(f"fq_list=tags:t{i}" for i in range(10_000)))
    assert answer.startswith(b"HTTP/1.1 414 "), answer[:100]
    with httpx.Client(base_url=live.url, timeout=30) as client:  # by POST a 100 KB q is read
        r = client.post("/api/3/action/package_search", json={"q": "x " * 50_000})
        assert r.status_code == 400 and r.json()["error"]["__type"] == "Search Query Error"
        r = client.post("/api/3/action/package_search", json={"fq_list": ["tags:x"] * 10_000})
        assert r.status_code == 400 and r.json()["error"]["__type"] == "Search Query Error"


def test_slow_clients_do_not_stop_the_server(live):
    """Slowloris, bounded: 50 connections send a request head a byte at a time for 3 s while
    other clients are answered as usual."""
    socks = []
    for _ in range(50):
        s = socket.create_connection(("127.0.0.1", live.port), timeout=5)
        s.sendall(b"GET /api/3/action/package_list HTTP/1.1\r\nHost: x\r\n")
        socks.append(s)
    stop = time.monotonic() + 3
    answered: list[int] = []

    def others() -> None:
        with httpx.Client(base_url=live.url, timeout=5) as client:
            while time.monotonic() < stop and len(answered) < 500:
                answered.append(client.get("/api/3/action/package_list").status_code)
                time.sleep(0.02)

    thread = threading.Thread(target=others)
    thread.start()
    try:
        for _ in range(30):  # 3 s, one byte per connection every 0.1 s
            if time.monotonic() >= stop:
                break
            for s in socks:
                s.sendall(b"X")
            time.sleep(0.1)
    finally:
        thread.join(timeout=10)
        for s in socks:
            s.close()
    assert answered and set(answered) == {200}, answered[:10]


def test_a_head_too_slow_is_cut_off(monkeypatch, tmp_path: Path, feed_store):
    """The protocol closes a connection whose head is not complete in HEAD_TIMEOUT (set to
    0.5 s here), and keeps answering others; uvicorn in this process, on 127.0.0.1."""
    import uvicorn

    from catalogue.ckan.api.server import uvicorn_options
    from catalogue.ckan.app import create_app

    monkeypatch.setattr(limits, "HEAD_TIMEOUT", 0.5)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(feed_store, tmp_path), host="127.0.0.1", port=port,
                            log_level="warning", lifespan="off", **uvicorn_options())
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.05)
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"GET /api/3 HTTP/1.1\r\nHost: x\r\n")
            for _ in range(40):  # a byte every 0.1 s would hold it for ever without the bound
                try:
                    s.sendall(b"X")
                except OSError:
                    break
                if s.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b"" if _readable(s) else False:
                    break
                time.sleep(0.1)
            closed_after = time.monotonic() - started
        assert closed_after < 3.5, closed_after
        r = httpx.get(f"http://127.0.0.1:{port}/api/3", timeout=5)
        assert r.json() == {"version": 3}
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _readable(s: socket.socket) -> bool:
    import select

    return bool(select.select([s], [], [], 0)[0])


def test_the_envelope_survives_every_attack_on_the_real_server(live):
    with httpx.Client(base_url=live.url, timeout=10) as client:
        names = client.get("/api/3/action/package_list").json()["result"]
        for text in INJECTIONS:
            r = client.post("/api/3/action/package_search", content=orjson.dumps({"q": text}))
            assert_ok_or_search_error(r)
        assert client.get("/api/3/action/package_list").json()["result"] == names
