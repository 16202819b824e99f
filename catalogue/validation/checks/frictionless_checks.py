"""Frictionless's own checks of an entry's descriptors (never its data): the Data Package, each
resource and each Table Schema, as `frictionless` validates them, as `Issue`s.

frictionless checks a Table Schema's fields one by one, and makes a new JSON Schema validator for
each: at 100 variables per entry that was most of frictionless's part of a validation (10,000
entries: about 15 s on two cores). Here the schema is checked without its fields
(`_SchemaAlone`), then each field through frictionless's own `Field` checks, once per distinct
field: two fields that differ only in texts frictionless never reads but as "a string" (their
titles and descriptions, and their names unless an example is given, which its message names)
get the same findings (`_field_key`). A finding is placed at its field (`fields/N/...`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from typing import Any

import attrs
from frictionless import Field, FrictionlessException, Package, Resource, Schema
from frictionless.metadata import ValidationContext

from catalogue.validation.findings import Issue

_AT_PROPERTY = " at property '"
_NOTE_PROPERTY = {"primary key": "primaryKey", "foreign key": "foreignKeys"}  # notes without one
FIELD_CACHE_SIZE = 50_000  # distinct fields remembered per process (a few hundred bytes each)


class _SchemaAlone(Schema):
    """A Table Schema checked as frictionless checks it (its profile, unique field names, keys,
    missing values), except that its fields are not checked one by one: `_field_issues` does."""

    @classmethod
    def metadata_select_property_class(cls, name: str) -> None:
        return None


def _where(prefix: str, note: str) -> str:
    if _AT_PROPERTY in note:
        prop = note.split(_AT_PROPERTY, 1)[1].split("'", 1)[0]
    else:
        prop = next((p for k, p in _NOTE_PROPERTY.items() if k in note), "")
    return prefix + ("/" + prop if prop else "")


def _notes(validate: Callable[[], Iterable[Any]]) -> list[tuple[str, str]]:
    """(title, note) of each of frictionless's errors; never raises."""
    try:
        errors = list(validate())
    except FrictionlessException as exc:
        errors = [exc.error]
    except Exception as exc:  # noqa: BLE001 - frictionless must never take the validator down
        return [("", f"Frictionless could not read it: {exc}")]
    return [(err.title, str(getattr(err, "note", "") or err.message)) for err in errors]


def _issues(prefix: str, notes: list[tuple[str, str]]) -> list[Issue]:
    return [Issue("frictionless-invalid", _where(prefix, note) if title else prefix,
                  f"{title}: {note}" if title else note) for title, note in notes]


def _check(prefix: str, validate: Any, descriptor: dict[str, Any]) -> list[Issue]:
    return _issues(prefix, _notes(lambda: validate(descriptor)))


_FIELD_NOTES: dict[str, list[tuple[str, str]]] = {}
_PLAIN_TEXT = {"type": "string"}


@functools.cache
def _plain_texts(cls: type[Field]) -> frozenset[str]:
    """The texts of a field that `cls`'s profile only requires to be strings."""
    properties = cls.metadata_ensure_profile().get("properties", {})
    return frozenset(k for k in ("title", "description", "name") if properties.get(k) == _PLAIN_TEXT)


def _field_key(cls: type[Field], field: dict[str, Any], version: str | None) -> str:
    """What frictionless's findings on `field` depend on: the field with each text that its
    profile only requires to be a string blanked (`name` only without an example, whose message
    names the field)."""
    blank = _plain_texts(cls) - {"name"} if "example" in field else _plain_texts(cls)
    same = {k: "" if k in blank and isinstance(v, str) else v for k, v in field.items()}
    return f"{cls.__name__} {version} " + json.dumps(same, sort_keys=True, default=repr)


def _field_issues(prefix: str, field: dict[str, Any], context: ValidationContext) -> list[Issue]:
    try:
        cls = Field.metadata_select_class(field.get("type"))
    except FrictionlessException as exc:
        return _issues(prefix, [(exc.error.title, str(exc.error.note))])
    key = _field_key(cls, field, context.datapackage_version)
    notes = _FIELD_NOTES.get(key)
    if notes is None:
        if len(_FIELD_NOTES) >= FIELD_CACHE_SIZE:
            _FIELD_NOTES.clear()
        notes = _FIELD_NOTES[key] = _notes(lambda: cls.metadata_validate(field, context=context))
    return _issues(prefix, notes)


def schema_issues(prefix: str, schema: dict[str, Any]) -> list[Issue]:
    """frictionless's findings on one Table Schema: the schema's, then each field's."""
    fields = schema.get("fields")
    if not isinstance(fields, list):
        return _check(prefix, Schema.metadata_validate, schema)
    issues = _check(prefix, _SchemaAlone.metadata_validate, schema)
    context = ValidationContext()
    version = Schema.effective_datapackage_version(schema, context.datapackage_version)
    child = attrs.evolve(context, datapackage_version=version)
    for j, field in enumerate(fields):
        if isinstance(field, dict):
            issues += _field_issues(f"{prefix}/fields/{j}", field, child)
    return issues


def frictionless_issues(data: dict[str, Any]) -> list[Issue]:
    """Descriptor checks only (never data): the package, each resource, each Table Schema."""
    resources = data.get("resources")
    stub = {"name": "stub", "path": "https://example.org/stub"}
    issues = _check("", Package.metadata_validate, {**data, "resources": [stub]})
    for i, res in enumerate(resources if isinstance(resources, list) else []):
        if not isinstance(res, dict):
            continue
        schema = res.get("schema")
        plain = {k: v for k, v in res.items() if k not in ("schema", "data")}
        issues += _check(f"/resources/{i}", Resource.metadata_validate, plain)
        if isinstance(schema, dict):
            issues += schema_issues(f"/resources/{i}/schema", schema)
    return issues
