"""frictionless's own checks of a Table Schema, as the validator runs them: field by field, each
distinct field once, with the same findings as frictionless checking the whole schema."""

from __future__ import annotations

from frictionless import Schema

from catalogue.validation.checks.frictionless_checks import schema_issues


def field(n: int, **more: object) -> dict[str, object]:
    return {"name": f"var_{n}", "title": f"Variable {n}", "description": f"Text {n}.", **more}


SCHEMA = {
    "primaryKey": ["var_0", "nope"],
    "fields": [
        field(0, type="integer", constraints={"minimum": 0}),
        field(1, type="date", constraints={"minLength": 2}),       # not a date's constraint
        field(2, type="number", example="lots"),                  # not a number
        field(3, type="date", constraints={"minLength": 2}),       # as 1, but for its texts
        field(4, type="number", example="lots"),                  # as 2: its message names it
        field(5, type="string", constraints={"maxLength": "ten"}),  # not an integer
    ],
}


def test_each_finding_is_frictionlesss_own_placed_at_its_field():
    issues = schema_issues("/resources/0/schema", SCHEMA)
    notes = sorted(i.message.split(": ", 1)[1] for i in issues)
    # frictionless on the whole schema (which stops at the fields' findings, before the keys)
    whole = sorted(e.note for e in Schema.metadata_validate(SCHEMA))
    assert sorted(n for n in notes if "primary key" not in n) == whole
    at = sorted(i.path for i in issues)
    assert at == ["/resources/0/schema/fields/1", "/resources/0/schema/fields/2",
                  "/resources/0/schema/fields/3", "/resources/0/schema/fields/4",
                  "/resources/0/schema/fields/5/constraints/maxLength",
                  "/resources/0/schema/primaryKey"]
    assert any('for field "var_4"' in n for n in notes) and any('for field "var_2"' in n for n in notes)


def test_fields_alike_but_for_their_texts_are_checked_once(monkeypatch):
    from frictionless.fields import DateField

    calls = []
    real = DateField.metadata_validate.__func__

    def counted(cls, descriptor, *, context=None):
        calls.append(descriptor["name"])
        return real(cls, descriptor, context=context)

    monkeypatch.setattr(DateField, "metadata_validate", classmethod(counted))
    schema = {"fields": [field(n, type="date", constraints={"minLength": 3}) for n in range(10, 20)]}
    issues = schema_issues("", schema)
    assert len(calls) == 1
    assert [i.path for i in issues] == [f"/fields/{j}" for j in range(10)]
