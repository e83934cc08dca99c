"""Eval metrics, all computable offline from an answer and its case.

Every function returns plain numbers and never NaN: an empty denominator has a stated
default (a metric with nothing to measure is reported with its count of zero, so a
reader can tell "perfect" from "not measured").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from advisor.render import unescaped
from advisor.verify import marker_numbers

# A judge says whether a sentence is supported by the (concatenated) texts it cites.
Judge = Callable[[str, Sequence[str]], bool]


def ratio(numerator: float, denominator: float, empty: float = 1.0) -> float:
    """numerator/denominator, or `empty` when there is nothing to measure."""
    return numerator / denominator if denominator else empty


def _normalise(text: str) -> str:
    """Lower case, Markdown escapes removed, unicode minus and non-breaking spaces folded,
    so '−12' matches '-12' and '\\$23 billion' matches '$23 billion'."""
    text = unescaped(text)
    return text.lower().replace("−", "-").replace("\u00a0", " ").replace("\u202f", " ")


@dataclass(frozen=True)
class RetrievalScore:
    hit: bool
    recall: float
    reciprocal_rank: float


def retrieval_score(sources: Sequence[str], expected: Sequence[str], k: int) -> RetrievalScore:
    """hit@k, recall@k and reciprocal rank of the first expected file in the top k.

    `sources` are retrieved paths in rank order (several may come from one file);
    `expected` are file names. With no expected files there is nothing to miss.
    """
    names = [Path(s).name for s in sources[:k]]
    wanted = set(expected)
    if not wanted:
        return RetrievalScore(True, 1.0, 1.0)
    found = wanted & set(names)
    first = next((rank for rank, name in enumerate(names, start=1) if name in wanted), None)
    return RetrievalScore(bool(found), len(found) / len(wanted), 1.0 / first if first else 0.0)


def missing_facts(answer: str, key_facts: Sequence[Sequence[str]]) -> list[str]:
    """Key facts (shown by their first variant) that no accepted variant of appears."""
    text = _normalise(answer)
    return [
        variants[0]
        for variants in key_facts
        if variants and not any(_normalise(v) in text for v in variants)
    ]


def forbidden_found(answer: str, forbidden: Sequence[str]) -> list[str]:
    text = _normalise(answer)
    return [f for f in forbidden if _normalise(f) in text]


@dataclass(frozen=True)
class CitationValidity:
    valid: int
    total: int
    out_of_range: tuple[int, ...]


def citation_validity(answer_text: str, n_citations: int) -> CitationValidity:
    """Markers like [2] or [1, 3] in the shown answer that point at a listed citation.
    (Sentence-level citation lists are checked by `sentence_support`.)"""
    markers = marker_numbers(answer_text)
    bad = tuple(sorted({n for n in markers if not 1 <= n <= n_citations}))
    valid = sum(1 for n in markers if 1 <= n <= n_citations)
    return CitationValidity(valid, len(markers), bad)


@dataclass(frozen=True)
class SentenceSupport:
    """ALCE-style scores for one shown sentence and the passages it cites."""

    text: str
    cited: tuple[int, ...]
    supported: bool  # citation recall: the cited passages together support it
    precise: tuple[int, ...]  # the citations that count as precise
    reason: str = ""


def sentence_support(
    text: str, cited: Sequence[int], quotes: dict[int, str], judge: Judge
) -> SentenceSupport:
    """Citation recall and precision for one sentence, after ALCE (Gao et al., 2023).

    Recall: the concatenation of all cited passages supports the sentence. Precision: a
    citation is precise when the sentence is supported and the citation is not
    irrelevant; it is irrelevant when it does not support the sentence alone and the
    remaining citations still support it without it.
    """
    cited = tuple(dict.fromkeys(n for n in cited if n in quotes))
    if not cited:
        return SentenceSupport(text, (), False, (), "no valid citation")
    supported = judge(text, [quotes[n] for n in cited])
    if not supported:
        return SentenceSupport(text, cited, False, (), "cited passages do not support it")
    if len(cited) == 1:
        return SentenceSupport(text, cited, True, cited)
    precise = []
    for n in cited:
        alone = judge(text, [quotes[n]])
        rest = judge(text, [quotes[m] for m in cited if m != n])
        if alone or not rest:
            precise.append(n)
    return SentenceSupport(text, cited, True, tuple(precise))


@dataclass(frozen=True)
class AbstentionScore:
    precision: float
    recall: float
    abstained: int
    expected: int
    correct: int


def abstention_score(outcomes: Sequence[tuple[bool, bool]]) -> AbstentionScore:
    """Outcomes are (must_abstain, abstained) per case.

    Precision: of the refusals, how many were right (1.0 when there were none: no
    answerable question was refused). Recall: of the questions that must be refused, how
    many were (1.0 when the suite has none).
    """
    abstained = sum(1 for _, did in outcomes if did)
    expected = sum(1 for must, _ in outcomes if must)
    correct = sum(1 for must, did in outcomes if must and did)
    return AbstentionScore(
        ratio(correct, abstained), ratio(correct, expected), abstained, expected, correct
    )


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100); 0.0 for no values."""
    data = sorted(v for v in values if not math.isnan(v))
    if not data:
        return 0.0
    position = (len(data) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (position - low)


_OPENERS = "([{\"'“‘"
_CLOSERS = {"(": ")", "[": "]", "{": "}"}


def is_complete_sentence(text: str) -> bool:
    """A shown sentence reads as a whole sentence: it starts with a capital letter or a
    digit (after an opening quote or bracket), ends with terminal punctuation (before a
    closing quote or bracket), has balanced brackets and at least five words."""
    body = text.strip()
    start = body.lstrip(_OPENERS)
    if not start or not (start[0].isupper() or start[0].isdigit()):
        return False
    if not body.rstrip("\"'”’)]").endswith((".", "!", "?", "…")):
        return False
    if body[0] in _CLOSERS and body[-1] != _CLOSERS[body[0]]:
        return False  # "(0.75 million, for data work)." is an aside, not a sentence
    depth: list[str] = []
    for ch in body:
        if ch in _CLOSERS:
            depth.append(_CLOSERS[ch])
        elif ch in _CLOSERS.values() and (not depth or depth.pop() != ch):
            return False
    return not depth and len(body.split()) >= 5


def facts_in_first(sentences: Sequence[str], key_facts: Sequence[Sequence[str]], n: int) -> bool:
    """Every key fact (one of its variants) appears in the first n shown sentences."""
    return not missing_facts(" ".join(sentences[:n]), key_facts)
