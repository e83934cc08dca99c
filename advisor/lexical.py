"""Word-level text features shared by BM25 retrieval and the citation check."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9][a-z0-9'’&-]*")
_NUMBER = re.compile(r"(?<![\w.])[$€£]?\d[\d,]*(?:\.\d+)?(?:\s?%)?")
STOPWORDS = frozenset(
    """
    a an and are as at be been but by can could did do does for from had has have he her his
    how i if in into is it its may more most must no not of on or our own should so such
    than that the their them then there these they this those to too under up was we were
    what when where which while who whom why will with would you your about also any both
    each other only over same some very just says said here us me my
    """.split()
)


def tokens(text: str) -> list[str]:
    """Lower-cased content words, light plural folding ('leaders' -> 'leader') and no
    possessive ending ("Gartner's" -> 'gartner')."""
    out = []
    for word in _WORD.findall(text.lower()):
        word = word.strip("'’-")
        if word.endswith(("'s", "’s")):  # a possessive: "Pega's" is Pega
            word = word[:-2]
        if not word or word in STOPWORDS:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return out


def content_words(text: str) -> set[str]:
    return set(tokens(text))


def numbers_in(text: str) -> set[str]:
    """Numbers in a canonical form: '5,000' -> '5000', '65 %' -> '65'; years included."""
    found = set()
    for match in _NUMBER.findall(text):
        value = re.sub(r"[^\d.]", "", match).rstrip(".")
        if value:
            found.add(value)
    return found
