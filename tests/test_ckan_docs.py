"""docs/ckan-api.md documents every action, error type, search field, sort and extra."""

from __future__ import annotations

import pytest

from catalogue.ckan.api import search
from catalogue.ckan.api.actions import ACTIONS
from catalogue.ckan.api.errors import ERROR_TYPES
from catalogue.ckan.api.query import SORT_FIELDS
from tests.conftest import REPO
from tests.feed_fixtures import api

DOC = (REPO / "docs/ckan-api.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_every_action_is_documented(name):
    assert f"| `{name}` |" in DOC


@pytest.mark.parametrize("error", ERROR_TYPES, ids=lambda e: e.type)
def test_every_error_type_is_documented_with_its_status(error):
    assert f"| `{error.type}` | {error.status} |" in DOC


@pytest.mark.parametrize("field", sorted(search._all_fields() | SORT_FIELDS))
def test_every_search_and_sort_field_is_documented(field):
    assert f"`{field}`" in DOC


def test_every_extra_is_documented(feed_app):
    for name in ("hjerteregister", "hjertebiobank", "synth-registry-00000"):
        pkg = api(feed_app, "package_show", id=name).json()["result"]
        for extra in pkg["extras"]:
            assert f"`{extra['key']}`" in DOC, extra["key"]


def test_the_deployment_guide_names_the_settings_the_app_reads():
    guide = (REPO / "docs/deploying.md").read_text(encoding="utf-8")
    for setting in ("CATALOGUE_DB_URL", "CATALOGUE_OUT", "CATALOGUE_CACHE_MB", "CATALOGUE_MODELS_MB",
                    "catalogue.ckan.app:create_app", "--workers"):
        assert setting in guide
