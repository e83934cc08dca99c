"""Whether a sentence gives advice ("should", "we recommend", "is best placed") rather
than reports how things are, said by the sentence itself and not inside a question it
reports ("The survey asked who should own CX")."""

from __future__ import annotations

import re

ADVICE = re.compile(
    r"\b(should|must|needs? (?:to|a|an|the|one|its)|ought to|recommend\w*|advis\w+|advice|"
    r"best placed|has to|have to|is key|are key|essential|critical|requires?)\b",
    re.IGNORECASE,
)
# "... who should own customer experience ...": the question, not advice.
_ASKED_BEFORE = re.compile(r"\b(who|whether|what|which|how|if)\s+(\S+\s+){0,2}$", re.I)


def said(pattern: re.Pattern[str], reading: str) -> bool:
    """The sentence says it, not inside a question it reports ("... asked which roles own
    CX", "where Pega stands on who should own CX")."""
    return any(not _ASKED_BEFORE.search(reading[: m.start()]) for m in pattern.finditer(reading))


# "... stops short of recommending a limit", "... without requiring one", "... records
# ownership rather than recommending an owner": advice declined. ("We do not recommend a
# limit" is advice: against.)
_DECLINED = re.compile(r"\b(?:short\s+of|without|rather\s+than|instead\s+of)\s+$", re.I)


# The end of the sentence a word stands in: what ends it tells whether it is a question.
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def advises(reading: str) -> bool:
    """The sentence recommends something (not where it says advice is held back, nor in
    a question it is read after: "Should agents be paid on customer scores? Where the
    payout ...")."""
    return any(
        not _ASKED_BEFORE.search(before)
        and not _DECLINED.search(before)
        and not _in_question(reading, m.end())
        for m in ADVICE.finditer(reading)
        for before in (reading[: m.start()],)
    )


def _in_question(reading: str, at: int) -> bool:
    end = _SENTENCE_END.search(reading, at)
    return end is not None and end.group() == "?"
