"""The project's data files, in a checkout or inside an installed package.

The rules (`validators/`), the hand-written site pages (`docs/`) and `mkdocs.yml` are edited in
one place only: the top level of the repository. A wheel or an sdist gets a copy of them in
`catalogue/packaged/data/` at build time (see `setuptools_hook`), so an installed `catalogue`
works from any folder. The copy is never committed, and it is no importable package: the
folder named `validators` lies two levels below `catalogue/`, never on `sys.path`, so it cannot
shadow the PyPI package `validators` that frictionless imports.

Where the packaged data lies is `catalogue.settings` (`data_root`, `packaged_rules`); this
package chooses the rules a command applies and holds the build hook that makes the copy.
Owns: the choice of rules, the version, the `$schema` line for editors, the build hook.
May import: `settings` only (the build hook: nothing of the catalogue).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from catalogue.settings import ENV_VALIDATORS, packaged_rules

ENV = ENV_VALIDATORS


@dataclass(frozen=True)
class Rules:
    """The rules a command applies, and why those."""

    path: Path
    source: str  # "packaged", "beside" (a validators/ folder beside metadata/) or ENV

    @property
    def packaged(self) -> bool:
        return self.source == "packaged"

    def describe(self) -> str:
        """One line for the user; empty for the packaged rules, which need no mention."""
        if self.packaged:
            return ""
        why = (f"from ${ENV}" if self.source == ENV
               else "the validators/ folder beside the metadata folder")
        return f"rules: {self.path} ({why})"

    def missing(self) -> list[str]:
        """Files the packaged rules have and these lack (a partial copy cannot be applied)."""
        if self.packaged:
            return []
        ours = packaged_rules()
        return sorted(p.relative_to(ours).as_posix() for p in ours.rglob("*")
                      if p.is_file() and not (self.path / p.relative_to(ours)).is_file())


def find_rules(metadata: Path | None = None) -> Rules:
    """The rules to apply: `$CATALOGUE_VALIDATORS`, else a `validators/` folder beside the
    metadata folder (a deployment's own vocabularies), else the packaged rules."""
    if os.environ.get(ENV):
        return Rules(Path(os.environ[ENV]), ENV)
    packaged = packaged_rules()
    if metadata is not None:
        beside = Path(metadata).resolve().parent / "validators"
        if (beside.is_dir() and beside.resolve() != packaged.resolve()
                and not (beside / "__init__.py").exists()):  # not a Python package of that name
            return Rules(beside, "beside")
    return Rules(packaged, "packaged")


def use_rules(metadata: Path | None) -> Rules:
    """Choose the rules for this process and the processes it starts (through the environment,
    which every worker inherits, however it is started). For the CLI: a command runs once."""
    rules = find_rules(metadata)
    if not rules.packaged:
        os.environ[ENV] = str(rules.path)
    return rules


def version() -> str:
    """The installed distribution's version (what pip knows), else the package's own."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("catalogue")
    except PackageNotFoundError:  # run from a checkout without installing
        from catalogue import __version__

        return __version__
