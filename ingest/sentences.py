"""Sentence splitting that keeps character spans, so a sentence (or a run of adjacent
sentences) can be quoted verbatim from the passage it came from."""

from __future__ import annotations

import re

from ingest.masthead import names_month

# After a sentence's closing mark and the quotes or brackets that close with it (they
# belong to the sentence), space and what opens the next one.
_BOUNDARY = re.compile(r"(?<=[.!?])([\"”’')\]]*)\s+(?=[\"“‘(\[]?[A-Z0-9€$£+−-])")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "Dr.", "Mr.", "Ms.", "Mrs.", "U.S.", "U.K.", "No.")
_DAY_NUMBER = re.compile(r"(?:^|[\s(–-])[0-3]?\d\.$")
_DAY_RANGE = re.compile(r"[0-3]?\d\.\s?[–-]\s?[0-3]?\d\.$")
_YEAR = re.compile(r"(?:19|20)\d\d\b")
# A name's initials: a capital letter and its full stop, one of two or more in a row
# ("E. T. A. Hoffmann", "J. D. Power"). One alone ends a sentence as often ("Option B.").
_INITIAL = re.compile(r"(?:^|\s)[A-Z]\.$")
_INITIALS = re.compile(r"(?:^|\s)[A-Z]\.\s?[A-Z]\.$")
_NEXT_INITIAL = re.compile(r"[A-Z]\.\s")
_HEADING_OR_RULE = re.compile(r"^\s*(#{1,6}\s|[-=*_]{3,}\s*$|\|?\s*:?-{3,})")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
# A closing stop, perhaps inside a closing quote or bracket.
_CLOSING = re.compile(r"[.!?…][\"'”’)\]]*$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`; headings and rules are left out.

    Lines are boundaries too (lists, tables and headings are one per line); list markers
    are not part of the sentence.
    """
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        line_start, offset = offset, offset + len(line)
        if not line.strip() or _HEADING_OR_RULE.match(line):
            continue
        marker = _LIST_MARKER.match(line)
        begin = marker.end() if marker else 0
        body = line[begin:].rstrip("\r\n")
        start = 0
        for match in _BOUNDARY.finditer(body):
            candidate = body[start : match.start()]
            if candidate.strip().endswith(_ABBREVIATIONS) or _open_bracket(candidate):
                continue
            if _DAY_NUMBER.search(candidate) and _dated(body[match.end() :], candidate):
                continue  # a day written as an ordinal: "am 22. August 2015", "22.-23. Mai"
            if _initials(candidate, body[match.end() :]):
                continue
            _add(spans, line_start + begin, body, start, match.start() + len(match.group(1)))
            start = match.end()
        _add(spans, line_start + begin, body, start, len(body))
    return spans


def _dated(rest: str, before: str) -> bool:
    """`rest` opens on the month of a day that `before` ends on: a year follows it, or the
    day ends a range of days ("22.-23. Mai")."""
    words = rest.split()[:2]
    if not words or not names_month(words[0]):
        return False
    year = len(words) > 1 and bool(_YEAR.match(words[1]))
    return year or bool(_DAY_RANGE.search(before))


def _initials(before: str, rest: str) -> bool:
    """`before` ends on a name's initial, one of a run of two or more (the next one
    opens `rest`, or one stands before it)."""
    before = before.rstrip()
    return bool(_INITIAL.search(before)) and bool(
        _INITIALS.search(before) or _NEXT_INITIAL.match(rest)
    )


def _open_bracket(text: str) -> bool:
    """A bracket opened and not yet closed: the sentence goes on inside it ('(max. 40
    MB/s)', '(vgl. Abb. 2)'), so a full stop there is an abbreviation's."""
    return text.count("(") > text.count(")") or text.count("[") > text.count("]")


def _add(spans: list[tuple[int, int]], base: int, body: str, start: int, end: int) -> None:
    piece = body[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append((base + start + lead, base + start + lead + len(stripped)))


def without_list_marker(text: str) -> str:
    """A list item's text without its bullet or number ("3. Home" -> "Home")."""
    return _LIST_MARKER.sub("", text, count=1)


def ends_a_sentence(text: str) -> bool:
    """The text ends as a sentence does: a closing stop, perhaps inside a closing quote
    or bracket ('... of +20.', '... "two-in-a-box" pair.")')."""
    return bool(_CLOSING.search(text))


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, each a substring of it."""
    return [text[a:b] for a, b in sentence_spans(text)]
