"""Sentence splitting that returns verbatim substrings, so a sentence can be a quote."""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[.!?])[\"”')\]]*\s+(?=[\"“(\[]?[A-Z0-9€$£])")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "Dr.", "Mr.", "Ms.", "Mrs.", "U.S.", "U.K.", "No.")
_HEADING_OR_RULE = re.compile(r"^\s*(#{1,6}\s|[-=*_]{3,}\s*$|\|?\s*:?-{3,})")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, each a substring of it; headings and rules are left out.

    Lines are boundaries too (lists, tables and headings are one per line); list
    markers are not part of the sentence.
    """
    sentences: list[str] = []
    for line in text.splitlines():
        if not line.strip() or _HEADING_OR_RULE.match(line):
            continue
        marker = _LIST_MARKER.match(line)
        body = line[marker.end() :] if marker else line
        start = 0
        for match in _BOUNDARY.finditer(body):
            candidate = body[start : match.start()].strip()
            if candidate.endswith(_ABBREVIATIONS):
                continue
            if candidate:
                sentences.append(candidate)
            start = match.end()
        tail = body[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences
