"""schemathesis against the ASGI app in-process, over both backends: every response of every
action is documented in /api/3/openapi.json (status, content type, body schema), and none is a
500. Valid and invalid requests (schemathesis' positive and negative modes) over all operations
at once; the examples are bounded, so the whole file takes well under a minute."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from catalogue.ckan.api.actions import ACTIONS

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES = 250  # per backend and mode, spread over every operation


@pytest.fixture(scope="session")
def api_schema(feed_app):
    return schemathesis.openapi.from_asgi("/api/3/openapi.json", feed_app)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_answer_is_documented(api_schema, mode):
    @given(case=api_schema.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def run(case):
        case.call_and_validate(checks=CHECKS)

    run()


def test_the_description_is_served_and_names_every_action(api_schema):
    doc = api_schema.raw_schema
    assert doc["openapi"].startswith("3.")
    assert {f"/api/3/action/{name}" for name in ACTIONS} <= set(doc["paths"])
    search = doc["paths"]["/api/3/action/package_search"]["get"]
    assert {"q", "fq", "rows", "start", "sort", "facet.field"} <= {
        p["name"] for p in search["parameters"]}
    assert {"200", "400", "413"} <= set(search["responses"])
