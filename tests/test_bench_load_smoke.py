"""bench/bench_load.py runs end to end on a tiny catalogue (so the script cannot rot): a few
seconds of 20 keep-alive connections, zero errors, and a report with every figure."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def test_the_load_benchmark_runs_without_errors(tmp_path):
    done = subprocess.run(
        [sys.executable, str(REPO / "bench/bench_load.py"), "--entries", "20", "--variables", "5",
         "--connections", "20", "--seconds", "3", "--max-requests", "20000",
         "--work", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((tmp_path / "bench_load.json").read_text())
    assert report["errors"] == 0, report["error_kinds"]
    assert report["requests"] > 0 and report["statuses"]["404"] > 0  # the unknown ids came back
    assert {"rps", "p50_ms", "p99_ms", "seconds"} <= set(report)
    assert {"start", "peak", "end", "slope_mb_per_min"} <= set(report["memory_mb"])
    assert report["memory_mb"]["peak"] >= report["memory_mb"]["start"] > 0
