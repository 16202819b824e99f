"""A small triple store of plain strings: fast to build, and the same triples in every format.

rdflib is the reference (`Nodes.to_graph`, the tests), but building 10,000 datasets as rdflib
graphs and serialising them three times is minutes of work. Triples here are (subject IRI,
predicate IRI, object) with the object an IRI string or a `Lit`; there are no blank nodes, so
the triples of one dataset can be written once and concatenated into any page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple
from urllib.parse import quote

NS: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatap": "http://data.europa.eu/r5r/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "adms": "http://www.w3.org/ns/adms#",
    "prov": "http://www.w3.org/ns/prov#",
    "hydra": "http://www.w3.org/ns/hydra/core#",
    "csvw": "http://www.w3.org/ns/csvw#",
    "dpv": "https://w3id.org/dpv#",
    "healthdcatap": "http://healthdataportal.eu/ns/health#",
    "geodcatap": "http://data.europa.eu/930/",
    "cv": "http://data.europa.eu/m8g/",
    "eli": "http://data.europa.eu/eli/ontology#",
    # the FAIR Data Point's records (catalogue/fdp/)
    "fdp": "https://w3id.org/fdp/fdp-o#",
    "ldp": "http://www.w3.org/ns/ldp#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "r3d": "http://www.re3data.org/schema/3-0#",
    "datacite": "http://purl.org/spar/datacite/",
}

RDF_TYPE = NS["rdf"] + "type"
XSD = NS["xsd"]


def term(curie: str) -> str:
    """`dct:title` -> the full IRI; every predicate and class is written this way in the code."""
    prefix, local = curie.split(":", 1)
    return NS[prefix] + local


class Lit(NamedTuple):
    """A literal: plain, language-tagged or typed (never both)."""

    value: str
    lang: str | None = None
    datatype: str | None = None


Obj = str | Lit  # a str object is an IRI

# C0 controls other than tab, LF and CR: no meaning in metadata, and XML 1.0 cannot hold them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Characters an IRI may not contain; URLs in metadata are percent-encoded on the way in.
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')


def text(value: object, lang: str | None = None) -> Lit:
    """A text literal, with control characters removed so every format can carry it."""
    s = str(value)
    if _CONTROL.search(s):
        s = _CONTROL.sub("", s)
    return Lit(s, lang)


def typed(value: object, datatype: str) -> Lit:
    """A literal of an XSD type given by its local name, e.g. `typed(18, "nonNegativeInteger")`."""
    if isinstance(value, bool):
        value = "true" if value else "false"
    return Lit(str(value), None, XSD + datatype)


def iri(url: str) -> str:
    """A URL from the metadata made safe as an IRI (spaces, quotes, brackets percent-encoded)."""
    url = url.strip()
    if _IRI_UNSAFE.search(url):
        url = _IRI_UNSAFE.sub(lambda m: quote(m.group(0), safe=""), url)
    return url


class Nodes:
    """Triples grouped by subject in insertion order, without duplicates."""

    __slots__ = ("subjects",)

    def __init__(self) -> None:
        # subject -> predicate -> objects (a dict used as an ordered set)
        self.subjects: dict[str, dict[str, dict[Obj, None]]] = {}

    def add(self, s: str, p: str, o: Obj | None) -> None:
        """Add one triple; a None object is skipped so optional fields need no `if`."""
        if o is None:
            return
        preds = self.subjects.get(s)
        if preds is None:
            preds = self.subjects[s] = {}
        objs = preds.get(p)
        if objs is None:
            preds[p] = {o: None}
        else:
            objs[o] = None

    def add_all(self, s: str, p: str, objects: Iterable[Obj | None]) -> None:
        """Add (s, p, o) for each object."""
        for o in objects:
            self.add(s, p, o)

    def typed_as(self, s: str, *classes: str) -> None:
        """State the rdf:type(s) of `s`, given as CURIEs."""
        for c in classes:
            self.add(s, RDF_TYPE, term(c))

    def __contains__(self, s: str) -> bool:
        return s in self.subjects

    def __len__(self) -> int:
        return sum(len(objs) for preds in self.subjects.values() for objs in preds.values())

    def triples(self) -> Iterator[tuple[str, str, Obj]]:
        """Every triple, subject by subject."""
        for s, preds in self.subjects.items():
            for p, objs in preds.items():
                for o in objs:
                    yield s, p, o

    def merge(self, other: Nodes, subjects: Iterable[str] | None = None) -> None:
        """Copy `other`'s triples (or only those of `subjects`) into this store."""
        for s in other.subjects if subjects is None else subjects:
            for p, objs in other.subjects[s].items():
                for o in objs:
                    self.add(s, p, o)

    def closure(self, start: Iterable[Obj], stop: Iterable[str] = ()) -> list[str]:
        """Subjects of this store reachable from `start` through object links (deterministic
        order), never entering (nor listing) a subject in `stop`."""
        seen: dict[str, None] = dict.fromkeys(stop)
        skip = len(seen)
        todo = [o for o in start if isinstance(o, str) and o in self.subjects]
        while todo:
            s = todo.pop()
            if s in seen:
                continue
            seen[s] = None
            for objs in self.subjects[s].values():
                todo.extend(o for o in objs if isinstance(o, str) and o in self.subjects
                            and o not in seen)
        return list(seen)[skip:]

    def objects_of(self) -> Iterator[Obj]:
        """Every object, for `closure` over another store."""
        for preds in self.subjects.values():
            for objs in preds.values():
                yield from objs

    def to_graph(self):  # noqa: ANN201 - rdflib is imported lazily: the export never needs it
        """The same triples as an rdflib Graph, prefixes bound."""
        from rdflib import Graph, Literal, URIRef

        g = Graph(bind_namespaces="none")
        for prefix, ns in NS.items():
            g.bind(prefix, ns)
        for s, p, o in self.triples():
            if isinstance(o, Lit):
                obj = Literal(o.value, lang=o.lang, datatype=URIRef(o.datatype) if o.datatype else None)
            else:
                obj = URIRef(o)
            g.add((URIRef(s), URIRef(p), obj))
        return g
