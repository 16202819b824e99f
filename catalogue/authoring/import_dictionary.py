"""`catalogue import-dictionary`: a variable list in CSV or XLSX becomes an entry's Table Schema.

Registries keep their data dictionaries as spreadsheets, with Norwegian or English column
headings. We recognise the usual headings, turn each row into a Table Schema field, write
`<resource>.schema.yaml` beside the entry and point the resource at it, keeping the comments
of `datapackage.yaml` (round-trip YAML). Unusable sheets get an error naming the row.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import yaml

from catalogue.errors import CatalogueError
from catalogue.format.kinds import KIND_FOLDERS
from catalogue.format.vocabularies import vocabulary

HEADINGS = {
    "name": ["name", "variable", "variabel", "variabelnavn", "field", "kolonne", "column"],
    "title": ["title", "tittel", "label", "etikett", "ledetekst", "navn"],
    "description": ["description", "beskrivelse", "definisjon", "definition", "forklaring"],
    "type": ["type", "datatype", "data type", "format", "variabeltype"],
    "unit": ["unit", "enhet", "måleenhet"],
    "categories": ["categories", "kodeliste", "koder", "codes", "verdier", "values", "svaralternativer"],
    "missing": ["missing", "missing values", "manglende", "manglende verdier", "ukjent"],
    "required": ["required", "påkrevd", "obligatorisk"],
    "minimum": ["minimum", "min", "minste verdi"],
    "maximum": ["maximum", "max", "største verdi"],
    "coding_system": ["coding system", "coding_system", "kodeverk", "klassifikasjon"],
    "concepts": ["concept", "concepts", "konsept", "konsepter", "begrep", "begreper", "concept code"],
}
TYPE_WORDS = {
    "string": ["string", "text", "tekst", "str", "char", "varchar", "fritekst"],
    "integer": ["integer", "int", "heltall", "tall (heltall)", "kategori", "kode", "categorical"],
    "number": ["number", "numeric", "desimal", "desimaltall", "float", "decimal", "tall", "real"],
    "date": ["date", "dato"],
    "datetime": ["datetime", "dato og tid", "tidspunkt", "timestamp"],
    "time": ["time", "klokkeslett", "tid"],
    "boolean": ["boolean", "bool", "ja/nei", "yes/no", "boolsk"],
    "year": ["year", "år", "årstall"],
}
TRUE_WORDS = {"ja", "yes", "true", "1", "x", "sann"}


class DictionaryError(CatalogueError):
    """The sheet cannot be turned into a schema; the message names the file and row."""


def _norm(heading: str) -> str:
    return re.sub(r"\s+", " ", str(heading or "").strip().lower().replace("_", " "))


def read_rows(path: Path, sheet: str | None = None) -> list[list[str]]:
    """The sheet's rows as text cells, from CSV (comma or semicolon) or XLSX."""
    if not path.is_file():
        raise DictionaryError(f"{path}: no such file.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path, sheet)
    if suffix in (".csv", ".tsv", ".txt"):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")  # Excel's "CSV" on Norwegian Windows
        first = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first.count)  # the header shows the separator
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    raise DictionaryError(f"{path}: use a .csv or .xlsx file (got {suffix or 'no extension'}).")


def _xlsx_rows(path: Path, sheet: str | None) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for broken files
        raise DictionaryError(f"{path}: not a readable XLSX workbook ({exc}).") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise DictionaryError(f"{path}: no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}.")
        ws = book[sheet] if sheet else book.worksheets[0]
        return [["" if c is None else str(c) for c in row] for row in ws.iter_rows(values_only=True)]
    finally:
        book.close()


def _columns(header: list[str], path: Path) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        heading = _norm(cell)
        for key, words in HEADINGS.items():
            if heading in words and key not in found:
                found[key] = i
    if "name" not in found:
        raise DictionaryError(
            f"{path}: row 1 has no column for the variable name; name one of the columns "
            f"{', '.join(repr(w) for w in HEADINGS['name'][:4])}. Headings found: "
            f"{', '.join(repr(h) for h in header if h) or 'none'}."
        )
    return found


def _type(word: str, where: str) -> str:
    w = _norm(word)
    if not w:
        return "string"
    for kind, words in TYPE_WORDS.items():
        if w in words:
            return kind
    raise DictionaryError(f"{where}: unknown type {word!r}; use one of {', '.join(TYPE_WORDS)}.")


def _categories(text: str, kind: str) -> list[dict[str, Any]]:
    """`1=Mann; 2=Kvinne` or `1: Mann | 2: Kvinne` or one code per line."""
    out = []
    for part in re.split(r"[;|\n]", text):
        part = part.strip()
        if not part:
            continue
        m = re.match(r"^([^=:]+?)\s*[=:]\s*(.+)$", part)
        value, label = (m.group(1).strip(), m.group(2).strip()) if m else (part, None)
        val: Any = int(value) if kind == "integer" and re.fullmatch(r"-?\d+", value) else value
        out.append({"value": val, "label": label} if label else {"value": val})
    return out


def _number(text: str, where: str) -> int | float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise DictionaryError(f"{where}: {text!r} is not a number.") from None
    return int(value) if value.is_integer() else value


def _concepts(text: str, systems: Any, where: str) -> list[dict[str, str]]:
    """`LOINC:4548-4 HbA1c; SNOMED-CT:38341003`: system, colon, code, an optional label."""
    from catalogue.format.concepts import problem

    out = []
    for item in filter(None, (i.strip() for i in re.split(r"[;|\n]", text))):
        system, sep, rest = item.partition(":")
        code, _, label = rest.strip().partition(" ")
        match = next((t for t in systems if t.lower() == system.strip().lower().replace(" ", "-")), None)
        if not sep or not code or match is None:
            raise DictionaryError(f"{where}: concept {item!r} is not SYSTEM:CODE with a system "
                                  "from vocabularies/coding-systems.yaml (e.g. LOINC:4548-4).")
        wrong = problem(match, code)
        if wrong:
            raise DictionaryError(f"{where}: concept {item!r}: {wrong[1]}.")
        out.append({"system": match, "code": code, **({"label": label.strip()} if label.strip() else {})})
    return out


def to_schema(rows: list[list[str]], path: Path) -> dict[str, Any]:
    """Turn rows (the first is the header) into a Table Schema descriptor."""
    rows = [r for r in rows if any(str(c).strip() for c in r)]
    if not rows:
        raise DictionaryError(f"{path}: the sheet is empty.")
    cols = _columns(rows[0], path)
    coding = vocabulary("coding-systems").terms
    fields: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for n, row in enumerate(rows[1:], 2):
        where = f"{path}:row {n}"

        def cell(key: str, row: list[str] = row) -> str:
            i = cols.get(key)
            return str(row[i]).strip() if i is not None and i < len(row) else ""

        name = cell("name")
        if not name:
            raise DictionaryError(f"{where}: the variable name is empty.")
        if name in seen:
            raise DictionaryError(f"{where}: {name!r} is also on row {seen[name]}.")
        seen[name] = n
        field: dict[str, Any] = {"name": name}
        for key in ("title", "description", "unit"):
            if cell(key):
                field[key] = cell(key)
        field["type"] = _type(cell("type"), where)
        if cell("categories"):
            field["categories"] = _categories(cell("categories"), field["type"])
        if cell("missing"):
            field["missingValues"] = [v.strip() for v in re.split(r"[;,|]", cell("missing")) if v.strip()]
        constraints: dict[str, Any] = {}
        if _norm(cell("required")) in TRUE_WORDS:
            constraints["required"] = True
        for key in ("minimum", "maximum"):
            if cell(key):
                constraints[key] = _number(cell(key), where)
        if constraints:
            field["constraints"] = constraints
        system = cell("coding_system")
        if system:
            match = next((t for t in coding if t.lower() == system.lower().replace(" ", "-")), None)
            if match is None:
                raise DictionaryError(f"{where}: coding system {system!r} is not in the vocabulary.")
            field["coding_system"] = match
        if cell("concepts"):
            field["concepts"] = _concepts(cell("concepts"), coding, where)
        fields.append(field)
    if not fields:
        raise DictionaryError(f"{path}: the sheet has a header but no variables.")
    return {"fields": fields}


def import_dictionary(
    source: Path, metadata: Path, entry: str, resource: str = "main", sheet: str | None = None
) -> Path:
    """Write the entry's `<resource>.schema.yaml` from a sheet and point the resource at it."""
    folders = [metadata / kind / entry / "datapackage.yaml" for kind in KIND_FOLDERS]
    descriptor = next((p for p in folders if p.is_file()), None)
    if descriptor is None:
        raise DictionaryError(f"No entry {entry!r} under {metadata} (registries/ or biobanks/).")
    schema = to_schema(read_rows(source, sheet), source)
    target = descriptor.parent / f"{resource}.schema.yaml"
    header = f"# Data dictionary of {entry}/{resource}, imported from {source.name}.\n"
    body = yaml.safe_dump(schema, allow_unicode=True, sort_keys=False, width=100)
    target.write_text(header + body, encoding="utf-8")
    _point_resource(descriptor, resource, target.name)
    return target


def _point_resource(descriptor: Path, resource: str, filename: str) -> None:
    """Set the resource's `schema:` to the file, keeping comments and layout (ruamel)."""
    from ruamel.yaml import YAML

    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 100
    rt.indent(mapping=2, sequence=4, offset=2)
    data = rt.load(descriptor.read_text(encoding="utf-8"))
    resources = data.setdefault("resources", [])
    for res in resources:
        if res.get("name") == resource:
            res["schema"] = filename
            break
    else:
        resources.append({
            "name": resource,
            "title": resource.replace("-", " ").capitalize(),
            "path": data.get("homepage", "https://example.org/"),
            "schema": filename,
        })
    with descriptor.open("w", encoding="utf-8") as fh:
        rt.dump(data, fh)
