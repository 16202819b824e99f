"""The project's own promises: layout, the sample catalogue, and documentation that cannot drift."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import yaml

from catalogue.cli import docgen
from catalogue.load import load_catalogue
from catalogue.validation.run import validate
from tests.conftest import REPO


def test_validators_folder_is_never_an_importable_package():
    assert not (REPO / "validators" / "__init__.py").exists()
    assert not list((REPO / "validators").rglob("*.py"))
    assert not (REPO / "validators.py").exists()
    # `validators` must resolve to the PyPI package that frictionless imports, from any cwd
    code = "import validators, frictionless; print(validators.__file__); validators.email('a@b.no')"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "site-packages" in out.stdout
    assert importlib.util.find_spec("validators").origin.endswith("validators/__init__.py")


def test_top_level_layout_is_as_agreed():
    allowed = {"catalogue", "metadata", "validators", "docs", "tests", "mkdocs.yml", "README.md",
               "pyproject.toml", ".ci", "bench", ".github", ".gitignore",
               ".pre-commit-hooks.yaml"}  # issue 11: pre-commit reads it at the top level only
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True).stdout
    top = {line.split("/", 1)[0] for line in tracked.splitlines() if line}
    assert top <= allowed, top - allowed


def test_the_sample_catalogue_validates_clean():
    report = validate([REPO / "metadata"], cache_dir=False)
    assert report.findings == [], [f.text() for f in report.findings]


def test_the_sample_catalogue_is_big_enough_to_be_real():
    cat = load_catalogue(REPO / "metadata", check=False)
    registries = [e for e in cat.entries if e.kind == "registry"]
    biobanks = [e for e in cat.entries if e.kind == "biobank"]
    assert len(registries) >= 12 and len(biobanks) >= 5
    controllers = {e.model.data_controller for e in cat.entries}
    assert len(controllers) >= 4
    kinds = {e.model.registry_type for e in registries}
    assert {"national-quality-registry", "central-health-registry"} <= kinds
    assert any(e.model.access.decided_by == "helsedataservice" for e in registries)
    for e in cat.entries:
        assert sum(1 for _ in e.variables()) >= 15, e.name
        assert e.model.demonstration, f"{e.name}: say which values are illustrative"


def test_reference_pages_match_the_code():
    stale = docgen.stale_pages()
    assert not stale, f"run `catalogue docs --write`: {stale}"


def test_every_command_and_rule_is_documented():
    cli = (REPO / "docs/reference/cli.md").read_text()
    rules = (REPO / "docs/reference/rules.md").read_text()
    from typer.main import get_command

    from catalogue.cli.main import app
    from catalogue.validation.findings import rules as rule_table

    group = get_command(app)
    for name in group.list_commands(None):
        assert f"## `catalogue {name}`" in cli
    for code in rule_table():
        assert f"`{code}`" in rules


def test_readme_has_exactly_two_setup_commands():
    readme = (REPO / "README.md").read_text()
    blocks = readme.split("```")[1::2]
    commands = [ln for b in blocks[:2] for ln in b.splitlines()[1:] if ln.strip()
                and not ln.startswith("#")]
    assert commands == ["bash .ci/serve", "bash .ci/test"]
    assert "bash .ci/test" in (REPO / ".ci/run").read_text()


def test_every_metadata_file_points_its_editor_at_an_existing_profile():
    for path in sorted((REPO / "metadata").rglob("*.yaml")):
        if path.name.endswith(".schema.yaml"):
            continue
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = path.parent / first.split("$schema=", 1)[1].strip()
        assert target.resolve().is_file(), f"{path}: {target}"


def test_the_security_page_is_in_the_nav_and_names_tests_that_exist():
    import re

    nav = yaml.safe_load((REPO / "mkdocs.yml").read_text())["nav"]
    assert {"Security": "security.md"} in nav
    page = (REPO / "docs/security.md").read_text()
    named = set(re.findall(r"`((?:tests|bench)/[\w/.]*)`", page))
    assert {"tests/test_build_faults.py", "tests/test_leakcheck.py"} <= named
    missing = {n for n in named if not (REPO / n).exists()}
    assert not missing, f"docs/security.md names tests that do not exist: {missing}"


def test_every_limit_is_documented_with_its_value_and_finding():
    limits = yaml.safe_load((REPO / "validators/limits.yaml").read_text(encoding="utf-8"))
    doc = (REPO / "docs/entry-format.md").read_text(encoding="utf-8")
    rules = yaml.safe_load((REPO / "validators/rules.yaml").read_text(encoding="utf-8"))
    notes = (REPO / "validators/limits.yaml").read_text(encoding="utf-8")
    for name, value in limits.items():
        row = next((ln for ln in doc.splitlines() if ln.startswith(f"| `{name}`")), "")
        assert f"| {value:,} |" in row, f"{name} = {value} is not in docs/entry-format.md"
        code = row.rsplit("`", 2)[-2]
        assert code in rules and f"(finding: {code})" in notes, name
