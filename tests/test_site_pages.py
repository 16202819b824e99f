"""Page generation: what the site's pages say, from the fixture catalogue, before MkDocs runs."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from catalogue.load import load_catalogue
from catalogue.site import charts, downloads, history, pages
from catalogue.site.completeness import CHECKS, score
from catalogue.site.i18n import localise
from tests.conftest import edit
from tests.site_support import active_content

BASE = "https://katalog.example.no/"


def body(path: Path) -> str:
    """A generated page without its front matter."""
    return path.read_text(encoding="utf-8").split("---\n", 2)[2]


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])


@pytest.fixture
def written(catalogue_dir: Path, tmp_path: Path) -> pages.Sources:
    """The fixture catalogue's pages, with a hostile description and application route."""
    reg = catalogue_dir / "registries/hjerteregister/datapackage.yaml"
    edit(reg, "description: Et lite register brukt i testene.",
         "description: |\n  Et **lite** register. <script>alert(1)</script> <img src=x onerror=alert(2)>\n"
         "  [klikk](javascript:alert(3)) ![x](data:image/png;base64,AAAA)")
    edit(reg, "application_route: Send the form to the secretariat.",
         'application_route: "Send <script>alert(4)</script> the form."')
    cat = load_catalogue(catalogue_dir)
    return pages.write(cat, tmp_path / "src", BASE, {}, lambda f: downloads.names(f.entry, False))


def test_every_page_is_written_in_both_languages(written):
    for lang in ("nb", "en"):
        docs = written.docs[lang]
        for page in ["index.md", "catalogue/index.md", "organizations/index.md",
                     "organizations/ntnu/index.md", "registries/hjerteregister/index.md",
                     "biobanks/hjertebiobank/index.md", "access-guide.md", "reference/schema.md"]:
            assert (docs / page).is_file(), f"{lang}: {page}"
        assert not (docs / "registries/hjerteregister.md").exists()
    meta = front(written.docs["nb"] / "registries/hjerteregister/index.md")
    assert meta["title"] == "Testregister for hjertesykdom" and meta["render"] == "html"
    assert front(written.docs["en"] / "registries/hjerteregister/index.md")["title"] == "Test heart registry"


def test_hostile_metadata_never_reaches_a_page(written):
    for lang in ("nb", "en"):
        for page in ("registries/hjerteregister/index.md", "catalogue/index.md"):
            html = body(written.docs[lang] / page)
            found = [f for f in active_content(html) if f != "<form>"]  # our own search form
            assert found == [], (lang, page, found)
            assert "javascript:" not in html.replace("javascript:alert(3)", "")
    html = body(written.docs["nb"] / "registries/hjerteregister/index.md")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text, not run
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in html
    assert "<strong>lite</strong>" in html


def test_an_entry_page_has_its_sections(written):
    html = body(written.docs["nb"] / "registries/hjerteregister/index.md")
    for anchor in ("summary", "description", "dictionary", "access", "linked", "cite",
                   "completeness", "downloads", "history"):
        assert f'id="{anchor}"' in html, anchor
    toc = front(written.docs["nb"] / "registries/hjerteregister/index.md")["toc"]
    assert [a for a, _ in toc][:4] == ["summary", "description", "dictionary", "access"]
    assert "Demonstrasjonsmetadata" in html and "Everything here is made up" in html
    assert 'href="../../organizations/st-olavs-hospital/"' in html
    assert 'href="../../biobanks/hjertebiobank/"' in html  # linked entries


def test_every_variable_row_has_its_own_anchor(written):
    html = body(written.docs["nb"] / "registries/hjerteregister/index.md")
    for name in ("innleggelse", "kjonn", "diagnose", "blodtrykk"):
        assert f'<h4 id="var-opphold-{name}" class="catalogue-var"><code>{name}</code></h4>' in html
    assert len(re.findall(r'id="var-opphold-', html)) == 4


def test_access_guidelines_are_numbered_steps(written):
    html = body(written.docs["en"] / "registries/hjerteregister/index.md")
    steps = html.split('<ol class="catalogue-steps">', 1)[1].split("</ol>", 1)[0]
    titles = re.findall(r'<h3 class="catalogue-step-title"[^>]*>([^<]+)</h3>', steps)
    assert titles == ["Check that the source fits", "Get the approvals", "Prepare the documents",
                      "Apply", "Expect time and cost", "Use the data on the conditions"]
    assert "Approval from a regional ethics committee (REK)" in steps
    assert "Lead time: 4–12 weeks." in steps and "Fees: NOK 0–20,000." in steps
    assert 'href="https://stolav.no/hjerteregister/soknad"' in steps
    assert 'href="mailto:hjerte@stolav.no"' in steps


def test_an_entry_falls_back_to_the_language_it_has(written):
    nb = body(written.docs["nb"] / "biobanks/hjertebiobank/index.md")
    assert "Denne teksten finnes bare på engelsk." in nb
    assert '<div class="catalogue-description" lang="en">' in nb
    en = body(written.docs["en"] / "biobanks/hjertebiobank/index.md")
    assert "catalogue-fallback" not in en.split('id="description"')[1].split('id="dictionary"')[0]
    reg_en = body(written.docs["en"] / "registries/hjerteregister/index.md")
    assert "A small registry used by the tests." in reg_en


def test_the_entry_page_carries_no_search_markup(written):
    """The search index is written from the entries (`catalogue.site.search`), not read from
    the pages, so a page has nothing in it for an indexer."""
    html = body(written.docs["nb"] / "registries/hjerteregister/index.md")
    assert "pagefind" not in html


def test_the_catalogue_page_lists_entries_with_facet_counts(written):
    html = body(written.docs["en"] / "catalogue/index.md")
    assert html.count('<li class="catalogue-card">') == 2
    assert re.search(r'name="kind" value="registry"><label for="[^"]+">Registry '
                     r'<span class="catalogue-count" data-value="registry">1</span>', html)
    assert 'name="q"' in html and 'action="./"' in html and 'method="get"' in html
    strings = json.loads(html.split('id="catalogue-strings">', 1)[1].split("</script>", 1)[0])
    assert strings["results"] == "{n} results"


def test_the_home_page_counts_and_charts(written):
    html = body(written.docs["nb"] / "index.md")
    assert "1 registre og 1 biobanker" in html
    assert html.count('role="img"') == 2
    assert 'action="catalogue/"' in html and 'href="catalogue/?kind=biobank"' in html


def test_charts_have_a_text_alternative():
    bars = [charts.Bar("Helse Vest", 3), charts.Bar("<Nord>", 1)]
    svg = str(charts.bar_chart("c", "Entries by region", bars, "Table", ("Region", "Count")))
    assert '<title id="c-t">Entries by region</title>' in svg
    assert '<desc id="c-d">Helse Vest: 3; &lt;Nord&gt;: 1</desc>' in svg
    assert 'aria-labelledby="c-t c-d"' in svg and "<td>3</td>" in svg
    rates = str(charts.rate_chart("r", "Coverage", [(2020, 91.5), (2019, 88)], "Table", ("Year", "%")))
    assert "2019: 88 %; 2020: 91.5 %" in rates
    line = str(charts.timeline("t", "Years", 1999, None, 2026, "present", "Table", ("Years", "")))
    assert "1999–present" in line


def test_completeness_counts_optional_details(catalogue_dir):
    cat = load_catalogue(catalogue_dir)
    result = score(cat.entry("hjerteregister"))
    assert result.total == len(CHECKS) and 0 < result.filled < result.total
    assert 0 < result.percent < 100
    assert {"nb", "en"} <= set(result.missing[0])


def test_downloads_of_an_entry(catalogue_dir):
    cat = load_catalogue(catalogue_dir)
    entry = cat.entry("hjerteregister")
    files = downloads.files(entry, None)
    assert list(files) == downloads.names(entry, with_ckan=False)
    package = json.loads(files["datapackage.json"])
    assert package["$schema"] == downloads.DATAPACKAGE_PROFILE
    assert package["name"] == "hjerteregister" and "access" not in package
    assert package["resources"][0]["schema"]["fields"][0]["name"] == "innleggelse"
    assert json.loads(files["hjerteregister.json"])["access"]["decided_by"] == "data-controller"
    assert yaml.safe_load(files["hjerteregister.yaml"]) == json.loads(files["hjerteregister.json"])
    rows = list(csv.DictReader(io.StringIO(files["dictionary.csv"])))
    assert [r["name"] for r in rows] == ["innleggelse", "kjonn", "diagnose", "blodtrykk"]
    assert json.loads(files["opphold.schema.json"])["fields"][1]["name"] == "kjonn"


def test_titles_fall_back_per_field(catalogue_dir):
    cat = load_catalogue(catalogue_dir)
    loc = localise(cat.entry("hjertebiobank").model, "nb")
    assert (loc.title_lang, loc.description_lang) == ("nb", "en")


def test_change_history_comes_from_git(catalogue_dir):
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(catalogue_dir), "-c", "user.name=Test", "-c",
                        "user.email=t@example.no", *args], check=True, capture_output=True)

    assert history.histories(catalogue_dir) in ({}, history.histories(catalogue_dir))
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "Add the fixtures")
    edit(catalogue_dir / "registries/hjerteregister/datapackage.yaml", "keywords: [", "keywords: [infarkt, ")
    git("commit", "-q", "-am", "More keywords for the heart registry")
    found = history.histories(catalogue_dir)
    assert [c.subject for c in found["registries/hjerteregister"].commits] == [
        "More keywords for the heart registry", "Add the fixtures"]
    assert [c.subject for c in found["biobanks/hjertebiobank"].commits] == ["Add the fixtures"]


def test_no_history_outside_git(tmp_path):
    (tmp_path / "registries").mkdir()
    assert history.histories(tmp_path) == {}


def test_mkdocs_writes_a_generated_page_with_its_own_html_once_and_one_heading(catalogue_dir: Path,
                                                                               tmp_path: Path):
    """MkDocs holds only a marker for a generated page until it writes it (`hooks.py`): the
    page comes out with its own HTML and heading, and the theme adds a heading only where the
    page has none."""
    from tests.site_support import mkdocs_site

    site = mkdocs_site(catalogue_dir, tmp_path, BASE)
    source = body(tmp_path / "src" / "nb" / "registries" / "hjerteregister" / "index.md")
    page = (site / "registries" / "hjerteregister" / "index.html").read_text(encoding="utf-8")
    assert source.strip() in page
    assert page.count("<h1") == 1
    assert "catalogue:generated-page-body" not in page
    guide = (site / "access-guide" / "index.html").read_text(encoding="utf-8")  # hand-written
    assert guide.count("<h1") == 1 and "catalogue:generated-page-body" not in guide


def test_the_navigation_rendered_once_per_folder_is_what_the_theme_renders_on_each_page(
        catalogue_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The theme's navigation is rendered once for all the entry pages of a folder (and the
    organisation pages of theirs): every page comes out as the theme alone makes it."""
    import shutil

    from catalogue.site import mkdocs_run
    from tests.site_support import mkdocs_site

    second = catalogue_dir / "registries" / "lungeregister"  # two entry pages in one folder
    shutil.copytree(catalogue_dir / "registries" / "hjerteregister", second)
    edit(second / "datapackage.yaml", "name: hjerteregister", "name: lungeregister")
    edit(second / "datapackage.yaml", "id: 0b7d7a52-2f0e-4c1a-9a51-3c2d1e0f9a10",
         "id: 0b7d7a52-2f0e-4c1a-9a51-3c2d1e0f9a11")
    (tmp_path / "once").mkdir()
    (tmp_path / "alone").mkdir()
    once = mkdocs_site(catalogue_dir, tmp_path / "once", BASE)
    theme_alone = tmp_path / "overrides"
    shutil.copytree(mkdocs_run.HERE / "overrides", theme_alone)
    (theme_alone / "partials" / "nav.html").unlink()  # the theme's own partial, on every page
    config = mkdocs_run.config

    def without_same_nav(*args: object) -> dict:
        cfg = config(*args)
        cfg["theme"]["custom_dir"] = str(theme_alone)
        return cfg

    monkeypatch.setattr(mkdocs_run, "config", without_same_nav)
    alone = mkdocs_site(catalogue_dir, tmp_path / "alone", BASE)

    html = sorted(p.relative_to(alone) for p in alone.rglob("*.html"))
    assert html == sorted(p.relative_to(once) for p in once.rglob("*.html"))
    assert len([p for p in html if p.parts[0] == "registries"]) == 2  # the folder's pages share one
    assert len([p for p in html if p.parts[0] == "organizations"]) == 3  # the list and two
    differ = [p for p in html if (once / p).read_bytes() != (alone / p).read_bytes()]
    assert not differ
