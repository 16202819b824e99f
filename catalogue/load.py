"""Loading a validated catalogue into typed models: the one way every output gets its input.

`load_catalogue` validates first and refuses an invalid catalogue (`InvalidCatalogue` carries the
report), so the store, the feeds and the site only ever see entries that passed.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import json
import os
import pickle
import shutil
import typing
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from catalogue import settings
from catalogue.errors import CatalogueError
from catalogue.format.models import (
    ENTRY_MODELS,
    KIND_FOLDERS,
    BiobankEntry,
    Kind,
    Organization,
    RegistryEntry,
    TableField,
    TableSchema,
)
from catalogue.validation import yaml_reader as yamlfile
from catalogue.validation.discover import SCHEMA_SUFFIX
from catalogue.validation.findings import Parsed, Report
from catalogue.validation.run import PARALLEL_FROM, default_cache_dir, fingerprint, validate
from catalogue.validation.workers import QuietProcessPool


class InvalidCatalogue(CatalogueError):
    """The metadata has errors; `report` says which. Nothing was loaded."""

    def __init__(self, report: Report) -> None:
        super().__init__(f"{len(report.errors)} error(s) in the metadata")
        self.report = report


@dataclass
class LoadedEntry:
    """A registry or biobank that passed validation, with its Table Schemas inlined."""

    kind: Kind
    resident: RegistryEntry | BiobankEntry | None  # the model, unless it is kept packed: `model`
    file: str  # relative to the metadata root's parent, e.g. metadata/registries/x/...
    packed: bytes  # the Data Package as written, schemas inlined, dates as text: `descriptor`
    content_hash: str  # changes exactly when the entry's metadata changes
    schema_files: tuple[str, ...] = ()  # the `*.schema.yaml` files its resources name, as written
    variables_hash: str = ""  # changes exactly when its resources (and so its variables) change
    packed_model: bytes = b""  # the model pickled, when it is not `resident`
    name: str = ""  # the model's, kept beside it: entries are looked up by name and id all the
    id: str = ""  # time, and a packed model would be unpacked for each lookup

    @property
    def model(self) -> RegistryEntry | BiobankEntry:
        """The entry's model: the one in memory, or (in a catalogue too big to hold every model
        as objects, `settings.models_mb`) one unpacked from `packed_model` when first read and
        kept while it is among the most recently read."""
        if self.resident is not None:
            return self.resident
        return _unpacked(self)

    def pack(self) -> None:
        """Keep the model pickled instead of as objects: about a fifth of the memory."""
        if self.resident is not None:
            self.packed_model = self.packed_model or _pickled(self.resident)
            self.resident = None

    def hold(self) -> None:
        """Keep the model as objects, and not also pickled."""
        if self.resident is None:
            self.resident = pickle.loads(self.packed_model)
        self.packed_model = b""

    @property
    def descriptor(self) -> dict[str, Any]:
        """The Data Package as written (a new copy each time). Kept pickled, not as a dict: as
        objects it took a third of a loaded catalogue's memory (3,000 entries of 50 variables:
        197 MB as dicts, 33 MB pickled), and only the downloads and the leak check read it."""
        return pickle.loads(self.packed)  # type: ignore[no-any-return]

    def tables(self) -> Iterator[tuple[str, TableSchema]]:
        """(resource name, Table Schema) for each resource."""
        for res in self.model.resources:
            assert isinstance(res.schema_, TableSchema)
            yield res.name, res.schema_

    def variables(self) -> Iterator[tuple[str, TableField]]:
        """(resource name, field) for every variable of the entry."""
        for table, schema in self.tables():
            for f in schema.fields:
                yield table, f


RECENT = 256  # packed models kept unpacked: a step reads one entry's model many times in a row
_recent: OrderedDict[tuple[str, str], RegistryEntry | BiobankEntry] = OrderedDict()


def _unpacked(e: LoadedEntry) -> RegistryEntry | BiobankEntry:
    """The model of an entry kept packed, from the most recently read ones or unpacked now."""
    key = (e.file, e.content_hash)
    model = _recent.get(key)
    if model is None:
        model = pickle.loads(e.packed_model)
        _recent[key] = model
        if len(_recent) > RECENT:
            _recent.popitem(last=False)
    else:
        _recent.move_to_end(key)
    return model  # type: ignore[no-any-return]


@dataclass
class Catalogue:
    root: Path
    organizations: dict[str, Organization] = field(default_factory=dict)
    entries: list[LoadedEntry] = field(default_factory=list)

    def entry(self, name: str) -> LoadedEntry | None:
        return next((e for e in self.entries if e.name == name), None)


def content_hash(descriptor: dict[str, Any]) -> str:
    canonical = json.dumps(descriptor, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# the descriptor pickled, its schema files, content hash, the hash of its resources alone
Read = tuple[bytes, tuple[str, ...], str, str]


def _read_entry(path: Path) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The descriptor with its external Table Schemas inlined, and the names of those files."""
    data, _, _ = yamlfile.read(path)
    files = []
    for res in data.get("resources") or []:
        if isinstance(res.get("schema"), str) and res["schema"].endswith(SCHEMA_SUFFIX):
            files.append(res["schema"])
            res["schema"], _, _ = yamlfile.read(path.parent / res["schema"])
    return data, tuple(files)


def load_catalogue(
    root: Path | str = "metadata",
    *,
    check: bool = True,
    progress: Callable[[int, int], None] | None = None,
    cache_dir: Path | None | bool = True,
    frozen: bool = False,
) -> Catalogue:
    """Validate (unless `check=False`) and load every organisation and entry under `root`; the
    parsed entries are cached by their files' bytes in `cache_dir` (`build/cache/` when True,
    none when None or False), as the validation's results are. With `frozen`, what the load
    made is left out of the garbage collector's sight (`collection_paused`): the caller, which
    keeps the catalogue to the end, calls `gc.unfreeze()` when done with it."""
    root = Path(root).resolve()
    parsed: Parsed = {}
    if check:
        report = validate([root], progress=progress, keep_parsed=True)
        if not report.valid:
            raise InvalidCatalogue(report)
        parsed = report.parsed  # what the validation read need not be read again
    cat = Catalogue(root)
    for p in sorted((root / "organizations").glob("*.yaml")):
        data, _, _ = yamlfile.read(p)
        org = Organization.model_validate(data)
        cat.organizations[org.id] = org
    found = [(kind, p) for folder, kind in KIND_FOLDERS.items()
             for p in sorted((root / folder).glob("*/datapackage.yaml"))]
    paths = [p for _, p in found]
    folder = default_cache_dir(root) if cache_dir is True else (cache_dir or None)
    budget, held, packing = settings.models_mb() * 2**20, 0, False
    with collection_paused(freeze=frozen):
        if folder:
            loaded = ReadCache(folder).read(found, parsed)
        else:
            loaded = (_made(*one) for one in _read_entries([kind for kind, _ in found], paths, parsed))
        for n, ((kind, p), (read, model_bytes, made, (name, id_))) in enumerate(
                zip(found, loaded, strict=True), 1):
            packed, schema_files, hashed, variables = read
            entry = LoadedEntry(kind, made, str(p.relative_to(root.parent)), packed, hashed, schema_files,
                                variables, model_bytes, name, id_)
            held += len(model_bytes) * EXPANSION
            if not packing and _past(budget, held, n, len(found)):  # every model is kept packed
                packing = True
                for e in cat.entries:
                    e.pack()
            if packing:
                entry.pack()
            else:
                entry.hold()
            cat.entries.append(entry)
    return cat


EXPANSION = 5  # a model takes about five times its pickle's size as objects (measured: 4.1-4.8)
SAMPLE = 100  # entries loaded before their models' size foretells the catalogue's


def _past(budget: float, held: float, loaded: int, entries: int) -> bool:
    """Whether the models of a catalogue of `entries` pass `budget` bytes, `held` by the first
    `loaded`: they do, or will at the rate of the first `SAMPLE`. Foretold, so that a catalogue
    too big never holds most of its models as objects before they are packed: much of the
    memory they took would stay with the process."""
    return held > budget or (loaded >= min(SAMPLE, entries) and held / loaded * entries > budget)


def _pickled(model: RegistryEntry | BiobankEntry) -> bytes:
    return pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)


def _made(read: Read, model: RegistryEntry | BiobankEntry
          ) -> tuple[Read, bytes, RegistryEntry | BiobankEntry, tuple[str, str]]:
    """An entry made now, as the load takes it: read, model pickled, model, (name, id)."""
    return read, _pickled(model), model, (model.name, model.id)


@contextlib.contextmanager
def collection_paused(freeze: bool = False) -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the catalogue's objects are made: every
    one of them lives as long as the catalogue, yet each collection on the way would visit all
    made so far, which cost two thirds of a load (3,000 entries: 3.0 s with it, 0.9 s without).
    Nothing made meanwhile is cyclic garbage, and reference counting frees the rest.

    The first collection after the pause still visits every object made during it, all at
    once (10,000 entries of 100 variables: 2.3 s). With `freeze`, they are moved out of its
    sight (`gc.freeze()`) before it resumes, when the block ends without an error."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze:
            gc.freeze()
    finally:
        if enabled:
            gc.enable()


def _model(kind: Kind, descriptor: dict[str, Any]) -> RegistryEntry | BiobankEntry:
    return share_fields_sets(ENTRY_MODELS[kind].model_validate(descriptor))


_FIELDS_SETS: dict[frozenset[str], frozenset[str]] = {}

M = TypeVar("M", bound=BaseModel)


def share_fields_sets(model: M) -> M:
    """Give `model` and every model inside it the one frozen copy of its set of fields given
    (pydantic's `__pydantic_fields_set__`) that all models with the same set share. Each model
    had a set of its own, and those sets were a third of a loaded catalogue's memory (58 of
    180 KB per entry of 100 variables): a handful of distinct sets, 170 copies per entry.
    Frozen, so that a change to a loaded model (which the one-way build never makes) fails
    loudly instead of changing every model sharing the set; for the same reason
    `model_dump(exclude_unset=True)`, which nothing here uses, refuses a loaded model.
    Only the fields whose type can hold a model are looked into (`_model_fields`)."""
    shared, setattr_ = _FIELDS_SETS, object.__setattr__
    todo: list[BaseModel] = [model]
    while todo:
        m = todo.pop()
        fields = frozenset(m.__pydantic_fields_set__)
        setattr_(m, "__pydantic_fields_set__", shared.setdefault(fields, fields))
        values = m.__dict__
        for name in _model_fields(type(m)):
            value = values.get(name)
            if isinstance(value, BaseModel):
                todo.append(value)
            elif isinstance(value, list | tuple):
                todo.extend(v for v in value if isinstance(v, BaseModel))
            elif isinstance(value, dict):
                todo.extend(v for v in value.values() if isinstance(v, BaseModel))
    return model


@functools.cache
def _model_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    """The names of `cls`'s fields whose type mentions a model (in a list, a dict, a union...)."""
    def holds_model(annotation: Any) -> bool:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return True
        return any(holds_model(a) for a in typing.get_args(annotation))

    return tuple(name for name, f in cls.model_fields.items() if holds_model(f.annotation))


def _read_and_hash(path: Path) -> Read:
    descriptor, schema_files = _read_entry(path)
    return _hashed(pickle.dumps(descriptor, protocol=pickle.HIGHEST_PROTOCOL), schema_files, descriptor)


def _hashed(packed: bytes, schema_files: tuple[str, ...], descriptor: dict[str, Any]) -> Read:
    return (packed, schema_files, content_hash(descriptor),
            content_hash({"resources": descriptor.get("resources")}))


def _read_entries(kinds: list[Kind], paths: list[Path],
                  parsed: Parsed | None = None) -> Iterator[tuple[Read, RegistryEntry | BiobankEntry]]:
    """The entries (of `kinds`, at `paths`) and their models: as the validation read them
    (`parsed`, by path), else parsed here, on every core for a big catalogue. Parsing YAML is
    most of a load (10,000 entries of 100 variables: ten times the time pydantic takes), and a
    parsed descriptor comes back from a worker far faster than it parses."""
    parsed = parsed or {}
    todo = [p for p in paths if str(p) not in parsed]
    workers = os.cpu_count() or 1
    with contextlib.ExitStack() as stack:
        if workers <= 1 or len(todo) < PARALLEL_FROM:
            read: Iterator[Read] = map(_read_and_hash, todo)
        else:
            pool = stack.enter_context(QuietProcessPool(max_workers=workers))
            read = pool.map(_read_and_hash, todo, chunksize=16)
        for kind, p in zip(kinds, paths, strict=True):
            if str(p) in parsed:
                packed, schema_files = parsed[str(p)]
                descriptor = pickle.loads(packed)
                one = _hashed(packed, schema_files, descriptor)
            else:
                one = next(read)
                descriptor = pickle.loads(one[0])
            yield one, _model(kind, descriptor)


class ReadCache:
    """Each entry's parsed descriptor and its model, by the bytes of its files, one pickle per
    entry in `build/cache/load-<fingerprint>/`: a rebuild after one change parses and validates
    one entry, not ten thousand (a model comes back from its pickle in half the time pydantic
    takes to make it). The key covers `datapackage.yaml` and every Table Schema file beside it
    (the only ones it may name), and the folder's name the code, the rules and the pydantic
    version that parse them, so a stale entry is never read. Entries no longer in the catalogue
    are dropped."""

    def __init__(self, folder: Path) -> None:
        from importlib.metadata import version

        this = hashlib.sha256(Path(__file__).read_bytes() + version("pydantic").encode()).hexdigest()[:8]
        self.folder = folder / f"load-{fingerprint()}-{this}"

    @staticmethod
    def key(path: Path) -> str:
        h = hashlib.sha256(path.read_bytes())
        folder = str(path.parent)
        for name in sorted(n for n in os.listdir(folder) if n.endswith(SCHEMA_SUFFIX)):
            with open(os.path.join(folder, name), "rb") as f:
                h.update(name.encode("utf-8") + b"\0" + f.read())
        return h.hexdigest()[:32]

    def read(self, found: list[tuple[Kind, Path]], parsed: Parsed | None = None
             ) -> Iterator[tuple[Read, bytes, RegistryEntry | BiobankEntry | None, tuple[str, str]]]:
        """(what `_read_and_hash` gives, the model pickled, the model when it was made now, else
        None, the model's name and id) of each (kind, path) in `found`, in order (`parsed`:
        entries the validation read, by path). One at a time, so that a catalogue whose models
        are kept packed never holds them all as objects."""
        keys = [self.key(p) for _, p in found]
        cached: dict[int, tuple[Read, bytes, tuple[str, str]]] = {}
        for n, key in enumerate(keys):
            with contextlib.suppress(Exception):  # a missing or broken file is parsed again
                read, model_bytes, (name, id_) = pickle.loads((self.folder / key).read_bytes())
                if len(read) == 4 and isinstance(model_bytes, bytes):
                    cached[n] = read, model_bytes, (name, id_)
        todo = [n for n in range(len(found)) if n not in cached]
        made = _read_entries([found[n][0] for n in todo], [found[n][1] for n in todo], parsed)
        for n in range(len(found)):
            if n in cached:
                read, model_bytes, ident = cached.pop(n)
                yield read, model_bytes, None, ident
                continue
            one = _made(*next(made))
            self._save(keys[n], (one[0], one[1], one[3]))
            yield one
        self._drop_others(set(keys))

    def _save(self, key: str, read: tuple[Read, bytes, tuple[str, str]]) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{key}.{os.getpid()}"
            tmp.write_bytes(pickle.dumps(read, protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(self.folder / key)
        except OSError:
            pass  # a read-only checkout still loads, just without a cache

    def _drop_others(self, keep: set[str]) -> None:
        try:
            for old in self.folder.parent.glob("load-*"):
                if old != self.folder:
                    shutil.rmtree(old, ignore_errors=True)
            for f in os.scandir(self.folder):
                if f.name not in keep:
                    os.unlink(f.path)
        except OSError:
            pass
