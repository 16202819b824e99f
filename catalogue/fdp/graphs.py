"""The FDP's records: the same DCAT / HealthDCAT-AP triples as `/catalog.ttl`, re-homed so that
every record's subject is the URL it is served from, and linked parent to children through
`ldp:DirectContainer`s as the FDP specification and the reference implementation do.

Records follow the reference implementation's default SHACL shapes where these are stricter
than DCAT-AP (`fdp_profile`): one `dct:title` and `dct:description` per record and one
`foaf:name` per agent (the other languages stay as `rdfs:label` / `rdfs:comment`),
`xsd:dateTime` for issued and modified, `dcat:mediaType` as a literal, one `dct:language`
(English), one contact point, landing page, licence, rights, access and download URL (the
others as `rdfs:seeAlso`) and a publisher on every distribution (its dataset's).
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from catalogue import __version__
from catalogue.dcat.dataset import DatasetBuilder
from catalogue.dcat.paging import catalog_nodes
from catalogue.dcat.rdf import RDF_TYPE, XSD, Lit, Nodes, Obj, term, text, typed
from catalogue.dcat.uris import DcatConfig
from catalogue.load import Catalogue, LoadedEntry

FDP_O = "https://w3id.org/fdp/fdp-o#"
LDP = "http://www.w3.org/ns/ldp#"
R3D = "http://www.re3data.org/schema/3-0#"
DATACITE = "http://purl.org/spar/datacite/"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
SPEC = "https://specs.fairdatapoint.org/fdp-specs-v1.2.html"
# what the reference implementation states its FDPs conform to
REFERENCE_PROFILE = "https://www.purl.org/fairtools/fdp/schema/0.1/fdpMetadata"
CATALOG_ID = "catalogue"
PREFERRED = ("en", None, "nb", "nn")  # the one title an FDP record keeps


def _kind(path: str) -> str:
    return path.split("/", 1)[0] if path else "fdp"


@dataclass
class Records:
    """Record path (below `/fdp/`, "" for the root) -> its triples."""

    base: str  # the FDP's root URL, ending in /fdp/
    records: dict[str, Nodes] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base + path


_RANK = {lang: i for i, lang in enumerate(PREFERRED)}


def _pick(lits: list[Lit]) -> Lit:
    return min(lits, key=lambda lit: _RANK.get(lit.lang, len(_RANK)))


def _datetime(o: Obj) -> Obj:
    if isinstance(o, Lit) and o.datatype == XSD + "date":
        return typed(f"{o.value[:10]}T00:00:00Z", "dateTime")
    return o


_ONE_IRI = {term(c) for c in ("dcat:contactPoint", "dcat:landingPage", "dct:license",
                              "dct:rights", "dcat:accessURL", "dcat:downloadURL")}


_SINGLE = {term("dct:title"): term("rdfs:label"), term("dct:description"): term("rdfs:comment"),
           term("foaf:name"): term("rdfs:label")}
_DATES = {term("dct:issued"), term("dct:modified")}
_LANGUAGE, _SEE_ALSO, _MEDIA_TYPE = term("dct:language"), term("rdfs:seeAlso"), term("dcat:mediaType")


def fdp_profile(g: Nodes) -> Nodes:
    """The same triples, adapted where the reference implementation's shapes are stricter."""
    out = Nodes()
    for s, preds in g.subjects.items():
        _profile_node(preds, out.subjects.setdefault(s, {}))
    return out


def _profile_node(preds: dict[str, dict[Obj, None]], node: dict[str, dict[Obj, None]]) -> None:
    """One subject's predicates, as `fdp_profile` adapts them, added to `node`."""
    for p, objs in preds.items():
        if p in _SINGLE and len(objs) > 1 and all(isinstance(v, Lit) for v in objs):
            values = list(objs)
            keep = _pick(values)  # type: ignore[arg-type]
            node.setdefault(p, {})[keep] = None
            node.setdefault(_SINGLE[p], {}).update((v, None) for v in values if v != keep)
        elif p in _DATES:
            node.setdefault(p, {}).update((_datetime(v), None) for v in objs)
        elif p == _LANGUAGE and len(objs) > 1:
            values = list(objs)
            english = [v for v in values if isinstance(v, str) and v.endswith("/ENG")]
            node.setdefault(p, {})[(english or values)[0]] = None  # the shapes allow one language
        elif p in _ONE_IRI and len(objs) > 1:
            values = list(objs)
            node.setdefault(p, {})[values[0]] = None  # the first (the entry's first contact point, ...)
            node.setdefault(_SEE_ALSO, {}).update((v, None) for v in values[1:])
        elif p == _MEDIA_TYPE:
            node.setdefault(p, {}).update(
                (Lit(v.rsplit("/media-types/", 1)[-1]) if isinstance(v, str) else v, None) for v in objs)
        else:
            node.setdefault(p, {}).update(objs)


def _namer(names: Mapping[str, str], more: Mapping[str, str] | None = None) -> Callable[[str], str]:
    """An IRI's new name: its value in `names`, else in `more`, else itself."""
    first, second = names.get, (more or {}).get

    def name(iri: str) -> str:
        new = first(iri)
        return new if new is not None else second(iri, iri)
    return name


def _rename(g: Nodes, names: Mapping[str, str], more: Mapping[str, str] | None = None) -> Nodes:
    """`g` with the IRIs in `names` (then in `more`) replaced by what they map to."""
    out = Nodes()
    name = _namer(names, more)
    for s, preds in g.subjects.items():
        _rename_node(preds, name, out.subjects.setdefault(name(s), {}))
    return out


def _rename_node(preds: dict[str, dict[Obj, None]], name: Callable[[str], str],
                 node: dict[str, dict[Obj, None]]) -> None:
    for p, objs in preds.items():
        node.setdefault(p, {}).update((name(o) if o.__class__ is str else o, None) for o in objs)


class _Finished:
    """One entry's records as they are served: renamed (`_rename`), then adapted to the
    reference implementation's shapes (`fdp_profile`). Each subject is made once per entry: the
    agents and concepts an entry refers to come back with the same triples in the dataset's
    record and in its distributions'. A subject made before is taken again only when its
    triples are the same; the nodes taken are shared, so a record must copy one to change it."""

    def __init__(self, names: Mapping[str, str], more: Mapping[str, str]) -> None:
        self.names, self.more = names, more
        self.name = _namer(names, more)
        self.made: dict[str, tuple[dict[str, dict[Obj, None]], str, dict[str, dict[Obj, None]]]] = {}

    def __call__(self, g: Nodes) -> Nodes:
        name = self.name
        renamed = [name(s) for s in g.subjects]
        if len(set(renamed)) < len(renamed):  # two subjects become one: made together, as ever
            return fdp_profile(_rename(g, self.names, self.more))
        out = Nodes()
        for (s, preds), new in zip(g.subjects.items(), renamed, strict=True):
            seen = self.made.get(s)
            if seen is None or seen[0] != preds:
                node: dict[str, dict[Obj, None]] = {}
                _rename_node(preds, name, node)
                profiled: dict[str, dict[Obj, None]] = {}
                _profile_node(node, profiled)
                seen = self.made[s] = (preds, new, profiled)
            out.subjects[new] = seen[2]
        return out


def _container(g: Nodes, parent: str, relation: str, members: list[str], title: str) -> None:
    """The parent's children as the reference implementation lists them."""
    c = parent + "#" + relation.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    g.add(c, RDF_TYPE, LDP + "DirectContainer")
    g.add(c, term("dct:title"), text(title))
    g.add(c, LDP + "membershipResource", parent)
    g.add(c, LDP + "hasMemberRelation", relation)
    g.add_all(c, LDP + "contains", members)


def _metadata(g: Nodes, s: str, issued: str | None, modified: str | None, parent: str | None) -> None:
    """What every FDP record states about itself (FDP spec, 'metadata' properties)."""
    ident = s + "#identifier"
    g.add(s, RDF_TYPE, term("dcat:Resource"))
    g.add(s, FDP_O + "metadataIdentifier", ident)
    g.add(ident, RDF_TYPE, DATACITE + "Identifier")
    g.add(ident, term("dct:identifier"), text(s))
    for prop, value in (("metadataIssued", issued), ("metadataModified", modified or issued)):
        g.add(s, FDP_O + prop, _datetime(typed(value, "date")) if value else None)
    g.add(s, term("dct:isPartOf"), parent)
    if term("dcat:version") not in g.subjects.get(s, {}):
        g.add(s, term("dcat:version"), text(__version__))


class FdpGraphs:
    """The FDP of `catalogue` served at `base_url` + `fdp/`, built record by record: the root and
    the catalogue from the whole catalogue, each dataset and its distributions from one entry,
    so a writer can build an entry's records, write them and let them go."""

    def __init__(self, catalogue: Catalogue, base_url: str) -> None:
        base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.base_url = base_url
        self.config = config = DcatConfig(base_url=base_url)
        self.base = base_url + "fdp/"
        self.builder = DatasetBuilder(catalogue, config)
        self.entries = sorted(catalogue.entries, key=lambda e: (e.name, e.id))
        self.issued = min((e.model.issued[:10] for e in self.entries), default=None)
        self.modified = max(((e.model.modified or e.model.issued)[:10] for e in self.entries),
                            default=None)
        self.cat_path = f"catalog/{CATALOG_ID}"
        # the IRIs of /catalog.ttl that are records here; an entry's distributions are added to
        # its own records' names (nothing else refers to them)
        self.names = {config.catalog: self.base + self.cat_path}
        self.names.update((config.dataset(e.id), self.base + f"dataset/{e.id}") for e in self.entries)

    def url(self, path: str) -> str:
        return self.base + path

    def _finish(self, g: Nodes, names: Mapping[str, str], more: Mapping[str, str] | None = None) -> Nodes:
        return fdp_profile(_rename(g, names, more))

    def top(self) -> Records:
        """The root record (the FDP itself) and the catalogue's, with their children's paths."""
        config, builder, issued, modified = self.config, self.builder, self.issued, self.modified
        rec = Records(self.base)
        root, cat_url = self.url(""), self.url(self.cat_path)
        g = Nodes()
        g.add(root, RDF_TYPE, FDP_O + "FAIRDataPoint")
        g.add(root, RDF_TYPE, FDP_O + "MetadataService")
        g.add(root, RDF_TYPE, term("dcat:DataService"))
        g.add(root, RDF_TYPE, R3D + "Repository")
        for lang, title in config.title.items():
            g.add(root, term("dct:title"), text(f"{title} (FAIR Data Point)", lang))
        for lang, description in config.description.items():
            g.add(root, term("dct:description"), text(description, lang))
        publisher = builder.agents.catalogue_publisher()
        g.add(root, term("dct:publisher"), publisher)
        g.add(root, term("dct:license"), "http://purl.org/NET/rdflicense/cc-by4.0")
        g.add(root, term("dct:language"), "http://id.loc.gov/vocabulary/iso639-1/en")
        for conforms in (SPEC, REFERENCE_PROFILE):
            g.add(root, term("dct:conformsTo"), conforms)
        g.add(root, FDP_O + "fdpSoftwareVersion", text(f"catalogue:{__version__}"))
        g.add(root, term("dcat:version"), text(__version__))  # the reference implementation's
        g.add(root, term("dct:hasVersion"), text(__version__))  # the specification's spelling
        g.add(root, term("dcat:endpointURL"), root)
        g.add(root, term("dcat:endpointDescription"), self.base_url + "api/3/openapi.json")
        g.add(root, term("foaf:homepage"), self.base_url)
        g.add(root, term("dct:issued"), typed(issued, "date") if issued else None)
        g.add(root, term("dct:modified"), typed(modified, "date") if modified else None)
        g.add(root, FDP_O + "metadataCatalog", cat_url)
        g.add(root, term("dcat:servesDataset"), None)
        _metadata(g, root, issued, modified, None)
        _container(g, root, FDP_O + "metadataCatalog", [cat_url], "Catalogs")
        g.merge(builder.shared, builder.shared.closure(g.objects_of()))
        rec.records[""] = self._finish(g, self.names)
        rec.children[""] = [self.cat_path]

        # the catalogue: /catalog.ttl's dcat:Catalog
        ds_iris = [config.dataset(e.id) for e in self.entries]
        g = catalog_nodes(config, builder.concepts, builder.agents, ds_iris, modified)
        g.add(config.catalog, term("dct:issued"), typed(issued, "date") if issued else None)
        _metadata(g, config.catalog, issued, modified, root)
        g.merge(builder.shared, builder.shared.closure(g.objects_of()))
        g = _rename(g, self.names)
        _container(g, cat_url, term("dcat:dataset"), [self.names[d] for d in ds_iris], "Datasets")
        rec.records[self.cat_path] = self._finish(g, self.names)
        rec.children[self.cat_path] = [f"dataset/{e.id}" for e in self.entries]
        return rec

    def entry(self, e: LoadedEntry) -> Records:
        """One entry's records: its dataset and each of its distributions."""
        config, builder, rec = self.config, self.builder, Records(self.base)
        own = builder.build(e)
        ds = config.dataset(e.id)
        dists = [d for d in own.subjects[ds].get(term("dcat:distribution"), {}) if isinstance(d, str)]
        own_names = {d: self.url(f"distribution/{e.id}-{d.rsplit('#', 1)[-1]}") for d in dists}
        names = ChainMap(own_names, self.names)  # for the few lookups below
        issued, modified = e.model.issued[:10], (e.model.modified or e.model.issued)[:10]
        path = f"dataset/{e.id}"
        finish = _Finished(own_names, self.names)
        g = Nodes()
        g.merge(own, [ds])
        _metadata(g, ds, issued, modified, config.catalog)
        # the dataset's own nodes except its distributions, which are records of their own
        inner = [s for s in own.closure(own.objects_of()) if s not in dists and s != ds]
        g.merge(own, inner)
        g.merge(builder.shared, builder.shared.closure(g.objects_of()))
        # named as served already, so renaming leaves it as it is
        _container(g, names[ds], term("dcat:distribution"), [names[d] for d in dists], "Distributions")
        rec.records[path] = record = finish(g)
        record.subjects[names[ds]] = {p: dict(objs) for p, objs in record.subjects[names[ds]].items()}
        record.add(names[ds], OWL_SAME_AS, ds)  # its IRI in /catalog.ttl (on a copy: see _Finished)
        rec.children[path] = []
        for d in dists:
            dpath = names[d][len(rec.base):]
            rec.children[path].append(dpath)
            g = Nodes()
            g.merge(own, [d])
            # the reference implementation's shapes want a publisher on every record
            g.add_all(d, term("dct:publisher"), own.subjects[ds].get(term("dct:publisher"), {}))
            _metadata(g, d, issued, modified, ds)
            # what the distribution refers to, not the dataset it is part of (nor its siblings)
            g.merge(own, own.closure(g.objects_of(), stop=[ds, *dists]))
            g.merge(builder.shared, builder.shared.closure(g.objects_of()))
            rec.records[dpath] = finish(g)
            rec.children[dpath] = []
        return rec


def build_records(catalogue: Catalogue, base_url: str) -> Records:
    """Every record of the FDP of `catalogue` served at `base_url` + `fdp/`, held at once (for
    tests and small catalogues; the build writes them entry by entry, `publish.write_fdp`)."""
    graphs = FdpGraphs(catalogue, base_url)
    rec = graphs.top()
    for e in graphs.entries:
        one = graphs.entry(e)
        rec.records.update(one.records)
        rec.children.update(one.children)
    return rec
