"""One rule, one broken fixture: each case breaks exactly one rule of a valid catalogue and
asserts the finding's code, file and line (the line where `marker` stands after the edit)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from catalogue.validation.run import validate
from tests.conftest import edit

REG = "registries/hjerteregister/datapackage.yaml"
SCHEMA = "registries/hjerteregister/opphold.schema.yaml"
BIO = "biobanks/hjertebiobank/datapackage.yaml"
ORG = "organizations/st-olavs-hospital.yaml"

# (code, file, old text, new text, marker on the expected line); a marker may be
# (other file, marker) when the finding belongs to another file than the one edited.
CASES = [
    ("yaml-syntax", REG, "keywords: [hjerte, test]", "keywords: hjerte: test", "keywords:"),
    ("yaml-duplicate-key", REG, "update_frequency: ANNUAL",
     "update_frequency: ANNUAL\nupdate_frequency: DAILY", "update_frequency: DAILY"),
    ("yaml-alias", REG, "keywords: [hjerte, test]", "keywords: &k [hjerte, test]\nextra: *k",
     "keywords: &k"),
    ("missing-field", REG, "update_frequency: ANNUAL\n", "", "id:"),
    ("unknown-field", REG, "keywords:", "keywrods:", "keywrods:"),
    ("wrong-type", REG, "keywords: [hjerte, test]", "keywords: hjerte", "keywords:"),
    ("invalid-value", REG, "registry_stage: 3", "registry_stage: 7", "registry_stage:"),
    ("invalid-url", REG, "homepage: https://stolav.no/hjerteregister",
     "homepage: javascript:alert(1)", "homepage:"),
    ("invalid-email", REG, "email: hjerte@stolav.no\n    roles",
     "email: hjerte(at)stolav.no\n    roles", "hjerte(at)"),
    ("invalid-date", REG, "issued: 2014-03-01", "issued: 2014-02-30", "issued:"),
    ("invalid-uuid", REG, "id: 0b7d7a52-2f0e-4c1a-9a51-3c2d1e0f9a10", "id: not-a-uuid", "id:"),
    ("invalid-name", REG, "- name: opphold", "- name: Opphold Data", "- name: Opphold"),
    ("invalid-range", REG, "age_max: 110", "age_max: 10", "age_max:"),
    ("frictionless-invalid", SCHEMA, "fields:", "primaryKey: [nope]\nfields:", "primaryKey:"),
    ("frictionless-invalid", SCHEMA, "    type: date\n", "    type: date\n    constraints: {minLength: 2}\n",
     "- name: innleggelse"),  # a field's finding, at the field
    ("name-mismatch", REG, "name: hjerteregister", "name: hjerte-register", "name: hjerte-"),
    ("duplicate-id", REG, "id: 0b7d7a52-2f0e-4c1a-9a51-3c2d1e0f9a10",
     "id: 4c3e2a10-9d8b-4f6e-8a7b-1e2d3c4b5a69", "id:"),
    ("duplicate-variable", SCHEMA, "- name: diagnose", "- name: kjonn  # again", "# again"),
    ("unknown-organization", REG, "data_controller: st-olavs-hospital",
     "data_controller: st-olavs", "data_controller:"),
    ("unknown-linked-entry", REG, "linked_entries: [hjertebiobank]",
     "linked_entries: [lungebiobank]", "linked_entries:"),
    ("linked-entry-one-way", BIO, "linked_entries: [hjerteregister]\n", "", (REG, "linked_entries:")),
    ("unknown-term", REG, "themes: [HEAL]", "themes: [HEALTH]", "themes:"),
    ("missing-contact-point", REG, "roles: [contact]", "roles: [author]", "contributors:"),
    ("missing-schema-file", REG, "schema: opphold.schema.yaml", "schema: ../../x.schema.yaml",
     "schema: ../"),
    ("invalid-organization-number", ORG, '"883974832"', '"883974833"', "organization_number"),
    ("stage-not-applicable", REG, "registry_type: national-quality-registry",
     "registry_type: local-quality-registry", "registry_stage:"),
    ("missing-translation", REG, "translations:\n  en:\n    title: Test heart registry\n"
     "    description: A small registry used by the tests.\n", "", "language:"),
    ("inline-data", BIO, "    path: https://www.ntnu.no/hjertebiobank/samples",
     "    path: https://www.ntnu.no/hjertebiobank/samples\n    data: [[1, 2]]", "data:"),
    ("data-file", REG, "path: https://stolav.no/hjerteregister/data", "path: opphold.csv", "path:"),
    ("national-id-number", SCHEMA, "title: Hoveddiagnose", "title: Pasient 01010012356",
     "Pasient"),
    ("bbmri-missing", BIO, "  collection_types: [hospital, disease-specific]\n", "",
     "biobank:"),
    ("bbmri-unknown-diagnosis", BIO, "  number_of_samples: 9000\n",
     "  number_of_samples: 9000\n  diseases: [E11, XIV-99]\n", "XIV-99"),
    ("review-due", REG, "last_reviewed: 2026-10-12", "last_reviewed: 2024-10-12", "last_reviewed:"),
]


def line_of(path: Path, marker: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if marker in line:
            return n
    raise AssertionError(f"{marker!r} not in {path}")


@pytest.mark.parametrize(("code", "file", "old", "new", "marker"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_reports_code_file_and_line(catalogue_dir, code, file, old, new, marker):
    target = catalogue_dir / file
    edit(target, old, new)
    report = validate([catalogue_dir], cache_dir=False)
    found = [f for f in report.findings if f.code == code]
    assert found, f"no {code}; got {report.flatten(['code', 'file', 'line'])}"
    finding = found[0]
    if isinstance(marker, tuple):
        file, marker = marker
    assert finding.file == f"metadata/{file}"
    assert finding.line == line_of(catalogue_dir / file, marker)
    assert finding.column >= 1 and finding.message and finding.hint
    assert report.valid == (finding.severity == "warning" and not report.errors)


def test_the_fixture_catalogue_is_valid(catalogue_dir):
    report = validate([catalogue_dir], cache_dir=False)
    assert report.findings == []
    assert report.stats["registries"] == 1 and report.stats["biobanks"] == 1


def test_every_rule_in_the_rule_table_has_a_case():
    from catalogue.settings import validators_dir

    table = yaml.safe_load((validators_dir() / "rules.yaml").read_text(encoding="utf-8"))
    tested = {c[0] for c in CASES} | {
        # rules about whole files, tested in test_validate_files.py
        "file-too-large", "file-encoding", "file-empty", "yaml-too-deep", "wrong-extension",
        "unexpected-file", "duplicate-name", "not-a-mapping",
    }
    hostile = yaml.safe_load((Path(__file__).parent / "hostile/cases.yaml").read_text("utf-8"))
    tested |= {row[0] for case in hostile for row in case.get("expect") or []}  # test_hostile.py
    from tests.test_concepts import CASES as CONCEPT_CASES

    tested |= {c[0] for c in CONCEPT_CASES}  # test_concepts.py
    assert set(table) == tested
