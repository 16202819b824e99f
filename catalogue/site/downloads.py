"""An entry's metadata as files beside its page: YAML, JSON, datapackage.json, Table Schemas, CSV.

The file names are part of the site's contract: the CKAN feed links `<table>.schema.json` and
the DCAT export links `datapackage.json` under the entry's page URL.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import yaml

from catalogue.build.reuse import Reuse, Section, fingerprint, package_fingerprint, rules_fingerprint
from catalogue.format.concepts import with_rdf_types
from catalogue.format.models import TableSchema
from catalogue.load import LoadedEntry
from catalogue.validation.discover import SCHEMA_SUFFIX

try:
    _Dumper = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _Dumper = yaml.SafeDumper  # type: ignore[misc,assignment]

DATAPACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
# Data Package properties; our extras (coverage, access, ...) stay in the full JSON and YAML.
STANDARD = ("id", "name", "title", "description", "homepage", "version", "created", "keywords",
            "licenses", "contributors", "sources", "image")
CSV_COLUMNS = ("table", "name", "title", "description", "type", "format", "unit",
               "coding_system", "categories", "constraints")


def _json(data: Any) -> str:
    # Compact: with `indent`, Python's json falls back to its slow pure-Python encoder.
    return json.dumps(data, ensure_ascii=False, default=str) + "\n"


def datapackage(d: dict[str, Any]) -> dict[str, Any]:
    """An entry's descriptor as a plain Frictionless Data Package (v2), Table Schemas inlined."""
    out: dict[str, Any] = {"$schema": DATAPACKAGE_PROFILE}
    out.update({k: d[k] for k in STANDARD if d.get(k) not in (None, [], "")})
    out["resources"] = with_rdf_types([{k: v for k, v in r.items()} for r in d.get("resources", [])])
    return out


def _categories(cats: list[Any] | None) -> str:
    if not cats:
        return ""
    return "; ".join(f"{c.value}={c.label}" if getattr(c, "label", None) else
                     str(getattr(c, "value", c)) for c in cats)


def dictionary_csv(entry: LoadedEntry) -> str:
    """Every variable of the entry, one row each, for a spreadsheet."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for table, f in entry.variables():
        constraints = f.constraints.model_dump(exclude_none=True) if f.constraints else {}
        w.writerow([table, f.name, f.title or "", f.description or "", f.type, f.format or "",
                    f.unit or "", f.coding_system or "", _categories(f.categories),
                    json.dumps(constraints, ensure_ascii=False) if constraints else ""])
    return buf.getvalue()


def names(entry: LoadedEntry, with_ckan: bool, tables: list[str] | None = None) -> list[str]:
    """The file names `files` writes for the entry, in the order the page lists them; `tables`:
    its resources with a Table Schema, when the caller knows them (`EntryFacts.tables`)."""
    out = [f"{entry.name}.yaml", f"{entry.name}.json", "datapackage.json", "dictionary.csv"]
    if tables is None:
        tables = [r.name for r in entry.model.resources if isinstance(r.schema_, TableSchema)]
    out += [f"{name}.schema.json" for name in tables]
    return out + (["ckan.json"] if with_ckan else [])


def entry_yaml(entry: LoadedEntry, descriptor: dict[str, Any], root: Path | None = None) -> str:
    """The entry as YAML: the file as its owner wrote it, or (when its Table Schemas live in
    separate files) its descriptor with them inlined."""
    if root is not None:
        text = (root.parent / entry.file).read_text(encoding="utf-8")
        if SCHEMA_SUFFIX not in text:
            return text
    return yaml.dump(descriptor, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def files(entry: LoadedEntry, ckan: str | None, root: Path | None = None) -> dict[str, str]:
    """File name -> text of every download of one entry (`ckan`: its package as the store holds
    it, for `ckan.json`; `root`: the metadata folder)."""
    descriptor = entry.descriptor
    out = {
        f"{entry.name}.yaml": entry_yaml(entry, descriptor, root),
        f"{entry.name}.json": _json(descriptor),
        "datapackage.json": _json(datapackage(descriptor)),
        "dictionary.csv": dictionary_csv(entry),
    }
    for res in descriptor.get("resources", []):
        if isinstance(res.get("schema"), dict):
            out[f"{res['name']}.schema.json"] = _json(res["schema"])
    if ckan is not None:
        out["ckan.json"] = ckan_json(ckan)
    return out


def ckan_json(stored: str) -> str:
    """`ckan.json`: the package `package_show` answers (the JSON text the store holds), laid out
    as the other downloads are."""
    return _json(json.loads(stored))


def reuse_key() -> str:
    """What the downloads depend on besides their entry: the code and the rules."""
    return fingerprint(package_fingerprint(), rules_fingerprint())


def write(out: Path, page: str, entry: LoadedEntry, ckan: str | None, root: Path | None = None,
          reuse: tuple[Reuse, Section] | None = None) -> None:
    """Write the entry's downloads into its page's folder, `page` under `out`; files another step
    wrote stay. `ckan`: the entry's package as the store holds it (None: no `ckan.json`). With
    `reuse`, the files made from the entry alone are copied from the last build when the entry's
    file is byte for byte the same, and `ckan.json`, which shows the store's dates, when the
    store holds the same package text."""
    folder = out / page
    made = {}
    if reuse:
        last, section = reuse
        if ckan is not None:
            rel, print_ = f"{page}ckan.json", fingerprint(ckan)
            if not last.take(section, rel, print_, out):
                made["ckan.json"] = ckan_json(ckan)
                section.made(rel, print_, [rel])
        source = (root.parent / entry.file).read_bytes() if root is not None else b""
        print_ = fingerprint(entry.content_hash, entry.file, source)
        if not last.take(section, page, print_, out):
            own = files(entry, None, root)
            section.made(page, print_, [f"{page}{name}" for name in own if not (folder / name).exists()])
            made.update(own)
    else:
        made.update(files(entry, ckan, root))
    if made:
        folder.mkdir(parents=True, exist_ok=True)
    for name, text in made.items():
        path = folder / name
        if not path.exists():
            path.write_text(text, encoding="utf-8")
