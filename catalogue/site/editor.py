"""The editor on the static site: `/editor/` and `/en/editor/`, and the files it reads.

The editor is a page and a script (`assets/editor/`); everything it needs is published with the
site under `editor/`, so it runs with no server and nothing leaves the browser:

- `editor/data/index.json`: the JSON Schema profiles of validators/, the rule table
  (validators/rules.yaml as JSON), the limits, the vocabularies with their labels, which field
  takes which vocabulary, the look-alike table, the published catalogue's names, ids and
  organisations (for the cross-entry checks), the skeletons of `catalogue new`, and where the
  repository is (for "propose this change");
- `editor/source/<registries|biobanks>/<name>/...`: every entry's YAML files as they are in
  metadata/, so the editor edits the file itself, comments and all.

The repository comes from `extra.repository` in the project's mkdocs.yml (`url`, `branch`,
`kind`: github or gitlab), or from CATALOGUE_REPO_URL and CATALOGUE_REPO_BRANCH.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml

from catalogue import settings
from catalogue.build.reuse import SAME_BYTES, Reuse
from catalogue.format import skeletons
from catalogue.format.vocabularies import field_table, vocabulary
from catalogue.load import Catalogue
from catalogue.settings import PROJECT_ROOT, validators_dir
from catalogue.site import urls
from catalogue.site.i18n import strings
from catalogue.validation import review
from catalogue.validation import yaml_reader as yamlfile
from catalogue.validation.findings import rules

PAGE = "editor/"
FOLDER = "editor"


def repository() -> dict[str, str]:
    """Where "propose this change" sends the owner: {url, branch, kind} ({} when unknown)."""
    try:
        project = yaml.safe_load((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    except OSError:
        project = {}
    repo = dict((project.get("extra") or {}).get("repository") or {})
    url, branch = settings.repository(repo.get("url") or "", repo.get("branch") or "")
    if not url:
        return {}
    kind = repo.get("kind") or ("gitlab" if "gitlab" in url else "github")
    return {"url": url.rstrip("/"), "branch": branch, "kind": kind}


def skeleton(kind: str) -> str:
    """The text `catalogue new <kind>` writes, with placeholders the editor fills in."""
    return skeletons.entry(
        kind, profile=skeletons.PROFILE_LINE.format(rel="../../../", kind=kind), uuid="__UUID__",
        name="__NAME__", title="__TITLE__", today="__TODAY__", year="__YEAR__", org="__ORG__",
    ).replace("post@example.org", "__EMAIL__")  # the leak check reads every file; the script fills it


def _vocabularies() -> dict[str, list[dict[str, Any]]]:
    names = {name for table in field_table().values() for name in table.values()}
    out = {}
    for name in sorted(names):
        vocab = vocabulary(name)
        out[name] = [{"id": term_id, "nb": term.text("nb"), "en": term.text("en")}
                     for term_id, term in vocab.terms.items()]
    return out


def data(cat: Catalogue) -> dict[str, Any]:
    """Everything the editor's script reads, in one document."""
    folder = validators_dir()
    profiles = {p.name.removesuffix(".schema.json"): json.loads(p.read_text(encoding="utf-8"))
                for p in sorted((folder / "profiles").glob("*.schema.json"))}
    confusables = yaml.safe_load((folder / "confusables.yaml").read_text(encoding="utf-8"))
    entries = []
    for e in cat.entries:
        folder_rel = urls.entry(e).rstrip("/")
        entries.append({"name": e.name, "id": e.id, "kind": e.kind, "folder": folder_rel,
                        "title": e.model.title, "schemas": list(e.schema_files)})
    return {
        "profiles": profiles,
        "rules": rules(),
        "limits": yamlfile.limits(),
        "review_interval_months": review.interval_months(),
        "vocabulary_fields": field_table(),
        "vocabularies": _vocabularies(),
        "confusables": confusables,
        "entries": entries,
        "organizations": sorted(cat.organizations),
        "skeletons": {kind: skeleton(kind) for kind in ("registry", "biobank")},
        "repository": repository(),
        "metadata_path": "metadata",
    }


def write(out: Path, cat: Catalogue, reuse: Reuse | None = None) -> None:
    """The editor's data and the entries' source files under `out/editor/`; with `reuse`, a
    source file the last build copied with the same bytes is taken from it."""
    reuse = reuse or Reuse()
    section = reuse.section("editor", SAME_BYTES)
    base = out / FOLDER
    (base / "data").mkdir(parents=True, exist_ok=True)
    write_assets(out)
    (base / "data" / "index.json").write_text(
        json.dumps(data(cat), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    for e in cat.entries:
        source = (cat.root.parent / e.file).parent
        target = f"{FOLDER}/source/{urls.entry(e)}"
        for f in sorted(source.iterdir()):
            if f.is_file() and not f.is_symlink() and f.name.endswith(".yaml"):
                reuse.put(section, target + f.name, f.read_bytes(), out)


ASSETS = Path(__file__).parent / "assets" / "editor"
SCRIPTS = ["vendor/yaml.min.js", "yamlout.js", "checks.js", "editor.js"]


def base(lang: str) -> str:
    """The editor's folder (scripts, data, sources) as seen from the page in `lang`."""
    from catalogue.site.i18n import PREFIX

    return urls.root(PAGE) + ("/.." if PREFIX[lang] else "") + "/" + FOLDER + "/"


def scripts(lang: str) -> list[str]:
    """The page's scripts, in order; the theme loads them (overrides/main.html)."""
    return [base(lang) + "js/" + Path(name).name for name in SCRIPTS]


def page(lang: str, render: Any) -> str:
    """The editor page of one language (a frame its script fills)."""
    from markupsafe import Markup

    script = json.dumps(strings("editor-script")[lang], ensure_ascii=False).replace("<", "\\u003c")
    return render("editor.html", base=base(lang), strings=Markup(script), today=review.today().isoformat())


def write_assets(out: Path) -> None:
    """The editor's scripts under `out/editor/js/`."""
    target = out / FOLDER / "js"
    target.mkdir(parents=True, exist_ok=True)
    for name in SCRIPTS:
        shutil.copyfile(ASSETS / name, target / Path(name).name)
