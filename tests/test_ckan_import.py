"""`catalogue import-ckan` as a round trip: our own feed, served, imported into a new folder."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from catalogue.authoring.import_ckan import entry_from_package
from catalogue.cli.main import app
from catalogue.load import load_catalogue
from catalogue.validation.run import validate
from tests.feed_fixtures import Server, free_port, make_metadata, run_cli

pytestmark = pytest.mark.slow
LOSSY = {"schema_", "profile", "sources", "image", "created"}  # not in a package dict


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    """Five entries built and served, with links (data dictionaries) pointing at the server."""
    work = tmp_path_factory.mktemp("import")
    make_metadata(work / "metadata", synthetic=3)
    port = free_port()
    run_cli("build", "--db", f"sqlite:///{work}/store.sqlite",
            "--base-url", f"http://127.0.0.1:{port}/", cwd=work)
    server = Server(work, port=port)
    yield server.url, work
    server.stop()


def test_import_from_our_own_feed_recreates_every_entry(served, tmp_path):
    url, work = served
    target = tmp_path / "metadata"
    result = CliRunner().invoke(app, ["import-ckan", url, "--metadata", str(target)])
    assert result.exit_code == 0, result.output
    assert "could not map" not in result.output
    assert validate([target], cache_dir=False).findings == []
    before, after = load_catalogue(work / "metadata"), load_catalogue(target)
    assert set(after.organizations) == set(before.organizations) - {
        o for o in before.organizations if not any(
            o in (e.model.data_controller, e.model.data_processor) for e in before.entries)}
    assert len(after.entries) == len(before.entries) == 5
    for old in before.entries:
        new = after.entry(old.name)
        assert new is not None and new.kind == old.kind
        assert new.model.model_dump(exclude=LOSSY) == old.model.model_dump(exclude=LOSSY)


def test_import_of_one_organisation_and_existing_entries_are_skipped(served, tmp_path):
    url, _ = served
    target = tmp_path / "metadata"
    first = CliRunner().invoke(app, ["import-ckan", url, "--organization", "ntnu",
                                     "--metadata", str(target)])
    assert first.exit_code == 0, first.output
    assert sorted(p.name for p in (target / "biobanks").iterdir()) == ["hjertebiobank"]
    assert not (target / "registries").exists()
    again = CliRunner().invoke(app, ["import-ckan", url, "--organization", "ntnu",
                                     "--metadata", str(target)])
    assert "skipped hjertebiobank: an entry of that name exists" in again.output


def test_a_foreign_package_lists_what_it_could_not_map():
    """A dataset from a generic CKAN portal: the draft names every gap."""
    pkg = {"id": "7d7e8f5c-1111-4222-8333-944455556666", "name": "bathing-water",
           "title": "Bathing water quality", "notes": "Samples from beaches.",
           "url": "https://example.org/bathing", "license_id": "cc-by", "num_tags": 1,
           "tags": [{"name": "water"}], "organization": {"name": "county", "title": "County"},
           "extras": [{"key": "spatial", "value": "{}"}], "ratings_average": 3,
           "resources": [{"name": "samples.csv", "url": "https://example.org/s.csv"}]}
    kind, entry, lost = entry_from_package(pkg)
    assert kind == "registry" and entry["keywords"] == ["water"]
    assert entry["data_controller"] == "county"
    assert "field ratings_average" in lost and "extra spatial" in lost
    assert "resource samples.csv" in lost
    assert "required access (missing)" in lost and "required coverage (missing)" in lost


def test_an_unreachable_portal_is_one_clear_line(tmp_path):
    result = CliRunner().invoke(app, ["import-ckan", "http://127.0.0.1:9/",
                                      "--metadata", str(tmp_path / "m")])
    assert result.exit_code == 1 and "could not import from http://127.0.0.1:9/" in result.output

