"""Build hook: copy the top-level `validators/`, `docs/` and `mkdocs.yml` into the package.

`pyproject.toml` names these commands in `[tool.setuptools.cmdclass]`. The top-level folders stay
the one copy to edit; a wheel gets them as `catalogue/packaged/data/`, and an sdist carries them
at its top level, so a wheel built from the sdist gets them too. An editable install copies
nothing: it runs from the checkout, where `catalogue.packaged` finds the originals.

Imported only while building, with setuptools, by file: `catalogue` itself is not importable
then (an isolated build has only setuptools), so nothing here imports it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools.command.build_py import build_py as _build_py
from setuptools.command.sdist import sdist as _sdist

TARGET = Path("catalogue", "packaged", "data")  # catalogue.packaged.SHIPPED
SHIPPED_PATHS = ("validators", "docs", "mkdocs.yml")  # relative to the repository's top level


def _files(top: Path) -> list[Path]:
    """The shipped files under `top` (the source tree), relative to it."""
    found: list[Path] = []
    for name in SHIPPED_PATHS:
        path = top / name
        if path.is_file():
            found.append(Path(name))
        elif path.is_dir():
            found += sorted(p.relative_to(top) for p in path.rglob("*")
                            if p.is_file() and "__pycache__" not in p.parts)
    return found


class build_py(_build_py):  # noqa: N801 - setuptools' command names
    """Also copy the shipped files into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        top = Path.cwd()
        files = _files(top)
        if not any(f.parts[0] == "validators" for f in files):
            raise SystemExit("catalogue build: no validators/ folder beside pyproject.toml")
        dest = Path(self.build_lib) / TARGET
        shutil.rmtree(dest, ignore_errors=True)
        for rel in files:
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(top / rel, dest / rel)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        top = Path.cwd()
        shipped = [str(Path(self.build_lib) / TARGET / rel) for rel in _files(top)]
        return [*super().get_outputs(include_bytecode), *shipped]


class sdist(_sdist):  # noqa: N801
    """Also put the shipped files into the source distribution."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        top = Path.cwd()
        for rel in _files(top):
            (Path(base_dir) / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(top / rel, Path(base_dir) / rel)
