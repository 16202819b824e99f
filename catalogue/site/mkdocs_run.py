"""Run mkdocs-material once per language and merge the output.

Bokmål builds into the output's root and English into `en/`. The two builds are separate
processes, so they use both cores; each gets its own config written beside its pages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from catalogue.build.context import BuildError
from catalogue.settings import mkdocs_yml
from catalogue.site.i18n import LANGS, NAMES, PREFIX, t

HERE = Path(__file__).parent
OTHER = {"nb": "en", "en": "nb"}
PARALLEL_FROM = 200  # pages per language from which two processes beat one
# Titles for the hand-written pages of the project's mkdocs.yml nav, by file.
NAV_TITLES = {"access-guide.md": "access_guide", "access-planner.md": "planner_rules",
              "contributing.md": "contributing", "entry-format.md": "entry_format",
              "reference/schema.md": "schema", "reference/rules.md": "rules", "reference/cli.md": "cli"}


class MkDocsFailed(BuildError):
    """mkdocs exited with an error; the message carries its output."""


def _translate_nav(items: list[Any], lang: str) -> list[Any]:
    out: list[Any] = []
    for item in items:
        for title, target in item.items():
            if isinstance(target, list):
                out.append({t("reference", lang) if title == "Reference" else title:
                            _translate_nav(target, lang)})
            elif target != "index.md":
                key = NAV_TITLES.get(target)
                out.append({t(key, lang) if key else title: target})
    return out


def config(lang: str, docs: Path, site_dir: Path, base_url: str) -> dict[str, Any]:
    """The MkDocs configuration of one language's site."""
    project = yaml.safe_load(mkdocs_yml().read_text(encoding="utf-8"))
    other = OTHER[lang]
    nav = [{t("home", lang): "index.md"}, {t("catalogue", lang): "catalogue/index.md"},
           {t("planner", lang): "planner/index.md"},
           {t("organisations", lang): "organizations/index.md"},
           *_translate_nav(project.get("nav", []), lang)]
    return {
        "site_name": t("site_name", lang),
        "site_description": project.get("site_description", ""),
        "site_url": base_url + PREFIX[lang],
        "docs_dir": str(docs.resolve()),
        "site_dir": str(site_dir.resolve()),
        "use_directory_urls": True,
        "theme": {
            "name": "material", "language": lang, "custom_dir": str(HERE / "overrides"),
            "font": False,  # no requests to Google Fonts: privacy, and no console errors offline
            "features": ["navigation.prune", "navigation.top"],
            "palette": {"primary": "indigo", "accent": "indigo"},
        },
        "plugins": [],  # no lunr: Pagefind indexes the built site instead
        "hooks": [str(HERE / "hooks.py")],
        "nav": nav,
        "not_in_nav": "/registries/\n/biobanks/\n/organizations/*/\n/variables/\n",
        "markdown_extensions": ["toc", "tables", "admonition", "attr_list", "md_in_html",
                                "def_list", {"pymdownx.superfences": {}}],
        "extra_css": ["assets/catalogue.css"],
        # study.js first: the catalogue's cards and the planner use its collection
        "extra_javascript": ["assets/study.js", "assets/catalogue.js", "assets/planner.js",
                             "assets/variables.js", "assets/dictionary.js", "assets/filters.js"],
        "extra": {
            "alternate": [{"name": NAMES[other], "lang": other,
                           "link": "../" if PREFIX[lang] else PREFIX[other]}],
            "catalogue": {"lang": lang, "other_lang": other, "switch": t("switch", lang),
                          "switch_label": t("switch_label", lang),
                          "other_root": "../" if PREFIX[lang] else PREFIX[other],
                          "docs_in_english": t("docs_in_english", lang),
                          "feed_title": t("feed_title_all", lang)},
        },
        "validation": {"links": {"unrecognized_links": "ignore", "absolute_links": "ignore"}},
    }


def _in_process(cfg: Path) -> None:
    """Build one language here: no interpreter start-up, which dominates a small site."""
    import logging

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        mkdocs_build(load_config(str(cfg)))
    except (MkDocsException, SystemExit) as exc:
        raise MkDocsFailed(f"mkdocs build failed ({cfg.name}): {exc}") from exc
    finally:
        logger.setLevel(level)


def _start(cfg: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(cfg)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)


class Build:
    """The MkDocs builds of every language into `out` (the root for bokmål, `en/` for English).

    With `background`, each language builds in its own process as soon as its pages are written
    (`start`), so the next language's pages, the downloads and the builds share both cores; a
    small site builds in this process at `finish`, which saves starting Python twice.
    """

    def __init__(self, out: Path, base_url: str, background: bool) -> None:
        self.out, self.base_url, self.background = out, base_url, background
        self.configs: dict[str, Path] = {}
        self.running: dict[str, subprocess.Popen[str]] = {}

    def site_dir(self, lang: str) -> Path:
        return self.out / (PREFIX[lang].rstrip("/") or ".mkdocs-nb")

    def start(self, lang: str, docs: Path) -> None:
        """The pages of `lang` are written: configure its build (and start it, in the background)."""
        cfg = docs.parent / f"mkdocs-{lang}.yml"
        cfg.write_text(yaml.safe_dump(config(lang, docs, self.site_dir(lang), self.base_url),
                                      allow_unicode=True), encoding="utf-8")
        self.configs[lang] = cfg
        if self.background:
            self.running[lang] = _start(cfg)

    def finish(self) -> None:
        """Wait for (or run) every build, then move bokmål's output into the root."""
        if not self.background:
            for cfg in self.configs.values():
                _in_process(cfg)
        failures = []
        for lang, proc in self.running.items():
            output, _ = proc.communicate()
            if proc.returncode != 0:
                failures.append(f"[{lang}] {output.strip()[-3000:]}")
        self.running.clear()
        if failures:
            raise MkDocsFailed("mkdocs build failed:\n" + "\n".join(failures))
        merge(self.site_dir("nb"), self.out)
        shutil.rmtree(self.site_dir("nb"))

    def abort(self) -> None:
        """Stop builds still running (the build failed elsewhere)."""
        for proc in self.running.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.running.clear()


def merge(src: Path, dest: Path) -> None:
    """Move everything in `src` into `dest`, folder by folder; other steps' files stay."""
    for item in src.iterdir():
        target = dest / item.name
        if not target.exists():
            item.rename(target)
        elif item.is_dir() and target.is_dir():
            merge(item, target)
        else:
            raise MkDocsFailed(f"{target} is written both by the site and by another step")
