"""Each entry's change history, from one `git log` over the metadata folder.

One process for the whole catalogue (not one per entry) keeps this cheap at 10,000 entries.
Outside a git checkout, or without git, every history is empty and the page says so.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from catalogue.format.kinds import KIND_FOLDERS

MAX_PER_ENTRY = 20


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # YYYY-MM-DD
    author: str
    subject: str


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                              timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout if proc.returncode == 0 else None


@dataclass
class History:
    """An entry's latest commits (newest first, at most MAX_PER_ENTRY) and its first and last dates."""

    commits: list[Commit]
    first: str
    last: str


def histories(root: Path) -> dict[str, History]:
    """Entry folder (`registries/<name>`) -> its history; {} outside a git checkout."""
    top = _git(root, "rev-parse", "--show-toplevel")
    if not top:
        return {}
    prefix = root.resolve().relative_to(Path(top.strip()).resolve()).as_posix()
    log = _git(root, "log", "--format=%x1e%h%x1f%cs%x1f%an%x1f%s", "--name-only", "--", ".")
    if not log:
        return {}
    out: dict[str, History] = {}
    for record in log.split("\x1e")[1:]:
        head, _, files = record.partition("\n")
        sha, date, author, subject = (head.split("\x1f") + ["", "", "", ""])[:4]
        commit = Commit(sha, date, author, subject)
        folders = set()
        for f in files.split("\n"):
            rel = f.strip()
            if prefix and prefix != ".":
                if not rel.startswith(prefix + "/"):
                    continue
                rel = rel[len(prefix) + 1:]
            parts = rel.split("/")
            if len(parts) >= 3 and parts[0] in KIND_FOLDERS:
                folders.add(f"{parts[0]}/{parts[1]}")
        for folder in folders:
            hist = out.setdefault(folder, History([], date, date))
            if len(hist.commits) < MAX_PER_ENTRY:
                hist.commits.append(commit)
            hist.first = date  # the log runs newest first, so the last seen is the oldest
    return out
