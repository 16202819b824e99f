"""schema.org JSON-LD for search engines (Google Dataset Search), and robots.txt.

Every entry page of the built sample site embeds one `Dataset` in the page's language, the
catalogue page a `DataCatalog`; rdflib reads each as RDF. Metadata that tries to end the script
element (`</script>`, `<!--`) stays text inside the JSON.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from catalogue.load import load_catalogue
from catalogue.site import downloads, robots
from catalogue.site.i18n import PREFIX, localise
from tests.conftest import REPO, edit
from tests.site_support import mkdocs_site

SDO = Namespace("https://schema.org/")
BASE = "https://katalog.example.no/"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class JsonLd(HTMLParser):
    """The text of every `<script type="application/ld+json">` of a page, as a browser splits it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in = tag == "script" and ("type", "application/ld+json") in attrs
        if self._in:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.scripts[-1] += data


def json_ld(path: Path) -> list[dict[str, Any]]:
    parser = JsonLd()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return [json.loads(s) for s in parser.scripts]


def as_rdf(data: dict[str, Any]) -> Graph:
    """The JSON-LD as rdflib reads it. schema.org's context is on the web; offline, the same
    vocabulary is given inline (`@vocab`), which is what the remote context says for terms."""
    assert data["@context"] == "https://schema.org/"
    local = {**data, "@context": {"@vocab": "https://schema.org/"}}
    return Graph().parse(data=json.dumps(local), format="json-ld")


def one(g: Graph, s: Any, p: URIRef) -> Any:
    values = list(g.objects(s, p))
    assert len(values) == 1, (s, p, values)
    return values[0]


def test_every_entry_page_embeds_one_dataset_in_its_language(built_site: Path):
    catalogue = load_catalogue(REPO / "metadata")
    assert catalogue.entries
    for lang in ("nb", "en"):
        for entry in catalogue.entries:
            folder = "registries" if entry.kind == "registry" else "biobanks"
            page = f"{PREFIX[lang]}{folder}/{entry.name}/"
            found = json_ld(built_site / page / "index.html")
            assert len(found) == 1, page
            data = found[0]
            g = as_rdf(data)
            ds = URIRef(BASE + page)
            assert (ds, RDF.type, SDO.Dataset) in g, page
            m = entry.model
            assert str(one(g, ds, SDO.name)) == localise(m, lang).title
            description = str(one(g, ds, SDO.description))
            assert 50 <= len(description) <= 5000, page
            assert str(one(g, ds, SDO.url)) == BASE + page
            assert {str(i) for i in g.objects(ds, SDO.identifier)} == {m.id, BASE + page}
            assert UUID.match(m.id)
            assert {str(k) for k in g.objects(ds, SDO.keywords)} >= set(m.keywords)
            assert str(one(g, ds, SDO.license)).startswith("https://creativecommons.org/licenses/")
            for prop in (SDO.creator, SDO.publisher):
                orgs = list(g.objects(ds, prop))
                assert orgs
                for org in orgs:
                    assert (org, RDF.type, SDO.Organization) in g
                    assert one(g, org, SDO.name) and str(one(g, org, SDO.url)).startswith("https://")
            temporal = str(one(g, ds, SDO.temporalCoverage))
            assert temporal.startswith(f"{m.coverage.start_year}/")
            place = one(g, ds, SDO.spatialCoverage)
            assert (place, RDF.type, SDO.Place) in g and one(g, place, SDO.name)
            variables = list(g.objects(ds, SDO.variableMeasured))
            assert len(variables) == sum(1 for _ in entry.variables())
            assert all((v, RDF.type, SDO.PropertyValue) in g and one(g, v, SDO.name) for v in variables)
            if m.coding_systems:
                assert list(g.objects(ds, SDO.measurementTechnique))
            assert one(g, ds, SDO.isAccessibleForFree) == Literal(False)
            assert m.access.conditions in str(one(g, ds, SDO.conditionsOfAccess))
            cat = one(g, ds, SDO.includedInDataCatalog)
            assert (cat, RDF.type, SDO.DataCatalog) in g
            assert str(one(g, cat, SDO.url)) == f"{BASE}{PREFIX[lang]}catalogue/"
            dists = list(g.objects(ds, SDO.distribution))
            names = downloads.names(entry, with_ckan=True)
            # the downloads live beside the Bokmål page, for both languages
            files = f"{folder}/{entry.name}/"
            assert {str(one(g, d, SDO.contentUrl)) for d in dists} == {BASE + files + n for n in names}
            for d in dists:
                assert (d, RDF.type, SDO.DataDownload) in g and one(g, d, SDO.encodingFormat)
                assert (built_site / files / str(one(g, d, SDO.name))).is_file()
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(one(g, ds, SDO.dateModified)))
            assert str(one(g, ds, SDO.inLanguage)) == lang


def test_the_catalogue_page_embeds_a_data_catalog(built_site: Path):
    n = len(load_catalogue(REPO / "metadata").entries)
    for lang in ("nb", "en"):
        found = json_ld(built_site / PREFIX[lang] / "catalogue" / "index.html")
        assert len(found) == 1
        g = as_rdf(found[0])
        cat = URIRef(f"{BASE}{PREFIX[lang]}catalogue/")
        assert (cat, RDF.type, SDO.DataCatalog) in g
        assert str(one(g, cat, SDO.inLanguage)) == lang
        assert len(list(g.objects(cat, SDO.dataset))) == n


def test_robots_txt_names_the_sitemaps_of_both_languages(built_site: Path):
    text = (built_site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in text
    sitemaps = re.findall(r"^Sitemap: (\S+)$", text, re.MULTILINE)
    assert sitemaps == [f"{BASE}sitemap.xml", f"{BASE}en/sitemap.xml"]
    assert (built_site / "sitemap.xml").is_file() and (built_site / "en" / "sitemap.xml").is_file()
    assert robots.text("https://example.org/sub") == robots.text("https://example.org/sub/")


ESCAPE = "Slutt </script><script>alert(1)</script> <!-- kommentar --> & <b>"


@pytest.fixture
def hostile_site(catalogue_dir: Path, tmp_path: Path) -> Path:
    """The fixture catalogue built by MkDocs with `</script>` and `<!--` in titles and descriptions."""
    reg = catalogue_dir / "registries" / "hjerteregister" / "datapackage.yaml"
    edit(reg, "title: Testregister for hjertesykdom", f"title: 'Hjerte {ESCAPE}'")
    edit(reg, "description: Et lite register brukt i testene.",
         f"description: 'Et lite register. {ESCAPE} Mer tekst etter kommentaren.'")
    return mkdocs_site(catalogue_dir, tmp_path, BASE)


def test_metadata_cannot_close_the_script_element(hostile_site: Path):
    page = hostile_site / "registries" / "hjerteregister" / "index.html"
    html = page.read_text(encoding="utf-8")
    script = html[html.index('<script type="application/ld+json">'):]
    script = script[:script.index("</script>")]
    assert "<" not in script.removeprefix('<script type="application/ld+json">')
    assert "\\u003c/script\\u003e" in script and "\\u003c!--" in script
    found = json_ld(page)
    assert len(found) == 1  # the whole JSON reached the parser: nothing ended it early
    assert ESCAPE in found[0]["name"] and ESCAPE in found[0]["description"]
    g = as_rdf(found[0])
    assert ESCAPE in str(one(g, URIRef(BASE + "registries/hjerteregister/"), SDO.name))


def test_a_very_large_dictionary_is_capped_with_a_link_to_the_whole(tmp_path: Path):
    from catalogue.devtools.synth import synth
    from catalogue.site import schemaorg
    from catalogue.site.views import gather

    cat = load_catalogue(synth(tmp_path / "metadata", entries=1, variables=schemaorg.MAX_VARIABLES + 50))
    f = gather(cat, {})[0]
    data = schemaorg.dataset(cat, f, "en", BASE, ["datapackage.json"])
    variables = data["variableMeasured"]
    assert len(variables) == schemaorg.MAX_VARIABLES + 1
    assert variables[-1]["name"] == "50 more variables"
    assert variables[-1]["url"] == f"{BASE}registries/{f.entry.name}/datapackage.json"
    # a synthetic description is short: completed from the entry's facts to Google's minimum
    assert len(data["description"]) >= 50 and data["description"].startswith("A synthetic")
