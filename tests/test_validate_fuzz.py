"""Property tests: whatever a file holds, the validator answers with findings, never a crash."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.validate import validate
from tests.conftest import FIXTURES

REG = "registries/hjerteregister/datapackage.yaml"
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def check(text_or_bytes: str | bytes, target: str = REG) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "metadata"
        shutil.copytree(FIXTURES / "catalogue", root)
        path = root / target
        if isinstance(text_or_bytes, bytes):
            path.write_bytes(text_or_bytes)
        else:
            path.write_text(text_or_bytes, encoding="utf-8", errors="surrogatepass")
        report = validate([root], cache_dir=False)
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
