"""The `catalogue` command as a registry owner and a CI workflow use it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from catalogue.cli.main import app
from tests.conftest import FIXTURES, REPO, edit

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_validate_a_valid_catalogue_exits_0(catalogue_dir):
    code, out = run("validate", str(catalogue_dir), "--no-cache")
    assert code == 0
    assert "valid: 0 error(s)" in out


def test_validate_text_output_starts_with_file_line_col(catalogue_dir):
    edit(catalogue_dir / "organizations/ntnu.yaml", "type: university", "type: college")
    code, out = run("validate", str(catalogue_dir), "--no-cache")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2  # one line per finding, then the summary
    assert lines[0].startswith("metadata/organizations/ntnu.yaml:6:7: error [unknown-term] ")
    assert "Fix: Use a term from the vocabulary" in lines[0]
    assert lines[1].startswith("NOT valid: 1 error(s)")


def test_validate_json_output(catalogue_dir):
    edit(catalogue_dir / "organizations/ntnu.yaml", "type: university", "type: college")
    code, out = run("validate", str(catalogue_dir), "--format", "json", "--no-cache")
    report = json.loads(out)
    assert code == 1 and report["valid"] is False
    assert report["warnings"] == []
    assert report["errors"][0] == {
        "code": "unknown-term",
        "severity": "error",
        "file": "metadata/organizations/ntnu.yaml",
        "line": 6,
        "column": 7,
        "path": "/type",
        "message": "'college' is not in the vocabulary `organization-types`.",
        "hint": report["errors"][0]["hint"],
    }
    assert report["stats"]["organizations"] == 2


def test_validate_github_annotations(catalogue_dir):
    edit(catalogue_dir / "organizations/ntnu.yaml", "type: university", "type: college")
    code, out = run("validate", str(catalogue_dir), "--format", "github", "--no-cache")
    assert code == 1
    assert out.startswith("::error file=metadata/organizations/ntnu.yaml,line=6,col=7,title=")


def test_usage_errors_exit_2(tmp_path):
    assert run("validate", str(tmp_path / "nowhere"))[0] == 2
    (tmp_path / "notes.yaml").write_text("a: 1\n")
    code, out = run("validate", str(tmp_path / "notes.yaml"))
    assert code == 2 and "Not in a metadata folder" in out
    assert run("validate", "--format", "xml")[0] == 2


def test_no_traceback_for_garbage(catalogue_dir):
    (catalogue_dir / "registries/hjerteregister/datapackage.yaml").write_bytes(bytes(range(256)) * 4)
    (catalogue_dir / "organizations/ntnu.yaml").write_text("{{{{ : ]]\n\t- x")
    code, out = run("validate", str(catalogue_dir), "--no-cache")
    assert code == 1
    assert "Traceback" not in out


def test_python_dash_m_runs_the_cli(catalogue_dir):
    proc = subprocess.run(
        [sys.executable, "-m", "catalogue", "validate", str(catalogue_dir), "--no-cache"],
        capture_output=True, text=True, cwd=catalogue_dir.parent,
    )
    assert proc.returncode == 0, proc.stderr
    assert "valid:" in proc.stdout


def test_profiles_are_generated_from_the_models():
    code, out = run("profiles", "--check")
    assert code == 0, out


@pytest.mark.parametrize("kind", ["registry", "biobank", "organization"])
def test_new_writes_a_skeleton_that_validates(catalogue_dir, kind):
    code, out = run("new", kind, "nytt-register", "--metadata", str(catalogue_dir))
    assert code == 0, out
    folder = {"registry": "registries/nytt-register/datapackage.yaml",
              "biobank": "biobanks/nytt-register/datapackage.yaml",
              "organization": "organizations/nytt-register.yaml"}[kind]
    text = (catalogue_dir / folder).read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    profile = text.split("$schema=", 1)[1].split("\n", 1)[0]
    expected = "organization" if kind == "organization" else kind
    assert profile.endswith(f"profiles/{expected}.schema.json")
    # no validators/ beside this metadata folder (a metadata repository of its own): the profile
    # is copied beside it, and the reference reaches the copy from where the file was written
    target = (catalogue_dir / folder).parent.joinpath(profile).resolve()
    assert target == catalogue_dir.parent / ".catalogue/profiles" / f"{expected}.schema.json"
    assert json.loads(target.read_text())["$schema"].startswith("http://json-schema.org/")
    assert run("validate", str(catalogue_dir), "--no-cache")[0] == 0


@pytest.mark.parametrize("kind", ["registry", "biobank", "organization"])
def test_new_beside_a_validators_folder_points_at_its_profiles(tmp_path, kind):
    """As in this repository: metadata/ and validators/ side by side."""
    shutil.copytree(FIXTURES / "catalogue", tmp_path / "metadata")
    shutil.copytree(REPO / "validators", tmp_path / "validators")
    code, out = run("new", kind, "nytt-register", "--metadata", str(tmp_path / "metadata"))
    assert code == 0, out
    folder = {"registry": "registries/nytt-register/datapackage.yaml",
              "biobank": "biobanks/nytt-register/datapackage.yaml",
              "organization": "organizations/nytt-register.yaml"}[kind]
    first = (tmp_path / "metadata" / folder).read_text().splitlines()[0]
    up = "../../" if kind == "organization" else "../../../"
    assert first == f"# yaml-language-server: $schema={up}validators/profiles/{kind}.schema.json"
    # the same relative path reaches the profile in the repository's own metadata/
    in_repo = REPO / "metadata" / folder
    assert in_repo.parent.joinpath(first.split("=", 1)[1]).resolve().is_file()
    assert not (tmp_path / ".catalogue").exists()


def test_new_refuses_an_existing_entry_or_a_bad_id(catalogue_dir):
    assert run("new", "registry", "hjerteregister", "--metadata", str(catalogue_dir))[0] == 2
    assert run("new", "registry", "Bad Id", "--metadata", str(catalogue_dir))[0] == 2
    code, out = run("new", "registry", "x-y-z", "--organization", "nobody",
                    "--metadata", str(catalogue_dir))
    assert code == 2 and "catalogue new organization" in out


def _sheet(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_import_dictionary_from_xlsx(catalogue_dir, tmp_path):
    xlsx = _sheet(tmp_path / "variabler.xlsx", [
        ["Variabelnavn", "Ledetekst", "Beskrivelse", "Datatype", "Enhet", "Kodeliste", "Kodeverk",
         "Min", "Max"],
        ["alder", "Alder", "Alder ved innleggelse", "heltall", "år", None, None, 0, 120],
        ["kjonn", "Kjønn", None, "kategori", None, "1=Mann; 2=Kvinne", None, None, None],
        ["diagnose", "Hoveddiagnose", None, "tekst", None, None, "ICD-10", None, None],
    ])
    code, out = run("import-dictionary", str(xlsx), "--entry", "hjerteregister",
                    "--resource", "poliklinikk", "--metadata", str(catalogue_dir))
    assert code == 0, out
    schema = (catalogue_dir / "registries/hjerteregister/poliklinikk.schema.yaml").read_text()
    assert "name: kjonn" in schema and "label: Kvinne" in schema and "coding_system: ICD-10" in schema
    descriptor = (catalogue_dir / "registries/hjerteregister/datapackage.yaml").read_text()
    assert "schema: poliklinikk.schema.yaml" in descriptor
    assert "schema: opphold.schema.yaml" in descriptor
    code, out = run("validate", str(catalogue_dir), "--no-cache")
    assert code == 0, out


def test_import_dictionary_from_semicolon_csv_replaces_the_resource_schema(catalogue_dir, tmp_path):
    csv = tmp_path / "vars.csv"
    csv.write_text('name;title;type;categories\nvekt;Vekt;number;\nroyk;Røyker;integer;"0=Nei;1=Ja"\n')
    code, out = run("import-dictionary", str(csv), "--entry", "hjerteregister",
                    "--resource", "opphold", "--metadata", str(catalogue_dir))
    assert code == 0, out
    schema = (catalogue_dir / "registries/hjerteregister/opphold.schema.yaml").read_text()
    assert "name: royk" in schema and "blodtrykk" not in schema
    assert run("validate", str(catalogue_dir), "--no-cache")[0] == 0


@pytest.mark.parametrize(("rows", "message"), [
    ([], "the sheet is empty"),
    ([["Tittel", "Type"], ["Alder", "heltall"]], "no column for the variable name"),
    ([["name", "type"], ["a", "heltall"], ["a", "tekst"]], "row 3: 'a' is also on row 2"),
    ([["name", "type"], ["a", "complex"]], "row 2: unknown type 'complex'"),
    ([["name", "type"]], "has a header but no variables"),
    ([["name", "kodeverk"], ["a", "ICD-99"]], "coding system 'ICD-99'"),
])
def test_import_dictionary_explains_unusable_sheets(catalogue_dir, tmp_path, rows, message):
    xlsx = _sheet(tmp_path / "bad.xlsx", rows)
    code, out = run("import-dictionary", str(xlsx), "--entry", "hjerteregister",
                    "--metadata", str(catalogue_dir))
    assert code == 1
    assert message in out.replace("\n", "")


def test_import_dictionary_refuses_a_file_that_is_not_a_workbook(catalogue_dir, tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip")
    code, out = run("import-dictionary", str(fake), "--entry", "hjerteregister",
                    "--metadata", str(catalogue_dir))
    assert code == 1 and "not a readable XLSX workbook" in out


def test_synth_writes_a_valid_catalogue(tmp_path):
    code, out = run("synth", "--entries", "12", "--variables", "30", "--out", str(tmp_path / "s"))
    assert code == 0, out
    report_code, report = run("validate", str(tmp_path / "s"), "--format", "json", "--no-cache")
    stats = json.loads(report)["stats"]
    assert report_code == 0
    assert stats["registries"] + stats["biobanks"] == 12 and stats["variables"] == 360


@pytest.mark.parametrize("given", ["lots", "-5", "nan"])
def test_a_memory_setting_that_is_not_a_number_of_megabytes_is_named_with_its_fix(
        catalogue_dir, tmp_path, monkeypatch, given):
    monkeypatch.setenv("CATALOGUE_MODELS_MB", given)
    code, out = run("build", "--metadata", str(catalogue_dir), "--out", str(tmp_path / "site"),
                    "--db", f"sqlite:///{tmp_path / 'store.sqlite'}")
    assert code == 2
    assert f"CATALOGUE_MODELS_MB={given!r} is not a number of megabytes" in out
    assert "such as 2048, or unset it" in out and "Traceback" not in out
    assert not (tmp_path / "site").exists()
