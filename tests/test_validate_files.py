"""Rules about whole files: what the validator says about files it cannot read as entries."""

from __future__ import annotations

import time
from pathlib import Path

from catalogue.validation.run import validate
from tests.conftest import edit

REG = "registries/hjerteregister/datapackage.yaml"
ORG = "organizations/st-olavs-hospital.yaml"


def findings(root: Path) -> list[list]:
    return validate([root], cache_dir=False).flatten(["code", "file", "line"])


def test_a_file_over_the_size_limit_is_refused_without_reading_it(catalogue_dir):
    big = catalogue_dir / ORG
    big.write_bytes(big.read_bytes() + b"#" * 6_000_000)
    assert ["file-too-large", f"metadata/{ORG}", 1] in findings(catalogue_dir)


def test_latin1_text_is_reported_at_the_first_bad_byte(catalogue_dir):
    path = catalogue_dir / ORG
    path.write_bytes(path.read_bytes().replace(b"Olav's", "Olav\xe6s".encode("latin-1")))
    assert ["file-encoding", f"metadata/{ORG}", 4] in findings(catalogue_dir)


def test_utf16_and_binary_files_are_encoding_errors(catalogue_dir):
    path = catalogue_dir / ORG
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    assert ["file-encoding", f"metadata/{ORG}", 1] in findings(catalogue_dir)
    path.write_bytes(bytes(range(256)))
    assert ["file-encoding", f"metadata/{ORG}", 1] in findings(catalogue_dir)


def test_a_utf8_byte_order_mark_is_accepted(catalogue_dir):
    path = catalogue_dir / ORG
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert findings(catalogue_dir) == []


def test_an_empty_file_or_only_comments(catalogue_dir):
    (catalogue_dir / ORG).write_text("# nothing yet\n")
    assert ["file-empty", f"metadata/{ORG}", 1] in findings(catalogue_dir)


def test_a_list_instead_of_a_mapping(catalogue_dir):
    (catalogue_dir / ORG).write_text("- one\n- two\n")
    assert ["not-a-mapping", f"metadata/{ORG}", 1] in findings(catalogue_dir)


def test_deep_nesting_is_refused(catalogue_dir):
    (catalogue_dir / ORG).write_text("a: " + "[" * 200 + "]" * 200 + "\n")
    codes = [f[0] for f in findings(catalogue_dir)]
    assert "yaml-too-deep" in codes


def test_an_alias_bomb_is_answered_within_seconds(catalogue_dir):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    (catalogue_dir / ORG).write_text("\n".join(lines) + "\n")
    started = time.perf_counter()
    result = findings(catalogue_dir)
    assert time.perf_counter() - started < 5
    assert ["yaml-alias", f"metadata/{ORG}", 1] in result


def test_unquoted_dates_are_accepted_as_written(catalogue_dir):
    text = (catalogue_dir / REG).read_text()
    assert "issued: 2014-03-01\n" in text  # no quotes
    assert findings(catalogue_dir) == []


def test_yml_files_and_data_files_and_strays(catalogue_dir):
    (catalogue_dir / "registries/hjerteregister/datapackage.yml").write_text("name: x\n")
    (catalogue_dir / "registries/hjerteregister/patients.csv").write_text("id,age\n1,40\n")
    (catalogue_dir / "registries/hjerteregister/notes.txt").write_text("x")
    (catalogue_dir / "registries/hjerteregister/logo.png").write_bytes(b"\x89PNG")
    (catalogue_dir / "biobanks/.hidden.xlsx").write_bytes(b"PK")
    (catalogue_dir / "registries/hjerteregister/old/dump.sav").parent.mkdir()
    (catalogue_dir / "registries/hjerteregister/old/dump.sav").write_bytes(b"$FL2")
    result = findings(catalogue_dir)
    assert ["data-file", "metadata/biobanks/.hidden.xlsx", 1] in result
    assert ["data-file", "metadata/registries/hjerteregister/old/dump.sav", 1] in result
    assert ["wrong-extension", "metadata/registries/hjerteregister/datapackage.yml", 1] in result
    assert ["data-file", "metadata/registries/hjerteregister/patients.csv", 1] in result
    assert ["data-file", "metadata/registries/hjerteregister/notes.txt", 1] in result
    assert ["unexpected-file", "metadata/registries/hjerteregister/logo.png", 1] in result


def test_a_symlink_is_not_followed(catalogue_dir, tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text("id: secret\n")
    (catalogue_dir / "organizations/secret.yaml").symlink_to(outside)
    assert ["unexpected-file", "metadata/organizations/secret.yaml", 1] in findings(catalogue_dir)


def test_the_same_name_for_a_registry_and_a_biobank(catalogue_dir):
    import shutil

    shutil.copytree(catalogue_dir / "biobanks/hjertebiobank", catalogue_dir / "biobanks/hjerteregister")
    path = catalogue_dir / "biobanks/hjerteregister/datapackage.yaml"
    edit(path, "name: hjertebiobank", "name: hjerteregister")
    edit(path, "id: 4c3e2a10-9d8b-4f6e-8a7b-1e2d3c4b5a69", "id: 9c3e2a10-9d8b-4f6e-8a7b-1e2d3c4b5a69")
    assert ["duplicate-name", "metadata/registries/hjerteregister/datapackage.yaml", 2] in findings(
        catalogue_dir
    )


def test_findings_are_limited_to_the_paths_asked_for(catalogue_dir):
    edit(catalogue_dir / ORG, "type: health-trust", "type: hospital")
    edit(catalogue_dir / REG, "themes: [HEAL]", "themes: [HEALTH]")
    only_org = validate([catalogue_dir / ORG], cache_dir=False)
    assert {f.file for f in only_org.findings} == {f"metadata/{ORG}"}


def test_the_cache_rechecks_only_what_changed(catalogue_dir, tmp_path):
    cache = tmp_path / "cache"
    first = validate([catalogue_dir], cache_dir=cache)
    assert first.stats["checked"] == 4 and first.stats["cached"] == 0
    edit(catalogue_dir / REG, "themes: [HEAL]", "themes: [HEALTH]")
    second = validate([catalogue_dir], cache_dir=cache)
    assert second.stats["checked"] == 1 and second.stats["cached"] == 3
    assert [f.code for f in second.findings] == ["unknown-term"]
    edit(catalogue_dir / "registries/hjerteregister/opphold.schema.yaml", "type: date", "type: dato")
    third = validate([catalogue_dir], cache_dir=cache)
    assert third.stats["checked"] == 1
    assert sorted(f.code for f in third.findings) == ["unknown-term", "unknown-term"]


def test_identity_numbers_and_bad_urls_are_found_behind_escapes_and_folding(catalogue_dir):
    path = catalogue_dir / REG
    edit(path, "description: Et lite register brukt i testene.",
         'description: "Pasient 0101001\\x32356 og java\\x73cript:alert(1)"')
    edit(path, "population: Adults treated for heart disease.",
         "population: >-\n    Adults such as 010100\n    12356")
    edit(path, "homepage: https://stolav.no/hjerteregister",
         'homepage: "java\\u0073cript:alert(1)"')
    codes = [f[0] for f in findings(catalogue_dir)]
    assert codes.count("national-id-number") == 2
    assert "invalid-url" in codes


def test_digit_groups_inside_an_identifier_are_no_identity_number(catalogue_dir):
    # the groups 079 and 00793701 of this UUID make a valid number (07900793701) by chance
    path = catalogue_dir / REG
    edit(path, "description: Et lite register brukt i testene.",
         "description: Se ressurs 8608abee-84e4-5c75-a079-00793701ed5f.")
    assert [f for f in findings(catalogue_dir) if f[0] == "national-id-number"] == []
    edit(path, "population: Adults treated for heart disease.", "population: Adults like 079007 93701.")
    assert [f[0] for f in findings(catalogue_dir)] == ["national-id-number"]
