"""Whether the library answers a question, and what to say when it does not: which
passages are relevant enough to read, what the library lacks in words, the note on a side
(research or the organisation's own documents) that is silent, and the refusal text that
names the closest documents.
"""

from __future__ import annotations

from collections.abc import Sequence

from advisor.lexical import content_words
from advisor.passages import Passage
from advisor.question import Question
from advisor.render import plain
from advisor.selection import Candidate

MIN_RELEVANCE = 0.3
LEAST_RELEVANCE = 0.15  # below this, no passage is relevant whatever words it shares
ABSTAIN_TEXT = "The sources in the library do not answer this question."


def is_relevant(passage: Passage, question: str, named: Sequence[str] = ()) -> bool:
    """Close in meaning, or sharing most of the question's content words; a passage of
    a publisher the question names ("the Brightwater working paper") only needs to be
    somewhat close, since the search was kept to that publisher's documents and what
    in it answers is judged sentence by sentence."""
    if passage.score >= MIN_RELEVANCE:
        return True
    if passage.score < LEAST_RELEVANCE:
        return False
    if passage.publisher and passage.publisher in named:
        return True
    terms = content_words(question)
    if not terms:
        return False
    return len(terms & content_words(passage.text)) / len(terms) >= 0.6


def missing_text(question: Question, ranked: Sequence[Candidate], unmatched: Sequence[str]) -> str:
    """What the library lacks, in words, when no sentence answers the question: what it
    names is there but nothing about it answers, or each of the things it names is
    mentioned somewhere but no document read speaks of them together ("NPS", "Forrester"
    and "2021" for "What NPS did Forrester report for our company in 2021?")."""
    if not question.named:
        return ""
    names = listed(question.named)
    if any(c.grounded for c in ranked):
        return f"The library mentions {names}, but no passage about it answers this."
    if len(question.named) > 1 and ranked and not unmatched:
        return f"The library mentions {names}, but no document read speaks of them together."
    return ""


def listed(names: Sequence[str]) -> str:
    return " and ".join(names) if len(names) < 3 else f"{', '.join(names[:-1])} and {names[-1]}"


def gap_note(has_research: bool, has_internal: bool) -> str:
    if not has_internal:
        return "none of your internal documents address this; the answer rests on research only."
    if not has_research:
        return "no research in the library addresses this; the answer rests on your documents only."
    return ""


def abstain_text(passages: Sequence[Passage], unmatched: Sequence[str], missing: str) -> str:
    if not passages:
        return f"{ABSTAIN_TEXT} The library has no documents matching the filters."
    best: dict[str, Passage] = {}  # each document once, by its closest passage
    for passage in passages:
        if passage.score > best.setdefault(passage.doc_id, passage).score:
            best[passage.doc_id] = passage
    nearest = sorted(best.values(), key=lambda p: -p.score)[:3]
    closest = "; ".join(f"{plain(p.title)} ({p.score:.2f})" for p in nearest)
    if unmatched:
        missing = f"No retrieved passage mentions {', '.join(unmatched)}. {missing}"
    said = f" {plain(missing)}" if missing.strip() else ""
    return f"{ABSTAIN_TEXT}{said} Closest documents: {closest}."
