"""Loading a validated catalogue into typed models: the one way every output gets its input.

`load_catalogue` validates first and refuses an invalid catalogue (`InvalidCatalogue` carries the
report), so the store, the feeds and the site only ever see entries that passed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
from catalogue.validation.findings import Report
from catalogue.validation.run import PARALLEL_FROM, validate
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
    model: RegistryEntry | BiobankEntry
    file: str  # relative to the metadata root's parent, e.g. metadata/registries/x/...
    descriptor: dict[str, Any]  # the Data Package as written, schemas inlined, dates as text
    content_hash: str  # changes exactly when the entry's metadata changes
    schema_files: tuple[str, ...] = ()  # the `*.schema.yaml` files its resources name, as written

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def id(self) -> str:
        return self.model.id

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
) -> Catalogue:
    """Validate (unless `check=False`) and load every organisation and entry under `root`."""
    root = Path(root).resolve()
    if check:
        report = validate([root], progress=progress)
        if not report.valid:
            raise InvalidCatalogue(report)
    cat = Catalogue(root)
    for p in sorted((root / "organizations").glob("*.yaml")):
        data, _, _ = yamlfile.read(p)
        org = Organization.model_validate(data)
        cat.organizations[org.id] = org
    found = [(kind, p) for folder, kind in KIND_FOLDERS.items()
             for p in sorted((root / folder).glob("*/datapackage.yaml"))]
    for (kind, p), (descriptor, schema_files) in zip(found, _read_entries([p for _, p in found]),
                                                     strict=True):
        model = ENTRY_MODELS[kind].model_validate(descriptor)
        file = str(p.relative_to(root.parent))
        cat.entries.append(LoadedEntry(kind, model, file, descriptor, content_hash(descriptor),
                                       schema_files))
    return cat


def _read_entries(paths: list[Path]) -> Iterator[tuple[dict[str, Any], tuple[str, ...]]]:
    """The entries' descriptors, parsed on every core for a big catalogue: parsing YAML is most
    of a load, and a parsed descriptor comes back from a worker far faster than it parses."""
    workers = os.cpu_count() or 1
    if workers <= 1 or len(paths) < PARALLEL_FROM:
        yield from map(_read_entry, paths)
        return
    with QuietProcessPool(max_workers=workers) as pool:
        yield from pool.map(_read_entry, paths, chunksize=16)
