"""Turtle, JSON-LD and RDF/XML writers for `Nodes`, one subject at a time.

A document is a header, the texts of its subjects and a footer, so the text of a subject is
written once and reused in its dataset file and in its catalogue page. The tests parse every
output with rdflib and compare it with `Nodes.to_graph()`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from catalogue.dcat.rdf import NS, RDF_TYPE, Nodes, Obj


@dataclass(frozen=True)
class RdfFormat:
    """One serialisation: its CLI name, file extension, media type and rdflib parser name."""

    name: str
    extension: str
    media_type: str
    rdflib_name: str


FORMATS: dict[str, RdfFormat] = {
    "ttl": RdfFormat("ttl", "ttl", "text/turtle", "turtle"),
    "jsonld": RdfFormat("jsonld", "jsonld", "application/ld+json", "json-ld"),
    "xml": RdfFormat("xml", "rdf", "application/rdf+xml", "xml"),
}

_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")  # safe as a Turtle local name and an NCName
_NAMESPACES = tuple(NS.values())


def _split(iri: str) -> tuple[str, str] | None:
    """(prefix, local name) when `iri` is in a known namespace with a simple local name."""
    # most subjects are ours and unique: answer them without filling the cache
    return _split_known(iri) if iri.startswith(_NAMESPACES) else None


@cache
def _split_known(iri: str) -> tuple[str, str] | None:
    for prefix, ns in NS.items():
        if iri.startswith(ns):
            local = iri[len(ns):]
            if _LOCAL.match(local):
                return prefix, local
    return None


_TTL_NAMES: dict[str, str] = {}  # known-namespace IRI -> prefixed name or <IRI>


def _ttl_iri(iri: str) -> str:
    name = _TTL_NAMES.get(iri)
    if name is None:
        if not iri.startswith(_NAMESPACES):
            return f"<{iri}>"
        pair = _split_known(iri)
        name = _TTL_NAMES[iri] = f"{pair[0]}:{pair[1]}" if pair else f"<{iri}>"
    return name


_TTL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_TTL_SPECIAL = re.compile(r'[\\"\n\r]')


def _ttl_obj(o: Obj) -> str:
    if o.__class__ is str:
        return _ttl_iri(o)
    v = o.value
    quoted = '"' + (v.translate(_TTL_ESCAPES) if _TTL_SPECIAL.search(v) else v) + '"'
    if o.lang:
        return f"{quoted}@{o.lang}"
    if o.datatype:
        return f"{quoted}^^{_ttl_iri(o.datatype)}"
    return quoted


def turtle_node(s: str, preds: dict[str, dict[Obj, None]]) -> str:
    """One subject as a Turtle block."""
    lines = []
    for p, objs in preds.items():
        verb = "a" if p == RDF_TYPE else _ttl_iri(p)
        lines.append(f"{verb} {', '.join(_ttl_obj(o) for o in objs)}")
    return f"{_ttl_iri(s)} " + " ;\n    ".join(lines) + " .\n"


def _ttl_header() -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in NS.items()) + "\n"


_JSONLD_KEYS: dict[str, str] = {}


def _jsonld_key(iri: str) -> str:
    key = _JSONLD_KEYS.get(iri)
    if key is None:
        pair = _split(iri)
        key = f"{pair[0]}:{pair[1]}" if pair else iri
        if pair:
            _JSONLD_KEYS[iri] = key
    return key


def _jsonld_obj(o: Obj) -> dict[str, str]:
    if isinstance(o, str):
        return {"@id": o}
    if o.lang:
        return {"@value": o.value, "@language": o.lang}
    if o.datatype:
        return {"@value": o.value, "@type": _jsonld_key(o.datatype)}
    return {"@value": o.value}


def jsonld_node(s: str, preds: dict[str, dict[Obj, None]]) -> str:
    """One subject as a JSON-LD node object (one line)."""
    node: dict[str, object] = {"@id": s}
    for p, objs in preds.items():
        if p == RDF_TYPE:
            node["@type"] = [_jsonld_key(o) for o in objs if isinstance(o, str)]
        else:
            node[_jsonld_key(p)] = [_jsonld_obj(o) for o in objs]
    return json.dumps(node, ensure_ascii=False)


def _jsonld_header() -> str:
    return '{"@context": ' + json.dumps(NS) + ',\n"@graph": [\n'


_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_XML_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", '"': "&quot;", "\n": "&#10;",
                           "\r": "&#13;", "\t": "&#9;"})


@cache
def _qname(iri: str) -> str:
    pair = _split(iri)
    if pair is None:
        raise ValueError(f"predicate {iri} has no prefix in catalogue.dcat.rdf.NS")
    return f"{pair[0]}:{pair[1]}"


_XML_TEXT_SPECIAL = re.compile(r"[&<>\r]")
_XML_ATTR_SPECIAL = re.compile(r'[&<"\n\r\t]')


def _xml_text(v: str) -> str:
    return v.translate(_XML_TEXT) if _XML_TEXT_SPECIAL.search(v) else v


def _xml_attr(v: str) -> str:
    return v.translate(_XML_ATTR) if _XML_ATTR_SPECIAL.search(v) else v


def xml_node(s: str, preds: dict[str, dict[Obj, None]]) -> str:
    """One subject as an RDF/XML rdf:Description."""
    out = [f'<rdf:Description rdf:about="{_xml_attr(s)}">']
    for p, objs in preds.items():
        q = _qname(p)
        for o in objs:
            if o.__class__ is str:
                out.append(f'  <{q} rdf:resource="{_xml_attr(o)}"/>')
            elif o.lang:
                out.append(f'  <{q} xml:lang="{o.lang}">{_xml_text(o.value)}</{q}>')
            elif o.datatype:
                out.append(f'  <{q} rdf:datatype="{o.datatype}">{_xml_text(o.value)}</{q}>')
            else:
                out.append(f"  <{q}>{_xml_text(o.value)}</{q}>")
    out.append("</rdf:Description>\n")
    return "\n".join(out)


def _xml_header() -> str:
    decls = "\n".join(f'    xmlns:{p}="{ns}"' for p, ns in NS.items())
    return f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF\n{decls}>\n'


NODE_WRITERS = {"ttl": turtle_node, "jsonld": jsonld_node, "xml": xml_node}
_HEADERS = {"ttl": _ttl_header, "jsonld": _jsonld_header, "xml": _xml_header}
_SEPARATORS = {"ttl": "\n", "jsonld": ",\n", "xml": "\n"}
_FOOTERS = {"ttl": "", "jsonld": "\n]}\n", "xml": "</rdf:RDF>\n"}


def node_texts(fmt: str, nodes: Nodes, subjects: Iterable[str] | None = None) -> list[str]:
    """The text of each subject of `nodes` (or of `subjects` only) in format `fmt`."""
    write = NODE_WRITERS[fmt]
    chosen = nodes.subjects if subjects is None else subjects
    return [write(s, nodes.subjects[s]) for s in chosen]


def document(fmt: str, texts: Iterable[str]) -> str:
    """A whole file from subject texts; a subject may appear twice (RDF merges its triples)."""
    return _HEADERS[fmt]() + _SEPARATORS[fmt].join(texts) + _FOOTERS[fmt]


def serialize(nodes: Nodes, fmt: str) -> str:
    """All of `nodes` as one document."""
    return document(fmt, node_texts(fmt, nodes))
