"""Change feeds (Atom 1.0) from the repository's git history, so a researcher can watch an entry.

Feeds: the whole catalogue at `feeds/changes.atom` (bokmål) and `en/feeds/changes.atom`, and one
per entry beside its page, `registries/<name>/changes.atom` and `en/registries/<name>/changes.atom`
(biobanks likewise). Each item is one commit that touched the entry; its text says which fields
changed, computed by comparing the entry (its datapackage.yaml and the *.schema.yaml files it
refers to) at the commit and at the commit's parent: "access.lead_time, 2 variables added".

One `git log` over the metadata folder and one `git cat-file --batch` process read everything.
Outside a git checkout, or without git, every feed still exists, with the current version of the
entry as its one item.
"""

from __future__ import annotations

import subprocess
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import yaml

from catalogue.build.reuse import SAME_BYTES, Reuse
from catalogue.format.kinds import KIND_FOLDERS
from catalogue.load import Catalogue, LoadedEntry
from catalogue.site import urls
from catalogue.site.i18n import LANGS, PREFIX, localise, t

MAX_PER_ENTRY = 20  # items in an entry's feed
MAX_ALL = 100  # items in the whole catalogue's feed
NESTED = ("access", "coverage", "biobank", "translations")  # named one level deeper: access.fees
FEED_NAME = "changes.atom"
ATOM = "http://www.w3.org/2005/Atom"


@dataclass
class Change:
    """One commit's change to one entry."""

    sha: str
    when: str  # ISO 8601 with offset, the commit date
    author: str
    subject: str
    fields: list[str] = field(default_factory=list)  # "access.lead_time", "2 variables added"


# --- reading the history ---------------------------------------------------------------------


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                              timeout=300)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout if proc.returncode == 0 else None


class Blobs:
    """File contents at commits, through one `git cat-file --batch` process."""

    def __init__(self, top: Path) -> None:
        self.proc = subprocess.Popen(["git", "-C", str(top), "cat-file", "--batch"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def read(self, rev: str, path: str) -> bytes | None:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(f"{rev}:{path}\n".encode())
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().decode().split()
        if len(header) < 3 or header[1] != "blob":
            return None  # "<rev>:<path> missing": not there at that commit
        data = self.proc.stdout.read(int(header[2]))
        self.proc.stdout.read(1)  # the newline after the content
        return data

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


def _load(data: bytes | None) -> Any:
    if data is None:
        return None
    try:
        return yaml.safe_load(data.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return {"_unreadable": True}


def entry_at(blobs: Blobs, rev: str, folder: str) -> dict[str, Any] | None:
    """The entry in `folder` (path from the repository's top) at `rev`, schema files inlined."""
    data = _load(blobs.read(rev, f"{folder}/datapackage.yaml"))
    if not isinstance(data, dict):
        return None
    for res in data.get("resources") or []:
        if isinstance(res, dict) and isinstance(res.get("schema"), str):
            ref = res["schema"]
            if "/" not in ref and ref.endswith(".schema.yaml"):
                res["schema"] = _load(blobs.read(rev, f"{folder}/{ref}"))
    return data


def histories(root: Path) -> dict[str, list[Change]]:
    """Entry folder (`registries/<name>`) -> its changes, newest first; {} outside git."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if not top:
        return {}
    top_path = Path(top.strip()).resolve()
    prefix = root.resolve().relative_to(top_path).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    log = _git(root, "log", "--format=%x1e%H%x1f%cI%x1f%an%x1f%s", "--name-only", "--", ".")
    if not log:
        return {}
    out: dict[str, list[Change]] = {}
    for record in log.split("\x1e")[1:]:
        head, _, files = record.partition("\n")
        sha, when, author, subject = (head.split("\x1f") + ["", "", "", ""])[:4]
        folders = set()
        for f in files.split("\n"):
            rel = f.strip()
            if not rel.startswith(prefix):
                continue
            parts = rel[len(prefix):].split("/")
            if len(parts) >= 3 and parts[0] in KIND_FOLDERS:
                folders.add(f"{parts[0]}/{parts[1]}")
        for folder in folders:
            changes = out.setdefault(folder, [])
            if len(changes) < MAX_PER_ENTRY:
                changes.append(Change(sha, when, author, subject))
    blobs = Blobs(top_path)
    try:
        for folder, changes in out.items():
            for c in changes:
                new = entry_at(blobs, c.sha, prefix + folder)
                old = entry_at(blobs, c.sha + "^", prefix + folder)
                c.fields = changed_fields(old, new)
    finally:
        blobs.close()
    return out


# --- what changed ----------------------------------------------------------------------------


def _variables(data: dict[str, Any]) -> dict[tuple[str, str], Any]:
    out: dict[tuple[str, str], Any] = {}
    for res in data.get("resources") or []:
        if not isinstance(res, dict):
            continue
        schema = res.get("schema")
        for f in (schema.get("fields") or []) if isinstance(schema, dict) else []:
            if isinstance(f, dict):
                out[(str(res.get("name")), str(f.get("name")))] = f
    return out


def _resources(data: dict[str, Any]) -> dict[str, Any]:
    """Each resource without its variables (those are counted apart)."""
    out = {}
    for res in data.get("resources") or []:
        if isinstance(res, dict):
            rest = {k: v for k, v in res.items() if k != "schema"}
            schema = res.get("schema")
            if isinstance(schema, dict):
                rest["schema"] = {k: v for k, v in schema.items() if k != "fields"}
            out[str(res.get("name"))] = rest
    return out


def _count(n: int, what: str) -> str:
    return f"{n} variable {what}" if n == 1 else f"{n} variables {what}"


def changed_fields(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[str]:
    """Which fields differ between two versions of an entry, for a reader.

    Top-level fields by name (`title`), the nested groups one level down (`access.lead_time`),
    tables by name (`resources.main`), and variables counted: `2 variables added`.
    """
    if old is None and new is None:
        return []
    if old is None:
        return ["entry added"]
    if new is None:
        return ["entry removed"]
    out: list[str] = []
    for key in dict.fromkeys([*new, *old]):
        if key == "resources":
            continue
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if key in NESTED and isinstance(a, dict) and isinstance(b, dict):
            out += [f"{key}.{sub}" for sub in dict.fromkeys([*b, *a]) if a.get(sub) != b.get(sub)]
        else:
            out.append(key)
    ra, rb = _resources(old), _resources(new)
    out += [f"resources.{name}" for name in dict.fromkeys([*rb, *ra]) if ra.get(name) != rb.get(name)]
    va, vb = _variables(old), _variables(new)
    added = sum(1 for k in vb if k not in va)
    removed = sum(1 for k in va if k not in vb)
    changed = sum(1 for k in vb if k in va and va[k] != vb[k])
    out += [_count(n, what) for n, what in ((added, "added"), (removed, "removed"),
                                             (changed, "changed")) if n]
    return out


# --- writing Atom ----------------------------------------------------------------------------


def _iso(day: str | date | None) -> str:
    if isinstance(day, date):
        day = day.isoformat()
    return f"{day[:10]}T00:00:00Z" if day else datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _item_id(entry_id: str, sha: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.UUID(entry_id), sha)}"


def _summary(c: Change, lang: str) -> str:
    what = ", ".join(c.fields) if c.fields else t("feed_no_field_change", lang)
    return f"{t('feed_changed', lang)}: {what}. ({c.subject}, {c.author}, {c.sha[:10]})"


def _entry_xml(e: LoadedEntry, c: Change | None, lang: str, base_url: str) -> tuple[str, str]:
    """(updated, <entry> element) for one change, or for the current version when c is None."""
    m = e.model
    title = localise(m, lang).title
    link = base_url + PREFIX[lang] + urls.entry(e)
    if c is None:
        updated = _iso(m.modified or m.issued)
        item_title = f"{title}: {t('feed_current', lang)}"
        summary = t("feed_current_text", lang)
        ident, author = _item_id(m.id, "current:" + (m.modified or m.issued)), m.data_controller
    else:
        updated = c.when
        item_title = f"{title}: {', '.join(c.fields) if c.fields else c.subject}"
        summary = _summary(c, lang)
        ident, author = _item_id(m.id, c.sha), c.author
    xml = (f"  <entry>\n    <id>{ident}</id>\n    <title>{escape(item_title)}</title>\n"
           f"    <updated>{updated}</updated>\n    <author><name>{escape(author)}</name></author>\n"
           f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(link)}/>\n"
           f"    <summary>{escape(summary)}</summary>\n  </entry>\n")
    return updated, xml


def atom(feed_id: str, title: str, self_url: str, page_url: str, items: list[tuple[str, str]],
         lang: str) -> str:
    """An Atom 1.0 document from (updated, <entry>) pairs, newest first."""
    items = sorted(items, key=lambda i: _utc(i[0]), reverse=True)
    updated = items[0][0] if items else _iso(None)
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="{ATOM}" xml:lang="{lang}">\n'
            f"  <id>{feed_id}</id>\n  <title>{escape(title)}</title>\n  <updated>{updated}</updated>\n"
            f"  <author><name>{escape(t('site_name', lang))}</name></author>\n"
            f"  <link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(self_url)}/>\n"
            f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(page_url)}/>\n"
            f"  <generator>catalogue</generator>\n" + "".join(x for _, x in items) + "</feed>\n")


def _utc(stamp: str) -> datetime:
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def write(out: Path, cat: Catalogue, base_url: str, reuse: Reuse | None = None) -> list[Path]:
    """Every feed of the site under `out`, in both languages; returns the files written. With
    `reuse`, an entry's feed that the last build wrote with the same bytes is taken from it."""
    changes = histories(cat.root)
    reuse = reuse or Reuse()
    section = reuse.section("feeds", SAME_BYTES)
    written: list[Path] = []
    everything: dict[str, list[tuple[str, str]]] = {lang: [] for lang in LANGS}
    for e in cat.entries:  # both languages while the entry's model is at hand (`views.gather`)
        page = urls.entry(e)
        mine = changes.get(page.rstrip("/"), [])
        for lang in LANGS:
            items = [_entry_xml(e, c, lang, base_url) for c in mine] or [_entry_xml(e, None, lang, base_url)]
            everything[lang] += items
            here = PREFIX[lang] + page
            title = t("feed_title_entry", lang, title=localise(e.model, lang).title)
            feed = atom(f"urn:uuid:{uuid.uuid5(uuid.UUID(e.model.id), 'feed:' + lang)}",
                        title, base_url + here + FEED_NAME, base_url + here, items, lang)
            reuse.put(section, here + FEED_NAME, feed.encode("utf-8"), out)
            written.append(out / here / FEED_NAME)
    for lang in LANGS:
        everything[lang].sort(key=lambda i: _utc(i[0]), reverse=True)
        here = PREFIX[lang] + "feeds/"
        target = out / here / FEED_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        feed_id = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, base_url + here + FEED_NAME)}"
        target.write_text(atom(feed_id, t("feed_title_all", lang), base_url + here + FEED_NAME,
                               base_url + PREFIX[lang] + urls.CATALOGUE, everything[lang][:MAX_ALL], lang),
                          encoding="utf-8")
        written.append(target)
    return written
