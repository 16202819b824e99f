"""Installed like any Python tool, outside the checkout: an sdist, a wheel built from it, the
wheel in a fresh virtual environment, and there every command a registry owner runs.

How the environment is made, and why: `python -m venv` without system site-packages and
`pip install <wheel>` with its dependencies resolved from the package index, exactly as a user's
`pip install`/`pipx install` does. That is honest (a dependency missing from pyproject.toml, a data
file left out of the wheel or a path into the checkout fails here) and fast enough: about 20 s
here, as pip reuses what its cache and the machine's wheel folders hold. Installing with
`--no-deps` into an environment that borrows .venv's packages would save those seconds but could
hide the first kind of fault. The sdist is built from a copy of
the checkout, and the wheel from the sdist by `pip wheel` in an isolated build environment, as
`pip install <path or git URL>` does. One environment serves the module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO
from tests.feed_fixtures import free_port

pytestmark = pytest.mark.slow
BUILD = "import sys; from setuptools import build_meta as b; print(getattr(b, sys.argv[1])(sys.argv[2]))"


def _copy_source(dest: Path) -> None:
    """The files of the checkout that git knows (tracked, or new and not ignored)."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        if (REPO / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, dest / rel)


def _build(hook: str, src: Path, out: Path) -> Path:
    done = subprocess.run([sys.executable, "-c", BUILD, hook, str(out)], cwd=src, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return out / done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def dists(tmp_path_factory) -> tuple[Path, Path]:
    """(sdist, wheel): the sdist from a copy of the checkout, the wheel from the sdist."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.fail("the packaging tests copy the checkout with git: run them in a git checkout")
    top = tmp_path_factory.mktemp("dist")
    src, out = top / "src", top / "out"
    src.mkdir(), out.mkdir()
    _copy_source(src)
    sdist = _build("build_sdist", src, out)
    # the wheel as pip builds it for `pip install <path or git URL>`: in an isolated environment
    # that has only setuptools (so the build hook cannot lean on the installed catalogue)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                           "--disable-pip-version-check", "-w", str(out), str(sdist)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return sdist, next(out.glob("catalogue-*.whl"))


def test_the_sdist_and_the_wheel_carry_the_rules_pages_and_mkdocs_yml(dists):
    sdist, wheel = dists
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert {"validators/rules.yaml", "validators/limits.yaml", "docs/index.md", "mkdocs.yml"} <= names
    with zipfile.ZipFile(wheel) as whl:
        names = set(whl.namelist())
    shipped = {n for n in names if n.startswith("catalogue/packaged/data/")}
    top = REPO / "validators"
    assert {f"catalogue/packaged/data/validators/{p.relative_to(top).as_posix()}"
            for p in top.rglob("*") if p.is_file()} <= shipped  # every rule file
    assert "catalogue/packaged/data/docs/contributing.md" in shipped
    assert "catalogue/packaged/data/mkdocs.yml" in shipped
    # never importable as `validators` (frictionless imports the PyPI package of that name)
    assert not [n for n in names if n.startswith(("validators/", "validators.py"))]
    assert not [n for n in shipped if n.endswith(".py")]


@pytest.fixture(scope="module")
def installed(dists, tmp_path_factory) -> Path:
    """A fresh virtual environment, outside the checkout, with the wheel installed by pip."""
    venv = tmp_path_factory.mktemp("user") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    done = subprocess.run([str(venv / "bin/python"), "-m", "pip", "install", "-q",
                           "--disable-pip-version-check", str(dists[1])],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"pip install of the wheel failed:\n{done.stdout}\n{done.stderr}"
    return venv


def _env(venv: Path) -> dict[str, str]:
    """A user's shell with the environment activated: nothing of the checkout or of the tests."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CATALOGUE_", "PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}/usr/local/bin:/usr/bin:/bin"
    env["VIRTUAL_ENV"] = str(venv)
    return env


def _run(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(venv / "bin" / args[0]), *args[1:]], cwd=cwd, env=_env(venv),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr, done.stderr
    return done


def test_the_installed_catalogue_runs_from_a_folder_that_holds_metadata(installed, tmp_path):
    project = tmp_path / "registry-owner"
    shutil.copytree(REPO / "metadata", project / "metadata")
    where = _run(installed, project, "python", "-c", "import catalogue, catalogue.settings as p; "
                 "print(catalogue.__file__); print(p.packaged_rules())").stdout.splitlines()
    assert all(Path(w).is_relative_to(installed) for w in where), where  # not the checkout's
    assert _run(installed, project, "catalogue", "--version").stdout.startswith("catalogue ")

    checked = _run(installed, project, "catalogue", "validate")
    assert "valid: 0 error(s)" in checked.stdout and "rules:" not in checked.stderr

    org = sorted((project / "metadata/organizations").glob("*.yaml"))[0].stem
    _run(installed, project, "catalogue", "new", "registry", "nytt-register", "--organization", org)
    entry = project / "metadata/registries/nytt-register/datapackage.yaml"
    ref = entry.read_text(encoding="utf-8").splitlines()[0].split("$schema=", 1)[1]
    assert (entry.parent / ref).resolve().is_file(), ref  # the editor finds the profile here too
    (tmp_path / "vars.csv").write_text("name;title;type\nalder;Alder;integer\n", encoding="utf-8")
    _run(installed, project, "catalogue", "import-dictionary", str(tmp_path / "vars.csv"),
         "--entry", "nytt-register", "--resource", "main")
    assert "valid: 0 error(s)" in _run(installed, project, "catalogue", "validate").stdout

    built = _run(installed, project, "catalogue", "build")
    assert built.stdout.startswith("built site from")
    entries = len(list((project / "metadata").glob("*/*/datapackage.yaml")))

    port = free_port()
    server = subprocess.Popen([str(installed / "bin/catalogue"), "serve", "--port", str(port),
                               "--no-access-log"], cwd=project, env=_env(installed),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.communicate()[1]
            try:
                site = httpx.get(f"{base}/", timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "catalogue serve did not answer within 60 s"
                time.sleep(0.2)
        assert site.status_code == 200 and "<html" in site.text.lower()
        found = httpx.get(f"{base}/api/3/action/package_search", params={"rows": 0}, timeout=10)
        assert found.json()["success"] is True and found.json()["result"]["count"] == entries

        # and a CKAN portal (this one) imports into another metadata folder
        other = tmp_path / "other"
        other.mkdir()
        imported = _run(installed, other, "catalogue", "import-ckan", f"{base}/")
        assert len(list((other / "metadata").glob("*/*/datapackage.yaml"))) == entries, imported.stdout
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "Traceback" not in err, err


def test_pre_commit_try_repo_reports_the_broken_entry(tmp_path):
    """A metadata repository of its own tries this repository's hook, as its owner would."""
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI must try the pre-commit hook, but pre-commit is missing (test extras)")
        pytest.skip("pre-commit is not installed: pip install -e '.[test]'")
    repo = tmp_path / "our-metadata"
    shutil.copytree(REPO / "tests/fixtures/catalogue", repo / "metadata")
    broken = repo / "metadata/organizations/ntnu.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("type: university", "type: college"),
                      encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CATALOGUE_", "PYTHON"))}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")  # a fresh hook environment
    git = ["git", "-c", "user.name=owner", "-c", "user.email=owner@example.org"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "our entries"]):
        subprocess.run([*git, *args], cwd=repo, check=True, env=env)
    done = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(REPO),
                           "catalogue-validate", "--all-files"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=900)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "catalogue validate" in out and "Failed" in out, out
    assert "metadata/organizations/ntnu.yaml:6:7: error [unknown-term]" in out, out
    assert "NOT valid: 1 error(s)" in out, out
    assert "Traceback" not in out, out
