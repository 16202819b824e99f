"""The checks' registry: every check of the validator, in one list.

Each module that emits findings declares its `CHECKS` (`catalogue.validation.rules.Check`); this
is the one place that collects them, for the reference pages and the test that keeps
`validators/rules.yaml` and the code in step. The cache fingerprint needs no list: it hashes
every module of the validation package (`run.fingerprint`).
"""

from __future__ import annotations

from catalogue.validation import crossref, discover, review, run, yaml_reader
from catalogue.validation.checks import bbmri, format_rules, raw_text
from catalogue.validation.rules import Check

REGISTRY: tuple[Check, ...] = (
    *discover.CHECKS,
    *yaml_reader.CHECKS,
    *run.CHECKS,
    *raw_text.CHECKS,
    *format_rules.CHECKS,
    *crossref.CHECKS,
    *review.CHECKS,
    *bbmri.CHECKS,
)


def declared_codes() -> set[str]:
    """Every finding code some check declares."""
    return {code for c in REGISTRY for code in c.codes}
