"""Property tests: whatever a file holds, the validator answers with findings, never a crash,
within a time bound, and every finding has a code, a file, a line, a column and a hint."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.validation.run import validate
from tests.conftest import FIXTURES

REG = "registries/hjerteregister/datapackage.yaml"
SCHEMA = "registries/hjerteregister/opphold.schema.yaml"
ORG = "organizations/ntnu.yaml"
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
SECONDS = 5  # per example, on a loaded machine; a normal entry takes milliseconds


def check(text_or_bytes: str | bytes, target: str = REG) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "metadata"
        shutil.copytree(FIXTURES / "catalogue", root)
        path = root / target
        if isinstance(text_or_bytes, bytes):
            path.write_bytes(text_or_bytes)
        else:
            path.write_text(text_or_bytes, encoding="utf-8", errors="surrogatepass")
        started = time.perf_counter()
        report = validate([root], cache_dir=False)
        assert time.perf_counter() - started < SECONDS
        for f in report.findings:
            assert f.file.startswith("metadata/") and f.line >= 1 and f.column >= 1
            assert f.code and f.message and f.hint and f.severity in ("error", "warning")


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    check(data)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("ab: -[]{}&*!|>'\"#\n\t\\,?%@`0129")), max_size=300))
def test_random_yaml_punctuation(text):
    check(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@FUZZ
@given(st.data())
def test_random_mutations_of_a_valid_entry(data):
    entry = yaml.safe_load((FIXTURES / "catalogue" / REG).read_text())
    keys = sorted(entry)
    for _ in range(data.draw(st.integers(1, 3))):
        key = data.draw(st.sampled_from(keys))
        action = data.draw(st.sampled_from(["replace", "delete", "nest"]))
        if action == "delete":
            entry.pop(key, None)
        elif action == "replace":
            entry[key] = data.draw(json_values)
        elif isinstance(entry.get(key), dict) and entry[key]:
            sub = data.draw(st.sampled_from(sorted(entry[key])))
            entry[key][sub] = data.draw(json_values)
    check(yaml.safe_dump(entry, allow_unicode=True))


# Scalars as they come out of hostile hands: control and bidi characters, look-alike letters,
# markup, identity numbers in groups, huge and odd numbers, YAML's special words.
hostile_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["\x00", "\x1b[31m", "\x85", "\u202e", "\u2066", "\ufeff", "\u2028", "а", "Ο",
                     "<script>alert(1)</script>", "javascript:alert(1)", "data:text/html,x",
                     "file:///etc/passwd", "../../etc/passwd", "010100 12356", "01.01.00 123 56",
                     "~", "null", "yes", "2024-02-30", "0x1F", "1e999", ".inf", "*a", "&a",
                     "!!python/object"]),
    st.lists(st.sampled_from(["ab", " ", "\x1b", "\u202e", "01", "0100", "12356", "-", ".", "\n"]),
             max_size=8).map("".join),
)
scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
           | hostile_text)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(hostile_text, inner, max_size=5),
    max_leaves=30,
)


@FUZZ
@given(st.dictionaries(st.sampled_from(["id", "name", "title", "resources", "fields", "keywords",
                                        "translations", "x"]) | hostile_text, documents, max_size=8),
       st.sampled_from([REG, SCHEMA, ORG]))
def test_random_yaml_documents_in_every_kind_of_file(doc, target):
    check(yaml.safe_dump(doc, allow_unicode=True), target)


@FUZZ
@given(st.data())
def test_random_edits_of_the_lines_of_a_valid_file(data):
    """Lines deleted, duplicated (duplicate keys), swapped, re-indented or given a hostile value."""
    target = data.draw(st.sampled_from([REG, SCHEMA, ORG]))
    lines = (FIXTURES / "catalogue" / target).read_text(encoding="utf-8").splitlines()
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "value"]))
        if action == "delete" and len(lines) > 1:
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "indent":
            lines[i] = " " * data.draw(st.integers(0, 6)) + lines[i].lstrip()
        elif ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            value = data.draw(hostile_text | st.sampled_from(["[", "{", "]", "|", ">", "[1, 2]", "{a: 1}"]))
            lines[i] = f"{key}: {value}"
    check("\n".join(lines) + "\n", target)


@FUZZ
@given(st.data())
def test_type_swaps_of_every_field_of_a_valid_entry(data):
    """Any value, at any depth, replaced by a value of another type."""
    entry = yaml.safe_load((FIXTURES / "catalogue" / REG).read_text())
    node = entry
    for _ in range(data.draw(st.integers(1, 4))):
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        key = data.draw(st.sampled_from(keys))
        if isinstance(node[key], dict | list) and data.draw(st.booleans()):
            node = node[key]
            continue
        node[key] = data.draw(documents.filter(lambda v, old=node[key]: type(v) is not type(old)))
        break
    check(yaml.safe_dump(entry, allow_unicode=True))


def test_a_short_coverage_guided_run_finds_no_crash(tmp_path):
    """tests/fuzz/fuzz_validate.py (atheris), seeded with the hostile corpus, for a few seconds."""
    import subprocess
    import sys

    if not os.environ.get("CI"):  # CI installs it with the test extras and never skips
        pytest.importorskip("atheris")
    corpus = tmp_path / "corpus"
    shutil.copytree(Path(__file__).parent / "hostile", corpus)
    for n, path in enumerate(sorted((FIXTURES / "catalogue").rglob("*.yaml"))):
        (corpus / f"seed-{n}").write_bytes(bytes([n]) + path.read_bytes())  # first byte: the file
    script = Path(__file__).parent / "fuzz" / "fuzz_validate.py"
    run = subprocess.run([sys.executable, str(script), "-runs=400", "-max_total_time=8",
                          "-timeout=10", f"-artifact_prefix={tmp_path}/", str(corpus)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Done" in run.stderr
