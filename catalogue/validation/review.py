"""The review cadence: when an entry was last checked by its owner, and whether it is due again.

An entry records `last_reviewed` (a date) and `reviewed_by`. It is due when that date is older
than `review_interval_months` in `validators/limits.yaml` (12 when absent), or when it has never
been reviewed. Being due is a warning (`review-due`), never an error: a stale entry is still
published, and `catalogue review-due` tells the owners whose turn it is.

"Today" is the system date unless `CATALOGUE_TODAY` (YYYY-MM-DD) says otherwise, so a test or a
rebuilt site gives the same answer on any day. This check is not in the per-file cache of
`catalogue validate`: its answer changes with the date, not with the file.
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from catalogue import settings
from catalogue.validation import yaml_reader as yamlfile
from catalogue.validation.findings import Issue
from catalogue.validation.rules import ENTRIES, check

CODE = "review-due"
CHECKS = (check("review", ENTRIES, CODE, doc="the review cadence: last_reviewed within the interval"),)
DEFAULT_MONTHS = 12
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def today() -> date:
    """The date reviews are counted from: `CATALOGUE_TODAY` when set, else the system date."""
    value = settings.today_override()
    parsed = parse_date(value) if value else None
    return parsed or date.today()


def interval_months() -> int:
    """How many months a review holds (`review_interval_months` in validators/limits.yaml)."""
    value = yamlfile.limits().get("review_interval_months", DEFAULT_MONTHS)
    return value if isinstance(value, int) and value > 0 else DEFAULT_MONTHS


def parse_date(value: object) -> date | None:
    """A date from YAML: a date object (unquoted) or text starting YYYY-MM-DD; None otherwise."""
    if isinstance(value, date):
        return value
    match = _DATE.match(value) if isinstance(value, str) else None
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class Contact:
    name: str
    email: str | None = None
    url: str | None = None


@dataclass
class ReviewStatus:
    """Where one entry stands: reviewed when and by whom, due when, and whom to ask."""

    file: str
    kind: str
    name: str
    title: str
    last_reviewed: str | None
    reviewed_by: str | None
    due: str | None  # when the next review falls due; None when never reviewed
    days_overdue: int | None  # > 0 overdue, <= 0 days left (negated); None when never reviewed
    contacts: list[Contact] = field(default_factory=list)
    line: int = 1

    @property
    def overdue(self) -> bool:
        return self.days_overdue is None or self.days_overdue > 0

    def describe(self) -> str:
        """`overdue by 45 days`, `due in 10 days`, `never reviewed`."""
        if self.days_overdue is None:
            return "never reviewed"
        if self.days_overdue > 0:
            return f"overdue by {_days(self.days_overdue)}"
        if self.days_overdue == 0:
            return "due today"
        return f"due in {_days(-self.days_overdue)}"


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def status_of(data: dict[str, Any], *, file: str = "", kind: str = "", on: date | None = None,
              months: int | None = None) -> ReviewStatus:
    """The review status of one parsed entry (a mapping, valid or not)."""
    on = on or today()
    months = months or interval_months()
    last = parse_date(data.get("last_reviewed"))
    due = add_months(last, months) if last else None
    contacts = []
    for c in data.get("contributors") or []:
        if isinstance(c, dict) and "contact" in (c.get("roles") or []):
            contacts.append(Contact(str(c.get("title") or ""), c.get("email"), c.get("path")))
    access = data.get("access")
    desk = access.get("contact") if isinstance(access, dict) else None
    if not contacts and isinstance(desk, dict):
        contacts.append(Contact(str(desk.get("name") or ""), desk.get("email"), desk.get("url")))
    by = data.get("reviewed_by")
    return ReviewStatus(
        file=file, kind=kind, name=str(data.get("name") or ""), title=str(data.get("title") or ""),
        last_reviewed=last.isoformat() if last else None,
        reviewed_by=by if isinstance(by, str) else None,
        due=due.isoformat() if due else None,
        days_overdue=(on - due).days if due else None, contacts=contacts)


def issue_for(last_reviewed: object, on: date | None = None, months: int | None = None) -> Issue | None:
    """The `review-due` issue for an entry's `last_reviewed` value, or None when not due."""
    on = on or today()
    months = months or interval_months()
    last = parse_date(last_reviewed)
    if last is None:
        if last_reviewed is not None:
            return None  # a malformed date is the profile's finding (invalid-date)
        return Issue(CODE, "", f"The entry has no `last_reviewed` date; reviews are due every "
                     f"{months} months.")
    due = add_months(last, months)
    if due > on:
        return None
    late = (on - due).days
    return Issue(CODE, "/last_reviewed", f"Last reviewed on {last.isoformat()}, more than {months} "
                 f"months ago: the review was due on {due.isoformat()} ({_days(late)} ago).",
                 at_key=False)


def review_issues(summaries: list[Any]) -> dict[str, list[Issue]]:
    """`review-due` issues per file, from the validator's per-file summaries."""
    on, months = today(), interval_months()
    out: dict[str, list[Issue]] = {}
    for s in summaries:
        if s.kind == "organization" or not s.readable:
            continue
        issue = issue_for(s.last_reviewed, on, months)
        if issue:
            out.setdefault(s.file, []).append(issue)
    return out


# --- `catalogue review-due` -----------------------------------------------------------------


def statuses(root: Path) -> list[ReviewStatus]:
    """Every entry under a metadata root with its review status, most overdue first.

    Files that cannot be read are left out: `catalogue validate` reports them.
    """
    from catalogue.validation.discover import discover

    jobs, _ = discover(root)
    on, months = today(), interval_months()
    out = []
    for job in jobs:
        if job.kind == "organization":
            continue
        try:
            text = yamlfile.read_text(job.path)
            data, _ = yamlfile.parse(yamlfile.clean(text))
        except (OSError, yamlfile.YamlProblem):
            continue
        if not isinstance(data, dict):
            continue
        s = status_of(data, file=job.display, kind=job.kind, on=on, months=months)
        s.line = _line_of(text, "last_reviewed")
        out.append(s)
    never = 10**9
    out.sort(key=lambda s: (-(never if s.days_overdue is None else s.days_overdue), s.name))
    return out


def _line_of(text: str, key: str) -> int:
    for i, line in enumerate(text.splitlines(), 1):
        if line.startswith(f"{key}:"):
            return i
    return 1


def due_within(items: list[ReviewStatus], days: int) -> list[ReviewStatus]:
    """The entries overdue, never reviewed, or falling due within `days`."""
    return [s for s in items if s.days_overdue is None or s.days_overdue >= -days]


def _contacts(s: ReviewStatus) -> str:
    parts = []
    for c in s.contacts:
        where = c.email or c.url
        parts.append(f"{c.name} <{where}>" if c.name and where else (c.name or where or ""))
    return "; ".join(p for p in parts if p)


def render(items: list[ReviewStatus], fmt: str, months: int) -> str:
    """The list in one of the formats of `catalogue review-due`: text, json, csv or github."""
    if fmt == "json":
        rows = []
        for s in items:
            row = asdict(s)
            row["status"] = s.describe()
            row["overdue"] = s.overdue
            rows.append(row)
        return json.dumps({"interval_months": months, "today": today().isoformat(),
                           "entries": rows}, ensure_ascii=False, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["file", "kind", "name", "title", "last_reviewed", "reviewed_by", "due",
                    "days_overdue", "status", "contacts"])
        for s in items:
            w.writerow([s.file, s.kind, s.name, s.title, s.last_reviewed or "", s.reviewed_by or "",
                        s.due or "", "" if s.days_overdue is None else s.days_overdue,
                        s.describe(), _contacts(s)])
        return buf.getvalue().rstrip("\n")
    lines = []
    for s in items:
        if fmt == "github":
            msg = (f"[{CODE}] {s.title or s.name}: {s.describe()}"
                   + (f" (last reviewed {s.last_reviewed}" + (f" by {s.reviewed_by}" if s.reviewed_by
                                                               else "") + ")" if s.last_reviewed else "")
                   + (f". Contact: {_contacts(s)}" if s.contacts else "")
                   + ". Review every field, then set last_reviewed to today's date.")
            msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            lines.append(f"::warning file={s.file},line={s.line},title=Review due::{msg}")
        else:
            last = (f"last reviewed {s.last_reviewed}" + (f" by {s.reviewed_by}" if s.reviewed_by
                                                          else "")) if s.last_reviewed else ""
            bits = [f"{s.file}: {s.name} — {s.describe()}", last,
                    f"contact: {_contacts(s)}" if s.contacts else "no contact point"]
            lines.append("; ".join(b for b in bits if b))
    overdue = sum(1 for s in items if s.overdue)
    lines.append(f"{overdue} entr{'y' if overdue == 1 else 'ies'} due for review, "
                 f"{len(items) - overdue} due soon (reviews every {months} months, "
                 f"as of {today().isoformat()})")
    return "\n".join(lines)
