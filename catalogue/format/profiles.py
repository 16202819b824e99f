"""The JSON Schema profiles in `validators/profiles/`, generated from the pydantic models.

Editors use the profiles (the `# yaml-language-server: $schema=` line) and the validator applies
them; `catalogue profiles --write` regenerates them and a test fails when they drift.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema

from catalogue.format.models import BiobankEntry, Organization, RegistryEntry, TableSchema
from catalogue.settings import validators_dir

PROFILE_MODELS = {
    "registry": RegistryEntry,
    "biobank": BiobankEntry,
    "organization": Organization,
    "table-schema": TableSchema,
}


def generate(kind: str) -> dict[str, Any]:
    """The JSON Schema of one kind of file, as the models define it."""
    schema = PROFILE_MODELS[kind].model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"https://github.com/catalogue/profiles/{kind}.schema.json",
        **schema,
    }


def render(kind: str) -> str:
    return json.dumps(generate(kind), ensure_ascii=False, indent=2) + "\n"


def profile_path(kind: str) -> Path:
    return validators_dir() / "profiles" / f"{kind}.schema.json"


def write_all() -> list[Path]:
    """Regenerate every profile file; returns the paths written."""
    written = []
    for kind in PROFILE_MODELS:
        path = profile_path(kind)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(kind), encoding="utf-8")
        written.append(path)
    return written


@cache
def load(kind: str) -> dict[str, Any]:
    """The published profile, as the validator applies it."""
    return json.loads(profile_path(kind).read_text(encoding="utf-8"))


@cache
def fast_check(kind: str) -> Callable[[Any], Any]:
    """A compiled validator: a quick yes/no before the slower one that lists every error."""
    return fastjsonschema.compile(load(kind), use_default=False)


@cache
def full_check(kind: str) -> jsonschema.protocols.Validator:
    schema = load(kind)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)
