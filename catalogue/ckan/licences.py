"""CKAN's own licence register, as `license_list` returns it, and an entry's licence in its terms.

The rows are CKAN's default register (`ckan/model/license.py`, the list a CKAN site has unless
it configures `licenses_group_url`), in CKAN's order. `license_list` gives each row as
`License.license_dictize()` does: every value a string, booleans as "True"/"False". A harvester
compares `license_id` with this register, so an entry licensed CC BY 4.0 is `cc-by` here
(catalogue/dcat/licences.py holds the mapping, beside the EU licence vocabulary).
"""

from __future__ import annotations

from catalogue.dcat.licences import known
from catalogue.format.models import License

_OD = "http://www.opendefinition.org/licenses/"

# id, title, url, od_conformance, domain_content, domain_data, is_generic
_REGISTER: tuple[tuple[str, str, str, str, bool, bool, bool], ...] = (
    ("notspecified", "License not specified", "", "not reviewed", False, False, True),
    ("odc-pddl", "Open Data Commons Public Domain Dedication and License (PDDL)", _OD + "odc-pddl",
     "approved", False, True, False),
    ("odc-odbl", "Open Data Commons Open Database License (ODbL)", _OD + "odc-odbl", "approved",
     False, True, False),
    ("odc-by", "Open Data Commons Attribution License", _OD + "odc-by", "approved", False, True,
     False),
    ("cc-zero", "Creative Commons CCZero", _OD + "cc-zero", "approved", True, True, False),
    ("cc-by", "Creative Commons Attribution", _OD + "cc-by", "approved", False, False, False),
    ("cc-by-sa", "Creative Commons Attribution Share-Alike", _OD + "cc-by-sa", "approved", True,
     False, False),
    ("gfdl", "GNU Free Documentation License", _OD + "gfdl", "approved", True, False, False),
    ("other-open", "Other (Open)", "", "approved", True, False, True),
    ("other-pd", "Other (Public Domain)", "", "approved", True, False, True),
    ("other-at", "Other (Attribution)", "", "approved", True, False, True),
    ("uk-ogl", "UK Open Government Licence (OGL)",
     "http://reference.data.gov.uk/id/open-government-licence", "approved", True, False, False),
    ("cc-nc", "Creative Commons Non-Commercial (Any)", "http://creativecommons.org/licenses/by-nc/2.0/",
     "not reviewed", False, False, False),
    ("other-nc", "Other (Non-Commercial)", "", "not reviewed", False, False, True),
    ("other-closed", "Other (Not Open)", "", "not reviewed", False, False, True),
)


def register() -> list[dict[str, str]]:
    """CKAN's default licence register, one dict per licence, as `license_list` answers."""
    return [{"domain_content": str(content), "id": lid, "domain_data": str(data),
             "domain_software": "False", "family": "", "is_generic": str(generic),
             "od_conformance": od, "osd_conformance": "not reviewed", "maintainer": "",
             "status": "active", "url": url, "title": title}
            for lid, title, url, od, content, data, generic in _REGISTER]


REGISTER_IDS = {row[0] for row in _REGISTER}
OPEN_IDS = {row[0] for row in _REGISTER if row[3] == "approved"}


def ckan_licence(licenses: list[License]) -> dict[str, str] | None:
    """id, title and url of the first licence CKAN's register knows, or None."""
    for lic in licenses:
        row = known(lic)
        if row is not None:
            return {"id": row.ckan_id, "title": row.ckan_title, "url": row.ckan_url}
    return None


def unregistered(license_id: str, title: str, url: str, isopen: bool) -> dict[str, str]:
    """A licence outside the register, in the register's shape (as a site's own list gives it)."""
    return {"domain_content": "False", "id": license_id, "domain_data": "False",
            "domain_software": "False", "family": "", "is_generic": "False",
            "od_conformance": "approved" if isopen else "not reviewed",
            "osd_conformance": "not reviewed", "maintainer": "", "status": "active", "url": url,
            "title": title}
