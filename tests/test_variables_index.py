"""The variables index as files: what a search and a comparison read, built from the sample
catalogue, and the constants the browser's script must share with the writer."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import pytest

from catalogue.load import load_catalogue
from catalogue.site import variables_index as vi
from tests.conftest import REPO


@pytest.fixture(name="index", scope="module")
def index_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("vi")
    stats = vi.write(out, load_catalogue(REPO / "metadata"))
    assert stats["variables"] > 300
    return out / vi.FOLDER


def read(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


def test_words_are_split_as_the_search_splits_them():
    assert vi.tokens("hba1c_mmol HbA1c (mmol/mol) 72166-2.") == {
        "hba1c_mmol", "hba1c", "mmol", "mol", "72166-2", "72166"}
    assert vi.shard_key("røyking") == "r~f8" and vi.shard_key("72166-2") == "72"


def test_a_concept_code_leads_to_variables_of_several_sources(index):
    shard = read(index / "t" / "72.json")
    flat = shard["72166-2"]
    ids = flat[0::3]
    names, sources = set(), set()
    for vid in ids:
        chunk = read(index / "r" / f"{vid // vi.CHUNK}.json")
        row = chunk["r"][vid % vi.CHUNK]
        names.add(row[2])
        sources.add(chunk["s"][str(row[0])][0])
        assert ["LOINC", "72166-2", "Tobacco smoking status"] in row[7]
    assert {"royking", "royker"} <= names and len(sources) >= 4


def test_a_compared_variable_is_in_its_bucket(index):
    b = vi.bucket("arskontroll", "hba1c")
    data = read(index / "e" / f"norsk-diabetesregister-for-voksne_{b}.json")
    v = data["vars"]["arskontroll/hba1c"]
    assert v["unit"] == "mmol/mol" and v["concepts"][0][:2] == ["LOINC", "59261-8"]
    assert data["source"]["from"] == 2006 and data["source"]["decider"]["en"]


def test_facets_name_every_profile(index):
    meta = read(index / "facets.json")
    assert {s["id"] for s in meta["systems"]} == {"LOINC"}
    assert {k["id"] for k in meta["kinds"]} == {"registry", "biobank"}
    for flat in (v for v in read(index / "t" / "hb.json").values() if isinstance(v, list)):
        assert all(sp < len(meta["sources"]) and vp < len(meta["profiles"])
                   for sp, vp in zip(flat[1::3], flat[2::3], strict=True))


def test_the_browser_script_shares_the_writers_constants():
    js = (REPO / "catalogue/site/assets/variables.js").read_text(encoding="utf-8")
    assert re.search(rf"var BUCKETS = {vi.BUCKETS};", js)
    assert re.search(rf"var CHUNK = {vi.CHUNK};", js)
    assert "0xedb88320" in js  # CRC-32, as vi.bucket (zlib.crc32)


def test_long_posting_lists_go_to_pages(tmp_path, monkeypatch):
    monkeypatch.setattr(vi, "INLINE", 2)
    monkeypatch.setattr(vi, "PAGE", 5)
    vi.write(tmp_path, load_catalogue(REPO / "metadata"))
    entry = read(tmp_path / vi.FOLDER / "t" / "72.json")["72166-2"]
    assert entry["n"] >= 5 and entry["pages"] == -(-entry["n"] // 5)
    first = read(tmp_path / vi.FOLDER / "p" / f"{entry['dir']}_0.json")
    assert len(first) == 15


def test_files_waiting_for_the_disk_are_bounded(tmp_path, monkeypatch):
    """When the disk is slower than the encoding, `dump` waits rather than hold every file."""
    disk = threading.Event()
    write = vi._write
    monkeypatch.setattr(vi, "_write", lambda path, data: disk.wait() and write(path, data))
    monkeypatch.setattr(vi._Files, "PENDING", 3)
    files = vi._Files(tmp_path)
    for n in range(3):
        files.dump(f"{n}.json", [n])  # waiting: at most PENDING
    fourth = threading.Thread(target=files.dump, args=("3.json", [3]))
    fourth.start()
    fourth.join(0.3)
    assert fourth.is_alive()  # the fourth waits for the first to be written
    disk.set()
    fourth.join(5)
    files.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.json", "1.json", "2.json", "3.json"]
    assert [read(tmp_path / f"{n}.json") for n in range(4)] == [[0], [1], [2], [3]]


def test_a_failed_write_is_raised_in_the_build_with_its_file_name(tmp_path, monkeypatch):
    monkeypatch.setattr(vi._Files, "PENDING", 1)
    files = vi._Files(tmp_path)
    (tmp_path / "taken.json").mkdir()  # a folder where the file should be
    files.dump("taken.json", [1])
    with pytest.raises(OSError) as raised:
        files.dump("next.json", [2])  # waits for the first, which failed
        files.close()
    assert "taken.json" in str(raised.value)
