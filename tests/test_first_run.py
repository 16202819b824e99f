"""A new user's first runs: the version, a folder without metadata, rules beside the metadata,
and a build stopped while its process pools run (no traceback, whatever stops it)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

from catalogue import __version__
from catalogue.settings import packaged_rules
from tests.conftest import FIXTURES
from tests.feed_fixtures import BIN, Server, make_metadata, run_cli

POOLED = 450  # entries: enough for the validator's, the loader's and the DCAT feed's pools


def test_version(tmp_path):
    done = run_cli("--version", cwd=tmp_path)
    assert done.stdout.strip() == f"catalogue {__version__}"


@pytest.mark.parametrize(("command", "said"), [
    ("build", "No metadata folder metadata/ in {cwd}: run this in the folder that holds metadata/"),
    ("serve", "the metadata folder metadata/ to build one from is missing (in {cwd}): run "
              "`catalogue build` first in the folder that holds metadata/"),
])
def test_no_metadata_folder_is_one_line_and_exit_2(tmp_path, command, said):
    done = run_cli(command, cwd=tmp_path, check=False)
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert said.format(cwd=tmp_path) in lines[0]
    assert not (tmp_path / "site").exists() and not (tmp_path / "build").exists()


@pytest.mark.parametrize(("command", "said"), [
    ("build", "The metadata folder metadata/ is empty (no registries/, biobanks/ or organizations/ "
              "with files): add entries with `catalogue new registry ID`"),
    ("serve", "the metadata folder metadata/ to build one from is empty"),
])
def test_empty_metadata_folder_is_one_line_and_exit_2(tmp_path, command, said):
    (tmp_path / "metadata" / "registries").mkdir(parents=True)
    done = run_cli(command, cwd=tmp_path, check=False)
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert said in lines[0]


def test_build_names_the_folder_given_with_the_option(tmp_path):
    done = run_cli("build", "--metadata", "elsewhere", cwd=tmp_path, check=False)
    assert done.returncode == 2
    assert "No metadata folder elsewhere/" in done.stderr


def test_serve_needs_no_metadata_when_it_is_given_a_store(tmp_path):
    """A server may hold only the built store and site: no metadata folder is asked for."""
    shutil.copytree(FIXTURES / "catalogue", tmp_path / "project/metadata")
    db = f"sqlite:///{tmp_path}/project/store.sqlite"
    run_cli("build", "--db", db, cwd=tmp_path / "project")
    (tmp_path / "server").mkdir()
    server = Server(tmp_path / "server", "--db", db, "--out", str(tmp_path / "project/site"))
    try:
        assert httpx.get(f"{server.url}/api/3/action/package_list").json()["success"] is True
    finally:
        server.stop()


# --- which rules ------------------------------------------------------------------------------


def test_validate_is_silent_about_the_packaged_rules(tmp_path):
    shutil.copytree(FIXTURES / "catalogue", tmp_path / "metadata")
    done = run_cli("validate", cwd=tmp_path)
    assert "rules:" not in done.stderr


def test_a_validators_folder_beside_the_metadata_is_used_and_named(tmp_path):
    """A deployment extends a vocabulary in its own copy of the rules, next to its metadata."""
    shutil.copytree(FIXTURES / "catalogue", tmp_path / "metadata")
    org = tmp_path / "metadata/organizations/ntnu.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("type: university", "type: museum"),
                   encoding="utf-8")
    assert run_cli("validate", cwd=tmp_path, check=False).returncode == 1  # not a packaged term
    rules = shutil.copytree(packaged_rules(), tmp_path / "validators")
    vocab = rules / "vocabularies/organization-types.yaml"
    text = vocab.read_text(encoding="utf-8")
    assert "\n- id: university\n" in text, "the vocabulary's layout changed: update this test"
    vocab.write_text(text.replace("\n- id: university\n", "\n- id: museum\n  label: {nb: Museum, "
                                  "en: Museum}\n- id: university\n", 1), encoding="utf-8")
    done = run_cli("validate", cwd=tmp_path)
    assert f"rules: {rules} (the validators/ folder beside the metadata folder)" in done.stderr
    assert "valid: 0 error(s)" in done.stdout


def test_an_incomplete_rules_folder_is_refused_with_what_it_lacks(tmp_path):
    shutil.copytree(FIXTURES / "catalogue", tmp_path / "metadata")
    (tmp_path / "validators/vocabularies").mkdir(parents=True)
    done = run_cli("validate", cwd=tmp_path, check=False)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "validators lack confusables.yaml, limits.yaml" in done.stderr
    assert str(packaged_rules()) in done.stderr
    assert "Traceback" not in done.stderr


def test_catalogue_validators_wins_and_is_named(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "catalogue", tmp_path / "metadata")
    (tmp_path / "validators").mkdir()  # beside, but the variable comes first
    rules = shutil.copytree(packaged_rules(), tmp_path / "my-rules")
    monkeypatch.setenv("CATALOGUE_VALIDATORS", str(rules))
    done = run_cli("validate", cwd=tmp_path)
    assert f"rules: {rules} (from $CATALOGUE_VALIDATORS)" in done.stderr


# --- process pools stop quietly ---------------------------------------------------------------


@pytest.fixture(scope="module")
def pooled(tmp_path_factory) -> Path:
    """A project whose catalogue is big enough that the build runs its process pools."""
    project = tmp_path_factory.mktemp("pooled")
    make_metadata(project / "metadata", synthetic=POOLED, variables=3)
    return project


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists() or (os.cpu_count() or 1) < 2,
                    reason="needs Linux's /proc and two cores (the pools start from two)")
@pytest.mark.parametrize(("sig", "group", "code"), [
    (signal.SIGTERM, False, 143),  # kill PID, a supervisor stopping the build
    (signal.SIGTERM, True, 143),  # timeout(1), systemd, a CI runner: every process of the group
    (signal.SIGINT, True, 130),  # Ctrl-C in a terminal reaches the whole group
])
def test_a_build_stopped_while_its_pools_run_prints_no_traceback(pooled, sig, group, code):
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("CATALOGUE_DB_URL", None)
    proc = subprocess.Popen([str(BIN / "catalogue"), "build", "--out", f"site-{sig}-{group}",
                             "--db", f"sqlite:///store-{sig}-{group}.sqlite"], cwd=pooled, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    seen, workers = [], []
    for line in proc.stderr:
        seen.append(line)
        if "Writing the DCAT feed" in line:  # its pool starts now: wait until its workers run
            deadline = time.monotonic() + 30
            while not workers and time.monotonic() < deadline and proc.poll() is None:
                workers = _children(proc.pid)
                time.sleep(0.01)
            if group:
                os.killpg(proc.pid, sig)
            else:
                proc.send_signal(sig)
            break
    out, rest = proc.communicate(timeout=120)
    stderr = "".join(seen) + rest
    assert workers, "the DCAT feed's pool never started:\n" + stderr
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr and "BuildStopped" not in stderr, stderr
    assert "nothing was published" in rest
    assert not (pooled / f"site-{sig}-{group}").exists()


@pytest.mark.slow
def test_pool_workers_ignore_the_clis_sigterm_handler_when_the_pool_closes(pooled):
    """The DCAT pool closes by terminating its workers: under `catalogue build`'s SIGTERM handler
    (which raises) each worker printed a traceback, even in a build that succeeded."""
    script = textwrap.dedent("""
        import signal
        from pathlib import Path
        from catalogue.cli.app import BuildStopped
        from catalogue.dcat import DcatConfig, export
        from catalogue.load import load_catalogue

        def stop(signum, frame):
            raise BuildStopped(signum)

        signal.signal(signal.SIGTERM, stop)  # as `catalogue build` does
        cat = load_catalogue(Path("metadata"))
        result = export(cat, Path("dcat-out"), DcatConfig(base_url="http://x.test/", page_size=50,
                                                           formats=("ttl",)), workers=2)
        print("datasets", result.datasets)
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=pooled, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"datasets {POOLED + 2}" in done.stdout
    assert "Traceback" not in done.stderr, done.stderr
