"""Our vocabularies onto the Directory's terms: the tables in `validators/mappings/bbmri/`.

The mappings are data, so a new term of ours needs a line there, not code (a test fails
without one).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from catalogue.format import bbmri_directory as directory
from catalogue.settings import validators_dir

MAPPED_VOCABULARIES = ("material-types", "storage-temperatures", "sex", "collection-types",
                       "quality-standards", "data-categories", "age-units", "sample-sizes",
                       "diseases")


@cache
def table(name: str) -> dict[str, Any]:
    """One mapping file, e.g. `table("material-types")`."""
    path = validators_dir() / "mappings" / "bbmri" / f"{name}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def node() -> dict[str, str]:
    return table("node")


def terms(name: str, values: list[str]) -> list[str]:
    """Directory terms for our terms, in order, each once (unknown terms are the validator's)."""
    mapping = table(name)["map"]
    out: dict[str, None] = {}
    for v in values:
        mapped = mapping.get(v)
        for term in mapped if isinstance(mapped, list) else [mapped] if mapped else []:
            out[term] = None
    return list(out)


def diagnosis(code: str) -> str | None:
    """`urn:miriam:icd:<code>` when the Directory knows that ICD-10 code, else None."""
    name = table("diseases")["prefix"] + code.strip()
    return name if name in directory.terms("DiseaseTypes") else None


def magnitude(count: int | None) -> str | None:
    """The SampleSizes term of a count of samples or donors."""
    if count is None:
        return None
    bounds = table("sample-sizes")["lower_bounds"]
    return max((term for term, low in bounds.items() if count >= low), key=lambda t: bounds[t])
