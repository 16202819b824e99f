"""Recognising Norwegian identity numbers, so personal data never reaches the catalogue.

A national identity number (fødselsnummer) or D-number is 11 digits: a date of birth (the day
plus 40 for a D-number, the month plus 40 or 80 for H- and synthetic test numbers), three
individual digits and two mod-11 check digits. Only numbers whose date and check digits are
valid count, so ordinary 11-digit figures are rarely mistaken for one.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable
from functools import lru_cache
from itertools import accumulate

_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_ORG_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
# People write the eleven digits in groups (010190 12345, 01.01.90 123 45, 010190-12345), and YAML
# may fold them over two lines: groups of two or more digits, split by spaces and at most one dot,
# dash or line break. Single digits apart are left alone: that is a list, not a number.
_SEP = r"[ \t]*(?:(?:\r?\n|[.\-])[ \t]*)?"
_RUN = re.compile(r"(?<!\d)\d\d+(?:" + _SEP + r"\d\d+)*")  # whole groups of two or more digits
_NOT_DIGITS = re.compile(r"\D+")
# Stretches of at least eleven digits and separators, starting with a digit: a cheap first pass
# (most of a file is letters), inside which `_RUN` looks for the groups.
_SPAN = re.compile(r"\d[\d \t.\-\r\n]{10,}")
_GROUP = re.compile(r"\d+")


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int | None:
    rest = 11 - sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    if rest == 11:
        return 0
    return None if rest == 10 else rest


@lru_cache(maxsize=4096)  # a file that repeats one number checks it once
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


def find_national_ids(text: str, limit: int = 0) -> list[tuple[int, str]]:
    """(offset, number) of every valid identity number in a text, however its digits are grouped.

    Every window of whole digit groups that holds exactly eleven digits is a candidate; only those
    whose date and check digits are valid count. `limit` stops after that many. The work per
    group is done by the regex engine and set operations, so a 5 MB file of digit groups takes
    well under a second.
    """
    found: list[tuple[int, str]] = []
    runs = (run for span in _SPAN.finditer(text) for run in _RUN.finditer(text, *span.span()))
    for run in runs:
        digits_and_seps = run.group()
        if len(digits_and_seps) < 11:
            continue
        groups = _NOT_DIGITS.split(digits_and_seps)
        digits = "".join(groups)
        cums = [0, *accumulate(map(len, groups))]  # digits before each group
        ends = set(cums)
        starts = sorted(c - 11 for c in ends.intersection([c + 11 for c in cums]))
        offsets: list[int] = []
        for start in starts:
            number = digits[start : start + 11]
            if not is_national_id(number):
                continue
            if not offsets:  # the text offset of each group, only for a run with a hit
                offsets = [m.start() for m in _GROUP.finditer(digits_and_seps)]
                group_of = {c: i for i, c in enumerate(cums)}
            first, last = group_of[start], group_of[start + 11] - 1
            begin = run.start() + offsets[first]
            end = run.start() + offsets[last] + len(groups[last])
            if _glued(text, begin, end, str.isalpha if last > first else _HEX_LETTERS.__contains__):
                continue  # digits of an identifier, not a number written in groups
            found.append((begin, number))
            if len(found) == limit:
                return found
    return found


_HEX_LETTERS = frozenset("abcdefABCDEF")


def _glued(text: str, begin: int, end: int, letter: Callable[[str], bool]) -> bool:
    """Whether the digits at text[begin:end] touch a `letter`: digits of an identifier. Groups
    touching any letter: a UUID such as `...-a079-00793701ed5f` holds digit groups that add up
    to eleven by chance, and no one writes a number that way. One group of eleven touching a
    letter a-f: a UUID's last group (`c56845377621`) or a hash; `fnr12345678901` is a number."""
    return (begin > 0 and letter(text[begin - 1])) or (end < len(text) and letter(text[end]))


def is_organization_number(number: str) -> bool:
    """True for a nine-digit organisation number with a valid mod-11 check digit."""
    if len(number) != 9 or not number.isdigit():
        return False
    d = [int(c) for c in number]
    return _check_digit(d[:8], _ORG_WEIGHTS) == d[8]
