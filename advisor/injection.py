"""Recognise instruction-like text inside documents.

Documents are data. Passages are shown to the model as quoted excerpts, and any sentence
that reads like an instruction to an AI system is withheld from the prompt and can never
serve as evidence for an answer sentence.
"""

from __future__ import annotations

import re

_PATTERNS = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|rules|"
    r"guidelines|above|previous|prior)\b"
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


def looks_like_instruction(text: str) -> bool:
    return bool(_PATTERNS.search(text))


def redact_instructions(text: str) -> str:
    """The text with instruction-like sentences replaced by a marker."""
    from advisor.sentences import sentence_spans

    pieces: list[str] = []
    cursor = 0
    for start, end in sentence_spans(text):
        if looks_like_instruction(text[start:end]):
            pieces.append(text[cursor:start])
            pieces.append(REDACTED)
            cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
