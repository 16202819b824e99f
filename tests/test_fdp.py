"""The FAIR Data Point under /fdp/ and the Directory tables under /bbmri/, as a harvester sees
them: a real `catalogue build`, a real `catalogue serve`, the PyPI `fairdatapoint-client`, a
breadth-first walk over ldp:contains, and the reference implementation's default SHACL shapes
(tests/data/fdp-shapes/, copied from FAIRDataTeam/FAIRDataPoint with the commit named)."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import zipfile
from collections import deque
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from catalogue.bbmri import directory_tables
from catalogue.bbmri.export import table_csv
from catalogue.fdp.ping import ping
from catalogue.fdp.routes import negotiate
from catalogue.load import load_catalogue
from tests.conftest import REPO
from tests.feed_fixtures import Server, free_port, make_metadata, run_cli

LDP = Namespace("http://www.w3.org/ns/ldp#")
FDP = Namespace("https://w3id.org/fdp/fdp-o#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
CSVW = Namespace("http://www.w3.org/ns/csvw#")
SHAPES = Path(__file__).parent / "data" / "fdp-shapes"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The fixture catalogue plus 6 synthetic entries, built for and served at one address."""
    cwd = tmp_path_factory.mktemp("fdp")
    make_metadata(cwd / "metadata", synthetic=6, variables=2)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    run_cli("build", "--base-url", base, cwd=cwd)
    server = Server(cwd, port=port)
    yield server, base, load_catalogue(cwd / "metadata", check=False)
    server.stop()


def turtle(url: str) -> Graph:
    r = httpx.get(url, headers={"Accept": "text/turtle"})
    assert r.status_code == 200, url
    assert r.headers["content-type"] == "text/turtle"
    return Graph().parse(data=r.text, format="turtle", publicID=url)


def test_the_root_is_a_fair_data_point_and_metadata_service(served):
    server, base, _ = served
    root = URIRef(base + "fdp/")
    g = turtle(server.url + "/fdp/")
    types = set(g.objects(root, RDF.type))
    assert {FDP.FAIRDataPoint, FDP.MetadataService, DCAT.DataService, DCAT.Resource} <= types
    for p in (DCT.title, DCT.publisher, DCT.license, DCT.conformsTo, DCAT.endpointURL,
              FDP.metadataIdentifier, FDP.metadataIssued, FDP.metadataModified,
              DCT.issued, DCT.modified, DCAT.version, DCT.hasVersion, FDP.fdpSoftwareVersion):
        assert g.value(root, p) is not None, p
    assert g.value(root, DCAT.endpointURL) == root
    assert URIRef("https://specs.fairdatapoint.org/fdp-specs-v1.2.html") in set(
        g.objects(root, DCT.conformsTo))
    assert turtle(server.url + "/fdp").isomorphic(g)


def test_formats_are_negotiated(served):
    server, base, _ = served
    url = server.url + "/fdp/"
    ttl = turtle(url)
    for headers, params, media, parser in [
        ({"Accept": "application/ld+json"}, {}, "application/ld+json", "json-ld"),
        ({"Accept": "application/rdf+xml"}, {}, "application/rdf+xml", "xml"),
        ({"Accept": "text/html, application/ld+json;q=0.9"}, {}, "application/ld+json", "json-ld"),
        ({}, {"format": "jsonld"}, "application/ld+json", "json-ld"),
        ({"Accept": "application/ld+json"}, {"format": "ttl"}, "text/turtle", "turtle"),
        ({}, {"format": "rdf"}, "application/rdf+xml", "xml"),
        ({}, {}, "text/turtle", "turtle"),
    ]:
        r = httpx.get(url, headers=headers, params=params)
        assert r.status_code == 200 and r.headers["content-type"] == media, (headers, params)
        assert Graph().parse(data=r.text, format=parser, publicID=url).isomorphic(ttl)
    assert httpx.get(url, params={"format": "pdf"}).status_code == 400
    assert httpx.get(server.url + "/fdp/dataset/no-such-id").status_code == 404
    assert httpx.get(server.url + "/fdp/nothing/x").status_code == 404


def test_a_breadth_first_walk_over_ldp_contains_reaches_every_entry_once(served):
    server, base, cat = served
    seen: list[str] = []
    todo = deque([base + "fdp/"])
    kinds: dict[str, int] = {}
    while todo:
        url = todo.popleft()
        seen.append(url)
        g = turtle(server.url + "/" + url[len(base):])
        assert (URIRef(url), None, None) in g, f"{url} does not describe itself"
        for container in g.subjects(RDF.type, LDP.DirectContainer):
            assert g.value(container, LDP.membershipResource) == URIRef(url)
            relation = g.value(container, LDP.hasMemberRelation)
            for child in g.objects(container, LDP.contains):
                assert (URIRef(url), relation, child) in g
                todo.append(str(child))
        kind = url[len(base) + 4:].split("/", 1)[0] or "fdp"
        kinds[kind] = kinds.get(kind, 0) + 1
    assert len(seen) == len(set(seen))
    datasets = [u for u in seen if "/fdp/dataset/" in u]
    assert sorted(u.rsplit("/", 1)[-1] for u in datasets) == sorted(e.id for e in cat.entries)
    assert kinds == {"fdp": 1, "catalog": 1, "dataset": len(cat.entries),
                     "distribution": 2 * len(cat.entries)}


def test_a_dataset_record_has_the_dcat_content_of_the_feed(served):
    server, base, cat = served
    entry = cat.entry("hjertebiobank")
    g = turtle(f"{server.url}/fdp/dataset/{entry.id}")
    ds = URIRef(f"{base}fdp/dataset/{entry.id}")
    feed = Graph().parse(data=httpx.get(f"{server.url}/dataset/{entry.id}.ttl").text,
                         format="turtle")
    same = URIRef(f"{base}dataset/{entry.id}")
    assert (ds, URIRef("http://www.w3.org/2002/07/owl#sameAs"), same) in g
    # every statement of the feed about the dataset is in the record (titles and descriptions
    # in the other language as rdfs:label and rdfs:comment, dates as dateTime)
    moved = {DCT.title: URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
             DCT.description: URIRef("http://www.w3.org/2000/01/rdf-schema#comment")}
    see_also = URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso")
    for p, o in feed.predicate_objects(same):
        if p in (DCAT.distribution, DCT.language):
            continue
        if isinstance(o, Literal) and o.datatype == URIRef("http://www.w3.org/2001/XMLSchema#date"):
            o = Literal(f"{o}T00:00:00Z", datatype=URIRef("http://www.w3.org/2001/XMLSchema#dateTime"))
        if str(o).startswith(base + "dataset/") and "#" not in o:  # a linked entry: its record
            o = URIRef(base + "fdp/" + str(o)[len(base):])
        assert any((ds, q, o) in g for q in (p, moved.get(p, p), see_also)), (p, o)
    assert len(set(g.objects(ds, DCAT.distribution))) == 2
    assert all(str(d).startswith(base + "fdp/distribution/") for d in g.objects(ds, DCAT.distribution))


def test_a_distribution_record_describes_the_distribution_not_its_dataset(served):
    """A distribution's record holds what the distribution refers to (its rights statement,
    its publisher), not the dataset it is part of: no variables, no dataset triples."""
    server, base, cat = served
    entry = cat.entry("hjertebiobank")
    ds_record = turtle(f"{server.url}/fdp/dataset/{entry.id}")
    assert set(ds_record.subjects(RDF.type, CSVW.Column)), "the dataset's record lists its variables"
    for d in ds_record.objects(URIRef(f"{base}fdp/dataset/{entry.id}"), DCAT.distribution):
        g = turtle(server.url + "/" + str(d)[len(base):])
        assert not set(g.subjects(RDF.type, CSVW.Column)), d
        assert not set(g.subjects(RDF.type, CSVW.TableGroup)), d
        dataset = URIRef(f"{base}fdp/dataset/{entry.id}")
        assert g.value(d, DCT.isPartOf) == dataset
        assert not list(g.predicate_objects(dataset)), "the dataset's triples are in its own record"
        assert g.value(d, DCT.publisher) is not None
        # every subject is the distribution or something reached from it
        reached = set()
        todo = [d]
        while todo:
            s = todo.pop()
            if s in reached:
                continue
            reached.add(s)
            todo.extend(o for o in g.objects(s, None) if isinstance(o, URIRef))
        # the media type's description stays, though the shapes make dcat:mediaType a literal
        media_types = set(g.subjects(RDF.type, DCT.MediaType))
        assert set(g.subjects()) - media_types <= reached, set(g.subjects()) - reached


def test_the_records_conform_to_the_reference_implementations_shapes(served):
    from pyshacl import validate

    server, base, cat = served
    shapes = Graph()
    for f in sorted(SHAPES.glob("*.ttl")):
        shapes.parse(f, format="turtle")
    entry = cat.entries[0]
    dist = f"{entry.id}-access"
    for path in ("fdp/", "fdp/catalog/catalogue", f"fdp/dataset/{entry.id}",
                 f"fdp/distribution/{dist}"):
        g = turtle(f"{server.url}/{path}")
        conforms, _, text = validate(g, shacl_graph=shapes, inference="none")
        assert conforms, f"{path}:\n{text}"
        assert (URIRef(base + path), RDF.type, DCAT.Resource) in g


def test_the_fairdatapoint_client_reads_the_root_a_catalogue_and_a_dataset(served):
    from fdpclient.client import Client

    server, base, cat = served
    client = Client(server.url + "/fdp")
    root = client.read_fdp()
    assert (None, RDF.type, FDP.FAIRDataPoint) in root
    catalog = client.read_catalog("catalogue")
    assert (URIRef(base + "fdp/catalog/catalogue"), RDF.type, DCAT.Catalog) in catalog
    entry = cat.entries[-1]
    dataset = client.read_dataset(entry.id)
    assert (URIRef(f"{base}fdp/dataset/{entry.id}"), RDF.type, DCAT.Dataset) in dataset


def test_the_directory_tables_are_published_as_the_export_writes_them(served):
    server, base, cat = served
    tables = directory_tables(cat, base_url=base)
    assert tables["Biobanks"]
    for table, rows in tables.items():
        r = httpx.get(f"{server.url}/bbmri/{table}.csv")
        assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
        assert r.content == table_csv(table, rows)
        assert list(csv.DictReader(io.StringIO(r.text))) == rows
    z = zipfile.ZipFile(io.BytesIO(httpx.get(f"{server.url}/bbmri/directory.zip").content))
    assert {n: z.read(n) for n in z.namelist()} == {f"{t}.csv": table_csv(t, rows)
                                                    for t, rows in tables.items()}


class _Index(BaseHTTPRequestHandler):
    """A stand-in FDP Index: records the pings and answers 204 like the reference index."""

    pings: list[tuple[str, str, dict]] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers["content-length"]))
        _Index.pings.append((self.path, self.headers["content-type"], json.loads(body)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def index_server():
    _Index.pings = []
    httpd = HTTPServer(("127.0.0.1", 0), _Index)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()


def test_serve_pings_the_fdp_index_only_when_asked(served, index_server, tmp_path):
    server, base, _ = served
    cwd = Path(server.log.name).parent
    assert _Index.pings == []  # the module's server was started without --fdp-index
    assert ping(index_server, base + "fdp/") == 204
    assert _Index.pings.pop() == ("/", "application/json", {"clientUrl": base + "fdp/"})
    pinging = Server(cwd, "--fdp-index", index_server)
    try:
        deadline = time.monotonic() + 10
        while not _Index.pings and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        pinging.stop()
    assert _Index.pings == [("/", "application/json", {"clientUrl": base + "fdp/"})]
    assert ping("http://127.0.0.1:9/", base + "fdp/", timeout=2) == 0  # nobody there: no crash


def test_accept_headers_pick_the_best_format():
    from starlette.requests import Request

    def pick(accept: str, query: str = "") -> str | None:
        scope = {"type": "http", "headers": [(b"accept", accept.encode())],
                 "query_string": query.encode()}
        return negotiate(Request(scope))

    assert pick("") == "ttl" and pick("*/*") == "ttl" and pick("text/html") == "ttl"
    assert pick("application/ld+json;q=0.5, application/rdf+xml;q=0.8") == "rdf"
    assert pick("text/turtle", "format=jsonld") == "jsonld"
    assert pick("", "format=nonsense") is None


def test_records_written_on_both_cores_equal_those_built_whole(tmp_path):
    """A big FDP is written entry by entry, by forked workers that reuse each subject's text;
    every file is what serialising that record's whole graph in one process gives."""
    from catalogue.dcat.serialize import FORMATS, serialize
    from catalogue.fdp.graphs import build_records
    from catalogue.fdp.publish import record_file, write_fdp

    catalogue = load_catalogue(REPO / "metadata")
    records = build_records(catalogue, "http://fdp.test/").records
    one, two = tmp_path / "one", tmp_path / "two"
    assert write_fdp(catalogue, "http://fdp.test/", one, workers=1) == len(records) * len(FORMATS)
    assert write_fdp(catalogue, "http://fdp.test/", two, workers=2) == len(records) * len(FORMATS)
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)
    for path, nodes in records.items():
        for fmt in FORMATS.values():
            written = record_file(one, path, fmt.extension).read_text(encoding="utf-8")
            assert written == serialize(nodes, fmt.name), (path, fmt.name)
