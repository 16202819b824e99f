"""The static CKAN feed: `ckanapi dump` files, and each entry's package as `package_show` gives it.

`datasets.jsonl`, `organizations.jsonl` and `groups.jsonl` hold one object per line exactly as
`ckanapi dump datasets|organizations|groups --all` would write them from the live API (compact
JSON, keys sorted), so `ckanapi load datasets -I datasets.jsonl -r URL` loads them into any CKAN.
The site's `ckan.json` downloads come from `stored_packages`, so they are the API's answers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
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
from catalogue.ckan.store.models import Entry, Package
from catalogue.ckan.store.sync import compact
from catalogue.load import LoadedEntry

if TYPE_CHECKING:
    from catalogue.build.context import BuildContext

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


def stored_packages(conn: Connection, entries: Sequence[LoadedEntry],
                    batch: int = 500) -> Iterator[tuple[LoadedEntry, str | None]]:
    """Each of `entries` with its package as the store holds it, the JSON text `package_show`
    answers with (None for an entry the store lacks), fetched a batch of entries at a time: one
    query per entry cost more than the rest of the downloads of an unchanged entry."""
    for start in range(0, len(entries), batch):
        part = entries[start:start + batch]
        found = dict(conn.execute(select(Entry.id, Package.json).join(Package).where(
            Entry.id.in_([e.id for e in part]))).all())
        for e in part:
            yield e, found.get(e.id)


def dump_step(ctx: BuildContext) -> None:
    """Write the static CKAN dump into the output folder (the site writes the data dictionaries)."""
    write_dump(ctx.state.store, ctx.out)
