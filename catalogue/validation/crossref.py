"""Rules across entries: unique ids and names, references to organisations and linked entries."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from catalogue.privacy.confusables import plain, skeleton
from catalogue.validation.findings import Issue
from catalogue.validation.rules import CATALOGUE, check


@dataclass
class Summary:
    """What the cross-entry rules need to know of one file; small, so it can be cached."""

    file: str
    kind: str  # registry | biobank | organization
    id: str | None = None
    name: str | None = None
    variables: int = 0
    org_refs: list[tuple[str, str]] = field(default_factory=list)  # (pointer, organisation id)
    links: list[tuple[str, str]] = field(default_factory=list)  # (pointer, entry name)
    titles: list[tuple[str, str]] = field(default_factory=list)  # (pointer, title or org name)
    keywords: list[tuple[str, str]] = field(default_factory=list)  # (pointer, keyword)
    # BBMRI export: an organisation's contact e-mail; a biobank without an address of its own
    # borrows its juristic person's (the organisation id)
    has_email: bool = False
    email_from: str | None = None
    last_reviewed: str | None = None  # for the review cadence (catalogue/review.py)
    readable: bool = False  # parsed as a mapping: a file that could not be read is never "due"


def summarize(file: str, kind: str, data: object) -> Summary:
    """Pick the ids and references out of a parsed file."""
    s = Summary(file, kind)
    if not isinstance(data, dict):
        return s
    s.readable = True
    s.id = data.get("id") if isinstance(data.get("id"), str) else None
    s.name = data.get("name") if isinstance(data.get("name"), str) else None
    if kind == "organization":
        s.name = s.id
        contact = data.get("contact")
        s.has_email = isinstance(contact, dict) and bool(contact.get("email"))
        names = data.get("name")
        for lang, text in (names.items() if isinstance(names, dict) else []):
            if isinstance(text, str):
                s.titles.append((f"/name/{lang}", text))
        return s
    reviewed = data.get("last_reviewed")
    s.last_reviewed = reviewed.isoformat() if hasattr(reviewed, "isoformat") else (
        None if reviewed is None else str(reviewed))
    if isinstance(data.get("title"), str):
        s.titles.append(("/title", data["title"]))
    translations = data.get("translations")
    for lang, tr in (translations.items() if isinstance(translations, dict) else []):
        if isinstance(tr, dict) and isinstance(tr.get("title"), str):
            s.titles.append((f"/translations/{lang}/title", tr["title"]))
    keywords = data.get("keywords")
    for i, word in enumerate(keywords if isinstance(keywords, list) else []):
        if isinstance(word, str):
            s.keywords.append((f"/keywords/{i}", word))
    for key in ("data_controller", "data_processor"):
        if isinstance(data.get(key), str):
            s.org_refs.append((f"/{key}", data[key]))
    biobank = data.get("biobank")
    if isinstance(biobank, dict) and isinstance(biobank.get("juristic_person"), str):
        s.org_refs.append(("/biobank/juristic_person", biobank["juristic_person"]))
        from catalogue.validation.checks.bbmri import has_email

        if not has_email(data):
            s.email_from = biobank["juristic_person"]
    links = data.get("linked_entries")
    for i, name in enumerate(links if isinstance(links, list) else []):
        if isinstance(name, str):
            s.links.append((f"/linked_entries/{i}", name))
    resources = data.get("resources")
    for res in resources if isinstance(resources, list) else []:
        schema = res.get("schema") if isinstance(res, dict) else None
        if isinstance(schema, dict) and isinstance(schema.get("fields"), list):
            s.variables += len(schema["fields"])
    return s


def fold(name: str) -> str:
    """Compare names without case, width or compatibility variants (so `ﬁ` equals `fi`)."""
    return unicodedata.normalize("NFKC", name).casefold()


def cross_issues(summaries: list[Summary]) -> dict[str, list[Issue]]:
    """Issues per file for the rules that need every entry at once."""
    out: dict[str, list[Issue]] = {}
    entries = [s for s in summaries if s.kind != "organization"]
    orgs = {s.id for s in summaries if s.kind == "organization" and s.id}
    first_id: dict[str, Summary] = {}
    first_name: dict[str, Summary] = {}
    by_name = {s.name: s for s in entries if s.name}

    def add(s: Summary, issue: Issue) -> None:
        out.setdefault(s.file, []).append(issue)

    for s in sorted(entries, key=lambda e: e.file):
        if s.id:
            if s.id in first_id:
                msg = f"The id {s.id} is also used by {first_id[s.id].file}."
                add(s, Issue("duplicate-id", "/id", msg, False))
            first_id.setdefault(s.id, s)
        if s.name:
            key = fold(s.name)
            if key in first_name:
                msg = f"The name {s.name!r} is also used by {first_name[key].file}."
                add(s, Issue("duplicate-name", "/name", msg, False))
            first_name.setdefault(key, s)
        for at, org in s.org_refs:
            if org not in orgs:
                msg = f"No organisation {org!r}: metadata/organizations/{org}.yaml does not exist."
                add(s, Issue("unknown-organization", at, msg, False))
        for at, name in s.links:
            other = by_name.get(name)
            if other is None:
                add(s, Issue("unknown-linked-entry", at, f"No registry or biobank {name!r}.", False))
            elif s.name and s.name not in {n for _, n in other.links}:
                msg = f"{name!r} does not link back to {s.name!r}."
                add(s, Issue("linked-entry-one-way", at, msg, False))
    emails = {s.id for s in summaries if s.kind == "organization" and s.has_email}
    for s in entries:
        if s.email_from is not None and s.email_from in orgs and s.email_from not in emails:
            msg = (f"No e-mail address: neither the entry's contact points nor its juristic "
                   f"person {s.email_from!r} give one; the Directory's Persons.email is required.")
            add(s, Issue("bbmri-missing", "/contributors", msg))
    for s, issue in lookalike_issues(summaries):
        add(s, issue)
    return out


def lookalike_issues(summaries: list[Summary]) -> list[tuple[Summary, Issue]]:
    """Titles (organisation names) that look the same as another entry's (organisation's), and
    keywords that differ from another keyword only in look-alike characters.

    Of texts that look the same, the one written in plain letters is the original and every
    other is reported; when none is plain, the first by file name is the original.
    """
    out: list[tuple[Summary, Issue]] = []
    titles: dict[tuple[bool, str], list[tuple[Summary, str, str]]] = {}
    words: dict[str, list[tuple[Summary, str, str]]] = {}
    for s in sorted(summaries, key=lambda e: e.file):
        for at, title in s.titles:
            titles.setdefault((s.kind == "organization", skeleton(title)), []).append((s, at, title))
        for at, word in s.keywords:
            words.setdefault(skeleton(word), []).append((s, at, word))
    for group in titles.values():
        if len({id(s) for s, _, _ in group}) < 2:
            continue  # a title and its own translation may well be the same
        first = _original(group)
        for s, at, title in group:
            if s is first[0]:
                continue
            how = "is the same as" if title == first[2] else "looks the same as"
            msg = f"{title!r} {how} {first[2]!r} in {first[0].file}."
            out.append((s, Issue("confusable-duplicate", at, msg, False)))
    for group in words.values():
        first = _original(group)
        for s, at, word in group:
            if word.casefold() != first[2].casefold():
                msg = f"The keyword {word!r} looks like {first[2]!r} but is written with other characters."
                out.append((s, Issue("confusable-duplicate", at, msg, False)))
    return out


def _original(group: list[tuple[Summary, str, str]]) -> tuple[Summary, str, str]:
    """The first text of a group that is written without look-alikes (else the first)."""
    return next((g for g in group if plain(g[2])), group[0])


CHECKS = (
    check("cross-entry", CATALOGUE, "duplicate-id", "duplicate-name", "unknown-organization",
          "unknown-linked-entry", "linked-entry-one-way", "confusable-duplicate"),
)
