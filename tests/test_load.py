"""Loading a catalogue: a big one is parsed on every core, with the same result as on one; a
rebuild reads unchanged entries from the cache, never a stale one."""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from catalogue import load
from catalogue.devtools.synth import synth
from catalogue.format.models import ENTRY_MODELS

FIXTURES = Path(__file__).parent / "fixtures" / "catalogue"


def test_a_big_catalogue_loads_the_same_on_every_core_as_on_one(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "metadata"
    synth(root, 250, 3, seed=5)
    parallel = load.load_catalogue(root, check=False, cache_dir=False)
    monkeypatch.setattr(load, "PARALLEL_FROM", 10**9)
    one = load.load_catalogue(root, check=False, cache_dir=False)
    assert len(parallel.entries) == 250
    assert [(e.file, e.content_hash) for e in parallel.entries] == \
        [(e.file, e.content_hash) for e in one.entries]
    assert [e.model for e in parallel.entries] == [e.model for e in one.entries]


def test_a_second_load_reads_the_cache_and_sees_a_changed_table_schema(tmp_path: Path):
    root, cache = tmp_path / "metadata", tmp_path / "cache"
    shutil.copytree(FIXTURES, root)
    first = load.load_catalogue(root, cache_dir=cache)
    entry = first.entry("hjerteregister")
    assert entry is not None and entry.schema_files == ("opphold.schema.yaml",)
    assert len(list(cache.glob("load-*/*"))) == len(first.entries)  # one file per entry
    schema = root / "registries" / "hjerteregister" / "opphold.schema.yaml"
    schema.write_text(schema.read_text(encoding="utf-8").replace("title: ", "title: Endret ", 1),
                      encoding="utf-8")
    second = load.load_catalogue(root, cache_dir=cache)
    changed = second.entry("hjerteregister")
    assert changed is not None and changed.content_hash != entry.content_hash
    assert [f.title for _, f in changed.variables()][0].startswith("Endret ")
    unchanged = [(e.file, e.content_hash, e.model) for e in second.entries if e.name != "hjerteregister"]
    assert unchanged == [(e.file, e.content_hash, e.model) for e in first.entries
                         if e.name != "hjerteregister"]
    assert len(list(cache.glob("load-*/*"))) == len(first.entries)  # the stale one was dropped


def test_a_broken_cache_file_is_parsed_again(tmp_path: Path):
    root, cache = tmp_path / "metadata", tmp_path / "cache"
    shutil.copytree(FIXTURES, root)
    first = load.load_catalogue(root, cache_dir=cache)
    for f in cache.glob("load-*/*"):
        f.write_bytes(b"not a pickle")
    again = load.load_catalogue(root, cache_dir=cache)
    assert [(e.content_hash, e.model) for e in again.entries] == \
        [(e.content_hash, e.model) for e in first.entries]


def test_the_load_takes_each_entry_as_the_validation_read_it(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch):
    """A build validates, then loads: each entry file is parsed once, by the validation, and
    the load makes the same entries from what it read as it would by reading them itself."""
    from catalogue.validation import yaml_reader

    root = tmp_path / "metadata"
    shutil.copytree(FIXTURES, root)
    monkeypatch.chdir(tmp_path)  # a cold validation cache, in tmp_path/build/cache
    parses: list[str] = []
    real_read = yaml_reader.read_text

    def counted(path: Path) -> str:
        parses.append(Path(path).name)
        return real_read(path)

    monkeypatch.setattr(yaml_reader, "read_text", counted)
    taken = load.load_catalogue(root, cache_dir=False)
    entry_files = [n for n in parses if n == "datapackage.yaml" or n.endswith(".schema.yaml")]
    # each read once, by the validation
    assert len(entry_files) == len(taken.entries) + sum(len(e.schema_files) for e in taken.entries)
    monkeypatch.setattr(yaml_reader, "read_text", real_read)
    read_here = load.load_catalogue(root, check=False, cache_dir=False)
    assert [(e.file, e.content_hash, e.variables_hash, e.schema_files, e.model, e.descriptor)
            for e in taken.entries] == \
        [(e.file, e.content_hash, e.variables_hash, e.schema_files, e.model, e.descriptor)
         for e in read_here.entries]


def _models_in(model: BaseModel) -> Iterator[BaseModel]:
    """Every model inside `model`, itself included, found by looking at every value."""
    todo = [model]
    while todo:
        m = todo.pop()
        yield m
        for value in m.__dict__.values():
            if isinstance(value, dict):
                value = list(value.values())
            items = value if isinstance(value, list | tuple) else [value]
            todo.extend(v for v in items if isinstance(v, BaseModel))


def test_loaded_models_share_one_frozen_set_of_given_fields_per_kind_of_field(tmp_path: Path):
    root = tmp_path / "metadata"
    synth(root, 3, 40, seed=5)
    for cache in (False, tmp_path / "cache", tmp_path / "cache"):  # made, cached, read from the cache
        entry = load.load_catalogue(root, cache_dir=cache).entries[0]
        fields = [f for _, f in entry.variables()]
        distinct = {f.model_fields_set for f in fields}
        assert len({id(f.model_fields_set) for f in fields}) == len(distinct) < len(fields)  # not one each
        assert all(isinstance(f.model_fields_set, frozenset) for f in fields)
        fresh = ENTRY_MODELS[entry.kind].model_validate(entry.descriptor)  # each with a set of its own
        assert [f.model_fields_set for _, f in entry.variables()] == \
            [f.model_fields_set for res in fresh.resources for f in res.schema_.fields]
        everything = list(_models_in(entry.model))  # contributors, access, concepts...
        assert len(everything) > len(fields) + 3
        assert all(isinstance(m.model_fields_set, frozenset) for m in everything)
        first = fields[0]
        with pytest.raises(AttributeError):  # a loaded model is not to be changed: it says so
            first.title = "Endret"


def test_a_catalogue_too_big_for_its_models_as_objects_keeps_them_packed(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "metadata"
    synth(root, 30, 10, seed=2)
    for cache in (False, tmp_path / "cache", tmp_path / "cache"):  # made, cached, read from the cache
        held = load.load_catalogue(root, cache_dir=cache)
        assert all(e.resident is not None and not e.packed_model for e in held.entries)
        one_entry = len(pickle.dumps(held.entries[0].model, protocol=pickle.HIGHEST_PROTOCOL))
        monkeypatch.setenv("CATALOGUE_MODELS_MB", str(one_entry * load.EXPANSION * 10.5 / 2**20))
        packed = load.load_catalogue(root, cache_dir=cache)  # room for about ten entries' models
        monkeypatch.delenv("CATALOGUE_MODELS_MB")
        assert all(e.resident is None and e.packed_model for e in packed.entries)
        assert [e.model for e in packed.entries] == [e.model for e in held.entries]
        e = packed.entries[3]
        assert e.model is e.model  # read again at once: unpacked once
        assert (e.name, e.id) == (e.model.name, e.model.id)  # kept beside it, for lookups


def test_a_catalogue_foretold_too_big_never_holds_its_models_as_objects(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "metadata"
    synth(root, 30, 10, seed=2)
    one_entry = len(pickle.dumps(load.load_catalogue(root, cache_dir=False).entries[0].model,
                                 protocol=pickle.HIGHEST_PROTOCOL))
    monkeypatch.setattr(load, "SAMPLE", 5)
    held: list[str] = []
    hold = load.LoadedEntry.hold
    monkeypatch.setattr(load.LoadedEntry, "hold", lambda e: (held.append(e.name), hold(e))[1])
    # room for about twenty entries' models: the first five foretell thirty's
    monkeypatch.setenv("CATALOGUE_MODELS_MB", str(one_entry * load.EXPANSION * 20.5 / 2**20))
    packed = load.load_catalogue(root, cache_dir=False)
    assert all(e.resident is None and e.packed_model for e in packed.entries)
    assert len(held) < 5  # only entries loaded before the sample was complete
    monkeypatch.setenv("CATALOGUE_MODELS_MB", str(one_entry * load.EXPANSION * 40 / 2**20))
    held.clear()
    roomy = load.load_catalogue(root, cache_dir=False)  # thirty entries' models fit: all held
    assert all(e.resident is not None for e in roomy.entries) and len(held) == 30
