"""Evidence selection: which sentences of the retrieved passages answer the question.

Every evidence unit (a body sentence, a list item with its lead-in, a table row with its
headers) is scored by

- similarity: cosine between the question and the unit as read;
- coverage: the share of the question's focus words (what its answer has to be about)
  the unit or its section heading holds, each word weighted by its rarity in the library
  (IDF), so "employees" counts for more than "customer";
- fit: whether it holds the kind of answer asked for (a figure, a time, an owner).

A unit *addresses* the question when it covers enough of the focus words, however close
its embedding; it is *grounded* when its passage mentions everything the question names
(an organisation, a person, a place, a year).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from advisor.injection import evidence_units, strip_markers
from advisor.lexical import numbers_in, tokens
from advisor.passages import Passage
from advisor.question import Question
from advisor.roles import roles_in
from advisor.specifics import mentioned
from advisor.vectors import dot
from advisor.verify import showable
from ingest.embedder import Embedder
from ingest.evidence import EvidenceUnit

ADDRESS_MIN = 0.34  # share of the question's weighted focus words a unit must hold
CLOSE_ENOUGH = 0.6  # ... or this cosine with at least one of them
COVERAGE_WEIGHT = 0.35
FIT_WEIGHT = 0.1
NAMED_WEIGHT = 0.15  # the unit itself names what the question names
MAX_CANDIDATES = 160  # units embedded per question, the lexically closest first
_SUFFIXES = ("ership", "ations", "ation", "ments", "ment", "ings", "ing", "ers", "ed", "er", "s")
_YEAR = re.compile(r"^(19|20)\d\d$")
_DURATION = re.compile(
    r"\b\d[\d,.]*\s*(days?|weeks?|months?|years?|quarters?)\b|\b(january|february|march|"
    r"april|may|june|july|august|september|october|november|december|Q[1-4])\b",
    re.IGNORECASE,
)
_CAPITALISED_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+ [A-Z][a-z]+\b")

TermWeights = Callable[[str], dict[str, float]]


def stem(word: str) -> str:
    """A light stem, so that 'owns', 'owner' and 'ownership' meet at 'own'."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def stems(text: str) -> set[str]:
    return {stem(t) for t in tokens(text)}


@dataclass(frozen=True)
class Candidate:
    """One evidence unit of a retrieved passage, scored against the question."""

    unit: EvidenceUnit
    passage: Passage
    similarity: float
    coverage: float
    fits: bool
    grounded: bool
    names: float = 0.0  # share of the question's named things the unit itself names

    @property
    def score(self) -> float:
        return (
            self.similarity
            + COVERAGE_WEIGHT * self.coverage
            + FIT_WEIGHT * self.fits
            + NAMED_WEIGHT * self.names
        )

    @property
    def reading(self) -> str:
        return strip_markers(self.unit.reading)

    @property
    def addresses(self) -> bool:
        """Holds enough of what the question is about: its rarer focus words, or one of
        them and a close meaning. Closeness alone never is."""
        if self.coverage >= ADDRESS_MIN:
            return True
        return self.coverage > 0 and self.similarity >= CLOSE_ENOUGH

    @property
    def usable(self) -> bool:
        """Addresses the question and is about what it names."""
        return self.addresses and self.grounded


class EvidenceRanker:
    """Scores the evidence units of passages against a question."""

    def __init__(self, embedder: Embedder, term_weights: TermWeights) -> None:
        self.embedder = embedder
        self.term_weights = term_weights

    def rank(self, question: Question, passages: Sequence[Passage]) -> list[Candidate]:
        """Every showable unit of the passages, best first."""
        units = [
            (unit, p)
            for p in passages
            for unit in evidence_units(p.text, p.layout)
            if showable(unit)
        ]
        if not units:
            return []
        weights = self._focus_weights(question)
        covered = [_coverage(weights, unit.reading, _setting(p)) for unit, p in units]
        order = sorted(range(len(units)), key=lambda i: -covered[i])[:MAX_CANDIDATES]
        kept = [units[i] for i in order]
        vectors = self.embedder.embed_documents([question.text] + [u.reading for u, _ in kept])
        grounded = {p.chunk_id: _mentions_all(p, question.named) for _, p in kept}
        ranked = [
            Candidate(
                unit=unit,
                passage=passage,
                similarity=dot(vectors[0], vector),
                coverage=covered[i],
                fits=fits(question, unit.reading),
                grounded=grounded[passage.chunk_id],
                names=_names(question.named, unit.reading),
            )
            for i, (unit, passage), vector in zip(order, kept, vectors[1:])
        ]
        return sorted(ranked, key=lambda c: -c.score)

    def _focus_weights(self, question: Question) -> dict[str, float]:
        weights: dict[str, float] = {}
        for term, idf in self.term_weights(" ".join(sorted(question.focus))).items():
            key = stem(term)  # damped: one rare word should not outweigh all the others
            weights[key] = max(weights.get(key, 0.0), math.sqrt(max(idf, 0.0)))
        return weights


def fits(question: Question, reading: str) -> bool:
    """Whether the text holds the kind of answer the question asks for."""
    if question.answer_type == "figure":
        return any(not _YEAR.match(n) for n in numbers_in(reading))
    if question.answer_type == "time":
        return bool(_DURATION.search(reading)) or any(_YEAR.match(n) for n in numbers_in(reading))
    if question.answer_type == "owner":
        return bool(roles_in(reading)) or bool(_CAPITALISED_NAME.search(reading))
    return True


def _setting(passage: Passage) -> str:
    """What a sentence is read under: its document's title and its section heading."""
    return f"{passage.title} {passage.section or ''}"


def _coverage(weights: dict[str, float], reading: str, setting: str) -> float:
    total = sum(weights.values())
    if not total:
        return 1.0
    held = stems(reading) | stems(setting)
    return sum(w for term, w in weights.items() if term in held) / total


def _names(named: Sequence[str], reading: str) -> float:
    return sum(mentioned(name, reading) for name in named) / len(named) if named else 0.0


def _mentions_all(passage: Passage, named: Sequence[str]) -> bool:
    haystack = f"{passage.text} {passage.title} {passage.publisher} {passage.date}"
    return all(mentioned(name, haystack) for name in named)
