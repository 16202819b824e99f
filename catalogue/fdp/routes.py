"""`/fdp/`, `/fdp/catalog/<id>`, `/fdp/dataset/<uuid>` and `/fdp/distribution/<id>` with
content negotiation: Turtle unless the request asks for JSON-LD or RDF/XML, by `Accept` or by
`?format=` (ttl, jsonld, rdf, as the reference implementation accepts)."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from catalogue.fdp.publish import record_file

MEDIA = {"ttl": "text/turtle", "jsonld": "application/ld+json", "rdf": "application/rdf+xml"}
ACCEPT = {"text/turtle": "ttl", "application/x-turtle": "ttl", "application/ld+json": "jsonld",
          "application/json": "jsonld", "application/rdf+xml": "rdf", "application/xml": "rdf",
          "text/xml": "rdf"}
FORMAT_PARAM = {"ttl": "ttl", "turtle": "ttl", "jsonld": "jsonld", "json-ld": "jsonld",
                "json": "jsonld", "rdf": "rdf", "xml": "rdf", "rdfxml": "rdf"}
KINDS = ("catalog", "dataset", "distribution")


def negotiate(request: Request) -> str | None:
    """ttl, jsonld or rdf; None for a `?format=` we do not have."""
    asked = request.query_params.get("format")
    if asked is not None:
        return FORMAT_PARAM.get(asked.lower())
    best, best_q = "ttl", 0.0
    for part in request.headers.get("accept", "").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        fmt = ACCEPT.get(media.lower())
        if fmt is not None and q > best_q:
            best, best_q = fmt, q
    return best


def fdp_routes(folder: Path | None) -> list[Route]:
    async def record(request: Request) -> Response:
        kind, ident = request.path_params.get("kind"), request.path_params.get("ident", "")
        if kind is not None and (kind not in KINDS or not ident or "/" in ident or ".." in ident):
            return PlainTextResponse("Not Found", 404)
        fmt = negotiate(request)
        if fmt is None:
            return PlainTextResponse("Unknown format: use ?format=ttl, jsonld or rdf.", 400)
        path = f"{kind}/{ident}" if kind else ""
        file = record_file(folder, path, fmt) if folder is not None else None
        if file is None or not file.is_file():
            return PlainTextResponse("Not Found", 404)
        body = file.read_bytes()
        headers = {"content-type": MEDIA[fmt], "vary": "Accept"}  # exactly, with no charset
        return Response(body, headers=headers)

    return [Route("/fdp", record), Route("/fdp/", record),
            Route("/fdp/{kind}/{ident}", record)]
