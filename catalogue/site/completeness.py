"""A metadata completeness score: how many of the optional details a researcher relies on are given.

Required fields are guaranteed by validation, so the score counts only optional ones; the page
lists what is missing, which tells an owner what to add next.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from catalogue.format.models import BiobankEntry, RegistryEntry
from catalogue.load import LoadedEntry

Check = tuple[dict[str, str], Callable[[LoadedEntry], bool]]


def _all_variables(entry: LoadedEntry, attr: str) -> bool:
    return all(getattr(f, attr) for _, f in entry.variables())


CHECKS: list[Check] = [
    ({"nb": "purpose", "en": "purpose"}, lambda e: bool(e.model.purpose)),
    ({"nb": "dato for siste endring (modified)", "en": "date of last change (modified)"},
     lambda e: bool(e.model.modified)),
    ({"nb": "antall personer eller registreringer", "en": "number of individuals or records"},
     lambda e: e.model.coverage.number_of_individuals is not None
     or e.model.coverage.number_of_records is not None),
    ({"nb": "aldersspenn", "en": "age range"},
     lambda e: e.model.coverage.age_min is not None or e.model.coverage.age_max is not None),
    ({"nb": "dekningsgrad", "en": "coverage rate"}, lambda e: bool(e.model.coverage.coverage_rates)),
    ({"nb": "tidsforsinkelse", "en": "time lag"}, lambda e: e.model.time_lag_days is not None),
    ({"nb": "diagnoser (ICD-10)", "en": "diseases (ICD-10)"}, lambda e: bool(e.model.diseases)),
    ({"nb": "kodeverk", "en": "coding systems"}, lambda e: bool(e.model.coding_systems)),
    ({"nb": "personopplysninger", "en": "personal data"}, lambda e: bool(e.model.personal_data)),
    ({"nb": "publikasjoner", "en": "publications"}, lambda e: bool(e.model.publications)),
    ({"nb": "koblede oppføringer", "en": "linked entries"}, lambda e: bool(e.model.linked_entries)),
    ({"nb": "lisens for metadata", "en": "metadata licence"}, lambda e: bool(e.model.licenses)),
    ({"nb": "engelsk eller norsk oversettelse", "en": "Norwegian or English translation"},
     lambda e: bool(e.model.translations)),
    ({"nb": "dokumenter til søknaden", "en": "documents for the application"},
     lambda e: bool(e.model.access.documents)),
    ({"nb": "tittel på hver variabel", "en": "a title for every variable"},
     lambda e: _all_variables(e, "title")),
    ({"nb": "beskrivelse av hver variabel", "en": "a description of every variable"},
     lambda e: _all_variables(e, "description")),
    ({"nb": "registerstadium eller antall prøver", "en": "registry stage or number of samples"},
     lambda e: (isinstance(e.model, RegistryEntry) and e.model.registry_stage is not None)
     or (isinstance(e.model, BiobankEntry) and e.model.biobank.number_of_samples is not None)),
]


@dataclass
class Completeness:
    filled: int
    total: int
    missing: list[dict[str, str]]

    @property
    def percent(self) -> int:
        return round(100 * self.filled / self.total)


def score(entry: LoadedEntry) -> Completeness:
    """Which optional details the entry gives, as a score and a list of what is missing."""
    missing = [labels for labels, check in CHECKS if not check(entry)]
    return Completeness(len(CHECKS) - len(missing), len(CHECKS), missing)
