"""Helpers for the build's fault and safety tests: a real throwaway PostgreSQL server, real
small disks (tmpfs), and checks that a failed build left everything as it was."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.feed_fixtures import free_port

# What a build leaves beside its output and its SQLite store while it runs.
RESIDUE = (".*-build-*", ".*-old-*", ".*.sqlite.build-*")


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` by relative path, with a hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def residue(*folders: Path) -> list[Path]:
    """Temporary folders and files of a build left in `folders`."""
    return sorted(p for f in folders for pattern in RESIDUE for p in f.glob(pattern))


def _as_postgres(*args: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)


def _pg_bindir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: [int(x) for x in p.parent.parent.name.split(".") if x.isdigit()])
    return found[-1].parent if found else None


class OwnPostgres:
    """A PostgreSQL cluster of our own, in a temporary folder on a free port: this test may stop
    it, which the shared test server must never be."""

    def __init__(self) -> None:
        bindir = _pg_bindir()
        if bindir is None or (os.geteuid() == 0 and shutil.which("runuser") is None):
            if os.environ.get("CI"):
                pytest.fail("CI must run the PostgreSQL fault tests, but initdb is missing "
                            "(apt-get install postgresql)")
            pytest.skip("PostgreSQL fault tests skipped: no initdb in /usr/lib/postgresql/*/bin")
        self.bindir = bindir
        self.port = free_port()
        # not under pytest's tmp_path: the postgres user must be able to reach the data folder
        self.home = Path(tempfile.mkdtemp(prefix="catalogue-own-pg-"))
        self.home.chmod(0o755)
        self.data = self.home / "data"
        self.data.mkdir(mode=0o700)
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run(_as_postgres(str(self.bindir / tool), *args), capture_output=True,
                              text=True, timeout=120)
        if done.returncode != 0:
            raise AssertionError(f"{tool} failed: {done.stdout}\n{done.stderr}")

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.data / "server.log"), "-w",
                  "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 "
                        f"-c unix_socket_directories='' -c fsync=off", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        subprocess.run(_as_postgres(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m",
                                    "immediate", "stop"), capture_output=True, timeout=60)
        shutil.rmtree(self.home, ignore_errors=True)


@contextmanager
def own_postgres() -> Iterator[OwnPostgres]:
    server = OwnPostgres()
    try:
        server.start()
        yield server
    finally:
        server.remove()


def mount_tmpfs(folder: Path, size: str) -> bool:
    """Mount a small tmpfs on `folder`; False where mounting is not allowed (not root)."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    return done.returncode == 0


def remount(folder: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(folder)], check=True,
                   capture_output=True, text=True)


def unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def used_bytes(folder: Path) -> int:
    st = os.statvfs(folder)
    return (st.f_blocks - st.f_bfree) * st.f_frsize


def gone(pid: int, seconds: float = 5.0) -> bool:
    """Whether the process `pid` ends within `seconds` (polled every 50 ms)."""
    import time

    for _ in range(int(seconds / 0.05)):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False
