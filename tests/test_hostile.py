"""The hostile-input corpus: each case in tests/hostile/cases.yaml breaks a copy of the fixture
catalogue in one hostile way and lists every finding the validator must give, exactly: code, file,
line and column. Huge files are made here (sparse or streamed), never committed.

    python -m tests.test_hostile [case-id ...]   # print what the validator says, to write a case
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from catalogue.settings import validators_dir
from catalogue.validation.run import validate

HERE = Path(__file__).parent / "hostile"
FIXTURES = Path(__file__).parent / "fixtures" / "catalogue"
CASES = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
SECRET = "Hemmelig-7f3a"  # the text of a file outside the metadata folder: never in a message
SECONDS = 5  # every case is answered within this, however large or deep its input


def _huge(path: Path, size: int) -> None:
    """A sparse file of `size` bytes that starts like an organisation: costs no disk, no time."""
    with path.open("wb") as f:
        f.write(b"id: ntnu\nname: {nb: NTNU}\ndescription: ")
        f.truncate(size)


def _streamed(path: Path, size: int) -> None:
    """A real file just over a size, written in chunks of ordinary YAML comment lines."""
    line = b"# " + b"x" * 97 + b"\n"
    with path.open("wb") as f:
        f.write(b"id: ntnu\n")
        for _ in range(size // len(line) + 1):
            f.write(line)


GENERATORS: dict[str, Callable[[Path], None]] = {
    "sparse-100-mb": lambda p: _huge(p, 100_000_000),
    "streamed-5-mb": lambda p: _streamed(p, 5_000_001),
    "flow-lists-10000-deep": lambda p: p.write_text("id: ntnu\nx: " + "[" * 10_000 + "]" * 10_000 + "\n"),
    "flow-lists-10000-unclosed": lambda p: p.write_text("id: ntnu\nx: " + "[" * 10_000 + "\n"),
    "flow-mappings-10000-deep": lambda p: p.write_text(
        "id: ntnu\nx: " + "{a: " * 10_000 + "b" + "}" * 10_000 + "\n"),
    "block-mappings-1000-deep": lambda p: p.write_text(
        "id: ntnu\nx:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(1000)) + " " * 1001 + "v\n"),
    "block-lists-1000-deep": lambda p: p.write_text("id: ntnu\nx:\n" + "- " * 1000 + "v\n"),
    "300000-values": lambda p: p.write_text("id: ntnu\nx: [" + ",".join(["0"] * 300_000) + "]\n"),
    "60000-character-title": lambda p: p.write_text(
        (FIXTURES / "organizations/ntnu.yaml").read_text(encoding="utf-8").replace(
            "  en: ", "  en: " + "Long " * 12_000, 1), encoding="utf-8"),
}


def apply(step: dict, root: Path, outside: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One step of a case, on the catalogue copy at `root` (the `metadata` folder)."""
    if "copy" in step:
        shutil.copyfile(HERE / step["copy"], root / step["to"])
    elif "clone" in step:
        shutil.copytree(root / step["clone"], root / step["to"])
    elif "write" in step:
        target = root / step["write"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(step["text"], encoding="utf-8")
    elif "edit" in step:
        target = root / step["edit"]
        text = target.read_text(encoding="utf-8")
        assert text.count(step["old"]) == 1, f"{step['old']!r} not once in {target}"
        target.write_text(text.replace(step["old"], step["new"]), encoding="utf-8")
    elif "remove" in step:
        target = root / step["remove"]
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    elif "symlink" in step:
        link = root / step["symlink"]
        if link.exists() or link.is_symlink():
            shutil.rmtree(link) if link.is_dir() and not link.is_symlink() else link.unlink()
        link.symlink_to(step["to"].replace("{outside}", str(outside)))
    elif "generate" in step:
        GENERATORS[step["generate"]](root / step["to"])
    elif "limits" in step:
        folder = root.parent / "validators"
        shutil.copytree(validators_dir(), folder)
        limits = yaml.safe_load((folder / "limits.yaml").read_text(encoding="utf-8"))
        (folder / "limits.yaml").write_text(yaml.safe_dump({**limits, **step["limits"]}))
        monkeypatch.setenv("CATALOGUE_VALIDATORS", str(folder))
    else:
        raise AssertionError(f"unknown step {step}")


def run(case: dict, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[list], float]:
    root = tmp / "metadata"
    shutil.copytree(FIXTURES, root)
    outside = tmp / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(f"id: secret\nname: {{nb: {SECRET}}}\n")
    for step in case["steps"]:
        apply(step, root, outside, monkeypatch)
    started = time.perf_counter()
    report = validate([root], cache_dir=False)
    elapsed = time.perf_counter() - started
    for f in report.findings:
        assert f.code and f.hint and f.message and f.line >= 1 and f.column >= 1, f
        assert SECRET not in f.message and "root:" not in f.message  # nothing read from outside
    found = [[f.code, f.file.removeprefix("metadata/"), f.line, f.column] for f in report.findings]
    for code, words in case.get("says") or []:  # what a message or hint must name
        said = [f"{f.message} {f.hint}" for f in report.findings if f.code == code]
        assert any(words in s for s in said), f"no {code} says {words!r}: {said}"
    return found, elapsed


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hostile_case(case, tmp_path, monkeypatch):
    found, elapsed = run(case, tmp_path, monkeypatch)
    assert elapsed < SECONDS, f"{case['id']} took {elapsed:.1f} s"
    expected = sorted(list(e) for e in case.get("expect") or [])
    assert sorted(found) == expected


def test_every_case_has_an_id_a_reason_and_steps():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    for case in CASES:
        assert set(case) <= {"id", "about", "steps", "expect", "says"} and case["about"] and case["steps"]
    used = {s["copy"] for c in CASES for s in c["steps"] if "copy" in s}
    on_disk = {p.name for p in HERE.iterdir() if p.name != "cases.yaml"}
    assert used == on_disk, "every corpus file is used by a case"


if __name__ == "__main__":  # print what the validator says about each case
    import tempfile

    for case in CASES:
        if sys.argv[1:] and case["id"] not in sys.argv[1:]:
            continue
        with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as mp:
            found, elapsed = run(case, Path(tmp), mp)
        print(f"- id: {case['id']}  # {elapsed:.2f} s")
        for row in sorted(found):
            print(f"    - {row}".replace("'", ""))
    os.environ.pop("CATALOGUE_VALIDATORS", None)
