"""Active content in every text field of a catalogue never reaches a page of the site.

Every free text of the fixture catalogue (titles, descriptions, translations, keywords,
contributors, contact names, access texts, variable titles, descriptions and category labels,
organisation names) gets HTML, script, `javascript:` and `data:` payloads, every URL field a
`javascript:` or `data:` URL; the site's pages are generated and each is checked for anything
that could run or load something.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from catalogue.load import load_catalogue
from catalogue.site import downloads, pages
from catalogue.validation.run import validate
from tests.site_support import active_content, mkdocs_site

BASE = "https://katalog.example.no/"
PAYLOAD = (' <script>alert(1)</script><img src=x onerror=alert(2)> <a href="javascript:alert(3)">a</a>'
           " [b](javascript:alert(4)) ![c](data:image/svg+xml;base64,PHN2Zz4=)"
           ' <iframe src="data:text/html,x"></iframe> "><svg onload=alert(5)>'
           " </script><script>alert(6)</script> <style>*{}</style> javascript:alert(7)")
TEXT_KEYS = {"title", "description", "population", "method", "application_route", "conditions",
             "demonstration", "label", "unit", "note", "phone", "acronym", "organization"}
URLS = {"homepage": "javascript:alert(8)", "application_url": "data:text/html,<script>alert(9)</script>",
        "url": " JaVaScRiPt:alert(10)", "path": "javascript:alert(11)"}


def poison(node: object, urls: bool, key: str = "") -> object:
    """The same data with a payload after every free text (and a hostile URL in every URL field)."""
    if isinstance(node, dict):
        out = {k: poison(v, urls, k) for k, v in node.items()}
        if key == "contact":
            out["name"] = "Kontakt" + PAYLOAD
        return out
    if isinstance(node, list):
        return [poison(v, urls, key) for v in node]
    if isinstance(node, str) and key in URLS and urls:
        return URLS[key]
    if isinstance(node, str) and (key in TEXT_KEYS or key in ("keywords", "nb", "en")):
        return node + PAYLOAD
    return node


def write_poisoned(root: Path, urls: bool) -> None:
    for path in root.rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(poison(data, urls), allow_unicode=True), encoding="utf-8")


def test_javascript_and_data_urls_are_refused_in_every_url_field(catalogue_dir: Path):
    write_poisoned(catalogue_dir, urls=True)
    report = validate([catalogue_dir], cache_dir=False)
    refused = {(f.file.split("/")[-1], f.path) for f in report.findings if f.code == "invalid-url"}
    assert refused == {("datapackage.yaml", "/homepage"), ("ntnu.yaml", "/homepage"),
                       ("st-olavs-hospital.yaml", "/homepage"), ("ntnu.yaml", "/contact/url"),
                       ("datapackage.yaml", "/access/application_url"),
                       ("datapackage.yaml", "/contributors/0/path"),
                       ("datapackage.yaml", "/resources/0/path")}, sorted(refused)


def test_payloads_in_every_text_field_never_reach_a_page(catalogue_dir: Path, tmp_path: Path):
    write_poisoned(catalogue_dir, urls=False)
    text = (catalogue_dir / "registries/hjerteregister/opphold.schema.yaml").read_text()
    assert text.count("alert(1)") >= 7  # variable titles and category labels are poisoned too
    cat = load_catalogue(catalogue_dir, check=False)  # the site is safe even when validation is not
    written = pages.write(cat, tmp_path / "src", BASE, {}, lambda f: downloads.names(f.entry, False))
    checked = 0
    for lang in ("nb", "en"):
        for page in sorted(written.docs[lang].rglob("*")):
            if page.suffix not in (".md", ".html") or not page.is_file():
                continue
            html = page.read_text(encoding="utf-8")
            if page.suffix == ".md" and html.startswith("---\n"):
                html = html.split("---\n", 2)[2]  # front matter: see test below
            found = [f for f in active_content(html) if f != "<form>"]  # our own search form
            assert found == [], (lang, str(page.relative_to(written.docs[lang])), found)
            checked += "alert(" in html
    assert checked >= 8  # the payloads did reach the pages, as text


RAW = ("<script>alert", "<img src=x", "<svg onload", "<iframe", 'href="javascript:', "<style>*{}")


def test_payloads_never_reach_a_built_page(catalogue_dir: Path, tmp_path: Path):
    """The real MkDocs build: titles and descriptions also go into <title>, meta tags and the
    navigation through the theme's templates, outside our own rendering."""

    write_poisoned(catalogue_dir, urls=False)
    out = mkdocs_site(catalogue_dir, tmp_path, BASE)
    built = sorted(out.rglob("*.html"))
    assert len(built) >= 16
    seen = 0
    for page in built:
        html = page.read_text(encoding="utf-8")
        seen += "alert(" in html
        leaks = [raw for raw in RAW if raw in html]
        leaks += [f for f in active_content(html) if "alert" in f or "data:text" in f]
        assert leaks == [], (str(page.relative_to(out)), leaks)
    assert seen >= 8
