"""CKAN's error types: each carries its HTTP status and `__type`, the names ckanapi maps back.

One handler in the app turns every one of them into CKAN's envelope, so a client sees exactly
what a CKAN site would send: `{"help": ..., "success": false, "error": {"__type": ..., ...}}`.
"""

from __future__ import annotations

from typing import Any


class ActionError(Exception):
    """An action failed in a way the client should be told about."""

    status = 500
    type = "Internal Server Error"
    prefix = ""

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}

    def error(self) -> dict[str, Any]:
        """The `error` member of the envelope."""
        return {"__type": self.type, "message": self.prefix + self.message, **self.fields}


class NotFound(ActionError):
    """404: no object with that id or name."""

    status, type, prefix = 404, "Not Found Error", "Not found: "


class ValidationError(ActionError):
    """409: a parameter is missing or malformed (field errors as in CKAN: {field: [message]})."""

    status, type = 409, "Validation Error"

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in fields.items()), fields)


class NotAuthorized(ActionError):
    """403: write actions, which this read-only feed never serves."""

    status, type, prefix = 403, "Authorization Error", "Access denied: "


class SearchQueryError(ActionError):
    """400: `q`, `fq`, `sort`, `rows`, `start` or `facet.*` of a search cannot be read."""

    status, type, prefix = 400, "Search Query Error", "Search Query is invalid: "


ERROR_TYPES: list[type[ActionError]] = [NotFound, ValidationError, NotAuthorized, SearchQueryError]
