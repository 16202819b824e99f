"""The BBMRI-ERIC Directory export, checked against the Directory's own model and scripts.

The model and the term lists are molgenis-emx2's (`validators/mappings/bbmri/directory/`,
source.yaml names the commit). The publisher's checks are reimplemented here from
molgenis-emx2 `tools/directory/src/molgenis_emx2/directory_client/validation.py` (class
`Validator`, commit 3400450c): id prefixes (`_validate_id_prefix`, `Node.get_id_prefix` in
model.py), id characters (`_validate_id_chars`), references to invalid ids (`_validate_xref`,
`_validate_mref`), ages (`_validate_ages`) and hyperlinks (`HYPERLINK_REGEX`).
"""

from __future__ import annotations

import csv
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from catalogue.bbmri import directory_tables
from catalogue.bbmri.export import table_csv, write_tables
from catalogue.devtools.synth import synth
from catalogue.format import bbmri_directory as directory
from catalogue.format import bbmri_mapping as mapping
from catalogue.format.vocabularies import vocabulary
from catalogue.load import load_catalogue
from catalogue.validation.run import validate
from tests.conftest import edit

REPO = Path(__file__).resolve().parent.parent
BASE = "https://katalog.example.no/"
# validation.py, Validator.HYPERLINK_REGEX (its trailing `|^$/` only ever matches ""), and
# _validate_id_chars
HYPERLINK = re.compile(r"^((https?):\/\/)(www.)?[-a-zA-Z0-9@:%._\\+~#?&//=]{2,256}\."
                       r"[a-z]{2,6}\b([-a-zA-Z0-9@:%._\\+~#?&//=]*)\/?$")
ID_CHARS = re.compile(r"^[A-Za-z0-9-_:]+$")
CLASSIFIERS = {"Persons": "contactID", "Networks": "networkID", "Biobanks": "ID",
               "Collections": "ID", "AlsoKnownIn": "akiID", "CollectionFacts": "factID"}


def check_tables(tables: dict[str, list[dict[str, str]]], node: str = "NO") -> list[str]:
    """Every problem the Directory's model or its publisher would find, one line each."""
    problems = []
    model = directory.model()
    ids = {t: {r["id"] for r in rows} for t, rows in tables.items()}
    for table, rows in tables.items():
        meta = model[table]
        pattern = directory.id_pattern(table)
        for row in rows:
            rid = row["id"]
            assert list(row) == meta.header
            if pattern is not None and not pattern.match(rid):
                problems.append(f"{table} {rid}: does not match the model's id pattern")
            if not rid.startswith(f"bbmri-eric:{CLASSIFIERS[table]}:{node}_"):
                problems.append(f"{table} {rid}: wrong prefix")
            if not ID_CHARS.match(rid):
                problems.append(f"{table} {rid}: invalid characters")
            for col in meta.columns:
                if not col.stored:
                    continue
                value = row[col.name]
                if col.required and not value:
                    problems.append(f"{table} {rid}: required {col.name} is empty")
                values = [v for v in value.split(",") if v] if col.type.endswith("_array") \
                    else [value] if value else []
                if col.ontology:
                    terms = directory.terms(col.ontology)
                    problems += [f"{table} {rid}: {col.name} {v!r} is no {col.ontology} term"
                                 for v in values if v not in terms]
                elif col.type.startswith("ref") and col.ref_table:
                    problems += [f"{table} {rid}: {col.name} {v} refers to nothing"
                                 for v in values if v not in ids.get(col.ref_table, set())]
                if col.type == "hyperlink" and value and not HYPERLINK.match(value):
                    problems.append(f"{table} {rid}: {col.name} {value!r} is no hyperlink")
                if col.type == "int" and value and not value.lstrip("-").isdigit():
                    problems.append(f"{table} {rid}: {col.name} {value!r} is no integer")
                if col.type == "bool" and value not in ("", "true", "false"):
                    problems.append(f"{table} {rid}: {col.name} {value!r} is no boolean")
        if table == "Collections":
            for row in rows:
                low, high = row["age_low"], row["age_high"]
                if (low or high) and not row["age_unit"]:
                    problems.append(f"{row['id']}: ages without age_unit")
                if low == "0" and high == "0":
                    problems.append(f"{row['id']}: age_low = 0 and age_high = 0")
                if low and high and int(low) > int(high):
                    problems.append(f"{row['id']}: age_low > age_high")
                if not row["id"].startswith(row["biobank"] + ":collection:"):
                    problems.append(f"{row['id']}: not an id of its biobank {row['biobank']}")
    return problems


@pytest.fixture(scope="module")
def sample():
    return load_catalogue(REPO / "metadata", check=False)


def test_the_sample_exports_as_the_directory_reads_it(sample):
    tables = directory_tables(sample, base_url=BASE)
    assert check_tables(tables) == []
    biobanks = [e for e in sample.entries if e.kind == "biobank"]
    assert len(tables["Biobanks"]) == len(biobanks) == len(tables["AlsoKnownIn"])
    hunt = next(r for r in tables["Collections"] if r["id"].endswith("hunt-biobank"))
    assert hunt["id"] == "bbmri-eric:ID:NO_hunt-biobank:collection:hunt-biobank"
    assert hunt["materials"].split(",")[:4] == ["WHOLE_BLOOD", "PLASMA", "SERUM", "BUFFY_COAT"]
    assert "FECES" in hunt["materials"] and "temperature-18to-35" in hunt["storage_temperatures"]
    assert hunt["order_of_magnitude"] == "6" and hunt["order_of_magnitude_donors"] == "5"
    assert (hunt["age_low"], hunt["age_unit"]) == ("13", "YEAR")
    diabetes = next(r for r in tables["Collections"] if "diabetesbiobank" in r["id"])
    assert diabetes["diagnosis_available"] == "urn:miriam:icd:E10,urn:miriam:icd:E11,urn:miriam:icd:E13"
    aki = next(r for r in tables["AlsoKnownIn"] if r["id"] == "bbmri-eric:akiID:NO_hunt-biobank")
    assert aki["url"] == BASE + "biobanks/hunt-biobank/"
    # every sample biobank has an address for the Directory, if only its organisation's
    assert all(p["email"] for p in tables["Persons"])


def test_ids_do_not_depend_on_order_and_the_node_code_is_used(sample):
    first = directory_tables(sample, base_url=BASE)
    sample.entries.reverse()
    try:
        again = directory_tables(sample, base_url=BASE)
    finally:
        sample.entries.reverse()
    assert first == again
    se = directory_tables(sample, node="SE", base_url=BASE)
    assert check_tables(se, node="SE") == []
    assert se["Biobanks"][0]["id"].startswith("bbmri-eric:ID:SE_")


def test_a_synthetic_catalogue_exports_with_warnings_for_what_is_missing(tmp_path):
    root = synth(tmp_path / "metadata", 60, 3)
    report = validate([root], cache_dir=False)
    assert report.valid
    warned = {f.file.split("/")[-2] for f in report.warnings if f.code == "bbmri-missing"}
    tables = directory_tables(load_catalogue(root, check=False), base_url=BASE)
    assert len(tables["Biobanks"]) == 12
    problems = check_tables(tables)
    # the synthetic biobanks name no collection types: each one is warned about, and that is
    # the only thing the export lacks
    assert problems and all("required type is empty" in p for p in problems)
    assert {p.split(":collection:")[-1].split(":")[0] for p in problems} == warned


def with_sub_collections(tmp_path: Path) -> Path:
    root = tmp_path / "metadata"
    shutil.copytree(REPO / "metadata", root)
    path = root / "biobanks" / "hunt-biobank" / "datapackage.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["biobank"]["collections"] = [
        {"name": "hunt4", "title": "HUNT4 (2017-19)", "description": "Samples of HUNT4.",
         "material_types": ["serum", "dna"], "number_of_samples": 400000,
         "number_of_donors": 56000, "age_min": 20, "age_max": 100, "diseases": ["E11", "Z99.99x"]},
        {"name": "young-hunt", "title": "Young-HUNT", "description": "Adolescents.",
         "number_of_samples": 9000, "age_min": 13, "age_max": 19, "sex": ["female"]},
    ]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


def test_sub_collections_are_collections_under_the_biobanks(tmp_path):
    root = with_sub_collections(tmp_path)
    report = validate([root], cache_dir=False)
    assert [(f.code, f.path) for f in report.findings] == [
        ("bbmri-unknown-diagnosis", "/biobank/collections/0/diseases/1")]
    tables = directory_tables(load_catalogue(root, check=False), base_url=BASE)
    assert check_tables(tables) == []
    subs = {r["id"]: r for r in tables["Collections"] if r["parent_collection"]}
    parent = "bbmri-eric:ID:NO_hunt-biobank:collection:hunt-biobank"
    hunt4 = subs[parent.replace(":hunt-biobank", ":hunt4").replace("NO_hunt4", "NO_hunt-biobank")]
    assert hunt4["parent_collection"] == parent
    assert (hunt4["materials"], hunt4["diagnosis_available"]) == ("SERUM,DNA", "urn:miriam:icd:E11")
    assert (hunt4["age_low"], hunt4["age_high"], hunt4["order_of_magnitude"]) == ("20", "100", "5")
    young = subs["bbmri-eric:ID:NO_hunt-biobank:collection:young-hunt"]
    assert young["sex"] == "FEMALE" and young["materials"].startswith("WHOLE_BLOOD")  # inherited
    facts = {r["collection"] for r in tables["CollectionFacts"]}
    assert {parent, *subs} <= facts


def test_a_sub_collection_out_of_order_is_found(tmp_path):
    root = with_sub_collections(tmp_path)
    path = root / "biobanks" / "hunt-biobank" / "datapackage.yaml"
    text = path.read_text(encoding="utf-8").replace("age_max: 19", "age_max: 12")
    path.write_text(text.replace("name: young-hunt", "name: hunt4"), encoding="utf-8")
    codes = {f.code for f in validate([root], cache_dir=False).findings}
    assert {"invalid-range", "duplicate-name"} <= codes


def test_an_entry_without_any_address_is_warned_about(catalogue_dir):
    # the fixture's organisation gives a URL only; the biobank's access desk the one address
    edit(catalogue_dir / "biobanks" / "hjertebiobank" / "datapackage.yaml",
         "    email: hjertebiobank@ntnu.no", "    url: https://www.ntnu.no/hjertebiobank")
    report = validate([catalogue_dir], cache_dir=False)
    found = [f for f in report.findings if f.code == "bbmri-missing"]
    assert report.valid and len(found) == 1 and "Persons.email" in found[0].message


@pytest.mark.parametrize("name", ["material-types", "storage-temperatures", "sex",
                                  "collection-types", "quality-standards", "data-categories"])
def test_every_term_of_ours_maps_to_a_directory_term(name):
    table = mapping.table(name)
    ours = set(vocabulary(table["vocabulary"]).terms)
    assert ours - set(table["map"]) == set(), f"no mapping in {name}.yaml"
    assert set(table["map"]) - ours == set(), f"{name}.yaml maps terms we do not have"
    directory_terms = directory.terms(table["ontology"])
    for ours_term, mapped in table["map"].items():
        for term in mapped if isinstance(mapped, list) else [mapped]:
            assert term in directory_terms, f"{ours_term} -> {term} is no {table['ontology']} term"
    for column in table["columns"]:
        t, c = column.split(".")
        assert directory.model()[t].column(c).ontology == table["ontology"]


def test_the_fixed_mappings_name_directory_terms():
    assert set(mapping.table("age-units")["map"].values()) <= set(directory.terms("AgeUnits"))
    assert set(mapping.table("sample-sizes")["lower_bounds"]) == set(directory.terms("SampleSizes"))
    assert [mapping.magnitude(n) for n in (0, 9, 10, 999, 1000, 120000)] == ["0", "0", "1", "2", "3", "5"]
    categories = mapping.table("data-categories")
    assert set(categories["always"] + categories["linked_registry"]) <= set(directory.terms("DataCategories"))
    assert mapping.diagnosis("C50.9") == "urn:miriam:icd:C50.9" and mapping.diagnosis("E11.99x") is None


def test_the_files_hold_the_tables_in_every_format(sample, tmp_path):
    tables = directory_tables(sample, base_url=BASE)
    write_tables(tables, tmp_path / "csv", "csv")
    for table, rows in tables.items():
        with (tmp_path / "csv" / f"{table}.csv").open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            assert reader.fieldnames == directory.model()[table].header
            assert list(reader) == rows
    [zipped] = write_tables(tables, tmp_path / "zip", "zip")
    with zipfile.ZipFile(zipped) as z:
        assert sorted(z.namelist()) == sorted(f"{t}.csv" for t in tables)
        assert all(z.read(f"{t}.csv") == table_csv(t, rows) for t, rows in tables.items())
    [book] = write_tables(tables, tmp_path / "xlsx", "xlsx")
    wb = load_workbook(book, read_only=True)
    assert wb.sheetnames == list(tables)
    sheet = [list(r) for r in wb["Collections"].iter_rows(values_only=True)]
    assert sheet[0] == directory.model()["Collections"].header
    assert [[v or "" for v in r] for r in sheet[1:]] == [list(r.values()) for r in tables["Collections"]]


def test_the_operators_page_lists_every_mapping_and_both_pages_are_in_the_nav():
    page = (REPO / "docs" / "bbmri-directory.md").read_text(encoding="utf-8")
    for name in ("material-types", "storage-temperatures", "sex", "collection-types",
                 "data-categories", "quality-standards", "age-units"):
        for ours, mapped in mapping.table(name)["map"].items():
            theirs = ", ".join(f"`{m}`" for m in mapped) if isinstance(mapped, list) else f"`{mapped}`"
            assert f"| `{ours}` | {theirs or '—'} |" in page, f"{name}: {ours} is not on the page"
    nav = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    assert {"BBMRI-ERIC Directory export": "bbmri-directory.md"} in nav
    assert {"FAIR Data Point": "fair-data-point.md"} in nav


def test_export_bbmri_writes_each_format_and_refuses_a_bad_node(catalogue_dir, tmp_path):
    from typer.testing import CliRunner

    from catalogue.cli import app

    runner = CliRunner()
    for fmt, name in (("zip", "directory.zip"), ("xlsx", "directory.xlsx"), ("csv", "Biobanks.csv")):
        out = tmp_path / fmt
        result = runner.invoke(app, ["export-bbmri", "--metadata", str(catalogue_dir), "--out",
                                     str(out), "--format", fmt, "--node", "NO", "--base-url", BASE])
        assert result.exit_code == 0, result.output
        assert "wrote 1 biobank(s)" in result.output and (out / name).is_file()
    rows = list(csv.DictReader((tmp_path / "csv" / "Biobanks.csv").open(encoding="utf-8")))
    assert [r["id"] for r in rows] == ["bbmri-eric:ID:NO_hjertebiobank"]
    bad = runner.invoke(app, ["export-bbmri", "--metadata", str(catalogue_dir), "--node", "no!"])
    assert bad.exit_code == 2 and "two or three capitals" in bad.output
    edit(catalogue_dir / "organizations" / "ntnu.yaml", "type: university", "type: college")
    invalid = runner.invoke(app, ["export-bbmri", "--metadata", str(catalogue_dir), "--out",
                                  str(tmp_path / "never")])
    assert invalid.exit_code == 1 and "NOT exported" in invalid.output
    assert not (tmp_path / "never").exists()
