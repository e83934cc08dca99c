"""Country names, for questions that ask which countries ("Which countries did the survey
cover?"): a sentence that names one answers in the kind asked for. The names are the
Unicode CLDR's English names of territories (through Babel), with the short forms
documents write for a few of them."""

from __future__ import annotations

import re
from functools import cache

from babel import Locale

_SHORT_FORMS = ("UK", "U.K.", "US", "U.S.", "USA", "Britain", "Holland", "EU")


@cache
def _pattern() -> re.Pattern[str]:
    territories = Locale("en").territories
    # Two-letter codes are countries and territories; numeric ones are world regions.
    names = {name for code, name in territories.items() if code.isalpha() and len(code) == 2}
    names = {n.split(" (")[0] for n in names} | set(_SHORT_FORMS)  # "Macao (SAR China)"
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:the\s+)?(?:{alternatives})(?![\w])")


def names_a_country(text: str) -> bool:
    """Whether the text names a country, as written (a capital first: "Turkey", never
    "turkey")."""
    return bool(_pattern().search(text))
