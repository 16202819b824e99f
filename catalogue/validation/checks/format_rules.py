"""The checks of one file: profile, model, safety and the rules of the format (frictionless's
own checks are in `frictionless_checks`).

Each check takes parsed data and returns `Issue`s (code, JSON pointer, message); the validator
places them at their file, line and column. Cross-entry rules live in `crossref.py`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import jsonschema
from pydantic import ValidationError

from catalogue.format import concepts, profiles, vocabularies
from catalogue.format.models import ENTRY_MODELS, Organization, TableSchema
from catalogue.privacy import confusables as lookalike
from catalogue.privacy import national_ids as identity
from catalogue.validation import yaml_reader as yamlfile
from catalogue.validation.findings import Issue
from catalogue.validation.rules import ENTRIES, FILES, check

PATTERN_CODES = {
    "https?://": "invalid-url",
    "mailto": "invalid-url",
    "[^@\\s]+@": "invalid-email",
    "\\d{4}-\\d{2}-\\d{2}": "invalid-date",
    "[0-9a-f]{8}-": "invalid-uuid",
    "[a-z0-9][a-z0-9-]": "invalid-name",
}
DATA_SUFFIXES = {
    ".csv", ".tsv", ".xlsx", ".xls", ".ods", ".sav", ".dta", ".sas7bdat", ".parquet", ".feather",
    ".rds", ".rdata", ".sqlite", ".db", ".json", ".jsonl", ".ndjson", ".txt", ".zip", ".gz",
}


def _list(value: Any) -> list[Any]:
    """A list field as a list: a wrong type is the profile's finding, not a crash here."""
    return value if isinstance(value, list) else []


def pointer(parts: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _pattern_code(pattern: str) -> str:
    return next((code for key, code in PATTERN_CODES.items() if key in pattern), "invalid-value")


def _best(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For `anyOf` (optional fields), the sub-error that is not about `null`."""
    while error.validator in ("anyOf", "oneOf") and error.context:
        useful = [e for e in error.context if e.schema.get("type") != "null"]
        error = jsonschema.exceptions.best_match(useful or error.context)
    return error


def _schema_issue(error: jsonschema.ValidationError) -> Iterator[Issue]:
    error = _best(error)
    at = pointer(error.absolute_path)
    name = at.rsplit("/", 1)[-1] or "the file"
    kind = error.validator
    if kind == "required":
        missing = re.match(r"'([^']+)'", error.message)
        field = missing.group(1) if missing else "?"
        where = f"`{name}`" if at else "the file"
        yield Issue("missing-field", f"{at}/{field}", f"`{field}` is required in {where}.")
    elif kind == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        for extra in sorted(set(error.instance) - set(known), key=str):
            close = difflib.get_close_matches(str(extra), known, n=1)
            also = f" Did you mean `{close[0]}`?" if close else ""
            yield Issue("unknown-field", f"{at}/{extra}", f"`{extra}` is not a field here.{also}")
    elif kind == "type":
        want = error.validator_value
        yield Issue("wrong-type", at, f"`{name}` must be {want}, not {_type(error.instance)}.", False)
    elif kind == "pattern":
        code = _pattern_code(str(error.validator_value))
        msg = f"`{name}`: {error.instance!r} is not a valid value."
        if code == "invalid-name" and isinstance(error.instance, str):
            also, fix = lookalike.explain(error.instance)
            yield Issue(code, at, msg + also, False, fix)
        else:
            yield Issue(code, at, msg, False)
    elif kind in ("minItems",) and error.validator_value == 1:
        yield Issue("missing-field", at, f"`{name}` needs at least one item.")
    else:
        msg = error.message if len(error.message) < 200 else error.message[:200] + "..."
        yield Issue("invalid-value", at, f"`{name}`: {msg}", False)


def _type(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), "a number" if isinstance(value, int | float) else "empty"
    )


def profile_issues(kind: str, data: Any) -> list[Issue]:
    """Check against the JSON Schema profile: a compiled yes/no first, every error on a no."""
    try:
        profiles.fast_check(kind)(data)
        return []
    except Exception:  # noqa: BLE001 - fastjsonschema raises its own error type; list them below
        pass
    issues: list[Issue] = []
    for error in profiles.full_check(kind).iter_errors(data):
        issues.extend(_schema_issue(error))
    return issues


def model_issues(kind: str, data: Any) -> list[Issue]:
    """Build the pydantic model; its errors are reported only if the profile missed them."""
    model = Organization if kind == "organization" else ENTRY_MODELS[kind]
    if kind == "table-schema":
        model = TableSchema
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return [
            Issue("invalid-value", pointer(e["loc"]), f"`{e['loc'][-1] if e['loc'] else 'file'}`: "
                  f"{e['msg']}.", False)
            for e in exc.errors()
        ]
    return []


# --- safety: metadata only, never personal data -------------------------------------------


def strings(data: Any, at: str = "") -> Iterator[tuple[str, str]]:
    """Every scalar (and key) in a structure as text, with its JSON pointer."""
    stack = [(at, data)]
    while stack:
        here, value = stack.pop()
        if isinstance(value, dict):
            for k, v in value.items():
                key = str(k)
                yield f"{here}/{key}", key
                stack.append((f"{here}/{key}", v))
        elif isinstance(value, list):
            stack.extend((f"{here}/{i}", v) for i, v in enumerate(value))
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            yield here, str(value)


def length_issues(data: Any, longest_file: int) -> list[Issue]:
    """Text values longer than the limit; a file shorter than the limit cannot hold one."""
    limit = yamlfile.limits()["max_text_length"]
    if longest_file <= limit:
        return []
    return [Issue("text-too-long", at, f"The text has {len(value):,} characters; the limit is "
                  f"{limit:,}.", False) for at, value in strings(data) if len(value) > limit]


def variable_count_issues(data: dict[str, Any]) -> list[Issue]:
    """An entry with more variables than the limit, reported at the table that passes it."""
    limit, total = yamlfile.limits()["max_variables"], 0
    for i, res in enumerate(_list(data.get("resources"))):
        schema = res.get("schema") if isinstance(res, dict) else None
        fields = schema.get("fields") if isinstance(schema, dict) else None
        total += len(fields) if isinstance(fields, list) else 0
        if total > limit:
            msg = f"The entry has more than {limit:,} variables (at least {total:,})."
            return [Issue("too-many-variables", f"/resources/{i}/schema/fields", msg)]
    return []


def resource_safety_issues(data: dict[str, Any]) -> list[Issue]:
    issues = []
    for i, res in enumerate(_list(data.get("resources"))):
        if not isinstance(res, dict):
            continue
        if "data" in res:
            msg = "Resource holds inline `data`: the catalogue never holds data rows."
            issues.append(Issue("inline-data", f"/resources/{i}/data", msg))
        path = res.get("path")
        for j, p in enumerate(path if isinstance(path, list) else [path]):
            if isinstance(p, str) and not p.startswith(("http://", "https://")):
                at = f"/resources/{i}/path" + (f"/{j}" if isinstance(path, list) else "")
                msg = f"`path` {p!r} points at a file; a resource's path is an https URL."
                issues.append(Issue("data-file", at, msg, False))
    return issues


# --- the rules of the format ---------------------------------------------------------------


def _real_date(value: Any) -> bool:
    try:
        date.fromisoformat(str(value)[:10])
        return True
    except ValueError:
        return False


def date_issues(data: dict[str, Any]) -> list[Issue]:
    issues = []
    for key in ("issued", "modified", "last_reviewed"):
        value = data.get(key)
        if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", value) and not _real_date(
            value
        ):
            msg = f"`{key}` {value!r} is not a date in the calendar."
            issues.append(Issue("invalid-date", f"/{key}", msg, False))
    return issues


RANGES = [
    ("coverage", "start_year", "end_year"),
    ("coverage", "age_min", "age_max"),
    ("access/lead_time", "min_weeks", "max_weeks"),
    ("access/fees", "min_nok", "max_nok"),
]


def range_issues(data: dict[str, Any]) -> list[Issue]:
    issues = []
    for where, low, high in RANGES:
        node: Any = data
        for part in where.split("/"):
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            continue
        lo, hi = node.get(low), node.get(high)
        if isinstance(lo, int | float) and isinstance(hi, int | float) and lo > hi:
            msg = f"`{low}` ({lo}) is greater than `{high}` ({hi})."
            issues.append(Issue("invalid-range", f"/{where}/{high}", msg, False))
    coverage = data.get("coverage")
    start = coverage.get("start_year") if isinstance(coverage, dict) else None
    rates = coverage.get("coverage_rates") if isinstance(coverage, dict) else None
    for i, rate in enumerate(rates if isinstance(rates, list) else []):
        year = rate.get("year") if isinstance(rate, dict) else None
        if isinstance(start, int) and isinstance(year, int) and year < start:
            msg = f"A coverage rate for {year} is before `start_year` ({start})."
            issues.append(Issue("invalid-range", f"/coverage/coverage_rates/{i}/year", msg, False))
    return issues


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-zA-Z]{2,}$")


# The cheap first look of `url_issues`, on the lower-cased file: it may find more than the walk
# does (`metadata:` is no scheme), never less. Literal alternatives let the regex engine skip
# ahead; a `\b` or `(?i)` here made it three times slower.
_SUSPECT_URL = re.compile(r"javascript:|data:|file:|vbscript:|mailto:|https?:(?!//[\w\[])|://")
_SCHEME_BEFORE = re.compile(r"[a-z0-9+.-]+\Z")


def _suspect_url(text: str) -> bool:
    """True when the raw text may hold a URL that `url_issues` has to look at."""
    low = text.lower()
    for m in _SUSPECT_URL.finditer(low):
        if m.group() != "://":
            return True
        scheme = _SCHEME_BEFORE.search(low, max(0, m.start() - 64), m.start())
        if scheme is not None and scheme.group() not in ("http", "https"):
            return True  # some other scheme://
    return False


def url_issues(data: Any, text: str | None = None) -> list[Issue]:
    """Every URL-looking value: http, https or mailto with a host or a valid address.

    `text` (the raw file) lets files with nothing suspicious skip the walk.
    """
    if text is not None and "\\" not in text and not _suspect_url(text):
        return []  # no escapes, nothing suspicious: the parsed values hold nothing either
    issues = []
    for at, text in strings(data):
        if ":" not in text or not _SCHEME.match(text) or " " in text.strip():
            continue
        scheme = text.split(":", 1)[0].lower()
        if scheme in ("http", "https"):
            if not urlsplit(text).hostname:
                issues.append(Issue("invalid-url", at, f"{text!r} has no host name.", False))
        elif scheme == "mailto":
            if not _EMAIL.match(text[7:].split("?", 1)[0]):
                issues.append(Issue("invalid-email", at, f"{text!r} is no e-mail address.", False))
        elif scheme in ("javascript", "data", "file", "vbscript", "ftp") or "//" in text:
            msg = f"{text!r} uses `{scheme}:`; only http, https and mailto are allowed."
            issues.append(Issue("invalid-url", at, msg, False))
    return issues


def vocabulary_issues(kind: str, data: Any) -> list[Issue]:
    issues = []
    for dotted, name in vocabularies.fields_for(kind).items():
        vocab = vocabularies.vocabulary(name)
        for at, value in vocabularies.walk(data, dotted):
            if isinstance(value, str) and value not in vocab.terms:
                close = difflib.get_close_matches(value, list(vocab.terms), n=1)
                also = f" Did you mean `{close[0]}`?" if close else ""
                msg = f"{value!r} is not in the vocabulary `{name}`.{also}"
                issues.append(Issue("unknown-term", at, msg, False))
    return issues


def variable_issues(data: dict[str, Any]) -> list[Issue]:
    issues = []
    for i, res in enumerate(_list(data.get("resources"))):
        schema = res.get("schema") if isinstance(res, dict) else None
        fields = schema.get("fields") if isinstance(schema, dict) else None
        seen: set[str] = set()
        for j, field in enumerate(fields if isinstance(fields, list) else []):
            name = field.get("name") if isinstance(field, dict) else None
            if isinstance(name, str):
                if name in seen:
                    at = f"/resources/{i}/schema/fields/{j}/name"
                    issues.append(Issue("duplicate-variable", at, f"`{name}` appears twice.", False))
                seen.add(name)
    return issues


def concept_issues(data: dict[str, Any]) -> list[Issue]:
    """A concept code of the wrong form for its system (catalogue/format/concepts.py)."""
    issues = []
    for at, c in concepts.field_concepts(data):
        if isinstance(c.get("system"), str) and isinstance(c.get("code"), str):
            wrong = concepts.problem(c["system"], c["code"])
            if wrong:
                msg = f"{c['system']} code {c['code']!r}: {wrong[1]}."
                issues.append(Issue(wrong[0], f"{at}/code", msg, False))
    return issues


def entry_rule_issues(kind: str, data: dict[str, Any], folder: str) -> list[Issue]:
    issues = []
    if isinstance(data.get("name"), str) and data["name"] != folder:
        msg = f"`name` is {data['name']!r} but the folder is {folder!r}."
        issues.append(Issue("name-mismatch", "/name", msg, False))
    contributors = data.get("contributors")
    if isinstance(contributors, list) and contributors and not any(
        isinstance(c, dict) and "contact" in _list(c.get("roles")) for c in contributors
    ):
        msg = "No contributor has the role `contact`."
        issues.append(Issue("missing-contact-point", "/contributors", msg))
    if kind == "registry" and data.get("registry_stage") is not None and data.get(
        "registry_type"
    ) not in (None, "national-quality-registry"):
        msg = "`registry_stage` is set, but the entry is not a national quality registry."
        issues.append(Issue("stage-not-applicable", "/registry_stage", msg))
    translations = data.get("translations")
    if isinstance(data.get("language"), str) and not (isinstance(translations, dict) and any(
        lang != data["language"] for lang in translations
    )):
        msg = "Title and description are in one language only."
        issues.append(Issue("missing-translation", "/language", msg))
    return (issues + date_issues(data) + range_issues(data) + variable_issues(data)
            + concept_issues(data))


def organization_rule_issues(data: dict[str, Any], stem: str) -> list[Issue]:
    issues = []
    if isinstance(data.get("id"), str) and data["id"] != stem:
        msg = f"`id` is {data['id']!r} but the file is {stem}.yaml."
        issues.append(Issue("name-mismatch", "/id", msg, False))
    number = data.get("organization_number")
    if isinstance(number, str) and re.fullmatch(r"\d{9}", number) and not (
        identity.is_organization_number(number)
    ):
        msg = f"{number} fails the organisation number's check digit."
        issues.append(Issue("invalid-organization-number", "/organization_number", msg, False))
    return issues


CHECKS = (
    check("profile", FILES, "missing-field", "unknown-field", "wrong-type", "invalid-value",
          "invalid-name", "invalid-url", "invalid-email", "invalid-date", "invalid-uuid",
          doc="the JSON Schema profile of the file's kind (profile_issues)"),
    check("frictionless", ENTRIES, "frictionless-invalid",
          doc="Data Package and Table Schema rules (frictionless_checks.py)"),
    check("model", FILES, "invalid-value", doc="the pydantic model of the kind (model_issues)"),
    check("length", FILES, "text-too-long"),
    check("variable-count", ENTRIES, "too-many-variables"),
    check("resource-safety", ENTRIES, "data-file", "inline-data"),
    check("dates", FILES, "invalid-date"),
    check("ranges", ENTRIES, "invalid-range"),
    check("urls", FILES, "invalid-url", "invalid-email"),
    check("vocabulary", FILES, "unknown-term"),
    check("concepts", ENTRIES, *sorted(concepts.findings()),
          doc="the form of each concept code per coding system (format/concepts.py)"),
    check("variables", ENTRIES, "duplicate-variable"),
    check("entry-rules", ENTRIES, "missing-contact-point", "missing-translation", "name-mismatch",
          "stage-not-applicable"),
    check("organization-rules", frozenset({"organization"}), "invalid-organization-number",
          "name-mismatch"),
)
