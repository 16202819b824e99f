"""Run mkdocs-material once per language and merge the output.

Bokmål builds into the output's root and English into `en/`. The two builds are separate
processes, so they use both cores; each gets its own config written beside its pages.

An incremental build reuses the last build's HTML of every entry and organisation page whose
generated source is byte for byte the same, when the configuration and the theme are too
(`catalogue.build.reuse`): those pages are not in the navigation, so their HTML depends on
nothing else. The old HTML is copied into the new output and MkDocs builds "dirty", which skips
a page whose output is newer than its source.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from catalogue import __version__
from catalogue.build.context import BuildError
from catalogue.build.reuse import Reuse, fingerprint
from catalogue.settings import mkdocs_yml
from catalogue.site.i18n import NAMES, PREFIX, t

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
        "plugins": [],  # no lunr: the catalogue page has its own index (`search`)
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


SECTION = "mkdocs-{}"  # the reuse manifest's section of a language's pages
REUSABLE = ("registries/*/index.md", "biobanks/*/index.md", "organizations/*/index.md")
# what else shapes a page's HTML: the theme, Markdown and the templates' engine
RENDERERS = ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "jinja2")


@cache
def theme_fingerprint() -> str:
    """The versions and files that turn a page's source into HTML, besides its configuration."""
    parts = [__version__, *(f"{d}={importlib.metadata.version(d)}" for d in RENDERERS)]
    for path in sorted([HERE / "hooks.py", *(HERE / "overrides").rglob("*")]):
        if path.is_file():
            parts += [str(path.relative_to(HERE)), path.read_bytes()]
    return fingerprint(*parts)


def reuse_unchanged(reuse: Reuse, lang: str, cfg: dict[str, Any], docs: Path, site_dir: Path,
                    known: dict[str, str] | None = None) -> int:
    """Copy the last build's HTML of each reusable page of `lang` whose source is unchanged into
    `site_dir`, and date that source back so a dirty MkDocs build skips it; returns how many.
    `known`: the fingerprints of sources whose writer knows them already, by path in `docs`
    (the entry pages, `pages.write`); the others are read."""
    settings = {k: v for k, v in cfg.items() if k not in ("docs_dir", "site_dir")}
    section = reuse.section(SECTION.format(lang), fingerprint(
        yaml.safe_dump(settings, allow_unicode=True, sort_keys=True), theme_fingerprint()), PREFIX[lang])
    for pattern in REUSABLE:
        for src in sorted(docs.glob(pattern)):
            page = src.relative_to(docs)
            rel = page.with_name("index.html").as_posix()
            print_ = (known or {}).get(page.as_posix()) or fingerprint(src.read_bytes())
            if reuse.take(section, rel, print_, site_dir):
                os.utime(src, (0, 0))  # older than its output: MkDocs leaves the page alone
            else:
                section.made(rel, print_, [rel])
    return section.reused


def _in_process(cfg: Path, dirty: bool) -> None:
    """Build one language here: no interpreter start-up, which dominates a small site."""
    import logging

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        mkdocs_build(load_config(str(cfg)), dirty=dirty)
    except (MkDocsException, SystemExit) as exc:
        raise MkDocsFailed(f"mkdocs build failed ({cfg.name}): {exc}") from exc
    finally:
        logger.setLevel(level)


def _start(cfg: Path, dirty: bool) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    more = ["--dirty"] if dirty else []
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-q", *more, "-f", str(cfg)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)


class Build:
    """The MkDocs builds of every language into `out` (the root for bokmål, `en/` for English).

    With `background`, each language builds in its own process as soon as its pages are written
    (`start`), so the next language's pages, the downloads and the builds share both cores; a
    small site builds in this process at `finish`, which saves starting Python twice. With
    `reuse`, unchanged entry and organisation pages are taken from the last build.
    """

    def __init__(self, out: Path, base_url: str, background: bool, reuse: Reuse | None = None) -> None:
        self.out, self.base_url, self.background, self.reuse = out, base_url, background, reuse
        self.configs: dict[str, Path] = {}
        self.dirty: dict[str, bool] = {}
        self.running: dict[str, subprocess.Popen[str]] = {}

    def in_place(self) -> bool:
        """Whether the output is the pool of an earlier build (`Reuse.adopt_pool`): then every
        language builds "dirty", never emptying a folder that holds other steps' files, and
        bokmål straight into the root, where its unchanged pages already are."""
        return self.reuse is not None and self.reuse.base is not None

    def site_dir(self, lang: str) -> Path:
        if not PREFIX[lang] and self.in_place():
            return self.out
        return self.out / (PREFIX[lang].rstrip("/") or ".mkdocs-nb")

    def start(self, lang: str, docs: Path, known: dict[str, str] | None = None) -> None:
        """The pages of `lang` are written: configure its build (and start it, in the background).
        `known`: fingerprints of sources by path in `docs`, as `reuse_unchanged` takes them."""
        cfg = docs.parent / f"mkdocs-{lang}.yml"
        settings = config(lang, docs, self.site_dir(lang), self.base_url)
        cfg.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
        self.configs[lang] = cfg
        reused = (reuse_unchanged(self.reuse, lang, settings, docs, self.site_dir(lang), known)
                  if self.reuse else 0)
        # a clean build would empty the folder of the reused pages (and, in place, other steps')
        self.dirty[lang] = reused > 0 or self.in_place()
        if self.background:
            self.running[lang] = _start(cfg, self.dirty[lang])

    def finish(self) -> None:
        """Wait for (or run) every build, then move bokmål's output into the root (unless it
        was built there)."""
        if not self.background:
            for lang, cfg in self.configs.items():
                _in_process(cfg, self.dirty[lang])
        failures = []
        for lang, proc in self.running.items():
            output, _ = proc.communicate()
            if proc.returncode != 0:
                failures.append(f"[{lang}] {output.strip()[-3000:]}")
        self.running.clear()
        if failures:
            raise MkDocsFailed("mkdocs build failed:\n" + "\n".join(failures))
        if self.site_dir("nb") != self.out:
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
