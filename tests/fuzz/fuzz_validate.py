"""Coverage-guided fuzzing of the validator with atheris (libFuzzer): any bytes, as an entry, a
Table Schema file or an organisation, must give findings with a code, a line and a hint, and
never an exception.

    pip install atheris                                      # Python 3.11 wheels exist
    python tests/fuzz/fuzz_validate.py                      # runs until stopped; crashes saved
    python tests/fuzz/fuzz_validate.py -runs=2000 -max_total_time=60 /tmp/corpus tests/hostile

libFuzzer flags: -runs, -max_total_time (seconds), -timeout (per input, seconds); a folder
argument is a corpus it reads and grows. tests/test_validate_fuzz.py runs it briefly.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["catalogue"]):
    from catalogue.validation.run import Job, check_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "catalogue"
WORK = Path(tempfile.mkdtemp(prefix="fuzz-validate-")) / "metadata"
shutil.copytree(FIXTURES, WORK)
REG = WORK / "registries/hjerteregister"
TARGETS = [  # (file the bytes go to, the job that reads it)
    (REG / "datapackage.yaml", Job("registry", REG / "datapackage.yaml", "metadata/registries/"
                                   "hjerteregister/datapackage.yaml", ("opphold.schema.yaml",))),
    (REG / "opphold.schema.yaml", Job("registry", REG / "datapackage.yaml", "metadata/registries/"
                                      "hjerteregister/datapackage.yaml", ("opphold.schema.yaml",))),
    (WORK / "organizations/ntnu.yaml", Job("organization", WORK / "organizations/ntnu.yaml",
                                           "metadata/organizations/ntnu.yaml")),
]
ORIGINAL = {path: path.read_bytes() for path, _ in TARGETS}
SECONDS = 5


def one_input(data: bytes) -> None:
    """Bytes in one file of a valid catalogue: the validator answers, in time, with findings."""
    if not data:
        return
    path, job = TARGETS[data[0] % len(TARGETS)]
    path.write_bytes(data[1:])
    try:
        started = time.perf_counter()
        result = check_file(job)
        elapsed = time.perf_counter() - started
    finally:
        path.write_bytes(ORIGINAL[path])
    assert elapsed < SECONDS, f"{elapsed:.1f} s"
    for f in result.findings:
        assert f.code and f.message and f.hint and f.file.startswith("metadata/"), f
        assert f.line >= 1 and f.column >= 1 and f.severity in ("error", "warning"), f


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    try:
        atheris.Fuzz()
    finally:
        shutil.rmtree(WORK.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
