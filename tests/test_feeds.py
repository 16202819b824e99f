"""Change feeds: Atom 1.0 per entry and for the catalogue, from the repository's git history."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest

from catalogue.load import load_catalogue
from catalogue.site import feeds
from tests.conftest import FIXTURES, edit

A = "{http://www.w3.org/2005/Atom}"
BASE = "https://katalog.example.no/"
REG = "registries/hjerteregister"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=Secretariat",
                    "-c", "user.email=sec@example.no", *args], check=True, capture_output=True)


def commit(repo: Path, message: str, when: str) -> None:
    git(repo, "add", "-A")
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=Secretariat",
                    "-c", "user.email=sec@example.no", "commit", "-qm", message],
                   check=True, capture_output=True,
                   env={"GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when, "PATH": "/usr/bin:/bin",
                        "HOME": str(repo)})


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with four commits to the fixture catalogue's registry."""
    root = tmp_path / "repo"
    meta = root / "metadata"
    shutil.copytree(FIXTURES / "catalogue", meta)
    git(root, "init", "-q")
    commit(root, "Add the catalogue", "2026-01-05T10:00:00+01:00")
    edit(meta / REG / "datapackage.yaml", "max_weeks: 12", "max_weeks: 16")
    commit(root, "Longer lead time", "2026-02-05T10:00:00+01:00")
    schema = meta / REG / "opphold.schema.yaml"
    text = schema.read_text(encoding="utf-8")
    extra = ("  - name: vekt\n    title: Vekt\n    type: number\n    unit: kg\n"
             "  - name: hoyde\n    title: Høyde\n    type: number\n    unit: cm\n")
    schema.write_text(text.rstrip("\n") + "\n" + extra, encoding="utf-8")
    edit(meta / REG / "datapackage.yaml", "title: Test heart registry", "title: The test heart registry")
    commit(root, "Two variables, English title", "2026-03-05T10:00:00+01:00")
    edit(meta / REG / "datapackage.yaml", "keywords: [hjerte, test]", "keywords: [ hjerte,  test ]")
    (meta / REG / "datapackage.yaml").write_text(
        (meta / REG / "datapackage.yaml").read_text(encoding="utf-8") + "# a comment only\n",
        encoding="utf-8")
    commit(root, "Comment", "2026-04-05T10:00:00+01:00")
    return root


def test_each_commit_says_which_fields_changed(repo):
    changes = feeds.histories(repo / "metadata")[REG]
    assert [c.subject for c in changes] == ["Comment", "Two variables, English title",
                                            "Longer lead time", "Add the catalogue"]
    assert [c.fields for c in changes] == [
        [], ["translations.en", "2 variables added"], ["access.lead_time"], ["entry added"]]
    assert changes[2].when == "2026-02-05T10:00:00+01:00" and changes[2].author == "Secretariat"


def test_the_change_summary_names_nested_fields_tables_and_variable_counts():
    old = {"title": "A", "access": {"fees": {"min_nok": 0}, "lead_time": {"min_weeks": 1}},
           "resources": [{"name": "main", "path": "https://x/a",
                          "schema": {"fields": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}}]}
    new = {"title": "A", "access": {"fees": {"min_nok": 5}, "lead_time": {"min_weeks": 1}},
           "keywords": ["x"],
           "resources": [{"name": "main", "path": "https://x/b",
                          "schema": {"fields": [{"name": "a", "unit": "kg"}, {"name": "d"}]}}]}
    assert feeds.changed_fields(old, new) == [
        "access.fees", "keywords", "resources.main", "1 variable added", "2 variables removed",
        "1 variable changed"]
    assert feeds.changed_fields(new, None) == ["entry removed"]


def parse_atom(path: Path) -> ET.Element:
    """Parse a feed and check what RFC 4287 requires of it, failing with the reason."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{A}feed"
    for child in ("id", "title", "updated"):
        assert len(root.findall(f"{A}{child}")) == 1, f"feed needs exactly one atom:{child}"
    assert root.find(f"{A}author/{A}name") is not None  # feed-level author covers every entry
    selfs = [link for link in root.findall(f"{A}link") if link.get("rel") == "self"]
    assert len(selfs) == 1 and selfs[0].get("href", "").startswith("https://")
    for stamp in root.iter(f"{A}updated"):
        datetime.fromisoformat(stamp.text.replace("Z", "+00:00"))  # RFC 3339 date-time
        assert "T" in stamp.text and (stamp.text.endswith("Z") or "+" in stamp.text[10:]
                                      or "-" in stamp.text[10:])
    ids = []
    for entry in root.findall(f"{A}entry"):
        for child in ("id", "title", "updated"):
            assert len(entry.findall(f"{A}{child}")) == 1, f"entry needs exactly one atom:{child}"
        ids.append(entry.findtext(f"{A}id"))
        assert ids[-1].startswith("urn:uuid:")
        alternate = [link for link in entry.findall(f"{A}link") if link.get("rel") == "alternate"]
        assert alternate, "an entry without content needs a rel=alternate link"
        assert entry.find(f"{A}summary") is not None
    assert len(ids) == len(set(ids)), "entry ids repeat"
    return root


def test_the_feeds_are_atom_and_link_the_entry_page(repo, tmp_path):
    out = tmp_path / "site"
    cat = load_catalogue(repo / "metadata")
    written = feeds.write(out, cat, BASE)
    assert out / "feeds/changes.atom" in written and out / "en/feeds/changes.atom" in written
    entry = parse_atom(out / REG / "changes.atom")
    items = entry.findall(f"{A}entry")
    assert len(items) == 4
    newest_with_fields = items[1]
    assert newest_with_fields.findtext(f"{A}updated") == "2026-03-05T10:00:00+01:00"
    assert "translations.en, 2 variables added" in newest_with_fields.findtext(f"{A}summary")
    link = newest_with_fields.find(f"{A}link").get("href")
    assert link == BASE + REG + "/"
    en = parse_atom(out / "en" / REG / "changes.atom")
    assert en.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert en.find(f"{A}entry/{A}link").get("href") == BASE + "en/" + REG + "/"
    assert en.findtext(f"{A}entry/{A}summary").startswith("Changed: no field changed")
    everything = parse_atom(out / "feeds/changes.atom")
    titles = [e.findtext(f"{A}title") for e in everything.findall(f"{A}entry")]
    assert len(titles) == 5  # four for the registry, one (added) for the biobank
    assert parse_atom(out / "biobanks/hjertebiobank/changes.atom") is not None


def test_outside_git_every_feed_has_the_current_version(catalogue_dir, tmp_path):
    assert subprocess.run(["git", "-C", str(catalogue_dir), "rev-parse"],
                          capture_output=True).returncode != 0
    out = tmp_path / "site"
    feeds.write(out, load_catalogue(catalogue_dir), BASE)
    for path in (out / REG / "changes.atom", out / "en/biobanks/hjertebiobank/changes.atom"):
        items = parse_atom(path).findall(f"{A}entry")
        assert len(items) == 1
        assert "current version" in items[0].findtext(f"{A}title").lower() or \
            "gjeldende versjon" in items[0].findtext(f"{A}title")
    assert len(parse_atom(out / "feeds/changes.atom").findall(f"{A}entry")) == 2


def test_the_built_site_has_the_feeds_and_the_pages_announce_them(catalogue_dir, tmp_path):
    from catalogue.build.pipeline import build

    out = tmp_path / "site"
    build(catalogue_dir, out, f"sqlite:///{tmp_path}/store.sqlite", BASE)
    for lang in ("", "en/"):
        page = (out / lang / REG / "index.html").read_text(encoding="utf-8")
        assert '<link rel="alternate" type="application/atom+xml" href="changes.atom"' in page
        assert '<a href="changes.atom" type="application/atom+xml">' in page
        parse_atom(out / lang / REG / "changes.atom")
        parse_atom(out / lang / "feeds/changes.atom")
