"""Faults during `catalogue build`, simulated for real: the database server stops, the disk fills
up or turns read-only, the user presses Ctrl-C. Every time the previous site stays byte for byte,
the previous store answers with the old rows, no temporary file is left, and the user reads one
clear line without a traceback. Also: an invalid catalogue is never published."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import threading
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

import catalogue.build.pipeline as build_mod
from catalogue.build.pipeline import BuildError, build
from catalogue.cli.main import app
from catalogue.load import InvalidCatalogue
from tests.build_support import (
    mount_tmpfs,
    own_postgres,
    remount,
    residue,
    tree,
    unmount,
    used_bytes,
)
from tests.conftest import edit
from tests.feed_fixtures import BIN, make_metadata, run_cli
from tests.test_store import snapshot

TITLE = "title: Testregister for hjertesykdom"
CHANGED = "title: Endret tittel"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with metadata/ (five entries); build/ is written here."""
    monkeypatch.chdir(tmp_path)
    make_metadata(tmp_path / "metadata", synthetic=3)
    return tmp_path


def change_metadata(project: Path) -> None:
    edit(project / "metadata/registries/hjerteregister/datapackage.yaml", TITLE, CHANGED)


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("build ")]


def assert_one_clear_line(output: str, *phrases: str) -> str:
    assert "Traceback" not in output, output
    lines = error_lines(output)
    assert len(lines) == 1, output
    for phrase in phrases:
        assert phrase in lines[0], lines[0]
    return lines[0]


def cli_env(tmpdir: Path) -> dict[str, str]:
    """The environment of `catalogue` run as a user would, with a private TMPDIR to check."""
    tmpdir.mkdir(exist_ok=True)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "TMPDIR": str(tmpdir)}
    env.pop("CATALOGUE_DB_URL", None)
    return env


# --- the database server stops -------------------------------------------------------------


def test_postgresql_stopped_during_the_load_publishes_nothing(project):
    with own_postgres() as pg:
        out = project / "site"
        first = CliRunner().invoke(app, ["build", "--db", pg.url, "--out", str(out)])
        assert first.exit_code == 0, first.output
        rows, site = snapshot(pg.url), tree(out)
        change_metadata(project)
        writes: list[str] = []

        def stop_at_the_second_write(conn, cursor, statement, *args):  # noqa: ANN001, ANN002
            if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
                writes.append(statement)
                if len(writes) == 2:
                    pg.stop("immediate")  # the server is gone before this statement runs

        event.listen(Engine, "before_cursor_execute", stop_at_the_second_write)
        try:
            second = CliRunner().invoke(app, ["build", "--db", pg.url, "--out", str(out)])
        finally:
            event.remove(Engine, "before_cursor_execute", stop_at_the_second_write)
        assert len(writes) == 2, "the server was not stopped during the load"
        assert second.exit_code == 1, second.output
        assert_one_clear_line(second.output, "build failed: Loading the store: ",
                              f"the database at {pg.url} stopped answering",
                              "nothing was published", "Hint: ")
        assert tree(out) == site
        assert not residue(project, project / "build")
        pg.start()
        assert snapshot(pg.url) == rows  # every old row, unchanged; nothing half-written


def test_postgresql_stopped_before_the_commit_restores_the_old_site(project, monkeypatch):
    with own_postgres() as pg:
        out = project / "site"
        build(Path("metadata"), out, pg.url)
        rows, site = snapshot(pg.url), tree(out)
        change_metadata(project)

        def stop_the_server(ctx):  # noqa: ANN001 - after every step that reads the store
            pg.stop("immediate")

        steps = build_mod.steps()
        monkeypatch.setattr(build_mod, "steps", lambda: [*steps[:-1], ("Stopping", stop_the_server),
                                                         steps[-1]])
        with pytest.raises(BuildError, match=r"^Publishing: the database at .* stopped answering"):
            build(Path("metadata"), out, pg.url)
        assert tree(out) == site  # swapped in, then back when the commit failed
        assert not residue(project, project / "build")
        pg.start()
        assert snapshot(pg.url) == rows


# --- the disk fills up or is read-only -----------------------------------------------------


def test_a_full_disk_fails_the_build_and_publishes_nothing(project):
    disk = project / "disk"
    mounted = mount_tmpfs(disk, "64m")
    if not mounted and os.environ.get("CI"):
        pytest.fail("CI runs as root and must mount a tmpfs for the disk-full test")
    try:
        out, db = disk / "site", f"sqlite:///{disk}/store.sqlite"
        run_cli("build", "--out", str(out), "--db", db, cwd=project)
        rows, site = snapshot(db), tree(out)
        change_metadata(project)
        env = cli_env(project / "tmp")
        if mounted:  # the real thing: room for about one more megabyte, the site needs seven
            remount(disk, f"size={used_bytes(disk) + 1024 * 1024}")
            limit, expected = None, "the disk is full writing "
        else:  # fallback where mounting is not allowed: files may not grow past 256 KB
            limit, expected = 256 * 1024, "a file grew past the size limit"

        def limit_file_size() -> None:
            if limit is not None:
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # then writes fail with EFBIG
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        done = subprocess.run([str(BIN / "catalogue"), "build", "--out", str(out), "--db", db],
                              cwd=project, env=env, capture_output=True, text=True, timeout=300,
                              preexec_fn=limit_file_size)  # noqa: PLW1509 - one thread here
        assert done.returncode == 1, done.stdout + done.stderr
        assert_one_clear_line(done.stderr, "build failed: ", expected, "nothing was published",
                              "Hint: free some space" if mounted else "Hint: raise the limit")
        assert tree(out) == site
        assert snapshot(db) == rows
        assert not residue(disk, project / "build"), residue(disk, project / "build")
        assert not list((project / "tmp").iterdir())
    finally:
        if mounted:
            unmount(disk)


@pytest.fixture
def small_disk(project: Path):
    """A 64 MB tmpfs at project/disk (skipped where mounting is not allowed, failed under CI)."""
    disk = project / "disk"
    if not mount_tmpfs(disk, "64m"):
        if os.environ.get("CI"):
            pytest.fail("CI runs as root and must mount a tmpfs for the read-only tests")
        pytest.skip("cannot mount a tmpfs here (not root): the read-only tests need one")
    yield disk
    unmount(disk)


def test_a_read_only_output_fails_the_build_and_publishes_nothing(project, small_disk):
    out, db = small_disk / "site", f"sqlite:///{project}/store.sqlite"
    run_cli("build", "--out", str(out), "--db", db, cwd=project)
    rows, site = snapshot(db), tree(out)
    change_metadata(project)
    remount(small_disk, "ro")
    done = run_cli("build", "--out", str(out), "--db", db, cwd=project, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert_one_clear_line(done.stderr, "build failed: Preparing the output: the disk is mounted "
                          "read-only", "nothing was published", "Hint: choose a writable --out")
    remount(small_disk, "rw")
    assert tree(out) == site
    assert snapshot(db) == rows
    assert not residue(small_disk, project, project / "build")


def test_output_turning_read_only_during_the_build_publishes_nothing(project, small_disk,
                                                                    monkeypatch):
    out, db = small_disk / "site", f"sqlite:///{project}/store.sqlite"
    build(Path("metadata"), out, db)
    rows, site = snapshot(db), tree(out)
    change_metadata(project)

    def turn_read_only(ctx):  # noqa: ANN001 - between the feeds and the site
        remount(small_disk, "ro")

    steps = build_mod.steps()
    monkeypatch.setattr(build_mod, "steps", lambda: [*steps[:3], ("Read-only", turn_read_only),
                                                     *steps[3:]])
    with pytest.raises(BuildError) as raised:
        build(Path("metadata"), out, db)
    message = str(raised.value)
    assert "the disk is mounted read-only" in message and "nothing was published" in message
    # a read-only disk cannot have the temporary folder removed: the message says where it is
    left = residue(small_disk)
    assert len(left) == 1 and f"could not remove the temporary folder {left[0]}" in message
    remount(small_disk, "rw")
    assert tree(out) == site
    assert snapshot(db) == rows
    assert not residue(project, project / "build")  # the store's work copy is gone


# --- Ctrl-C --------------------------------------------------------------------------------


@pytest.mark.parametrize(("sig", "code", "said"), [
    (signal.SIGINT, 130, "build interrupted; nothing was published"),  # Ctrl-C
    (signal.SIGTERM, 143, "build stopped (SIGTERM); nothing was published"),  # kill, CI timeouts
])
def test_ctrl_c_during_the_build_publishes_nothing(project, sig, code, said):
    db = f"sqlite:///{project}/store.sqlite"
    run_cli("build", "--db", db, cwd=project)
    rows, site = snapshot(db), tree(project / "site")
    change_metadata(project)
    proc = subprocess.Popen([str(BIN / "catalogue"), "build", "--db", db], cwd=project,
                            env=cli_env(project / "tmp"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    seen = []
    for line in proc.stderr:  # one line per step when stderr is not a terminal
        seen.append(line)
        if "Building the site" in line:  # the store is loaded, the feeds are written
            proc.send_signal(sig)
            break
    rest_out, rest_err = proc.communicate(timeout=120)
    assert proc.returncode == code, "".join(seen) + rest_err
    assert f"[1/{len(build_mod.steps())}] Loading the store" in seen[0]
    assert_one_clear_line(rest_err, said)
    assert "built" not in rest_out
    assert tree(project / "site") == site
    assert snapshot(db) == rows
    assert not residue(project, project / "build")  # incl. the SQLite work copy
    assert not list((project / "tmp").iterdir())  # and nothing MkDocs or the search index made


def test_ctrl_c_while_publishing_waits_until_site_and_store_are_both_published(project,
                                                                              monkeypatch):
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals reach only the main thread")
    db = f"sqlite:///{project}/store.sqlite"
    build(Path("metadata"), Path("site"), db)
    change_metadata(project)
    pressed = []

    def press_ctrl_c_after_the_swap(ctx):  # noqa: ANN001
        ctx.commits.insert(0, lambda: pressed.append(os.kill(os.getpid(), signal.SIGINT)))

    steps = build_mod.steps()
    monkeypatch.setattr(build_mod, "steps", lambda: [*steps, ("Ctrl-C", press_ctrl_c_after_the_swap)])
    build(Path("metadata"), Path("site"), db)
    assert pressed
    assert "Endret tittel" in (project / "site/datasets.jsonl").read_text()
    assert "Endret tittel" in snapshot(db)["hjerteregister"][2]
    assert not residue(project, project / "build")


# --- an invalid catalogue is never published -----------------------------------------------


def test_an_invalid_catalogue_publishes_nothing(project):
    db = f"sqlite:///{project}/store.sqlite"
    build(Path("metadata"), Path("site"), db)
    umask = os.umask(0o022)
    os.umask(umask)
    # the temporary folder becomes the site: readable by the web server, not only by its owner
    assert (project / "site").stat().st_mode & 0o777 == 0o777 & ~umask
    rows, site = snapshot(db), tree(project / "site")
    edit(project / "metadata/registries/hjerteregister/datapackage.yaml", TITLE, "title: ''")
    with pytest.raises(InvalidCatalogue):
        build(Path("metadata"), Path("site"), db)
    done = run_cli("build", "--db", db, cwd=project, check=False)
    assert done.returncode == 1
    assert "metadata/registries/hjerteregister/datapackage.yaml:" in done.stdout
    assert done.stdout.splitlines()[-1].startswith("NOT built: ")
    assert "Traceback" not in done.stdout + done.stderr
    assert tree(project / "site") == site
    assert snapshot(db) == rows
    assert not residue(project, project / "build")
