"""Loading a catalogue: a big one is parsed on every core, with the same result as on one."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue import load
from catalogue.devtools.synth import synth


def test_a_big_catalogue_loads_the_same_on_every_core_as_on_one(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "metadata"
    synth(root, 250, 3, seed=5)
    parallel = load.load_catalogue(root, check=False)
    monkeypatch.setattr(load, "PARALLEL_FROM", 10**9)
    one = load.load_catalogue(root, check=False)
    assert len(parallel.entries) == 250
    assert [(e.file, e.content_hash) for e in parallel.entries] == \
        [(e.file, e.content_hash) for e in one.entries]
    assert [e.model for e in parallel.entries] == [e.model for e in one.entries]
