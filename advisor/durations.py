"""A length of time in the other units it may be written in: "within a minute" is "within
60 seconds", "a day after" is "after 24 hours", "12 months" is "a year".

Only exact conversions count (a month is not a fixed number of days): seconds, minutes,
hours, days and weeks convert among themselves, and months and years between them.
"""

from __future__ import annotations

import re
from fractions import Fraction

# Each unit in the smallest unit of its family.
_FAMILIES: tuple[dict[str, int], ...] = (
    {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800},
    {"month": 1, "year": 12},
)
_UNIT = {unit: family for family in _FAMILIES for unit in family}
UNITS = frozenset(_UNIT) | {f"{unit}s" for unit in _UNIT}
_COUNTS = "one two three four five six seven eight nine ten".split()
_WORDS: dict[str, Fraction] = {word: Fraction(n) for n, word in enumerate(_COUNTS, start=1)}
_WORDS |= {"a": Fraction(1), "an": Fraction(1), "twelve": Fraction(12)}
_WORDS |= {"half a": Fraction(1, 2), "half an": Fraction(1, 2)}
_LENGTH = re.compile(
    rf"\b(\d+(?:\.\d+)?|{'|'.join(sorted(_WORDS, key=len, reverse=True))})[\s-]+"
    rf"({'|'.join(_UNIT)})s?\b",
    re.IGNORECASE,
)
_MOST = 100_000  # a whole number of this many units at most is a way it is written


def _amount(written: str) -> Fraction:
    return _WORDS.get(written.lower()) or Fraction(written)


def equivalents(text: str) -> set[tuple[str, str]]:
    """The (number, unit) pairs each length of time in `text` is also written as, in whole
    numbers of another unit: "60 seconds" -> {("1", "minute")}; "a day" -> {("24",
    "hour"), ("1440", "minute"), ("86400", "second")}."""
    out: set[tuple[str, str]] = set()
    for match in _LENGTH.finditer(text):
        unit = match.group(2).lower()
        family = _UNIT[unit]
        length = _amount(match.group(1)) * family[unit]
        for other, size in family.items():
            value = length / size
            if other != unit and value.denominator == 1 and 1 <= value <= _MOST:
                out.add((str(value.numerator), other))
    return out
