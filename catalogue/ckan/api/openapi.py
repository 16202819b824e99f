"""The OpenAPI 3.1 description of the feed's CKAN Action API, built from the ACTIONS table.

Every registered action must have its parameters and result here (`describe()` fails when one
is missing), so the description cannot drift from the code; tests/test_api_schemathesis.py
checks the app against it. Served at `/api/3/openapi.json`.
"""

from __future__ import annotations

from typing import Any

from catalogue.ckan.api import limits
from catalogue.ckan.api.actions import ACTIONS, CKAN_VERSION
from catalogue.ckan.api.errors import ERROR_TYPES

INT = {"type": "integer", "minimum": 0}
BOOL = {"type": "boolean"}
STR = {"type": "string"}
LIST = {"type": "array", "items": STR}  # GET: a JSON list in one parameter, or repeated
REQUIRED = object()  # marks a parameter without which the action answers 409

PAGE = {"limit": INT, "offset": INT}
LIST_OF = {"all_fields": BOOL, "sort": STR, **PAGE, "q": STR}
SHOW = {"id": (STR, REQUIRED), "include_datasets": BOOL}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _names_or(schema: str) -> dict[str, Any]:
    return {"anyOf": [{"type": "array", "items": STR}, {"type": "array", "items": _ref(schema)}]}


# action: (parameters, result schema, error statuses besides 400)
SPEC: dict[str, tuple[dict[str, Any], dict[str, Any], tuple[int, ...]]] = {
    "package_list": (PAGE, {"type": "array", "items": STR}, (409,)),
    "package_show": ({"id": (STR, REQUIRED)}, _ref("Package"), (404, 409)),
    "package_search": ({
        "q": STR, "fq": STR, "fq_list": LIST, "rows": INT, "start": INT, "sort": STR,
        "facet": BOOL, "facet.field": LIST, "facet.limit": {"type": "integer", "minimum": -1},
        "facet.mincount": INT,
    }, _ref("SearchResult"), (409,)),
    "current_package_list_with_resources": (PAGE, {"type": "array", "items": _ref("Package")},
                                            (409,)),
    "resource_show": ({"id": (STR, REQUIRED)}, _ref("Resource"), (404, 409)),
    "organization_list": ({**LIST_OF, "organizations": LIST}, _names_or("Organization"), (409,)),
    "organization_show": (SHOW, _ref("Organization"), (404, 409)),
    "group_list": ({**LIST_OF, "groups": LIST}, _names_or("Organization"), (409,)),
    "group_show": (SHOW, _ref("Organization"), (404, 409)),
    "tag_list": ({"query": STR, "all_fields": BOOL}, _names_or("Tag"), (409,)),
    "license_list": ({}, {"type": "array", "items": _ref("License")}, (409,)),
    "status_show": ({}, _ref("Status"), (409,)),
    "help_show": ({"name": (STR, REQUIRED)}, STR, (404, 409)),
}

SCHEMAS: dict[str, Any] = {
    "Package": {"type": "object", "required": [
        "id", "name", "title", "notes", "type", "state", "private", "owner_org", "organization",
        "metadata_created", "metadata_modified", "resources", "num_resources", "tags",
        "num_tags", "extras", "groups", "license_id"], "properties": {
        "id": STR, "name": {"type": "string", "pattern": "^[a-z0-9_-]{2,100}$"},
        "title": STR, "type": {"const": "dataset"}, "state": {"const": "active"},
        "private": {"const": False}, "owner_org": STR, "organization": _ref("Organization"),
        "metadata_created": STR, "metadata_modified": {
            "type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$"},
        "resources": {"type": "array", "items": _ref("Resource")},
        "num_resources": INT, "num_tags": INT,
        "tags": {"type": "array", "items": {"type": "object", "required": ["name"],
                                            "properties": {"name": STR, "display_name": STR}}},
        "extras": {"type": "array", "items": {"type": "object", "required": ["key", "value"],
                                              "properties": {"key": STR, "value": STR}}},
        "groups": {"type": "array", "items": {"type": "object", "required": ["name"]}},
    }},
    "Resource": {"type": "object", "required": ["id", "package_id", "url", "format", "position"],
                 "properties": {"id": STR, "package_id": STR, "url": STR, "format": STR,
                                "position": INT}},
    "Organization": {"type": "object", "required": ["id", "name", "title"], "properties": {
        "id": STR, "name": STR, "title": STR, "package_count": INT,
        "packages": {"type": "array", "items": _ref("Package")}}},
    "Tag": {"type": "object", "required": ["id", "name", "display_name"]},
    "License": {"type": "object", "required": ["id", "title", "url"]},
    "Status": {"type": "object", "required": ["site_title", "site_url", "ckan_version",
                                              "locale_default", "extensions"]},
    "SearchResult": {"type": "object", "required": ["count", "results", "facets",
                                                    "search_facets", "sort"], "properties": {
        "count": INT, "results": {"type": "array", "items": _ref("Package")},
        "facets": {"type": "object", "additionalProperties": {
            "type": "object", "additionalProperties": INT}},
        "search_facets": {"type": "object", "additionalProperties": {
            "type": "object", "required": ["title", "items"], "properties": {
                "title": STR, "items": {"type": "array", "items": {
                    "type": "object", "required": ["name", "display_name", "count"],
                    "properties": {"name": STR, "display_name": STR, "count": INT}}}}}},
        "sort": STR}},
    "Error": {"type": "object", "required": ["help", "success", "error"], "properties": {
        "help": STR, "success": {"const": False}, "error": {
            "type": "object", "required": ["__type", "message"], "properties": {
                "__type": {"enum": [e.type for e in ERROR_TYPES]}, "message": STR}}}},
    "BadRequest": {"type": "string", "pattern": "^Bad request - ",
                   "description": "CKAN's answer to a request it cannot read: a JSON string"},
}

_WHY = {
    400: "the request cannot be read (a JSON string), or a Search Query Error",
    403: "Authorization Error: the feed is read-only",
    404: "Not Found Error",
    405: "a method other than GET, HEAD or POST (a JSON string)",
    408: f"the body was not sent within {limits.BODY_TIMEOUT:g} s (a JSON string)",
    409: "Validation Error: a required parameter is missing or one is malformed",
    413: f"a body larger than {limits.MAX_BODY_BYTES} bytes (a JSON string)",
    414: f"a query string longer than {limits.MAX_QUERY_STRING_BYTES} bytes (a JSON string)",
    415: "a multipart body (a JSON string)",
}
PLAIN = (405, 408, 413, 414, 415)  # statuses answered with a JSON string, not the envelope


def _envelope(result: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": ["help", "success", "result"], "properties": {
        "help": STR, "success": {"const": True}, "result": result}}


def _responses(result: dict[str, Any] | None, errors: tuple[int, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if result is not None:
        out["200"] = {"description": "success: CKAN's envelope",
                      "content": {"application/json": {"schema": _envelope(result)}}}
    for status in sorted({400, *errors, *PLAIN}):
        schema = (_ref("BadRequest") if status in PLAIN else
                  {"anyOf": [_ref("BadRequest"), _ref("Error")]} if status == 400 else
                  _ref("Error"))
        out[str(status)] = {"description": _WHY[status],
                            "content": {"application/json": {"schema": schema}}}
    return out


def _operation(name: str, method: str) -> dict[str, Any]:
    params, result, errors = SPEC[name]
    doc = " ".join((ACTIONS[name].__doc__ or "").split())
    op: dict[str, Any] = {"operationId": f"{name}_{method}", "summary": doc.split(". ")[0],
                          "description": doc, "tags": ["actions"],
                          "responses": _responses(result, errors)}
    if method == "get":
        op["parameters"] = [
            {"name": key, "in": "query", "required": isinstance(spec, tuple),
             "schema": spec[0] if isinstance(spec, tuple) else spec,
             **({"style": "form", "explode": True} if (spec == LIST) else {})}
            for key, spec in params.items()]
    else:
        required = [key for key, spec in params.items() if isinstance(spec, tuple)]
        body: dict[str, Any] = {"type": "object", "properties": {
            key: spec[0] if isinstance(spec, tuple) else spec for key, spec in params.items()}}
        if required:
            body["required"] = required
        op["requestBody"] = {"required": False,
                             "content": {"application/json": {"schema": body}}}
    return op


def describe() -> dict[str, Any]:
    """The OpenAPI document (every action of ACTIONS must be in SPEC)."""
    missing = sorted(set(ACTIONS) - set(SPEC))
    if missing:
        raise KeyError(f"actions without an OpenAPI description: {', '.join(missing)}")
    paths: dict[str, Any] = {
        f"/api/3/action/{name}": {"get": _operation(name, "get"),
                                  "post": _operation(name, "post")} for name in sorted(ACTIONS)}
    write = {"name": "action", "in": "path", "required": True, "schema": {
        "type": "string", "pattern": "^[a-z]{1,20}_(create|update|patch|delete|purge)$"}}
    paths["/api/3/action/{action}"] = {m: {
        "operationId": f"write_action_{m}", "summary": "Write actions are refused",
        "tags": ["write"], "parameters": [write], "responses": _responses(None, (403,))}
        for m in ("get", "post")}
    paths["/api/3"] = {"get": {"operationId": "api_version", "summary": "The API version",
                               "responses": {"200": {"description": "version 3", "content": {
                                   "application/json": {"schema": {
                                       "type": "object", "required": ["version"],
                                       "properties": {"version": {"const": 3}}}}}}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Catalogue CKAN Action API (read-only)", "version": CKAN_VERSION,
                 "description": "The read actions of CKAN's Action API, version 3; see "
                                "docs/ckan-api.md. Every action answers at /api/action/<name> "
                                "too."},
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }
