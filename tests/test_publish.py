"""Publishing swaps the new output in; the old copy becomes the pool the next build moves
unchanged files from, and the pool it replaces goes, at once for a small site and after the swap,
in a process of its own, for a large one (whose removal would hold the publication up)."""

from __future__ import annotations

import time
from pathlib import Path

from catalogue.build.publish import REMOVE_LATER_FROM, swap
from tests.build_support import residue


def outputs(tmp_path: Path) -> tuple[Path, Path]:
    out, new = tmp_path / "site", tmp_path / ".site-build-1"
    for folder, text in ((out, "old"), (new, "new")):
        (folder / "registries" / "a").mkdir(parents=True)
        (folder / "registries" / "a" / "index.html").write_text(text)
    return out, new


def test_the_old_copy_becomes_the_pool_and_the_pool_it_replaces_is_gone_when_the_swap_returns(
        tmp_path: Path):
    out, new = outputs(tmp_path)
    swap(new, out, [], entries=REMOVE_LATER_FROM - 1)
    assert (out / "registries" / "a" / "index.html").read_text() == "new"
    pool = tmp_path / ".site-pool"
    assert (pool / "registries" / "a" / "index.html").read_text() == "old"
    assert not residue(tmp_path)
    newer = tmp_path / ".site-build-2"
    (newer / "registries" / "a").mkdir(parents=True)
    (newer / "registries" / "a" / "index.html").write_text("newer")
    swap(newer, out, [], entries=REMOVE_LATER_FROM - 1)
    assert (out / "registries" / "a" / "index.html").read_text() == "newer"
    assert (pool / "registries" / "a" / "index.html").read_text() == "new"
    assert not residue(tmp_path)


def test_a_large_sites_replaced_pool_is_removed_after_the_swap_and_a_killed_builds_too(
        tmp_path: Path):
    out, new = outputs(tmp_path)
    (tmp_path / ".site-pool" / "x").mkdir(parents=True)  # the pool of the build before
    left = tmp_path / ".site-old-99999"  # what a build killed while it removed its old copy left
    (left / "x").mkdir(parents=True)
    swap(new, out, [], entries=REMOVE_LATER_FROM)
    assert (out / "registries" / "a" / "index.html").read_text() == "new"
    assert (tmp_path / ".site-pool" / "registries" / "a" / "index.html").read_text() == "old"
    assert not left.exists()  # removed before the swap made an old copy of its own
    deadline = time.monotonic() + 30
    while residue(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not residue(tmp_path)


def test_a_folder_removed_later_frees_its_path_at_once_and_a_killed_removal_is_found(tmp_path: Path):
    from catalogue.build.context import left_behind, remove_folders

    folder = tmp_path / "sources-last"
    (folder / "nb").mkdir(parents=True)
    remove_folders(folder, later=True)
    assert not folder.exists()  # set aside at once: a build to come may make it again
    killed = tmp_path / "sources-last.gone-abc123"  # what a removal cut short leaves
    (killed / "sources-last").mkdir(parents=True)
    assert killed in left_behind(folder)
    remove_folders(*left_behind(folder))
    deadline = time.monotonic() + 30
    while list(tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(tmp_path.iterdir())
