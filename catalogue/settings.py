"""Defaults and the environment, read in one place: every setting a user can change is here.

Owns: where the project's data lives (`validators/`), the build's default folders and store, the
default base URL, and the names of the environment variables. Imports nothing of the catalogue,
so every layer may import it.
"""

from __future__ import annotations

import json
import math
import os
from functools import cache
from pathlib import Path

from catalogue.errors import UsageError

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# --- the environment: each variable named once --------------------------------------------
ENV_VALIDATORS = "CATALOGUE_VALIDATORS"  # another validators/ folder (tests, forks)
ENV_DB_URL = "CATALOGUE_DB_URL"  # the store, for build and serve
ENV_BASE_URL = "CATALOGUE_BASE_URL"  # where the site is served, for links in the feeds
ENV_OUT = "CATALOGUE_OUT"  # the built site that serve publishes
ENV_CACHE_MB = "CATALOGUE_CACHE_MB"  # memory for cached API results per worker
ENV_MODELS_MB = "CATALOGUE_MODELS_MB"  # memory for a loaded catalogue's models, beyond which they are packed
ENV_DEBUG = "CATALOGUE_DEBUG"  # set: unexpected errors show their traceback
ENV_TODAY = "CATALOGUE_TODAY"  # YYYY-MM-DD: the day review cadences count from (tests, rebuilds)
ENV_REPO_URL = "CATALOGUE_REPO_URL"  # the metadata repository the editor proposes changes to
ENV_REPO_BRANCH = "CATALOGUE_REPO_BRANCH"  # and its branch

# --- defaults ------------------------------------------------------------------------------
DEFAULT_OUT = Path("site")
BUILD_DIR = Path("build")
DEFAULT_DB = f"sqlite:///{BUILD_DIR / 'catalogue.sqlite'}"
LAST_BUILD = BUILD_DIR / "last-build.json"
DEFAULT_BASE_URL = "http://127.0.0.1:8000/"
DEFAULT_CACHE_MB = 64.0
DEFAULT_MODELS_MB = 2048.0  # 10,000 entries of 100 variables fit; 100,000 of 20 do not


# --- the project's data files: in a checkout, or the copy inside an installed package ------
# validators/, docs/ and mkdocs.yml are edited at the top of the repository only; a wheel or an
# sdist carries a copy in catalogue/packaged/data/ (catalogue/packaged/setuptools_hook.py).
SHIPPED = Path(__file__).resolve().parent / "packaged" / "data"  # absent in a checkout


@cache
def data_root() -> Path:
    """Where `validators/`, `docs/` and `mkdocs.yml` are: the installed copy, else the checkout.

    The installed copy wins when it exists: beside an installed package (site-packages) lies the
    PyPI package `validators`, which must never be taken for the rules. Looked up once: a build
    asks for the rules some twenty thousand times (every look-alike check, every YAML file).
    """
    return SHIPPED if (SHIPPED / "validators" / "rules.yaml").is_file() else PROJECT_ROOT


def packaged_rules() -> Path:
    """The rules that came with this `catalogue`: the installed copy, or the checkout's."""
    return data_root() / "validators"


def docs_dir() -> Path:
    """The hand-written pages of the site."""
    return data_root() / "docs"


def mkdocs_yml() -> Path:
    """The project's MkDocs configuration (site name, description, the pages' navigation)."""
    return data_root() / "mkdocs.yml"


def validators_dir() -> Path:
    """The `validators/` folder: `CATALOGUE_VALIDATORS`, else the packaged rules (the copy in an
    installed package, or the checkout's). The CLI sets `CATALOGUE_VALIDATORS` to a folder beside
    the metadata when there is one: see `catalogue.packaged.use_rules`."""
    return _rules_folder(os.environ.get(ENV_VALIDATORS) or "")


@cache
def _rules_folder(given: str) -> Path:
    return Path(given) if given else packaged_rules()


def db_url(given: str | None = None) -> str:
    """The store's URL: the one given, else `CATALOGUE_DB_URL`, else the build folder's SQLite file."""
    return given or os.environ.get(ENV_DB_URL) or DEFAULT_DB


def base_url(given: str | None = None) -> str:
    """Where the site is served: the URL given, else `CATALOGUE_BASE_URL`, else localhost."""
    return given or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL


def served_out() -> str | None:
    """The output folder `serve` was told to publish (`CATALOGUE_OUT`), if any."""
    return os.environ.get(ENV_OUT)


def cache_mb() -> float:
    """Memory for cached API results per worker (`CATALOGUE_CACHE_MB`)."""
    return _megabytes(ENV_CACHE_MB, DEFAULT_CACHE_MB)




def models_mb() -> float:
    """Memory the loaded entries' models may take as objects (`CATALOGUE_MODELS_MB`); beyond
    it they are kept packed and unpacked where a step reads them (`catalogue.load`)."""
    return _megabytes(ENV_MODELS_MB, DEFAULT_MODELS_MB)


def _megabytes(name: str, default: float) -> float:
    """The variable `name` as a number of megabytes (0 or more), else `default` when unset."""
    given = os.environ.get(name, "").strip()
    if not given:
        return default
    try:
        value = float(given)
    except ValueError:
        value = math.nan
    if not 0 <= value < math.inf:  # NaN is not either
        raise UsageError(f"{name}={given!r} is not a number of megabytes: set it to one, "
                         f"such as {default:g}, or unset it for that default.")
    return value


def debug() -> bool:
    """Whether unexpected errors should show their traceback (`CATALOGUE_DEBUG`)."""
    return ENV_DEBUG in os.environ


def last_build() -> dict[str, str] | None:
    """What the last `catalogue build` in this folder produced (`build/last-build.json`), if any."""
    try:
        return json.loads(LAST_BUILD.read_text())
    except (OSError, ValueError):
        return None


def today_override() -> str:
    """The day given in `CATALOGUE_TODAY` (YYYY-MM-DD), or "" for the system date."""
    return os.environ.get(ENV_TODAY, "").strip()


def repository(url: str = "", branch: str = "") -> tuple[str, str]:
    """The metadata repository and branch for the editor's "propose": the environment's
    (`CATALOGUE_REPO_URL`, `CATALOGUE_REPO_BRANCH`), else the ones given (from mkdocs.yml)."""
    return (os.environ.get(ENV_REPO_URL) or url, os.environ.get(ENV_REPO_BRANCH) or branch or "main")
