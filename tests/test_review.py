"""The review cadence: `last_reviewed` on an entry, the `review-due` warning, `catalogue review-due`
and the entry page's notice. "Today" is pinned with CATALOGUE_TODAY (see conftest.py)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from typer.testing import CliRunner

from catalogue.cli import app
from catalogue.validation import review
from catalogue.validation.findings import rules
from catalogue.validation.run import validate
from tests.conftest import edit

REG = "registries/hjerteregister/datapackage.yaml"
BIO = "biobanks/hjertebiobank/datapackage.yaml"
runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_a_review_holds_twelve_months_and_a_day_later_it_is_due():
    last = date(2025, 3, 15)
    assert review.issue_for(last, on=date(2026, 3, 14), months=12) is None
    issue = review.issue_for(last, on=date(2026, 3, 16), months=12)
    assert issue is not None and issue.code == "review-due"
    assert "2026-03-15" in issue.message and "1 day ago" in issue.message
    assert review.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_an_old_review_is_a_warning_with_the_rules_hint_and_the_catalogue_stays_valid(
        catalogue_dir, monkeypatch):
    monkeypatch.setenv("CATALOGUE_TODAY", "2027-12-01")  # both fixture reviews are from 2026
    report = validate([catalogue_dir], cache_dir=False)
    due = [f for f in report.findings if f.code == "review-due"]
    assert {f.file for f in due} == {f"metadata/{REG}", f"metadata/{BIO}"}
    assert all(f.severity == "warning" and f.path == "/last_reviewed" for f in due)
    assert due[0].hint == rules()["review-due"]["hint"]
    assert "`last_reviewed`" in due[0].hint
    assert report.valid and not report.errors
    code, out = run("validate", str(catalogue_dir), "--no-cache")
    assert code == 0, out  # warnings never fail validate
    assert "warning [review-due]" in out and "valid: 0 error(s), 2 warning(s)" in out


def test_a_missing_review_date_counts_as_due(catalogue_dir):
    edit(catalogue_dir / REG, "last_reviewed: 2026-10-12  # when every field was last checked; "
         "see `catalogue review-due`\n", "")
    report = validate([catalogue_dir], cache_dir=False)
    due = [f for f in report.findings if f.code == "review-due"]
    assert [(f.file, f.line) for f in due] == [(f"metadata/{REG}", 1)]
    assert "no `last_reviewed`" in due[0].message
    assert report.valid


def test_the_cached_result_still_sees_time_pass(catalogue_dir, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    assert validate([catalogue_dir], cache_dir=cache).findings == []
    monkeypatch.setenv("CATALOGUE_TODAY", "2027-12-01")
    again = validate([catalogue_dir], cache_dir=cache)
    assert again.stats["cached"] == again.stats["files"]  # nothing re-checked, yet
    assert len([f for f in again.findings if f.code == "review-due"]) == 2


def test_a_bad_review_date_is_an_invalid_date_not_a_review_finding(catalogue_dir):
    edit(catalogue_dir / REG, "last_reviewed: 2026-10-12", "last_reviewed: 2026-13-40")
    codes = {f.code for f in validate([catalogue_dir], cache_dir=False).findings}
    assert "invalid-date" in codes and "review-due" not in codes


def test_review_due_lists_due_and_soon_due_entries_with_contacts(catalogue_dir, monkeypatch):
    monkeypatch.setenv("CATALOGUE_TODAY", "2027-10-01")  # biobank (2026-09-30) 1 day overdue,
    code, out = run("review-due", "--metadata", str(catalogue_dir), "--within", "0")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"metadata/{BIO}: hjertebiobank — overdue by 1 day; last reviewed "
                               "2026-09-30 by Biobankkoordinator; contact: Biobank desk "
                               "<https://www.ntnu.no/hjertebiobank/contact>")
    assert lines[-1].startswith("1 entry due for review, 0 due soon (reviews every 12 months")
    code, out = run("review-due", "--metadata", str(catalogue_dir), "--within", "30")
    assert f"metadata/{REG}: hjerteregister — due in 11 days" in out  # registry: 2026-10-12
    assert out.splitlines()[-1].startswith("1 entry due for review, 1 due soon")


def test_review_due_formats(catalogue_dir, monkeypatch):
    monkeypatch.setenv("CATALOGUE_TODAY", "2027-10-01")
    code, out = run("review-due", "--metadata", str(catalogue_dir), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["interval_months"] == 12 and data["today"] == "2027-10-01"
    first = data["entries"][0]
    assert first["name"] == "hjertebiobank" and first["days_overdue"] == 1 and first["overdue"]
    assert first["due"] == "2027-09-30" and first["contacts"][0]["name"] == "Biobank desk"
    assert data["entries"][1]["days_overdue"] == -11 and not data["entries"][1]["overdue"]

    code, out = run("review-due", "--metadata", str(catalogue_dir), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["name"] for r in rows] == ["hjertebiobank", "hjerteregister"]
    assert rows[0]["days_overdue"] == "1" and rows[0]["status"] == "overdue by 1 day"

    code, out = run("review-due", "--metadata", str(catalogue_dir), "--format", "github")
    first_line = out.splitlines()[0]
    line = next(n for n, text in enumerate((catalogue_dir / BIO).read_text().splitlines(), 1)
                if text.startswith("last_reviewed:"))
    assert first_line.startswith(f"::warning file=metadata/{BIO},line={line},title=Review due::"
                                 "[review-due] ")
    assert "overdue by 1 day" in first_line


def test_review_due_outside_a_metadata_folder_is_a_usage_error(tmp_path):
    code, out = run("review-due", "--metadata", str(tmp_path / "nowhere"))
    assert code == 2 and "not a metadata folder" in out


def test_a_new_entry_starts_reviewed_today(catalogue_dir, monkeypatch):
    code, _ = run("new", "registry", "lungeregister", "--metadata", str(catalogue_dir))
    assert code == 0
    text = (catalogue_dir / "registries/lungeregister/datapackage.yaml").read_text()
    assert f"last_reviewed: {date.today().isoformat()}" in text
    assert not [f for f in validate([catalogue_dir], cache_dir=False).findings
                if f.code == "review-due" and "lungeregister" in f.file]


def test_the_entry_page_shows_the_review_and_a_notice_when_overdue(catalogue_dir, tmp_path,
                                                                    monkeypatch):
    from catalogue.build.pipeline import build

    monkeypatch.setenv("CATALOGUE_TODAY", "2027-10-01")  # the biobank is overdue, the registry not
    out = tmp_path / "site"
    build(catalogue_dir, out, f"sqlite:///{tmp_path}/store.sqlite", "http://127.0.0.1:9/")
    bio = (out / "en/biobanks/hjertebiobank/index.html").read_text()
    reg = (out / "en/registries/hjerteregister/index.html").read_text()
    assert "Last reviewed</dt><dd>2026-09-30 by Biobankkoordinator" in bio
    assert "catalogue-review-due" in bio and "not confirmed this entry since 2026-09-30" in bio
    assert "Last reviewed</dt><dd>2026-10-12 by Registersekretariatet" in reg
    assert "catalogue-review-due" not in reg
    nb = (out / "biobanks/hjertebiobank/index.html").read_text()
    assert "Sist gjennomgått" in nb and "Gjennomgang forfalt" in nb
    facet = (out / "en/catalogue/index.html").read_text()
    assert 'data-facet="review"' in facet and "Review overdue" in facet
