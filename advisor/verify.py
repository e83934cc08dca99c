"""Citation checking: does a passage support a sentence?

Support combines embedding similarity (sentence vs. the passage's best sentence) and
lexical overlap (share of the sentence's content words found in the passage); on top,
every number in the sentence must occur in the passage. The best supporting sentence of
the passage becomes the citation's verbatim quote.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from advisor.passages import Passage
from advisor.sentences import split_sentences
from ingest.embedder import Embedder

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+|\d[\d,.]*")
_NUMBER = re.compile(r"(?<![\w.])[$€£]?\d[\d,]*(?:\.\d+)?\s?(?:%|x\b|bn\b|billion\b|million\b)?")
_STOPWORDS = frozenset(
    """
    a an and are as at be been but by can could did do does for from had has have he her his
    how i if in into is it its may more most must no not of on or our own should so such
    than that the their them then there these they this those to too under up was we were
    what when where which while who whom why will with would you your about also any both
    each other only over same some very just says said
    """.split()
)

EMBED_WEIGHT = 0.6
LEXICAL_WEIGHT = 0.4
SUPPORT_THRESHOLD = 0.55


@dataclass(frozen=True)
class Support:
    score: float
    numbers_ok: bool
    quote: str

    @property
    def supported(self) -> bool:
        return self.numbers_ok and self.score >= SUPPORT_THRESHOLD


def content_words(text: str) -> set[str]:
    return {w.lower().strip("'’-") for w in _WORD.findall(text) if w.lower() not in _STOPWORDS} - {
        ""
    }


def numbers_in(text: str) -> set[str]:
    """Numbers normalised for comparison: '5,000' -> '5000', '65 %' -> '65%'."""
    found = set()
    for match in _NUMBER.findall(text):
        value = match.replace(",", "").replace(" ", "").rstrip(".")
        value = value.lstrip("$€£")
        if value:
            found.add(value)
    return found


def _number_core(value: str) -> str:
    return re.sub(r"[^\d.]", "", value)


def numbers_supported(sentence: str, passage_text: str) -> bool:
    """Every number in the sentence occurs in the passage (units may differ in form)."""
    available = {_number_core(n) for n in numbers_in(passage_text)}
    return all(_number_core(n) in available for n in numbers_in(sentence))


def lexical_overlap(sentence: str, passage_text: str) -> float:
    words = content_words(sentence)
    if not words:
        return 0.0
    return len(words & content_words(passage_text)) / len(words)


class SupportChecker:
    """Scores sentences against passages with the shared embedder."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def score(self, sentences: Sequence[str], passages: Sequence[Passage]) -> list[list[Support]]:
        """support[i][j]: how well passage j supports sentence i."""
        if not sentences or not passages:
            return [[] for _ in sentences]
        passage_sentences = [split_sentences(p.text) or [p.text] for p in passages]
        flat = [s for group in passage_sentences for s in group]
        vectors = self.embedder.embed_documents(list(sentences) + flat)
        sentence_vecs, flat_vecs = vectors[: len(sentences)], vectors[len(sentences) :]
        table: list[list[Support]] = []
        for i, sentence in enumerate(sentences):
            row: list[Support] = []
            offset = 0
            for passage, group in zip(passages, passage_sentences):
                sims = [_dot(sentence_vecs[i], flat_vecs[offset + k]) for k in range(len(group))]
                offset += len(group)
                best = max(range(len(group)), key=sims.__getitem__)
                score = EMBED_WEIGHT * max(0.0, sims[best]) + LEXICAL_WEIGHT * lexical_overlap(
                    sentence, passage.text
                )
                row.append(
                    Support(
                        score=round(score, 4),
                        numbers_ok=numbers_supported(sentence, passage.text),
                        quote=group[best],
                    )
                )
            table.append(row)
        return table


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return float(sum(x * y for x, y in zip(a, b)))
