"""The last check before publishing: identity numbers and undeclared e-mail addresses anywhere in
the finished site and feeds stop the build, and nothing is published."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pytest

import catalogue.build.pipeline as build_mod
from catalogue.build import leakcheck
from catalogue.build.pipeline import BuildError, build
from catalogue.load import load_catalogue
from catalogue.privacy.national_ids import find_national_ids, is_national_id
from tests.build_support import residue, tree
from tests.conftest import REPO, edit
from tests.feed_fixtures import make_metadata, run_cli
from tests.test_store import snapshot

DESCRIPTION = "description: Et lite register brukt i testene."


def valid_numbers(prefix: str = "010190") -> list[str]:
    """Valid test identity numbers born 1 January 1990 (the check digits computed here)."""
    found = []
    for individual in range(100, 200):
        for checks in range(100):
            number = f"{prefix}{individual:03d}{checks:02d}"
            if is_national_id(number):
                found.append(number)
    return found


NUMBER = valid_numbers()[0]


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with a good build of five entries in site/ and store.sqlite."""
    monkeypatch.chdir(tmp_path)
    make_metadata(tmp_path / "metadata", synthetic=3)
    build(Path("metadata"), Path("site"), f"sqlite:///{tmp_path}/store.sqlite")
    return tmp_path


def test_a_good_build_passes_the_check_and_the_check_reads_the_search_index(built):
    cat = load_catalogue(built / "metadata")
    scan = leakcheck.check(built / "site", cat)
    assert scan.leaks == () and scan.files > 50
    read = set(leakcheck.scanned(built / "site"))
    assert any(p.startswith("search-index/d/") for p in read)
    assert any(p.startswith("search-index/t/") for p in read)
    assert "sitemap.xml.gz" in read  # compressed, read too
    assert {"datasets.jsonl", "catalog.ttl", "registries/hjerteregister/index.html",
            "en/registries/hjerteregister/index.html"} <= read
    # the theme's own code is not read: it names its authors' e-mails
    assert not any("/javascripts/" in p for p in read)
    assert list((built / "site/assets/javascripts").rglob("*.js"))
    declared = leakcheck.declared_emails(cat)
    assert {"hjerte@stolav.no", "hjertebiobank@ntnu.no", "postmottak@stolav.no"} <= declared


def test_an_email_address_in_a_description_stops_the_build(built):
    db = f"sqlite:///{built}/store.sqlite"
    rows, site = snapshot(db), tree(built / "site")
    edit(built / "metadata/registries/hjerteregister/datapackage.yaml", DESCRIPTION,
         "description: Et lite register. Spør Ola.Nordmann@gmail.com om tilgang.")
    done = run_cli("build", "--db", db, cwd=built, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    err = done.stderr
    assert "build failed: the finished site holds personal data" in err
    assert "nothing was published" in err
    line = next(ln for ln in err.splitlines() if "o***@gmail.com" in ln)
    assert line.startswith("  e-mail address that is not a declared contact point o***@gmail.com, "
                           "likely from entry hjerteregister (metadata/registries/hjerteregister/"
                           "datapackage.yaml), in 19 file(s): ")  # fdp/dataset/<id>.* (3), editor, card
    assert " registries/hjerteregister/index.html," in line  # entry pages first
    assert "ola.nordmann@gmail.com" not in err.lower()
    assert "Hint: remove the number or address from the metadata" in err
    assert tree(built / "site") == site
    assert snapshot(db) == rows
    assert not residue(built, built / "build")


@pytest.mark.parametrize("per_process", [leakcheck.PARALLEL_FROM, 10])  # one process, or several
def test_the_check_finds_an_address_in_every_kind_of_output(built, monkeypatch, per_process):
    monkeypatch.setattr(leakcheck, "PARALLEL_FROM", per_process)
    edit(built / "metadata/registries/hjerteregister/datapackage.yaml", DESCRIPTION,
         "description: Et lite register. Spør Ola.Nordmann@gmail.com om tilgang.")
    with pytest.raises(leakcheck.PersonalDataFound) as raised:
        build(Path("metadata"), Path("site"), f"sqlite:///{built}/store.sqlite")
    paths = {leak.path for leak in raised.value.scan.leaks}
    assert {"registries/hjerteregister/index.html",  # the English page has its own description
            "registries/hjerteregister/ckan.json", "registries/hjerteregister/datapackage.json",
            "datasets.jsonl", "catalog.ttl", "catalog.jsonld", "catalog.rdf"} <= paths
    assert any(p.startswith("search-index/d/") for p in paths)  # the result card's summary
    assert {leak.masked for leak in raised.value.scan.leaks} == {"o***@gmail.com"}


def test_an_email_address_declared_as_a_contact_point_may_be_written_anywhere(built):
    edit(built / "metadata/registries/hjerteregister/datapackage.yaml", DESCRIPTION,
         "description: Spør hjerte@stolav.no om tilgang.")  # the registry's contact
    build(Path("metadata"), Path("site"), f"sqlite:///{built}/store.sqlite")
    assert "Spør hjerte@stolav.no" in (built / "site/registries/hjerteregister/index.html").read_text()


def test_an_identity_number_written_by_a_step_stops_the_build(built, monkeypatch):
    """The validator refuses identity numbers in the metadata, so only a step can write one:
    a test step just before the check writes one into a page and one into the compressed sitemap."""
    db = f"sqlite:///{built}/store.sqlite"
    rows, site = snapshot(db), tree(built / "site")
    other = valid_numbers("410190")[0]  # a D-number

    def write_numbers(ctx):  # noqa: ANN001
        page = ctx.out / "registries/hjerteregister/index.html"
        page.write_text(page.read_text() + f"<p>pasient {NUMBER[:6]} {NUMBER[6:]}</p>")
        sitemap = ctx.out / "sitemap.xml.gz"
        text = gzip.decompress(sitemap.read_bytes()) + f" {other[:6]}-{other[6:]}".encode()
        sitemap.write_bytes(gzip.compress(text))

    steps = build_mod.steps()
    monkeypatch.setattr(build_mod, "steps", lambda: [*steps[:-1], ("Writing", write_numbers),
                                                     steps[-1]])
    with pytest.raises(BuildError) as raised:
        build(Path("metadata"), Path("site"), db)
    message = str(raised.value)
    assert (f"  national identity number or D-number {NUMBER[:6]}*****, in the pages of entry "
            f"hjerteregister (metadata/registries/hjerteregister/datapackage.yaml), written by a "
            f"build step, in 1 file(s): registries/hjerteregister/index.html\n") in message
    assert (f"  national identity number or D-number {other[:6]}*****, in no entry's metadata: "
            f"written by a build step, in 1 file(s): sitemap.xml.gz\n") in message
    assert NUMBER not in message and NUMBER[6:] not in message and other[6:] not in message
    assert tree(built / "site") == site
    assert snapshot(db) == rows
    assert not residue(built, built / "build")


def test_the_check_is_the_last_step():
    assert build_mod.steps()[-1][1] is leakcheck.leak_step


def test_identity_numbers_are_found_as_identity_py_finds_them():
    rng = random.Random(7)
    numbers = valid_numbers()[:20] + valid_numbers("410190")[:20] + valid_numbers("018190")[:5]
    pieces = ["a", " ", ".", "-", "é", "\n", "<p>", "x1", "2024-01-01", "ø", "-a0", "ed5f"]
    for _ in range(3000):
        text = ""
        for _ in range(rng.randint(1, 8)):
            r = rng.random()
            if r < 0.3:
                n = rng.choice(numbers)
                text += rng.choice([n[:6] + rng.choice(["", " ", ".", "-", "  ", "/", "\n"]) + n[6:],
                                    f"{n[:2]}.{n[2:4]}.{n[4:6]} {n[6:9]} {n[9:]}",
                                    f"{n[:2]} {n[2:4]} {n[4:6]} - {n[6:]}"])
            elif r < 0.6:
                text += "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 14)))
            else:
                text += rng.choice(pieces)
        assert leakcheck.national_ids(text.encode()) == [n for _, n in find_national_ids(text)], text


def test_the_last_group_of_a_uuid_is_not_an_identity_number():
    """A CKAN id such as ...-c56845377621: eleven digits after a hex letter, in one of 300 UUIDs;
    a 3,000-entry synthetic feed held one and failed its build."""
    number = valid_numbers()[0]
    uuid = f"1a0bec2d-c9fa-5d81-b074-c{number}"
    assert find_national_ids(f'"id": "{uuid}"') == []
    assert leakcheck.national_ids(f'"id": "{uuid}"'.encode()) == []
    assert find_national_ids(f"{number}e") == []  # a hash's digits, glued to a letter a-f
    for written in (f"fnr{number}", f"fnr: {number}", f"({number})"):  # found as before
        assert find_national_ids(written) == [(written.index(number), number)], written


def test_email_addresses_are_found_in_any_text():
    data = b'"maintainer_email":"a.b-c+d@sub.example.no", <a href="mailto:X@Y.org">, @media x, a@b'
    assert leakcheck.emails(data) == ["a.b-c+d@sub.example.no", "x@y.org"]


@pytest.mark.parametrize("count", [0, 1, 5, 23, 24, 25, 100])
def test_files_read_ahead_come_in_order_with_their_content(tmp_path, monkeypatch, count):
    monkeypatch.setattr(leakcheck, "READERS", 2)
    monkeypatch.setattr(leakcheck, "BATCH", 3)
    monkeypatch.setattr(leakcheck, "AHEAD", 4)  # 12 files in flight: counts around it
    names = [f"{n:03d}.txt" for n in range(count)]
    for n, name in enumerate(names):
        (tmp_path / name).write_text(f"file {n}")
    got = [(rel, data if data is not None else b"".join(leakcheck._contents(str(tmp_path / rel))))
           for rel, data in leakcheck._read_ahead(str(tmp_path), names)]
    assert got == [(name, f"file {n}".encode()) for n, name in enumerate(names)]


def test_a_reader_holds_at_most_its_byte_budget_and_leaves_the_rest_to_the_caller(tmp_path, monkeypatch):
    monkeypatch.setattr(leakcheck, "BATCH", 3)
    monkeypatch.setattr(leakcheck, "BATCH_BYTES", 10)  # two files of 8 bytes pass it
    monkeypatch.setattr(leakcheck, "LARGE", 20)
    names = [f"{n}.txt" for n in range(6)] + ["big.txt", "small.txt"]
    for name in names[:6]:
        (tmp_path / name).write_text("8 bytes.")
    (tmp_path / "big.txt").write_text("x" * 21)
    (tmp_path / "small.txt").write_text("tiny")
    got = [data for _, data in leakcheck._read_ahead(str(tmp_path), names)]
    assert got == [b"8 bytes.", b"8 bytes.", None, b"8 bytes.", b"8 bytes.", None, None, b"tiny"]


def test_a_compressed_file_left_to_the_caller_is_read_whole_and_decompressed(tmp_path):
    (tmp_path / "sitemap.xml.gz").write_bytes(gzip.compress(b"<loc>ola@gmail.com</loc>"))
    assert list(leakcheck._contents(str(tmp_path / "sitemap.xml.gz"))) == [b"<loc>ola@gmail.com</loc>"]


def test_a_file_that_cannot_be_read_ahead_is_an_error_of_the_check(tmp_path, monkeypatch):
    monkeypatch.setattr(leakcheck, "BATCH", 2)
    names = ["a.txt", "b.txt", "c.txt", "gone.txt", "d.txt"]
    for name in names[:3] + names[4:]:
        (tmp_path / name).write_text(name)
    with pytest.raises(FileNotFoundError, match="gone.txt"):
        list(leakcheck._read_ahead(str(tmp_path), names))


@pytest.mark.parametrize("seed", range(40))
def test_a_large_file_searched_in_pieces_gives_what_the_whole_gives(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    numbers = valid_numbers()
    parts = ["Ola.Nordmann@gmail.com", "x@y.org", "a-b@c-d.example.no", " ", "\n", "-", ".", "æøå",
             "tekst", "12", "345", "7", '"', ",", ":", "/", "<p>", "{", "@", "1 2 3 4 5 6 7 8 9 0 1"]
    for n in rng.sample(numbers, 5):
        parts += [n, f"{n[:6]} {n[6:]}", f"{n[:2]}.{n[2:4]}.{n[4:6]} {n[6:9]} {n[9:]}", f"{n[:6]}-{n[6:]}"]
    data = "".join(rng.choice(parts) for _ in range(3000)).encode()
    (tmp_path / "big.jsonl").write_bytes(data)
    monkeypatch.setattr(leakcheck, "LARGE", rng.choice([7, 50, 300]))
    got = list(leakcheck.pieces(str(tmp_path / "big.jsonl")))
    assert b"".join(got) == data and len(got) > 5
    assert [a for p in got for a in leakcheck.emails(p)] == leakcheck.emails(data)
    assert [n for p in got for n in leakcheck.national_ids(p)] == leakcheck.national_ids(data)
    assert leakcheck.national_ids(data) and leakcheck.emails(data)  # there was something to find


def test_a_large_file_is_searched_in_pieces_by_the_check(tmp_path, monkeypatch):
    monkeypatch.setattr(leakcheck, "LARGE", 100)
    big = '{"x": "fill"}\n' * 50 + f'{{"id": "{NUMBER}"}}\n' + '{"x": "fill"}\n' * 50
    (tmp_path / "datasets.jsonl").write_text(big)
    (tmp_path / "small.json").write_text('{"mail": "ola@gmail.com"}')
    scan = leakcheck.check(tmp_path, load_catalogue(REPO / "metadata"), allowed=frozenset())
    assert scan.bytes == len(big) + len('{"mail": "ola@gmail.com"}')
    assert {(leak.path, leak.masked) for leak in scan.leaks} == {
        ("datasets.jsonl", NUMBER[:6] + "*****"), ("small.json", "o***@gmail.com")}
