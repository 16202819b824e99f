"""The CKAN Action API in-process (httpx.ASGITransport), on SQLite and PostgreSQL.

The feed catalogue has 25 entries: the fixture registry and biobank plus 23 synthetic ones
(`synth-registry-NNNNN`, every fifth a `synth-biobank-NNNNN`); 20 were loaded at EARLY, the 5
LATE_ENTRIES at LATE.
"""

from __future__ import annotations

import re
import uuid

import pytest

from tests.feed_fixtures import EARLY, LATE, LATE_ENTRIES, api, fetch


def result(app, action, **params):
    r = api(app, action, **params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["success"] is True
    return body["result"]


def search(app, **params):
    return result(app, "package_search", **params)


def names(res):
    return [p["name"] for p in res["results"]]


def test_the_envelope_is_ckans(feed_app):
    r = api(feed_app, "package_list", limit=2)
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {
        "help": "http://feed.test/api/3/action/help_show?name=package_list",
        "success": True,
        "result": ["hjertebiobank", "hjerteregister"],
    }


@pytest.mark.parametrize("version", ["/api", "/api/3"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_every_route_and_method_answers_alike(feed_app, version, method):
    r = api(feed_app, "package_search", method=method, version=version, q="hjerte", rows=1,
            **{"facet.field": '["tags"]'})
    assert r.status_code == 200
    assert r.json()["result"]["count"] == 4
    assert r.json()["result"]["facets"]["tags"]["hjerte"] == 4


def test_package_list_pages_sorted_names(feed_app):
    everything = result(feed_app, "package_list")
    assert len(everything) == 25 and everything == sorted(everything)
    assert result(feed_app, "package_list", limit=5, offset=5) == everything[5:10]


def test_package_show_by_id_or_name_is_package_create_ready(feed_app):
    by_name = result(feed_app, "package_show", id="hjerteregister")
    assert result(feed_app, "package_show", id=by_name["id"]) == by_name
    assert uuid.UUID(by_name["id"]) and re.fullmatch(r"[a-z0-9_-]{2,100}", by_name["name"])
    assert by_name["type"] == "dataset" and by_name["state"] == "active"
    assert by_name["private"] is False and by_name["owner_org"] == by_name["organization"]["id"]
    assert by_name["organization"]["name"] == "st-olavs-hospital"
    assert [t["name"] for t in by_name["tags"]] == ["hjerte", "test"] and by_name["num_tags"] == 2
    assert all(re.fullmatch(r"[\w \-.]{2,100}", t["name"]) for t in by_name["tags"])
    assert all(isinstance(x["value"], str) for x in by_name["extras"])
    assert by_name["metadata_modified"] == LATE and by_name["metadata_created"] == LATE
    resources = by_name["resources"]
    assert by_name["num_resources"] == len(resources) == 3
    assert [(r["resource_type"], r["format"], r["position"]) for r in resources] == [
        ("page", "HTML", 0), ("data-dictionary", "JSON", 1), ("access-guidelines", "HTML", 2)]
    assert resources[0]["url"] == "http://feed.test/registries/hjerteregister/"
    assert resources[1]["url"] == "http://feed.test/registries/hjerteregister/opphold.schema.json"
    assert all(r["package_id"] == by_name["id"] and uuid.UUID(r["id"]) for r in resources)


def test_package_dicts_carry_healthdcat_extras(feed_app):
    extras = {x["key"]: x["value"] for x in result(feed_app, "package_show", id="hjerteregister")["extras"]}
    assert extras["health_category"] == ('["https://hdeu-dcat.data.health.europa.eu/resource/'
                                         'authority/healthcategories/MEDICAL_REGISTRIES"]')
    assert extras["access_rights"] == (
        "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC")
    assert extras["min_typical_age"] == "18" and extras["max_typical_age"] == "110"
    assert extras["number_of_unique_individuals"] == "5000"
    assert extras["coding_system"] == '["ICD-10"]'
    assert extras["legal_basis"] == '["kvalitetsregisterforskriften"]'
    assert extras["population_coverage"] == '["Adults treated for heart disease."]'
    assert extras["catalogue_type"] == "registry" and extras["registry_stage"] == "3"


def test_search_defaults(feed_app):
    res = search(feed_app)
    assert res["count"] == 25 and len(res["results"]) == 10
    assert res["sort"] == "score desc, metadata_modified desc"
    assert res["facets"] == {} and res["search_facets"] == {}
    assert set(names(res)[:5]) == LATE_ENTRIES  # newest first when there is no score


@pytest.mark.parametrize(("q", "expected"), [
    ("Testregister", {"hjerteregister"}),                  # a word of the title
    ("hjertesykdom", {"hjerteregister", "hjertebiobank"}),
    ("Systolisk blodtrykk", {"hjerteregister"}),           # variable titles
    ('"heart registry"', {"hjerteregister"}),              # a phrase, in the translation
    ("hjertesyk*", {"hjerteregister", "hjertebiobank"}),   # a prefix
    ("variables:kjønn", {"hjerteregister"}),               # only the variables
    ("title:testbiobank", {"hjertebiobank"}),              # only the title
    ("Testregister OR testbiobank", {"hjerteregister", "hjertebiobank"}),
    ("hjerte -syntetisk", {"hjerteregister"}),
    ("hjerte NOT tags:syntetisk", {"hjerteregister"}),
    ("name:hjerteregister", {"hjerteregister"}),
])
def test_full_text_and_fields_in_q(feed_app, q, expected):
    assert set(names(search(feed_app, q=q, rows=100))) == expected


@pytest.mark.parametrize(("fq", "count"), [
    ("organization:st-olavs-hospital", 1),
    ("organization:st-olavs-hospital OR organization:ntnu", 2),
    ("-organization:st-olavs-hospital", 24),
    ("organization:(st-olavs-hospital OR ntnu)", 2),
    ("groups:biobanks", 1),
    ("tags:syntetisk", 23),
    ("tags:syntetisk AND catalogue_type:biobank", 4),
    ("res_format:JSON", 25),
    ("metadata_modified:[2025-02-01T00:00:00Z TO *]", 5),
    ("metadata_modified:[2025-03-01T10:00:00.5Z TO *]", 5),        # inclusive, fractional
    ("metadata_modified:{2025-03-01T10:00:00.500000Z TO *]", 0),   # exclusive
    ("metadata_modified:[2025-03-01T10:00:00Z TO *]", 5),          # no fractional seconds
    ("metadata_modified:[* TO 2025-01-01T09:00:00Z]", 20),
    ("metadata_modified:[2024-01-01 TO 2025-01-02]", 20),
    ("metadata_modified:[2025-01-01T09:00:00Z TO *] AND -groups:biobanks", 24),
    ("*:*", 25),
])
def test_filters(feed_app, fq, count):
    assert search(feed_app, fq=fq, rows=0)["count"] == count


def test_fq_list_is_anded(feed_app):
    res = search(feed_app, method="POST", fq_list=["tags:syntetisk", "catalogue_type:biobank"])
    assert res["count"] == 4


@pytest.mark.parametrize("sort", ["id asc", "name asc", "metadata_modified desc",
                                  "title_string asc", "name desc, id asc"])
def test_sorts(feed_app, feed_catalogue, sort):
    got = search(feed_app, sort=sort, rows=1000)["results"]
    field, direction = sort.split(",")[0].split()
    key = {"title_string": lambda p: p["title"].casefold()}.get(field, lambda p: p[field])
    assert [key(p) for p in got] == sorted((key(p) for p in got), reverse=direction == "desc")
    assert len(got) == 25


def test_score_puts_the_best_hit_first(feed_app):
    assert names(search(feed_app, q="hjertesykdom heart"))[0] == "hjerteregister"


def test_rows_are_capped_not_rejected_and_start_pages(feed_app):
    assert len(search(feed_app, rows=5000)["results"]) == 25
    page = search(feed_app, sort="name asc", rows=10, start=20)
    assert len(page["results"]) == 5 and search(feed_app, start=25)["results"] == []


def test_facets(feed_app):
    res = search(feed_app, fq="catalogue_type:biobank", rows=0,
                 **{"facet.field": '["organization", "groups", "access_rights"]',
                    "facet.limit": 2})
    assert res["facets"]["access_rights"] == {"non-public": 4, "restricted": 1}
    assert len(res["facets"]["organization"]) == 2
    assert res["search_facets"]["access_rights"] == {
        "title": "access_rights",
        "items": [{"name": "non-public", "display_name": "Non-public", "count": 4},
                  {"name": "restricted", "display_name": "Restricted", "count": 1}]}
    groups = res["search_facets"]["groups"]["items"]
    assert {"name": "heal", "display_name": "Health", "count": 5} in groups
    org = result(feed_app, "organization_show", id=res["search_facets"]["organization"]["items"][0]["name"])
    assert res["search_facets"]["organization"]["items"][0]["display_name"] == org["title"]
    few = search(feed_app, rows=0, **{"facet.field": '["tags"]', "facet.mincount": 5})
    assert all(n >= 5 for n in few["facets"]["tags"].values()) and "syntetisk" in few["facets"]["tags"]
    off = search(feed_app, rows=0, facet="false", **{"facet.field": '["tags"]'})
    assert off["facets"] == {}


def test_current_package_list_with_resources(feed_app):
    first = result(feed_app, "current_package_list_with_resources", limit=5)
    assert {p["name"] for p in first} == LATE_ENTRIES and all(p["resources"] for p in first)
    rest = result(feed_app, "current_package_list_with_resources", limit=100, offset=5)
    assert len(rest) == 20 and {p["metadata_modified"] for p in rest} == {EARLY}


def test_organizations(feed_app):
    assert result(feed_app, "organization_list", sort="name asc")[:2] == ["ntnu", "st-olavs-hospital"]
    full = result(feed_app, "organization_list", all_fields="true", organizations='["ntnu"]')
    assert [(o["name"], o["package_count"], o["is_organization"]) for o in full] == [("ntnu", 1, True)]
    org = result(feed_app, "organization_show", id="st-olavs-hospital", include_datasets="true")
    assert org["title"] == "St. Olavs hospital HF" and org["package_count"] == 1
    assert [p["name"] for p in org["packages"]] == ["hjerteregister"]
    assert result(feed_app, "organization_show", id=org["id"])["name"] == "st-olavs-hospital"


def test_groups_are_themes_and_health_categories(feed_app):
    groups = result(feed_app, "group_list", sort="name asc")
    assert {"heal", "biobanks", "medical-registries"} <= set(groups)
    heal = result(feed_app, "group_show", id="heal")
    assert heal["title"] == "Health" and heal["package_count"] == 25 and not heal["is_organization"]
    assert {"key": "term", "value": "HEAL"} in heal["extras"]
    listed = result(feed_app, "group_list", all_fields=True, groups=["biobanks"])
    assert [(g["name"], g["package_count"]) for g in listed] == [("biobanks", 1)]


def test_tags_licenses_status_help_and_resources(feed_app):
    assert {"hjerte", "syntetisk", "test"} <= set(result(feed_app, "tag_list"))
    assert result(feed_app, "tag_list", query="synt") == ["syntetisk"]
    assert result(feed_app, "tag_list", query="test", all_fields=True)[0]["name"] == "test"
    # CKAN's default register, in CKAN's order (the feed's entries name no licence)
    assert [lic["id"] for lic in result(feed_app, "license_list")] == [
        "notspecified", "odc-pddl", "odc-odbl", "odc-by", "cc-zero", "cc-by", "cc-by-sa", "gfdl",
        "other-open", "other-pd", "other-at", "uk-ogl", "cc-nc", "other-nc", "other-closed"]
    status = result(feed_app, "status_show")
    assert status["site_url"] == "http://feed.test" and status["ckan_version"].startswith("2.")
    assert {"site_title", "site_description", "locale_default", "extensions"} <= set(status)
    assert "q, fq" in result(feed_app, "help_show", name="package_search")
    pkg = result(feed_app, "package_show", id="hjerteregister")
    assert result(feed_app, "resource_show", id=pkg["resources"][1]["id"]) == pkg["resources"][1]


ERRORS = [
    # (action, params, status, __type)
    ("package_show", {"id": "no-such-entry"}, 404, "Not Found Error"),
    ("organization_show", {"id": "no-such-org"}, 404, "Not Found Error"),
    ("group_show", {"id": "no-such-group"}, 404, "Not Found Error"),
    ("resource_show", {"id": "no-such-resource"}, 404, "Not Found Error"),
    ("help_show", {"name": "no_such_action"}, 404, "Not Found Error"),
    ("package_show", {}, 409, "Validation Error"),
    ("package_list", {"limit": "ten"}, 409, "Validation Error"),
    ("organization_list", {"sort": "colour asc"}, 409, "Validation Error"),
    ("package_create", {"name": "x"}, 403, "Authorization Error"),
    ("organization_delete", {"id": "ntnu"}, 403, "Authorization Error"),
    ("package_search", {"fq": "organization:(ntnu"}, 400, "Search Query Error"),
    ("package_search", {"fq": "colour:blue"}, 400, "Search Query Error"),
    ("package_search", {"q": '"unclosed'}, 400, "Search Query Error"),
    ("package_search", {"fq": "metadata_modified:[yesterday TO *]"}, 400, "Search Query Error"),
    ("package_search", {"fq": "name:[a TO b]"}, 400, "Search Query Error"),
    ("package_search", {"sort": "name sideways"}, 400, "Search Query Error"),
    ("package_search", {"sort": "colour asc"}, 400, "Search Query Error"),
    ("package_search", {"rows": "ten"}, 400, "Search Query Error"),
    ("package_search", {"rows": "-1"}, 400, "Search Query Error"),
    ("package_search", {"start": "x"}, 400, "Search Query Error"),
    ("package_search", {"facet.field": "[not json"}, 400, "Search Query Error"),
    ("package_search", {"facet.field": '["colour"]'}, 400, "Search Query Error"),
    ("package_search", {"facet.limit": "many"}, 400, "Search Query Error"),
]


@pytest.mark.parametrize(("action", "params", "status", "type_"), ERRORS)
def test_every_error_path_answers_with_ckans_envelope(feed_app, action, params, status, type_):
    r = api(feed_app, action, **params)
    assert r.status_code == status, r.text
    body = r.json()
    assert body["success"] is False
    assert body["help"] == f"http://feed.test/api/3/action/help_show?name={action}"
    assert body["error"]["__type"] == type_ and body["error"]["message"]


def test_unknown_actions_and_unreadable_bodies_are_bad_requests(feed_app):
    r = api(feed_app, "package_fly")
    assert (r.status_code, r.json()) == (400, "Bad request - Action name not known: package_fly")
    r = fetch(feed_app, "/api/3/action/package_list", "POST")
    assert r.status_code == 200  # an empty body is no parameters
    import asyncio

    import httpx

    async def post(body: bytes) -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=feed_app),
                                     base_url="http://feed.test") as client:
            return await client.post("/api/action/package_list", content=body,
                                     headers={"content-type": "application/json"})
    for body in (b"{not json", b"[1, 2]"):
        r = asyncio.run(post(body))
        assert r.status_code == 400 and r.json().startswith("Bad request - JSON Error")


def test_cors_allows_get_from_anywhere(feed_app):
    r = fetch(feed_app, "/api/3/action/package_list", Origin="https://portal.example.eu")
    assert r.headers["access-control-allow-origin"] == "*"
    pre = fetch(feed_app, "/api/3/action/package_list", "OPTIONS",
                Origin="https://portal.example.eu", **{"Access-Control-Request-Method": "GET"})
    assert pre.status_code == 200 and "GET" in pre.headers["access-control-allow-methods"]


@pytest.mark.parametrize(("path", "ctype"), [
    ("/", "text/html"), ("/registries/hjerteregister/", "text/html"),
    ("/catalog.ttl", "text/turtle"), ("/catalog.jsonld", "application/ld+json"),
    ("/catalog.rdf", "application/rdf+xml"),
])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_static_files_with_their_content_types(feed_app, path, ctype, method):
    r = fetch(feed_app, path, method)
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == ctype
    assert (r.content == b"") == (method == "HEAD")
    assert fetch(feed_app, "/no/such/file.ttl").status_code == 404


def test_the_result_cache_is_bounded_and_forgets_old_generations():
    from catalogue.ckan.api.cache import ResultCache, key

    cache = ResultCache(max_bytes=10)
    k1, k2 = key("package_list", {}, "http://a/"), key("package_list", {"limit": 1}, "http://a/")
    assert cache.get(k1, "build-1") is None
    cache.put(k1, b"123456", "build-1")
    cache.put(k2, b"abcdef", "build-1")  # 12 bytes > 10: the least recently used goes
    assert cache.get(k1, "build-1") is None and cache.get(k2, "build-1") == b"abcdef"
    assert cache.get(k2, "build-2") is None  # a new build empties it
    cache.put(k2, b"abcdef", "build-1")  # a result computed for an old build is not kept
    assert cache.get(k2, "build-2") is None


def test_unfiltered_facets_come_from_load_time_counts_and_agree_with_a_filtered_search(feed_app):
    facets = '["organization", "groups", "tags", "res_format", "license_id", "health_region"]'
    unfiltered = search(feed_app, rows=0, **{"facet.field": facets, "facet.limit": -1})
    counted = search(feed_app, rows=0, fq="type:dataset", **{"facet.field": facets,
                                                              "facet.limit": -1})
    assert unfiltered["search_facets"] == counted["search_facets"]
    assert sum(unfiltered["facets"]["res_format"].values()) == 25 * 2
