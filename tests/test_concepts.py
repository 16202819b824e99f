"""Concept annotations: each system's code-form rule with one broken fixture, the check digits
on known codes, and the primary concept in the Frictionless download's `rdfType`."""

from __future__ import annotations

import pytest

from catalogue.format import concepts
from catalogue.validation.run import validate
from tests.conftest import edit
from tests.test_validate_rules import SCHEMA, line_of

GOOD = "    unit: mmHg\n"


def annotate(code_lines: str) -> str:
    return GOOD + "    concepts:\n" + code_lines


# (finding code, system, malformed code): each breaks exactly its system's rule
CASES = [
    ("invalid-loinc-code", "LOINC", "8480-5"),  # 8480-6 is systolic blood pressure
    ("invalid-snomed-code", "SNOMED-CT", "271649007"),  # 271649006 is systolic blood pressure
    ("invalid-icd10-code", "ICD-10", "I1O"),
    ("invalid-atc-code", "ATC", "X10BA02"),
    ("invalid-ncsp-code", "NCSP", "FNG0"),
    ("invalid-nlk-code", "NLK", "NPU2730"),
    ("invalid-icpc2-code", "ICPC-2", "K8"),
    ("invalid-orpha-code", "ORPHA", "ORPHA:x1"),
]


@pytest.mark.parametrize(("code", "system", "bad"), CASES, ids=[c[0] for c in CASES])
def test_a_malformed_concept_code_is_a_finding_on_its_line(catalogue_dir, code, system, bad):
    target = catalogue_dir / SCHEMA
    edit(target, GOOD, annotate(f"      - {{system: {system}, code: '{bad}'}}\n"))
    report = validate([catalogue_dir], cache_dir=False)
    assert [f.code for f in report.findings] == [code]
    finding = report.findings[0]
    assert finding.file == f"metadata/{SCHEMA}"
    assert finding.line == line_of(target, bad)
    assert bad in finding.message and finding.hint


def test_well_formed_codes_of_every_system_pass(catalogue_dir):
    good = [("LOINC", "8480-6"), ("LOINC", "4548-4"), ("SNOMED-CT", "271649006"),
            ("SNOMED-CT", "38341003"), ("ICD-10", "I10"), ("ICD-10", "E11.9"), ("ATC", "C09AA05"),
            ("NCSP", "NFB49"), ("NLK", "NPU27300"), ("ICPC-2", "K86"), ("ORPHA", "ORPHA:558"),
            ("TNM", "anything goes")]  # a system without a known form is not checked
    lines = "".join(f"      - {{system: {s}, code: '{c}'}}\n" for s, c in good)
    edit(catalogue_dir / SCHEMA, GOOD, annotate(lines))
    assert validate([catalogue_dir], cache_dir=False).findings == []


def test_an_unknown_system_is_an_unknown_term(catalogue_dir):
    edit(catalogue_dir / SCHEMA, GOOD, annotate("      - {system: LONIC, code: 8480-6}\n"))
    report = validate([catalogue_dir], cache_dir=False)
    assert [(f.code, "Did you mean `LOINC`?" in f.message) for f in report.findings] == [
        ("unknown-term", True)]


def test_check_digits():
    assert concepts.mod10_ok("44484") is False and concepts.mod10_ok("45484")
    assert concepts.verhoeff_ok("38341003") and not concepts.verhoeff_ok("38341004")
    assert concepts.problem("SNOMED-CT", "123037004") is None  # "body structure"
    assert concepts.problem("SNOMED-CT", "2011000195101") is None  # long form (extension)
    wrong = concepts.problem("SNOMED-CT", "123037011")  # partition 01: a description's id
    assert wrong and "partition" in wrong[1]


def test_the_rule_table_names_every_concept_finding():
    from catalogue.validation.findings import rules

    assert concepts.findings() <= set(rules())
    assert {c[0] for c in CASES} == concepts.findings()


def test_the_primary_concept_is_the_fields_rdf_type():
    assert concepts.iri("LOINC", "4548-4") == "https://loinc.org/4548-4/"
    assert concepts.iri("SNOMED-CT", "38341003") == "http://snomed.info/id/38341003"
    assert concepts.iri("NLK", "NPU27300", "https://k.example/") == (
        "https://k.example/variables/concepts/NLK/NPU27300/")


def test_import_dictionary_reads_an_optional_concept_column(catalogue_dir, tmp_path):
    from tests.test_cli import run

    csv = tmp_path / "vars.csv"
    csv.write_text("name;title;type;unit;begrep\nsbt;Systolisk;integer;mmHg;LOINC:8480-6 Systolic blood"
                   " pressure| SNOMED-CT:271649006\nvekt;Vekt;number;kg;\n", encoding="utf-8")
    code, out = run("import-dictionary", str(csv), "--entry", "hjerteregister",
                    "--resource", "opphold", "--metadata", str(catalogue_dir))
    assert code == 0, out
    schema = (catalogue_dir / "registries/hjerteregister/opphold.schema.yaml").read_text()
    assert "code: 8480-6" in schema and "label: Systolic blood pressure" in schema
    assert "code: '271649006'" in schema or "code: \"271649006\"" in schema
    assert run("validate", str(catalogue_dir), "--no-cache")[0] == 0


@pytest.mark.parametrize(("cell", "message"), [
    ("LOINC 8480-6", "is not SYSTEM:CODE"),
    ("LONIC:8480-6", "is not SYSTEM:CODE"),
    ("LOINC:8480-5", "check digit"),
])
def test_import_dictionary_refuses_a_malformed_concept(catalogue_dir, tmp_path, cell, message):
    from tests.test_cli import run

    csv = tmp_path / "vars.csv"
    csv.write_text(f"name;concept\nsbt;{cell}\n", encoding="utf-8")
    code, out = run("import-dictionary", str(csv), "--entry", "hjerteregister",
                    "--metadata", str(catalogue_dir))
    assert code == 1 and "row 2" in out and message in out.replace("\n", "")


def test_synth_annotates_variables_with_concepts(tmp_path):
    from catalogue.devtools.synth import synth
    from catalogue.validation.run import validate

    synth(tmp_path / "metadata", entries=3, variables=30)
    text = "".join(p.read_text() for p in (tmp_path / "metadata").rglob("*.yaml"))
    assert text.count("concepts:") >= 6
    assert validate([tmp_path / "metadata"], cache_dir=False).findings == []


def test_the_primary_concept_reaches_datapackage_json_and_the_dcat_column():
    from rdflib import URIRef

    from catalogue.dcat import DcatConfig, dataset_nodes
    from catalogue.load import load_catalogue
    from catalogue.site.downloads import datapackage
    from tests.conftest import REPO

    cat = load_catalogue(REPO / "metadata")
    entry = cat.entry("norsk-diabetesregister-for-voksne")
    descriptor = entry.descriptor
    fields = {f["name"]: f for r in datapackage(descriptor)["resources"] for f in r["schema"]["fields"]}
    assert fields["hba1c"]["rdfType"] == "https://loinc.org/59261-8/"
    assert "rdfType" not in fields["egfr"]  # not annotated: no concept is made up
    assert "rdfType" not in descriptor["resources"][0]["schema"]["fields"][7]  # a copy
    g = dataset_nodes(cat, entry, DcatConfig(base_url="https://k.example/")).to_graph()
    subject = URIRef("http://purl.org/dc/terms/subject")
    columns = {str(c).rsplit(".", 1)[-1] for c, o in g.subject_objects(subject)
               if o == URIRef("https://loinc.org/72166-2/")}
    assert columns == {"royking"}
