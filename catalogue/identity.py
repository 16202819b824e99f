"""Recognising Norwegian identity numbers, so personal data never reaches the catalogue.

A national identity number (fødselsnummer) or D-number is 11 digits: a date of birth (the day
plus 40 for a D-number, the month plus 40 or 80 for H- and synthetic test numbers), three
individual digits and two mod-11 check digits. Only numbers whose date and check digits are
valid count, so ordinary 11-digit figures are rarely mistaken for one.
"""

from __future__ import annotations

import re
from calendar import monthrange

_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_ORG_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
CANDIDATE = re.compile(r"(?<![\d])(\d{6})[ .-]?(\d{5})(?![\d])")


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int | None:
    rest = 11 - sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    if rest == 11:
        return 0
    return None if rest == 10 else rest


def is_national_id(number: str) -> bool:
    """True for a valid fødselsnummer or D-number (also H- and synthetic test numbers)."""
    if len(number) != 11 or not number.isdigit():
        return False
    d = [int(c) for c in number]
    if _check_digit(d[:9], _W1) != d[9] or _check_digit(d[:10], _W2) != d[10]:
        return False
    day, month = int(number[0:2]), int(number[2:4])
    if day > 40:
        day -= 40  # D-number
    if month > 80:
        month -= 80  # synthetic numbers (Skatteetaten's test population)
    elif month > 40:
        month -= 40  # H-number
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= monthrange(2000, month)[1]  # 2000 is a leap year: 29 Feb allowed


def find_national_ids(text: str) -> list[str]:
    """Every valid identity number written in a text, with or without a separator."""
    return [a + b for a, b in CANDIDATE.findall(text) if is_national_id(a + b)]


def is_organization_number(number: str) -> bool:
    """True for a nine-digit organisation number with a valid mod-11 check digit."""
    if len(number) != 9 or not number.isdigit():
        return False
    d = [int(c) for c in number]
    return _check_digit(d[:8], _ORG_WEIGHTS) == d[8]
