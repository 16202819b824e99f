"""healthdcatap:hasVariables: the entry's Table Schemas as a CSVW table group.

HealthDCAT-AP asks for a name, a title, a description and a datatype on every column. Table
Schema makes title and description optional, so a column without them repeats what it has.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from catalogue.dcat.rdf import Lit, Nodes, iri, term, text
from catalogue.dcat.uris import part
from catalogue.format import concepts
from catalogue.load import LoadedEntry

# Table Schema field types -> CSVW built-in datatype names
CSVW_TYPES: dict[str, str] = {
    "string": "string", "number": "number", "integer": "integer", "boolean": "boolean",
    "date": "date", "time": "time", "datetime": "datetime", "year": "gYear",
    "yearmonth": "gYearMonth", "duration": "duration", "object": "json", "array": "json",
    "geojson": "json", "geopoint": "string", "any": "string",
}

GROUP_TITLE = {"nb": "Variabler i {}", "nn": "Variablar i {}", "en": "Variables in {}"}

P_NAME, P_TITLE, P_DESCRIPTION, P_DATATYPE = (
    term("csvw:name"), term("csvw:title"), term("dct:description"), term("csvw:datatype"))
P_COLUMN, P_TYPE = term("csvw:column"), term("rdf:type")
COLUMN = term("csvw:Column")
P_SUBJECT = term("dct:subject")


_DATATYPES = {k: Lit(v) for k, v in CSVW_TYPES.items()}
_STRING = Lit("string")
_PLAIN = re.compile(r"^[A-Za-z0-9_.~-]+$")


def _fragment(name: str) -> str:
    return name if _PLAIN.match(name) else quote(name, safe="-._~")


def variables(g: Nodes, dataset: str, entry: LoadedEntry, titles: dict[str, str]) -> str:
    """Write the table group with one table per resource; returns the group's IRI."""
    group = part(dataset, "variables")
    g.typed_as(group, "csvw:TableGroup")
    for lang, title in titles.items():
        g.add(group, term("dct:title"), text(GROUP_TITLE[lang].format(title), lang))
    for res, (name, schema) in zip(entry.model.resources, entry.tables(), strict=True):
        table = part(dataset, f"table-{name}")
        g.add(group, term("csvw:table"), table)
        g.typed_as(table, "csvw:Table")
        g.add(table, term("dct:title"), text(res.title or name))
        g.add(table, term("dct:description"), text(res.description) if res.description else None)
        g.add(table, term("csvw:url"), iri(res.path))
        base = dataset.rsplit("dataset/", 1)[0]  # the site's base URL (uris.Uris.dataset)
        prefix = part(dataset, f"var-{name}.")  # resource names are slugs: no '.' in them
        columns = {}
        for f in schema.fields:
            col = prefix + _fragment(f.name)
            columns[col] = None
            title = f.title or f.name
            node = {
                P_TYPE: {COLUMN: None},
                P_NAME: {text(f.name): None},
                P_TITLE: {text(title): None},
                P_DESCRIPTION: {text(f.description or title): None},
                P_DATATYPE: {_DATATYPES.get(f.type, _STRING): None},
            }
            if f.concepts:  # what the column records; the primary concept first
                node[P_SUBJECT] = {iri(concepts.iri(c.system, c.code, base)): None for c in f.concepts}
            if col in g:  # a repeated field name: merge rather than replace
                for p, objs in node.items():
                    g.add_all(col, p, objs)
            else:
                g.subjects[col] = node  # new subject: skip the per-triple bookkeeping
        g.add_all(table, P_COLUMN, columns)
    return group
