"""Recognise instruction-like text inside documents.

Documents are data. Passages are shown to the model as quoted excerpts. A paragraph that
holds a sentence reading like an instruction to an AI system is withheld from the prompt
as a whole (the claims planted next to an injection are as untrusted as the injection)
and can never serve as evidence. Citation-like markers such as "[3]" inside documents are
removed from what the model sees and from answer text, so they cannot pose as citations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.evidence import EvidenceUnit, units_in
from ingest.layout import LaidOutBlock

_PATTERNS = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|rules|"
    r"guidelines|above|previous|prior|sources?|documents?|context|library)\b"
    r"|(?-i:(^|\n)\W*(SYSTEM|ASSISTANT|DEVELOPER)\b[^:\n]{0,20}:)"
    r"|\b(assistant|ai|model|chatbot|llm)s?\s+(instructions?|directives?)\b"
    r"|\bnote to (any|the|all) (ai|assistants?|models?|llms?|chatbots?)\b"
    r"|\b(system|developer) (prompt|message|instructions?)\b"
    r"|\byou are (now|no longer)\b|\bact as\b.{0,30}\b(assistant|model|ai)\b"
    r"|\b(assistant|ai|model|chatbot|llm)s?\b.{0,40}\b(must|should|shall) (now |always |only )?"
    r"(say|answer|reply|respond|output|state|cite|claim)"
    r"|\b(respond|answer|reply) (only )?with\b"
    r"|<\s*/?\s*(system|assistant|user|start_of_turn|end_of_turn)\s*>|<start_of_turn>|<end_of_turn>"
    r"|\[\s*(inst|/inst|system)\s*\]",
    re.IGNORECASE | re.DOTALL,
)

REDACTED = "[instruction-like text withheld]"
_MARKERS = re.compile(r"\s*\[\d+(?:\s*[,;\u2013-]\s*\d+)*\]")
_BLOCK = re.compile(r"(?:[^\n]|\n(?![ \t]*\n))+")  # a paragraph: no blank line inside


def looks_like_instruction(text: str) -> bool:
    return bool(_PATTERNS.search(text))


def strip_markers(text: str) -> str:
    """'Acme is recommended [3].' -> 'Acme is recommended.'"""
    return _MARKERS.sub("", text)


def _scan(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(sentence spans that may be evidence, tainted paragraphs), from one pass that
    splits the text into sentences and tests each once."""
    units, tainted = _scan_units(text, None)
    return [(u.start, u.end) for u in units], tainted


def _scan_units(
    text: str, layout: Sequence[LaidOutBlock] | None
) -> tuple[list[EvidenceUnit], list[tuple[int, int]]]:
    units = units_in(text, layout)
    flagged = [(u.start, u.end) for u in units if looks_like_instruction(u.reading)]
    tainted = [
        m.span()
        for m in _BLOCK.finditer(text)
        if any(a < m.end() and b > m.start() for a, b in flagged)
    ]
    clean = [u for u in units if not any(u.start < end and u.end > start for start, end in tainted)]
    return clean, tainted


def tainted_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph that holds instruction-like text."""
    return _scan(text)[1]


def evidence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans that may serve as evidence: none from a tainted paragraph."""
    return _scan(text)[0]


def evidence_units(text: str, layout: Sequence[LaidOutBlock] | None = None) -> list[EvidenceUnit]:
    """What in a passage may serve as evidence, read with its block roles (body
    sentences, list items with their lead-in, table rows with their headers): nothing
    from a tainted paragraph."""
    return _scan_units(text, layout)[0]


def redact_instructions(text: str) -> str:
    """The text with tainted paragraphs replaced by a marker and citation-like markers
    removed: what the model is shown of a document."""
    pieces: list[str] = []
    cursor = 0
    for start, end in tainted_blocks(text):
        pieces.append(strip_markers(text[cursor:start]))
        pieces.append(REDACTED)
        cursor = end
    pieces.append(strip_markers(text[cursor:]))
    return "".join(pieces)
