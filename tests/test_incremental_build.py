"""An incremental build reuses what the last build made from unchanged input, and its result is
byte for byte what a full build of the same input gives.

Each test builds a small synthetic catalogue with the real `catalogue` command, changes it the
way a registry owner or the project would, builds again into the same folder (which reuses the
unchanged pages) and compares the result with a `--full` build into a fresh folder.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
import yaml

from catalogue.devtools.synth import synth
from catalogue.settings import validators_dir
from catalogue.site import search
from tests.feed_fixtures import BIN, run_cli


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` by its relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_same_tree(got: Path, want: Path) -> None:
    a, b = tree(got), tree(want)
    assert sorted(a) == sorted(b), (sorted(set(a) ^ set(b)))[:10]
    differ = [name for name in a if a[name] != b[name]]
    assert not differ, f"{len(differ)} files differ, e.g. {differ[:10]}"


def reused(output: str) -> int:
    """How many pages and files `catalogue build` said it took from the last build."""
    found = re.search(r"reused (\d+) unchanged", output)
    return int(found.group(1)) if found else 0


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a synthetic `metadata/` and its own copy of the rules in `validators/`, so a
    test can change a vocabulary; dates are fixed, so two builds can be compared at all."""
    synth(tmp_path / "metadata", 8, 5, seed=3)
    shutil.copytree(validators_dir(), tmp_path / "validators")
    monkeypatch.setenv("CATALOGUE_TODAY", "2026-06-30")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1782777600")  # the same day, for MkDocs' sitemap
    monkeypatch.delenv("CATALOGUE_VALIDATORS", raising=False)
    return tmp_path


def build(project: Path, out: str, *more: str) -> str:
    done = run_cli("build", "--metadata", "metadata", "--out", out, "--db",
                   f"sqlite:///{project / 'catalogue.sqlite'}", *more, cwd=project)
    return done.stdout


def entry_file(project: Path, n: int) -> Path:
    return next((project / "metadata").glob(f"*/synth-*-{n:05d}/datapackage.yaml"))


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def edit_text(project: Path) -> None:
    edit_yaml(entry_file(project, 2), lambda d: d.update(description="Et nytt **avsnitt** om data."))


def add_entry(project: Path) -> None:
    source = entry_file(project, 1)
    target = source.parent.with_name(source.parent.name.replace("00001", "00099")) / source.name
    target.parent.mkdir()
    text = source.read_text(encoding="utf-8").replace("00001", "00099")
    uuid = re.search(r"^id: (\S+)$", text, re.M).group(1)  # type: ignore[union-attr]
    target.write_text(text.replace(uuid, "0b6f7c1e-2a44-4d8e-9c3b-5f1d2e3a4b99"), encoding="utf-8")


def remove_entry(project: Path) -> None:
    shutil.rmtree(entry_file(project, 3).parent)


def rename_organisation(project: Path) -> None:
    org = sorted((project / "metadata" / "organizations").glob("*.yaml"))[1]
    edit_yaml(org, lambda d: d["name"].update(nb="Omdøpt helseforetak", en="Renamed health trust"))


def relabel_vocabulary(project: Path) -> None:
    edit_yaml(project / "validators" / "vocabularies" / "health-regions.yaml",
              lambda d: d["terms"][0]["label"].update(nb="Helseregion Sør-Øst", en="Region South-East"))


def link_entries(project: Path) -> None:
    linked = yaml.safe_load(entry_file(project, 5).read_text(encoding="utf-8"))["name"]
    edit_yaml(entry_file(project, 4), lambda d: d.update(linked_entries=[linked]))


def retitle_linked_entry(project: Path) -> None:
    """Entry 4's page (and entry 5's, linked from it) shows entry 5's title, so both change."""
    edit_yaml(entry_file(project, 5), lambda d: d.update(title="Et nytt navn på registeret"))


def retitle_variable(project: Path) -> None:
    """A variable's title: the entry's pages and the variables index change, not the others."""
    edit_yaml(entry_file(project, 6),
              lambda d: d["resources"][0]["schema"]["fields"][0].update(title="Et nytt variabelnavn"))


CHANGES = [edit_text, add_entry, remove_entry, rename_organisation, relabel_vocabulary,
           link_entries, retitle_linked_entry, retitle_variable]


def test_after_each_kind_of_change_an_incremental_build_equals_a_full_one(project: Path):
    first = build(project, "site")
    assert reused(first) == 0  # nothing to reuse yet
    assert reused(build(project, "site")) >= 2 * 8  # unchanged: every entry page, both languages
    for change in CHANGES:
        change(project)
        output = build(project, "site")
        build(project, f"full-{change.__name__}", "--full")
        assert_same_tree(project / "site", project / f"full-{change.__name__}")
        assert reused(output) > 0, change.__name__  # it did reuse, and it was still right


def test_a_change_to_one_entry_rewrites_only_the_search_files_it_changes(project: Path):
    build(project, "site")
    index = project / "site" / search.FOLDER
    files = {p.relative_to(index).as_posix(): p.read_bytes() for p in index.rglob("*.json")}
    edit_text(project)
    build(project, "site")
    now = {p.relative_to(index).as_posix(): p.read_bytes() for p in index.rglob("*.json")}
    changed = sorted(name for name in files if now.get(name) != files[name])
    # the edited entry's card, and the word shards of the words it gained or lost; no facet
    # column or title order, and not the other entries' cards
    assert len([n for n in changed if n.startswith("d/")]) == 1
    assert changed and all(n.startswith(("d/", "t/")) for n in changed), changed
    assert len(changed) < len(files) / 4
    build(project, "full", "--full")
    assert_same_tree(project / "site", project / "full")


def test_a_full_build_reuses_nothing(project: Path):
    build(project, "site")
    assert reused(build(project, "site", "--full")) == 0


def test_the_page_sources_a_build_replaced_are_removed(project: Path):
    build(project, "site")
    build(project, "site", "--full")  # sets the last build's sources aside, then removes them
    left = sorted(p.name for p in (project / "build" / "site-src").iterdir())
    assert len(left) == 1 and (project / "build" / "site-src" / left[0] / "nb").is_dir(), left


def test_an_incremental_build_stopped_half_way_leaves_the_last_site_and_the_next_build_is_right(
        project: Path):
    build(project, "site")
    before = tree(project / "site")
    edit_text(project)
    proc = subprocess.Popen([str(BIN / "catalogue"), "build", "--metadata", "metadata", "--out", "site",
                             "--db", f"sqlite:///{project / 'catalogue.sqlite'}"], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:  # one line per step: stop it once the pages are built, some reused
        if "Indexing search" in line:
            proc.send_signal(signal.SIGTERM)
            break
    proc.communicate(timeout=120)
    assert proc.returncode == 143
    assert tree(project / "site") == before  # reusing a page did not touch the published one
    assert not list(project.glob(".site-build-*"))  # the half-built output is gone
    build(project, "site")
    build(project, "full", "--full")
    assert_same_tree(project / "site", project / "full")


def test_an_unchanged_file_moves_from_the_pool_which_holds_the_site_before_the_last(
        project: Path):
    entry = "registries/synth-registry-00003/"  # entry 2 is the one edited
    unchanged = [f"{entry}index.html", f"en/{entry}changes.atom", "planner/entries/synth-registry-00003.json",
                 f"editor/source/{entry}datapackage.yaml", f"{entry}dictionary.csv"]
    build(project, "site")
    first = tree(project / "site")
    build(project, "site")
    pool = project / ".site-pool"
    assert tree(pool) == first  # the first site, set aside when the second was published
    second, moving = tree(project / "site"), [(pool / f).stat().st_ino for f in unchanged]
    edit_text(project)
    build(project, "site")
    assert [(project / "site" / f).stat().st_ino for f in unchanged] == moving  # moved, not copied
    assert tree(pool) == second
    build(project, "full", "--full")
    assert_same_tree(project / "site", project / "full")


def test_a_build_after_one_change_leaves_the_other_entries_files_where_the_pool_had_them(
        project: Path):
    """The pool becomes the new site: an unchanged entry's files are not even moved, and only
    the changed entry's pages are written again."""
    build(project, "site")
    build(project, "site")
    pool = project / ".site-pool"
    kept = sorted(p for p in pool.rglob("*") if p.is_file() and "synth-registry-00003" in p.as_posix())
    assert len(kept) > 10  # its pages in both languages, downloads, feeds, planner, editor, FDP
    before = {p.relative_to(pool): (p.stat().st_ino, p.stat().st_mtime_ns) for p in kept}
    edit_text(project)
    build(project, "site")
    site = project / "site"
    assert {rel: ((site / rel).stat().st_ino, (site / rel).stat().st_mtime_ns) for rel in before} == before
    edited = site / "registries" / "synth-registry-00002" / "index.html"
    assert "Et nytt <strong>avsnitt</strong>" in edited.read_text(encoding="utf-8")
    build(project, "full", "--full")
    assert_same_tree(site, project / "full")


def test_a_pool_changed_by_hand_still_gives_a_right_site(project: Path):
    """A file taken from the pool, or one put into it, does not reach the next site."""
    build(project, "site")
    build(project, "site")
    pool = project / ".site-pool"
    next(pool.glob("*/synth-*-00003/dictionary.csv")).unlink()
    next(pool.glob("en/*/synth-*-00004/index.html")).unlink()
    next(pool.glob("*/synth-*-00005/")).joinpath("notes.txt").write_text("left here", encoding="utf-8")
    (pool / "stray").mkdir()
    (pool / "stray" / "page.html").write_text("<p>old</p>", encoding="utf-8")
    edit_text(project)
    build(project, "site")
    build(project, "full", "--full")
    assert_same_tree(project / "site", project / "full")
    assert not (project / "site" / "stray").exists()  # nor the folder that held only a stray file


def test_a_new_theme_renders_every_page_again_and_keeps_the_pools_other_files(
        project: Path, monkeypatch: pytest.MonkeyPatch):
    """No page's HTML can be reused, yet the English MkDocs build must not empty `en/`, which
    holds the pool's change feeds, still the right ones."""
    from catalogue.build.pipeline import build as build_here
    from catalogue.site import mkdocs_run

    build(project, "site")
    build(project, "site")
    monkeypatch.chdir(project)
    monkeypatch.setenv("CATALOGUE_VALIDATORS", str(project / "validators"))  # as the command does
    monkeypatch.setattr(mkdocs_run, "theme_fingerprint", lambda: "another theme")
    done = build_here(project / "metadata", project / "site", f"sqlite:///{project / 'catalogue.sqlite'}")
    assert done.reuse.sections["mkdocs-en"].reused == 0
    assert done.reuse.sections["feeds"].reused > 0
    build(project, "full", "--full")
    got, want = tree(project / "site"), tree(project / "full")
    del got[".catalogue/reuse.json"], want[".catalogue/reuse.json"]  # the theme's key differs there
    assert sorted(got) == sorted(want), sorted(set(got) ^ set(want))[:10]
    assert [name for name in got if got[name] != want[name]] == []


def test_a_build_stopped_after_it_took_the_pool_is_followed_by_a_right_one(project: Path):
    build(project, "site")
    build(project, "site")
    published = tree(project / "site")
    edit_text(project)
    proc = subprocess.Popen([str(BIN / "catalogue"), "build", "--metadata", "metadata", "--out", "site",
                             "--db", f"sqlite:///{project / 'catalogue.sqlite'}"], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:  # the pages are built into the pool, which the build took
        if "Indexing search" in line:
            proc.send_signal(signal.SIGTERM)
            break
    proc.communicate(timeout=120)
    assert proc.returncode == 143
    assert not (project / ".site-pool").exists()  # gone with the half-built output
    assert not list(project.glob(".site-build-*"))
    assert tree(project / "site") == published
    build(project, "site")  # copies from the published site, having no pool
    build(project, "full", "--full")
    assert_same_tree(project / "site", project / "full")


def test_an_address_no_longer_declared_is_found_in_a_page_the_build_reused(project: Path):
    """The leak check skips pages copied unchanged from the checked site, but not once the
    declared contacts change: entry 1's text shows entry 2's contact, which entry 2 then drops."""
    edit_yaml(entry_file(project, 1), lambda d: d.update(description="Spør kontakt2@example.org."))
    build(project, "site")
    edit_yaml(entry_file(project, 2), lambda d: d["contributors"][0].update(email="ny2@example.org"))
    done = run_cli("build", "--metadata", "metadata", "--out", "site", "--db",
                   f"sqlite:///{project / 'catalogue.sqlite'}", cwd=project, check=False)
    assert done.returncode == 1
    said = done.stderr + done.stdout
    assert "not a declared contact point k***@example.org" in said  # the address is masked
    assert "registries/synth-registry-00001/index.html" in said  # the reused page was read again


def test_the_dcat_pages_of_unchanged_entries_are_copied_and_equal_a_fresh_export(project: Path):
    from catalogue.build.reuse import Reuse
    from catalogue.dcat.export import export
    from catalogue.dcat.uris import DcatConfig
    from catalogue.load import load_catalogue

    config = DcatConfig(base_url="https://katalog.example.no/", page_size=3)  # 8 entries, 3 pages
    first = Reuse()
    export(load_catalogue(project / "metadata"), project / "first", config, reuse=first)
    first.write(project / "first")
    edit_text(project)  # entry 2, on the first page (the entries are in name order)
    catalogue = load_catalogue(project / "metadata")
    again = Reuse.of(project / "first")
    export(catalogue, project / "again", config, reuse=again)
    assert again.sections["dcat"].reused == 2
    export(catalogue, project / "fresh", config)
    assert_same_tree(project / "again", project / "fresh")


def test_the_variables_index_is_taken_whole_unless_an_entrys_variables_or_source_changed(
        project: Path):
    from catalogue.build.reuse import Reuse
    from catalogue.load import load_catalogue
    from catalogue.site import variables_index

    def index(out: str, last: str | None) -> Reuse:
        reuse = Reuse.of(project / last) if last else Reuse()
        variables_index.write(project / out, load_catalogue(project / "metadata"), reuse)
        reuse.write(project / out)
        variables_index.write(project / f"fresh-{out}", load_catalogue(project / "metadata"))
        folder = variables_index.FOLDER
        assert_same_tree(project / out / folder, project / f"fresh-{out}" / folder)
        return reuse

    index("first", None)
    edit_text(project)  # a description: nothing the index shows
    assert index("second", "first").sections["variables"].reused == 1  # the whole, in one
    retitle_variable(project)  # numbers and postings may move: all is written but the compare
    assert index("third", "second").sections["variables"].reused == 7  # files of the others


def test_a_file_removed_from_the_published_site_is_written_again_with_the_rest_of_its_unit(
        project: Path):
    build(project, "site")
    (project / "site" / "registries" / "synth-registry-00002" / "dictionary.csv").unlink()
    build(project, "site")
    build(project, "full", "--full")
    assert_same_tree(project / "site", project / "full")


def test_a_catalogue_too_big_to_hold_its_models_as_objects_builds_the_same_site(
        project: Path, monkeypatch: pytest.MonkeyPatch):
    build(project, "site", "--full")
    monkeypatch.setenv("CATALOGUE_MODELS_MB", "0")  # no room: every model is kept packed
    build(project, "packed", "--full")
    assert_same_tree(project / "packed", project / "site")
    edit_text(project)
    assert reused(build(project, "packed")) > 0
    monkeypatch.delenv("CATALOGUE_MODELS_MB")
    build(project, "full", "--full")
    assert_same_tree(project / "packed", project / "full")


def test_the_manifest_writes_every_unit_as_json_writes_it_whatever_form_the_build_kept_it_in(
        tmp_path: Path):
    import json

    from catalogue.build.reuse import MANIFEST, VERSION, Reuse

    reuse = Reuse()
    pages = reuse.section("pages-en", "key-1", prefix="en/")
    pages.made("catalogue/index.html", "p1", ["catalogue/index.html"])  # one file of its own name
    pages.made("registries/ø/index.md", "p2", [], "w2")  # a source outside the output
    fdp = reuse.section("fdp", "key-2")
    fdp.made("e1", "p3", ["fdp/dataset/e1.ttl", "fdp/distribution/e1.ttl"])
    fdp.adopt("e2", {"print": "p4", "files": ["fdp/dataset/e2.ttl"]})  # as the last build had it
    fdp.adopt("e3", {"print": 4, "files": "x"})  # not a record: made again next time
    many = reuse.section("planner", "key-3")
    for n in range(5000):  # more than one of the writer's batches
        many.made(f"planner/{n}.json", f"p{n}", [f"planner/{n}.json"])

    reuse.write(tmp_path)

    want = {"version": VERSION, "sections": {
        "fdp": {"key": "key-2", "units": {
            "e1": {"print": "p3", "files": ["fdp/dataset/e1.ttl", "fdp/distribution/e1.ttl"]},
            "e2": {"print": "p4", "files": ["fdp/dataset/e2.ttl"]}}},
        "pages-en": {"key": "key-1", "units": {
            "catalogue/index.html": {"print": "p1", "files": ["catalogue/index.html"]},
            "registries/ø/index.md": {"print": "p2", "files": [], "wrote": "w2"}}, "prefix": "en/"},
        "planner": {"key": "key-3", "units": {
            f"planner/{n}.json": {"print": f"p{n}", "files": [f"planner/{n}.json"]}
            for n in sorted(range(5000), key=lambda n: f"planner/{n}.json")}}}}
    written = (tmp_path / MANIFEST).read_text(encoding="utf-8")
    assert written == json.dumps(want, separators=(",", ":"), ensure_ascii=False) + "\n"
    assert fdp.files("e1") == ("fdp/dataset/e1.ttl", "fdp/distribution/e1.ttl")
    assert pages.files("catalogue/index.html") == ("catalogue/index.html",)
    assert pages.wrote("registries/ø/index.md") == "w2" and pages.wrote("catalogue/index.html") is None


def test_pages_whose_second_language_a_forked_process_writes_are_those_one_process_writes(
        project: Path, monkeypatch: pytest.MonkeyPatch):
    """A big catalogue's English pages are written by a fork while bokmål's are written here
    (`pages.PARALLEL_FROM`, lowered to this catalogue): full and incremental builds made so
    equal full builds made in one process."""
    from catalogue.build import pipeline
    from catalogue.site import pages

    monkeypatch.setattr(pages, "PARALLEL_FROM", 0)
    monkeypatch.setenv("CATALOGUE_VALIDATORS", str(project / "validators"))
    monkeypatch.chdir(project)
    db = f"sqlite:///{project / 'catalogue.sqlite'}"
    pipeline.build(Path("metadata"), project / "site", db, full=True)
    build(project, "full", "--full")
    assert_same_tree(project / "site", project / "full")
    for change in (edit_text, link_entries):
        change(project)
        pipeline.build(Path("metadata"), project / "site", db)
        build(project, f"full-{change.__name__}", "--full")
        assert_same_tree(project / "site", project / f"full-{change.__name__}")


def test_a_build_that_fails_while_a_fork_writes_the_other_language_stops_the_fork(tmp_path: Path):
    import os
    import time

    from catalogue.site import pages
    from tests.build_support import gone

    pid_file = tmp_path / "fork.pid"

    def other() -> None:  # the fork's language: far longer than the build will wait
        pid_file.write_text(str(os.getpid()))
        time.sleep(120)

    def first() -> None:
        while not pid_file.exists():
            time.sleep(0.05)
        raise OSError(28, "No space left on device", "site/registries/x/index.md")

    with pytest.raises(OSError, match="No space left"):
        pages._each_language({"nb": first, "en": other}, {"nb": None, "en": None}, True, lambda lang: None)
    pid = int(pid_file.read_text())
    assert gone(pid), f"the fork {pid} still runs"  # stopped, not left to sleep out its two minutes
