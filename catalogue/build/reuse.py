"""What an incremental build may take from the last published output instead of writing it again.

A step that can reuse its work keeps a *section* of the reuse manifest: a key for everything its
outputs depend on besides their own inputs (templates, settings, package versions), and a
fingerprint (a hash) of each unit's input, by the unit's path. When this build's key equals the
last build's and a unit's fingerprint is unchanged, the unit's files are taken into the new
output instead of being made again. The manifest is written into the new
output and published with it by the same atomic swap, so it always describes the output it
sits in. `catalogue build --full`, a first build or a changed key reuses nothing.

A unit's files come, when it can, from the *pool*: the output published before the last one,
which publishing set aside beside the output (`.<name>-pool`) instead of removing it. A unit
unchanged in the pool's manifest too is moved from there with a rename, which costs the disk
one directory entry; otherwise its files are copied from the published output.
`shutil.copyfile` has the kernel copy the bytes (`sendfile`), so Python never reads them.

Moved or copied, never hard-linked: a later step may still write into a reused file (the leak
check's test does), and through a link that would change the published site before the build
is done. Every file belongs to one output tree only, so the pool and the published output
never share one either.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import catalogue
from catalogue.settings import validators_dir

if TYPE_CHECKING:
    from catalogue.load import Catalogue, LoadedEntry

MANIFEST = Path(".catalogue") / "reuse.json"
POOL = ".{}-pool"  # beside the output `out`: POOL.format(out.name)
SAME_BYTES = "same-bytes"  # the key of a section whose units are keyed by their bytes (`Reuse.put`)
VERSION = 1  # of the manifest's format; another version is not read


@cache
def package_fingerprint() -> str:
    """A fingerprint of the catalogue's own code and data files: a change to any of them (a new
    version, a fix) makes an output that is keyed by it whole again."""
    root = Path(catalogue.__file__).parent
    files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return fingerprint(catalogue.__version__, *(part for p in files
                                                for part in (p.relative_to(root).as_posix(), p.read_bytes())))


def rules_fingerprint() -> str:
    """A fingerprint of the rules in use (`validators/`: vocabularies and their labels)."""
    root = validators_dir()
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return fingerprint(*(part for p in files for part in (p.relative_to(root).as_posix(), p.read_bytes())))


def shared_fingerprint(cat: Catalogue, *more: str) -> str:
    """A fingerprint of what every entry's outputs may show besides the entry: the catalogue's
    code, the rules and the organisations, and `more` (a step's own settings)."""
    orgs = [cat.organizations[k].model_dump_json() for k in sorted(cat.organizations)]
    return fingerprint(package_fingerprint(), rules_fingerprint(), *orgs, *more)


def entry_fingerprint(e: LoadedEntry, ids: dict[str, str]) -> str:
    """An entry's own part of its outputs' input: its metadata, and the ids of the entries it
    links to (the feeds address them by id). `ids`: every entry's id by its name."""
    return fingerprint(e.content_hash, *(ids.get(name, "") for name in e.model.linked_entries))


def sources_fingerprint(*modules: ModuleType) -> str:
    """A fingerprint of the source files of `modules` (the code that makes an output)."""
    return fingerprint(*(Path(m.__file__ or "").read_bytes() for m in modules))


def fingerprint(*parts: bytes | str) -> str:
    """A hash of `parts`, in order, as the manifest keeps it: base64 rather than hex, so that
    no run of digits in it looks like an identity number to the leak check."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return base64.urlsafe_b64encode(h.digest()[:24]).decode("ascii")


@dataclass
class Section:
    """One step's part of the manifest. `old` holds the last build's units (fingerprint and
    files, by unit) when its key was this build's (`matched`), `pool` the pool's when its key
    was; `new` this build's, filled in as the step reuses or writes each unit."""

    key: str
    matched: bool
    old: dict[str, Any]
    pool: dict[str, Any] = field(default_factory=dict)
    new: dict[str, dict[str, Any]] = field(default_factory=dict)
    reused: int = 0

    def made(self, unit: str, print_: str, files: list[str], wrote: str | None = None) -> None:
        """`unit`, of fingerprint `print_`, was written as `files` (relative to the output), or
        outside the output as a file whose bytes have the fingerprint `wrote` (`Reuse.keep`)."""
        self.new[unit] = {"print": print_, "files": files} if wrote is None else {
            "print": print_, "files": files, "wrote": wrote}


@dataclass
class Reuse:
    """The last published output and its manifest (`previous` is None when nothing may be
    reused), the pool and its manifest, and the manifest this build is writing."""

    previous: Path | None = None
    old: dict[str, Any] = field(default_factory=dict)
    pool: Path | None = None
    pool_old: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)
    # what was copied, by its path in the output (where it was in the published one), with its
    # (size, mtime_ns) after the copy: a step that writes into it after all changes the mtime
    copies: dict[str, tuple[int, int]] = field(default_factory=dict)
    folders: set[str] = field(default_factory=set)  # made in the new output by `take`

    @classmethod
    def of(cls, out: Path, full: bool = False) -> Reuse:
        """What may be reused from `out`, the published output (nothing for a full build)."""
        if full:
            return cls()
        sections = _sections(out)
        if sections is None:
            return cls()
        pool = out.with_name(POOL.format(out.name))
        pooled = _sections(pool)
        return cls(out, sections, pool if pooled is not None else None, pooled or {})

    def section(self, name: str, key: str) -> Section:
        """Start the section `name` of this build with `key`."""
        old = self.old.get(name)
        matched = self.previous is not None and isinstance(old, dict) and old.get("key") == key
        units = old.get("units") if matched else None  # type: ignore[union-attr]
        pooled = self.pool_old.get(name)
        pool = pooled.get("units") if isinstance(pooled, dict) and pooled.get("key") == key else None
        self.sections[name] = section = Section(key, matched, units if isinstance(units, dict) else {},
                                                pool if matched and isinstance(pool, dict) else {})
        return section

    def take(self, section: Section, unit: str, print_: str, dest: Path, prefix: str = "") -> bool:
        """When the last build made `unit` from the same fingerprint, move its files from the
        pool, or copy them from the published output (both under `prefix`), to the same paths
        under `dest`, record it and say so. Otherwise the step writes the unit and records it
        with `Section.made`."""
        old = section.old.get(unit)
        if self.previous is None or not isinstance(old, dict) or old.get("print") != print_:
            return False
        files = old.get("files")
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            return False
        pooled = section.pool.get(unit)
        from_pool = (isinstance(pooled, dict) and pooled.get("print") == print_
                     and pooled.get("files") == files)
        copied: dict[str, tuple[int, int]] = {}
        for f in files:
            target = os.path.join(dest, f)
            self._folder_of(target)
            try:
                if from_pool:
                    try:
                        os.rename(os.path.join(self.pool, prefix, f), target)  # type: ignore[arg-type]
                    except FileNotFoundError:  # a failed build moved it away: copy it after all
                        shutil.copyfile(os.path.join(self.previous, prefix, f), target)
                else:
                    shutil.copyfile(os.path.join(self.previous, prefix, f), target)
            except FileNotFoundError:  # someone removed it from the published site:
                for done in copied:  # the step writes the whole unit, as if none were copied
                    os.unlink(os.path.join(dest, done))
                return False
            st = os.stat(target)
            copied[f] = (st.st_size, st.st_mtime_ns)
        self.copies.update((os.path.join(prefix, f) if prefix else f, seen) for f, seen in copied.items())
        section.made(unit, print_, files)
        section.reused += 1
        return True

    def put(self, section: Section, rel: str, data: bytes, dest: Path) -> None:
        """Write `data` to the file `rel` under `dest`, unless the last build wrote the same
        bytes there: then take its file (`take`). For an output cheaper to make than to
        create as a file (on this project's 2-core machine a new file costs the disk a third
        of a millisecond, a rename a fiftieth), keyed by nothing but its own bytes."""
        print_ = fingerprint(data)
        if self.take(section, rel, print_, dest):
            return
        target = os.path.join(dest, rel)
        self._folder_of(target)
        with open(target, "wb") as f:
            f.write(data)
        section.made(rel, print_, [rel])

    def _folder_of(self, target: str) -> None:
        """Make the folder of the file `target`, once per build: most reused files share one."""
        folder = os.path.dirname(target)
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)

    def keep(self, section: Section, unit: str, print_: str, last: Path, dest: Path) -> bool:
        """When the last build made `unit` from the same fingerprint as a file outside the
        output (a page's source for MkDocs), and `last`, where that file was set aside, still
        holds exactly what it wrote, move it to `dest`, record it and say so. A file another
        build wrote over since (one that failed before it published) is not kept."""
        old = section.old.get(unit)
        if self.previous is None or not isinstance(old, dict) or old.get("print") != print_:
            return False
        try:
            if fingerprint(last.read_bytes()) != old.get("wrote"):
                return False
            dest.parent.mkdir(parents=True, exist_ok=True)
            last.rename(dest)
        except OSError:
            return False
        section.made(unit, print_, [], old["wrote"])
        section.reused += 1
        return True

    def copied_unchanged(self, rel: str, path: Path) -> bool:
        """Whether the file at `rel` in the output (now at `path`) was copied from the published
        output and not written since."""
        seen = self.copies.get(rel)
        if seen is None:
            return False
        try:
            st = path.stat()
        except OSError:
            return False
        return (st.st_size, st.st_mtime_ns) == seen

    def write(self, out: Path) -> None:
        """Write this build's manifest into `out`, the output about to be published."""
        path = out / MANIFEST
        path.parent.mkdir(parents=True, exist_ok=True)
        sections = {name: {"key": s.key, "units": dict(sorted(s.new.items()))}
                    for name, s in sorted(self.sections.items())}
        path.write_text(json.dumps({"version": VERSION, "sections": sections},
                                   separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")


def _sections(out: Path) -> dict[str, Any] | None:
    """The sections of the manifest in the output `out`, or None when it has none to trust."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # a first build, or a manifest nobody can trust
        return None
    if not isinstance(manifest, dict) or manifest.get("version") != VERSION:
        return None
    sections = manifest.get("sections")
    return sections if isinstance(sections, dict) else {}
