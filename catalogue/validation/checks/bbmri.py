"""What a BBMRI-ERIC Directory export needs from a biobank entry, as validator warnings.

Warnings, not errors: not every deployment exports to the Directory. Each names the Directory
column that would stay empty (the staging model marks it required) or the value left out.
"""

from __future__ import annotations

from typing import Any

from catalogue.format import bbmri_mapping as mapping
from catalogue.validation.findings import Issue
from catalogue.validation.rules import ENTRIES, check


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _needs(at: str, what: str, column: str) -> Issue:
    return Issue("bbmri-missing", at, f"{what}: the Directory's {column} is required.")


def entry_issues(data: dict[str, Any]) -> list[Issue]:
    """Per-file warnings for a biobank descriptor (the e-mail is checked across files)."""
    b = data.get("biobank")
    if not isinstance(b, dict):
        return []
    issues = []
    if not _list(b.get("collection_types")):
        issues.append(_needs("/biobank/collection_types", "`biobank.collection_types` is empty",
                             "Collections.type"))
    if b.get("number_of_samples") is None:
        issues.append(_needs("/biobank/number_of_samples", "`biobank.number_of_samples` is missing",
                             "Collections.order_of_magnitude"))
    country = b.get("country", "NO")
    from catalogue.format.bbmri_directory import terms

    if isinstance(country, str) and country not in terms("Countries"):
        issues.append(Issue("bbmri-missing", "/biobank/country", f"{country!r} is not a country "
                            "of the Directory: Biobanks.country is required.", False))
    diseases = [("/diseases", d) for d in _list(data.get("diseases"))]
    diseases += [("/biobank/diseases", d) for d in _list(b.get("diseases"))]
    names: set[str] = {data.get("name")} if isinstance(data.get("name"), str) else set()
    for i, sub in enumerate(_list(b.get("collections"))):
        if not isinstance(sub, dict):
            continue
        at = f"/biobank/collections/{i}"
        name = sub.get("name")
        if isinstance(name, str):
            if name in names:
                issues.append(Issue("duplicate-name", f"{at}/name", f"The sub-collection name "
                                    f"{name!r} is used twice (or is the entry's own name).", False))
            names.add(name)
        low, high = sub.get("age_min"), sub.get("age_max")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            issues.append(Issue("invalid-range", f"{at}/age_min",
                                f"`age_min` {low} is above `age_max` {high}.", False))
        if sub.get("number_of_samples") is None:
            issues.append(_needs(at, "The sub-collection has no `number_of_samples`",
                                 "Collections.order_of_magnitude"))
        diseases += [(f"{at}/diseases/{j}", d) for j, d in enumerate(_list(sub.get("diseases")))]
    for at, code in diseases:
        if isinstance(code, str) and mapping.diagnosis(code) is None:
            msg = (f"{code!r} is not an ICD-10 code the Directory knows "
                   f"(urn:miriam:icd:{code}); the export leaves it out.")
            issues.append(Issue("bbmri-unknown-diagnosis", at, msg, False))
    return issues


def has_email(data: dict[str, Any]) -> bool:
    """Whether the entry itself gives an address for the Directory's Persons.email."""
    contributors = [c for c in _list(data.get("contributors")) if isinstance(c, dict)]
    access = data.get("access") if isinstance(data.get("access"), dict) else {}
    contact = access.get("contact") if isinstance(access.get("contact"), dict) else {}
    return bool(contact.get("email") or any(c.get("email") for c in contributors))


CHECKS = (
    check("bbmri", ENTRIES, "bbmri-missing", "bbmri-unknown-diagnosis", "duplicate-name",
          "invalid-range", doc="what the BBMRI-ERIC Directory export needs of a biobank"),
)
