"""Metadata licences: one table from an entry's `licenses` to the EU licence vocabulary and CKAN.

DCAT-AP-NO accepts `dct:license` only from the EU licence authority list
(`http://publications.europa.eu/resource/authority/licence/...`); a CKAN portal knows licences
by the ids of its own register (`cc-by`, `cc-zero`, ...). ckanext-dcat fills a harvested
dataset's `license_id` by looking up a distribution's licence in that register, by URL or, when
the URL is not in it (the EU IRIs are not), by the licence's `dct:title`; so each licence below
also carries the title CKAN gives it (`Licence.ckan_title`).

An entry's licence is recognised by its SPDX-style `name` (`CC-BY-4.0`) or its `path` (the
licence's URL). A licence that is in none of these rows is published as the entry gives it in
the CKAN feed and left out of the DCAT feed (the profile allows no other licence IRI).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalogue.format.models import License

EU_LICENCE = "http://publications.europa.eu/resource/authority/licence/"
# ADMS licence types (DCAT-AP's recommended dct:type of a dct:LicenseDocument)
ADMS_LICENCE_TYPE = "http://purl.org/adms/licencetype/"


@dataclass(frozen=True)
class Licence:
    spdx: str                 # the entry's `name`, as SPDX spells it
    url_pattern: str          # matches the licence's own URL (`path`), scheme and slash ignored
    eu_code: str              # code in the EU licence vocabulary
    title: str                # English title, as the EU vocabulary names it
    ckan_id: str              # id in CKAN's default licence register
    ckan_title: str           # CKAN's title for that id (ckanext-dcat matches on it)
    ckan_url: str             # CKAN's URL for that id
    types: tuple[str, ...]    # ADMS licence types
    url: str                  # the licence's own page

    @property
    def iri(self) -> str:
        return EU_LICENCE + self.eu_code


_OD = "http://www.opendefinition.org/licenses/"
LICENCES: tuple[Licence, ...] = (
    Licence("CC-BY-4.0", r"creativecommons\.org/licenses/by/4\.0", "CC_BY_4_0",
            "Creative Commons Attribution 4.0 International", "cc-by",
            "Creative Commons Attribution", _OD + "cc-by", ("Attribution",),
            "https://creativecommons.org/licenses/by/4.0/"),
    Licence("CC0-1.0", r"creativecommons\.org/publicdomain/zero/1\.0", "CC0",
            "Creative Commons CC0 1.0 Universal", "cc-zero", "Creative Commons CCZero",
            _OD + "cc-zero", ("PublicDomain",),
            "https://creativecommons.org/publicdomain/zero/1.0/"),
    Licence("CC-BY-SA-4.0", r"creativecommons\.org/licenses/by-sa/4\.0", "CC_BYSA_4_0",
            "Creative Commons Attribution-ShareAlike 4.0 International", "cc-by-sa",
            "Creative Commons Attribution Share-Alike", _OD + "cc-by-sa",
            ("Attribution", "ShareAlike"), "https://creativecommons.org/licenses/by-sa/4.0/"),
)

CATALOGUE_DEFAULT = LICENCES[0]  # the catalogue's own licence unless configured otherwise


def _bare(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.strip()).rstrip("/").lower()


def known(lic: License) -> Licence | None:
    """The row for an entry's licence, or None when it is not one of ours."""
    for row in LICENCES:
        if lic.name and lic.name.strip().lower() == row.spdx.lower():
            return row
        if lic.path and re.fullmatch(row.url_pattern + r"(/.*)?(deed\..*|legalcode.*)?",
                                     _bare(lic.path)):
            return row
    return None


def entry_licence(licenses: list[License]) -> Licence | None:
    """The first of an entry's licences that the vocabularies know."""
    return next((row for lic in licenses if (row := known(lic))), None)


def by_code(code: str) -> Licence:
    """A row by its EU code (`CC_BY_4_0`), e.g. for `DcatConfig.license`."""
    for row in LICENCES:
        if row.eu_code == code:
            return row
    raise ValueError(f"unknown licence code {code!r}: one of "
                     f"{', '.join(r.eu_code for r in LICENCES)}")
