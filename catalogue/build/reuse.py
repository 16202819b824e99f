"""What an incremental build may take from the last published output instead of writing it again.

A step that can reuse its work keeps a *section* of the reuse manifest: a key for everything its
outputs depend on besides their own inputs (templates, settings, package versions), and a
fingerprint (a hash) of each unit's input, by the unit's path. When this build's key equals the
last build's and a unit's fingerprint is unchanged, the unit's file is copied from the published
output into the new one instead of being made again. The manifest is written into the new
output and published with it by the same atomic swap, so it always describes the output it
sits in. `catalogue build --full`, a first build or a changed key reuses nothing.

Copied, not hard-linked: a later step may still write into a reused file (the leak check's
test does), and through a link that would change the published site before the build is done.
`shutil.copyfile` has the kernel copy the bytes (`sendfile`), so Python never reads them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST = Path(".catalogue") / "reuse.json"
VERSION = 1  # of the manifest's format; another version is not read


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
    """One step's part of the manifest: the last build's fingerprints when its key is this
    build's, and this build's, filled in as the step writes."""

    key: str
    old: dict[str, str]
    new: dict[str, str] = field(default_factory=dict)
    reused: int = 0


@dataclass
class Reuse:
    """The last published output and its manifest (`previous` is None when nothing may be
    reused), and the manifest this build is writing."""

    previous: Path | None = None
    old: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)

    @classmethod
    def of(cls, out: Path, full: bool = False) -> Reuse:
        """What may be reused from `out`, the published output (nothing for a full build)."""
        if full:
            return cls()
        try:
            manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):  # a first build, or a manifest nobody can trust
            return cls()
        if not isinstance(manifest, dict) or manifest.get("version") != VERSION:
            return cls()
        sections = manifest.get("sections")
        return cls(out, sections if isinstance(sections, dict) else {})

    def section(self, name: str, key: str) -> Section:
        """Start the section `name` of this build with `key`."""
        old = self.old.get(name)
        fingerprints = old.get("units") if isinstance(old, dict) and old.get("key") == key else None
        self.sections[name] = section = Section(key, fingerprints if isinstance(fingerprints, dict) else {})
        return section

    def take(self, section: Section, unit: str, print_: str, source: str, dest: Path) -> bool:
        """Record `unit`'s fingerprint; when the last build had the same one, copy its output
        `source` (relative to the published output) to `dest` and say so."""
        section.new[unit] = print_
        if self.previous is None or section.old.get(unit) != print_:
            return False
        old = self.previous / source
        if not old.is_file():  # someone removed it from the published site: write it again
            return False
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(old, dest)
        section.reused += 1
        return True

    def write(self, out: Path) -> None:
        """Write this build's manifest into `out`, the output about to be published."""
        path = out / MANIFEST
        path.parent.mkdir(parents=True, exist_ok=True)
        sections = {name: {"key": s.key, "units": dict(sorted(s.new.items()))}
                    for name, s in sorted(self.sections.items())}
        path.write_text(json.dumps({"version": VERSION, "sections": sections}, indent=0) + "\n",
                        encoding="utf-8")
