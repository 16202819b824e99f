"""The access planner's data: one small JSON per entry and one of vocabulary labels.

The planner page (`planner/`, `en/planner/`) combines the access guidelines of the sources a
researcher picked. It runs in the browser and fetches only the chosen entries' files, so the
site never ships a JSON of the whole catalogue (it has to work at 10,000 entries). Files:

- `planner/entries/<name>.json`: kind, titles, the access fields, the data controller and the
  biobank's juristic person (id and names in both languages), the data dictionary's variables,
  and `gaps`: what the plan cannot be computed from (see `gaps`).
- `planner/ids/<uuid>.json`: `{"name": ...}`, so a shared link may use the entry's UUID.
- `planner/vocabularies.json`: nb/en labels of the terms the plan shows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from catalogue.build.reuse import SAME_BYTES, Reuse
from catalogue.format.models import BiobankEntry, Organization
from catalogue.format.vocabularies import vocabulary
from catalogue.load import Catalogue, LoadedEntry
from catalogue.site import urls
from catalogue.site.i18n import LANGS, localise, org_name

FOLDER = "planner/"
VOCABULARIES = ("access-deciders", "approvals", "documents", "legal-bases", "field-types")
# What a plan needs from the access guidelines; the codes are keys of the `gap_*` UI strings.
GAPS = ("documents", "contact", "application_url", "lead_time", "fees", "approvals",
        "legal_basis_options", "data_controller")


def _range_ok(value: Any, low: str, high: str) -> bool:
    if not isinstance(value, dict):
        return False
    lo, hi = value.get(low), value.get(high)
    return isinstance(lo, int | float) and isinstance(hi, int | float) and 0 <= lo <= hi


def gaps(access: dict[str, Any] | None, controller_known: bool = True) -> list[str]:
    """What is missing or unusable in an entry's access guidelines (the entry's
    `access`), as codes from GAPS. The validator lets some of these through (documents may be
    empty, a contact may be only a phone number), but a plan built on them would be wrong."""
    a = access if isinstance(access, dict) else {}
    contact = a.get("contact") if isinstance(a.get("contact"), dict) else {}
    found = {
        "documents": not a.get("documents"),
        "contact": not (contact.get("email") or contact.get("url")),
        "application_url": not a.get("application_url"),
        "lead_time": not _range_ok(a.get("lead_time"), "min_weeks", "max_weeks"),
        "fees": not _range_ok(a.get("fees"), "min_nok", "max_nok"),
        "approvals": not a.get("approvals"),
        "legal_basis_options": not a.get("legal_basis_options"),
        "data_controller": not controller_known,
    }
    return [code for code in GAPS if found[code]]


def _org(cat: Catalogue, org_id: str | None) -> dict[str, Any] | None:
    if not org_id:
        return None
    org: Organization | None = cat.organizations.get(org_id)
    names = {lang: org_name(org.name, lang) if org else org_id for lang in LANGS}
    return {"id": org_id, "name": names}


def entry_json(cat: Catalogue, e: LoadedEntry) -> dict[str, Any]:
    """What the planner needs of one entry, in both languages."""
    m = e.model
    access = m.access.model_dump(mode="json", exclude_none=True)  # the validated model
    keep = ("decided_by", "approvals", "legal_basis_options", "application_url", "application_route",
            "documents", "lead_time", "fees", "conditions", "contact")
    juristic = m.biobank.juristic_person if isinstance(m, BiobankEntry) else None
    tables = [{"name": table, "title": next((r.title for r in m.resources if r.name == table), None),
               "variables": [{"name": f.name, "title": f.title, "type": f.type, "unit": f.unit}
                             for f in schema.fields]}
              for table, schema in e.tables()]
    return {
        "name": e.name, "id": e.id, "kind": e.kind, "url": urls.entry(e),
        "title": {lang: localise(m, lang).title for lang in LANGS},
        "access": {k: access[k] for k in keep if k in access},
        "data_controller": _org(cat, m.data_controller),
        "juristic_person": _org(cat, juristic),
        "tables": tables,
        "gaps": gaps(access, m.data_controller in cat.organizations),
    }


def vocabularies_json() -> dict[str, dict[str, dict[str, str]]]:
    """vocabulary -> term -> {nb, en}: the labels the plan shows."""
    return {name: {tid: {lang: term.text(lang) for lang in LANGS}
                   for tid, term in vocabulary(name).terms.items()}
            for name in VOCABULARIES}


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str) + "\n"


def write(out: Path, cat: Catalogue, reuse: Reuse | None = None) -> None:
    """Write the planner's files into the site's root folder `out`; with `reuse`, an entry's
    file that the last build wrote with the same bytes is taken from it."""
    reuse = reuse or Reuse()
    section = reuse.section("planner", SAME_BYTES)
    folder = out / FOLDER
    (folder / "entries").mkdir(parents=True, exist_ok=True)
    (folder / "ids").mkdir(parents=True, exist_ok=True)
    (folder / "vocabularies.json").write_text(_dump(vocabularies_json()), encoding="utf-8")
    for e in cat.entries:
        reuse.put(section, f"{FOLDER}entries/{e.name}.json", _dump(entry_json(cat, e)).encode(), out)
        reuse.put(section, f"{FOLDER}ids/{e.id}.json", _dump({"name": e.name}).encode(), out)
