"""The static CKAN feed: `ckanapi dump` files and the entries' data dictionaries.

`datasets.jsonl`, `organizations.jsonl` and `groups.jsonl` hold one object per line exactly as
`ckanapi dump datasets|organizations|groups --all` would write them from the live API (compact
JSON, keys sorted), so `ckanapi load datasets -I datasets.jsonl -r URL` loads them into any CKAN.
Each entry's tables get a `<table>.schema.json` beside its page: the data dictionary resource.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, select

from catalogue.ckan.api.actions import (
    Context,
    group_list,
    group_show,
    organization_list,
    organization_show,
)
from catalogue.ckan.packages import SECTIONS
from catalogue.ckan.store.models import Entry, Package
from catalogue.ckan.store.sync import compact
from catalogue.load import Catalogue

if TYPE_CHECKING:
    from catalogue.build.pipeline import BuildContext

DUMP_FILES = ("datasets.jsonl", "organizations.jsonl", "groups.jsonl")


def write_dump(conn: Connection, out: Path) -> dict[str, int]:
    """Write the three dump files into `out`; returns lines per file."""
    out.mkdir(parents=True, exist_ok=True)
    ctx = Context(conn)
    counts = {}
    with open(out / "datasets.jsonl", "w", encoding="utf-8") as f:
        rows = conn.execute(select(Package.json).join(Entry).order_by(Entry.name)).scalars()
        counts["datasets.jsonl"] = sum(f.write(p + "\n") > 0 for p in rows)
    for name, list_, show in (("organizations.jsonl", organization_list, organization_show),
                              ("groups.jsonl", group_list, group_show)):
        with open(out / name, "w", encoding="utf-8") as f:
            names = list_(ctx, {})  # in the order `ckanapi dump --all` gets them
            for n in names:
                f.write(compact(show(ctx, {"id": n})) + "\n")
            counts[name] = len(names)
    return counts


def write_data_dictionaries(catalogue: Catalogue, out: Path) -> int:
    """Write each table's Table Schema as JSON next to its entry's page; returns files written."""
    written = 0
    for entry in catalogue.entries:
        folder = out / SECTIONS[entry.kind] / entry.name
        folder.mkdir(parents=True, exist_ok=True)
        for res in entry.descriptor.get("resources", []):
            schema = res.get("schema")
            if isinstance(schema, dict):
                text = json.dumps(schema, ensure_ascii=False, indent=2, default=str)
                (folder / f"{res['name']}.schema.json").write_text(text + "\n", encoding="utf-8")
                written += 1
    return written


def dump_step(ctx: BuildContext) -> None:
    """Write the static CKAN dump and the data dictionaries into the output folder."""
    conn = ctx.state["store"]
    ctx.state["ckan_dump"] = write_dump(conn, ctx.out)
    write_data_dictionaries(ctx.catalogue, ctx.out)
