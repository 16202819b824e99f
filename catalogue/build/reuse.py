"""What an incremental build may take from the last published output instead of writing it again.

A step that can reuse its work keeps a *section* of the reuse manifest: a key for everything its
outputs depend on besides their own inputs (templates, settings, package versions), and a
fingerprint (a hash) of each unit's input, by the unit's path. When this build's key equals the
last build's and a unit's fingerprint is unchanged, the unit's files are taken into the new
output instead of being made again. The manifest is written into the new
output and published with it by the same atomic swap, so it always describes the output it
sits in. `catalogue build --full`, a first build or a changed key reuses nothing.

The new output is, when it can be, the *pool* itself: the output published before the last one,
which publishing set aside beside the output (`.<name>-pool`) instead of removing it. The build
renames the pool to its temporary folder (`adopt_pool`), removes every file there that is not
part of a unit its manifest lists, and then leaves each unit unchanged since that build where
it is: a build after one changed entry touches that entry's files, not the hundreds of thousands
of the others. A unit changed since the pool was made has its files removed first, then is
copied from the published output when that one's is current, else written by its step; units
that no step took are removed at the end (`finish`). Without a pool (the first incremental
build, or after a failed one) every unit is copied from the published output.
`shutil.copyfile` has the kernel copy the bytes (`sendfile`), so Python never reads them.

Kept, moved or copied, never hard-linked: a later step may still write into a reused file (the
leak check's test does), and through a link that would change the published site before the
build is done. Every file belongs to one output tree only, so the pool and the published output
never share one either.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
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
VERSION = 2  # of the manifest's format; another version is not read
STARTED = Path(".catalogue") / "started"  # made when a build adopts the pool: its time


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
    files, by unit) when its key was this build's (`matched`); `base` the units of the pool
    this build writes into, when the pool's key was this build's too, until `take` claims
    them; `new` this build's, filled in as the step reuses or writes each unit. A unit's files
    are relative to the output's `prefix` folder (`en/` for the English pages)."""

    key: str
    matched: bool
    old: dict[str, Any]
    base: dict[str, Any] = field(default_factory=dict)
    new: dict[str, str | tuple[str, tuple[str, ...], str | None]] = field(default_factory=dict)  # `made`
    reused: int = 0
    prefix: str = ""
    based: bool = False  # the pool's key was this build's

    def made(self, unit: str, print_: str, files: Sequence[str], wrote: str | None = None) -> None:
        """`unit`, of fingerprint `print_`, was written as `files` (relative to the output), or
        outside the output as a file whose bytes have the fingerprint `wrote` (`Reuse.keep`).

        Kept compact: a unit that is one file of its own name (most are) as its fingerprint
        alone, any other as a tuple. A dict and a list for each of the 1.5 million units of a
        100,000-entry build would hold about 0.4 GB more until the build ends."""
        if wrote is None and len(files) == 1 and files[0] == unit:
            self.new[unit] = print_
        else:
            self.new[unit] = (print_, tuple(files), wrote)

    def adopt(self, unit: str, record: object) -> None:
        """Record `unit` as the manifest `record` (the last build's, or the pool's) has it;
        a record that is not one is left out, and its unit is made again next time."""
        if isinstance(record, dict) and isinstance(record.get("print"), str) and _names(record.get("files")):
            wrote = record.get("wrote")
            self.made(unit, record["print"], record["files"], wrote if isinstance(wrote, str) else None)

    def files(self, unit: str) -> tuple[str, ...]:
        """The files this build recorded for `unit`, relative to the output's `prefix`."""
        made = self.new[unit]
        return (unit,) if isinstance(made, str) else made[1]

    def wrote(self, unit: str) -> str | None:
        """The fingerprint of the bytes of `unit`'s file outside the output (`Reuse.keep`)."""
        made = self.new[unit]
        return None if isinstance(made, str) else made[2]

    def record(self, unit: str) -> dict[str, Any]:
        """`unit` as the manifest writes it: its fingerprint, its files and what it wrote."""
        made = self.new[unit]
        if isinstance(made, str):
            return {"print": made, "files": [unit]}
        print_, files, wrote = made
        return {"print": print_, "files": list(files)} if wrote is None else {
            "print": print_, "files": list(files), "wrote": wrote}


@dataclass
class Reuse:
    """The last published output and its manifest (`previous` is None when nothing may be
    reused), the pool and its manifest, the output this build writes into when the pool became
    it (`base`), and the manifest this build is writing."""

    previous: Path | None = None
    old: dict[str, Any] = field(default_factory=dict)
    pool: Path | None = None
    pool_old: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)
    # what was copied, by its path in the output (where it was in the published one), with its
    # (size, mtime_ns) after the copy: a step that writes into it after all changes the mtime
    copies: dict[str, tuple[int, int]] = field(default_factory=dict)
    folders: set[str] = field(default_factory=set)  # made in the new output by `take`
    base: Path | None = None  # the new output, made from the pool (`adopt_pool`)
    kept: set[str] = field(default_factory=set)  # files left where the pool had them
    started_ns: int = 0  # the file system's time when the pool was adopted
    emptied: set[str] = field(default_factory=set)  # folders a removed file may have emptied
    gone: set[str] = field(default_factory=set)  # the pool's files removed from the new output

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

    def adopt_pool(self, tmp: Path) -> None:
        """Make the pool the new output `tmp` (an empty folder): rename it there, then remove
        its manifest and every file that is not part of a whole unit of it (the pages every
        build writes again, and a unit someone took a file away from). Without a pool, `tmp`
        stays empty and units are copied from the published output."""
        if self.pool is None:
            return
        try:
            os.rename(self.pool, tmp)
        except OSError:
            self.pool, self.pool_old = None, {}
            return
        self.base, self.pool = tmp, None
        root = str(tmp)
        found = set(files_under(tmp))
        listed: set[str] = set()
        for pooled in self.pool_old.values():
            units = pooled.get("units") if isinstance(pooled, dict) else None
            if not isinstance(units, dict):
                continue
            prefix = pooled.get("prefix", "")
            for name, unit in list(units.items()):
                files = unit.get("files") if isinstance(unit, dict) else None
                paths = [_join(prefix, f) for f in files] if _names(files) else []
                if paths and all(f in found for f in paths):
                    listed.update(paths)
                else:  # incomplete: its step writes it again
                    del units[name]
        for rel in found - listed:
            path = os.path.join(root, rel)
            os.unlink(path)
            self.emptied.add(os.path.dirname(path))
        (tmp / STARTED).parent.mkdir(exist_ok=True)
        (tmp / STARTED).write_bytes(b"")
        self.started_ns = (tmp / STARTED).stat().st_mtime_ns

    def section(self, name: str, key: str, prefix: str = "") -> Section:
        """Start the section `name` of this build with `key`, its units' files under `prefix`
        in the output. The pool's units of a section whose key changed are removed now."""
        old = self.old.get(name)
        matched = self.previous is not None and isinstance(old, dict) and old.get("key") == key
        units = old.get("units") if matched else None  # type: ignore[union-attr]
        pooled = self.pool_old.pop(name, None)
        pool = pooled.get("units") if isinstance(pooled, dict) else None
        based = (self.base is not None and isinstance(pool, dict) and pooled.get("key") == key  # type: ignore[union-attr]
                 and pooled.get("prefix", "") == prefix)  # type: ignore[union-attr]
        if isinstance(pool, dict) and not based:
            self._discard(pooled.get("prefix", ""), pool)  # type: ignore[union-attr]
        self.sections[name] = section = Section(key, matched, units if isinstance(units, dict) else {},
                                                pool if based else {}, prefix=prefix,  # type: ignore[arg-type]
                                                based=based)
        return section

    def take(self, section: Section, unit: str, print_: str, dest: Path) -> bool:
        """When the pool this build writes into holds `unit` made from the same fingerprint,
        leave its files there (moving them to `dest` when the step writes elsewhere first);
        else when the last build made it so, copy its files from the published output to the
        same paths under `dest`. Record it and say so. Otherwise the step writes the unit and
        records it with `Section.made`."""
        based = section.base.pop(unit, None)
        files: list[str] | None = None
        if isinstance(based, dict) and based.get("print") == print_ and _names(based.get("files")):
            files = based["files"] if self._keep(section.prefix, based["files"], dest) else None
        if files is None:
            if isinstance(based, dict):
                self._discard(section.prefix, {unit: based})
            files = self._copy(section, unit, print_, dest)
            if files is None:
                return False
        section.made(unit, print_, files)
        section.reused += 1
        return True

    def _keep(self, prefix: str, files: list[str], dest: Path) -> bool:
        """Leave a unit's files where the pool had them, or move them to `dest` (the step
        writes elsewhere first); False when one was removed meanwhile (by an overlapping unit)."""
        base = str(self.base)
        rels = [_join(prefix, f) for f in files]
        if any(rel in self.gone for rel in rels):
            return False
        if os.path.join(base, prefix) == os.path.join(dest, ""):  # the step writes into the pool:
            self.kept.update(rels)  # every file is where it would be written (most units, most builds)
            return True
        for f, rel in zip(files, rels, strict=True):
            source, target = os.path.join(base, rel), os.path.join(dest, f)
            if source != target:
                self._folder_of(target)
                os.rename(source, target)
            self.kept.add(rel)
        return True

    def _copy(self, section: Section, unit: str, print_: str, dest: Path) -> list[str] | None:
        """Copy `unit`'s files from the published output when it was made from `print_` there;
        its files, or None when it was not (or someone removed one of them from that site)."""
        old = self._last(section, unit, print_)
        if old is None:
            return None
        files = old.get("files")
        if not _names(files):
            return None
        copied: dict[str, tuple[int, int]] = {}
        for f in files:
            target = os.path.join(dest, f)
            self._folder_of(target)
            try:
                shutil.copyfile(os.path.join(self.previous, section.prefix, f), target)
            except FileNotFoundError:  # the step writes the whole unit, as if none were copied
                for done in copied:
                    os.unlink(os.path.join(dest, done))
                return None
            st = os.stat(target)
            copied[f] = (st.st_size, st.st_mtime_ns)
        self.copies.update((_join(section.prefix, f), seen) for f, seen in copied.items())
        return files

    def _last(self, section: Section, unit: str, print_: str) -> dict[str, Any] | None:
        """The published build's record of `unit` when it made it from the fingerprint `print_`."""
        old = section.old.get(unit)
        if self.previous is None or not isinstance(old, dict) or old.get("print") != print_:
            return None
        return old

    def recorded(self, name: str, unit: str) -> str | None:
        """The fingerprint the published build recorded for `unit` of its section `name`,
        whatever that section's key."""
        last = self.old.get(name)
        units = last.get("units") if isinstance(last, dict) else None
        old = units.get(unit) if isinstance(units, dict) else None
        return old.get("print") if self.previous is not None and isinstance(old, dict) else None

    def _discard(self, prefix: str, units: dict[str, Any]) -> None:
        """Remove the pool's files of `units` from the new output, unless this build wrote them."""
        if self.base is None:
            return
        for unit in units.values():
            files = unit.get("files") if isinstance(unit, dict) else None
            for f in files if _names(files) else ():
                rel = _join(prefix, f)
                path = os.path.join(self.base, rel)
                try:
                    if os.stat(path).st_mtime_ns < self.started_ns:
                        os.unlink(path)
                        self.gone.add(rel)
                        self.emptied.add(os.path.dirname(path))
                except (FileNotFoundError, NotADirectoryError):
                    pass

    def finish(self) -> None:
        """Remove what is left of the pool in the new output: the units no step took (a removed
        entry's), those of sections no step started, and the folders that held only those."""
        if self.base is None:
            return
        for section in self.sections.values():
            self._discard(section.prefix, section.base)
            section.base = {}
        for pooled in self.pool_old.values():
            if isinstance(pooled, dict) and isinstance(pooled.get("units"), dict):
                self._discard(pooled.get("prefix", ""), pooled["units"])
        self.pool_old = {}
        (self.base / STARTED).unlink(missing_ok=True)
        self.emptied.add(str(self.base / STARTED.parent))
        root = str(self.base)
        for folder in sorted(self.emptied, key=len, reverse=True):  # the deepest first
            while folder.startswith(root + os.sep):
                try:
                    os.rmdir(folder)
                except OSError:  # not empty: nor is any folder above it
                    break
                folder = os.path.dirname(folder)
        self.emptied = set()

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
        old = self._last(section, unit, print_)
        if old is None:
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

    def keep_in_place(self, section: Section, unit: str, print_: str) -> bool:
        """When the last build made `unit` from the same fingerprint as a file outside the
        output that is known to be still where it wrote it, unchanged, record it and say so."""
        old = self._last(section, unit, print_)
        if old is None:
            return False
        section.made(unit, print_, [], old["wrote"])
        section.reused += 1
        return True

    def checked_before(self, section: Section) -> Callable[[str, str], bool] | None:
        """For the leak check, whose `section` keys the check itself: a test of whether the
        file at a path relative to the output (and its full path) is one the build that made it
        checked with the same check, not written since: copied from the published output, or
        left where the pool had it. None when no file is."""
        copies = self.copies if section.matched else {}
        kept = self.kept if section.based else set()
        if not copies and not kept:
            return None
        started = self.started_ns

        def unchanged(rel: str, path: str) -> bool:
            seen = copies.get(rel)
            if seen is None and rel not in kept:
                return False
            try:
                st = os.stat(path)
            except OSError:
                return False
            return (st.st_size, st.st_mtime_ns) == seen if seen is not None else st.st_mtime_ns < started

        return unchanged

    def size(self, out: Path, rel: str) -> int:
        """The size of a file this build reused, `rel` under the output `out`."""
        seen = self.copies.get(rel)
        return seen[0] if seen is not None else os.path.getsize(os.path.join(out, rel))

    def write(self, out: Path) -> None:
        """Write this build's manifest into `out`, the output about to be published."""
        path = out / MANIFEST
        path.parent.mkdir(parents=True, exist_ok=True)
        # JSON as `json.dumps` of the whole writes it, a unit at a time: the whole as objects
        # would hold every unit's record at once
        with path.open("w", encoding="utf-8") as f:
            f.write(f'{{"version":{VERSION},"sections":{{')
            for n, (name, s) in enumerate(sorted(self.sections.items())):
                f.write(f'{"," if n else ""}{_json(name)}:{{"key":{_json(s.key)},"units":{{')
                units = sorted(s.new)
                for start in range(0, len(units), 4096):
                    f.write(("," if start else "") + ",".join(
                        f"{_json(unit)}:{_json(s.record(unit))}" for unit in units[start:start + 4096]))
                f.write(f'}},"prefix":{_json(s.prefix)}}}' if s.prefix else "}}")
            f.write("}}\n")


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


def files_under(folder: Path) -> Iterator[str]:
    """The path of every file under `folder`, relative to it, as a string: at 340,000 files of
    a 10,000-entry site, `Path` objects and their sorting cost seconds."""
    root = str(folder)
    start = len(root) + 1
    for here, _, names in os.walk(root):
        for name in names:
            yield os.path.join(here, name)[start:]


_json = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _join(prefix: str, f: str) -> str:
    return prefix + f if prefix else f


def _names(files: object) -> bool:
    return isinstance(files, list) and all(isinstance(f, str) for f in files)
