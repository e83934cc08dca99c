"""Citation checking: does a cited passage support an answer sentence?

For each sentence and passage, support combines embedding similarity (the sentence
against the passage's closest sentence) and lexical overlap (the share of the sentence's
content words found in the quote: that closest sentence, widened to a neighbour or two
when they carry more of the claim). On top of the score, hard rules apply: every number
and every acronym (CMO, CIO, NPS...) in the sentence must occur in the quote, and the
sentence must be a statement (not a question, heading or fragment). A sentence citing
the wrong passage is re-cited to the one that supports it; one that no passage supports
is flagged. The quote is the passage's supporting sentence(s), verbatim. A sentence that
cites two or more passages, none of which supports it alone (it sets two sources side by
side), is judged against their quotes together, and keeps every citation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from advisor.injection import evidence_units, looks_like_instruction
from advisor.lexical import content_words, numbers_in
from advisor.passages import Passage
from advisor.vectors import dot
from ingest.embedder import Embedder
from ingest.evidence import EvidenceUnit, is_question, read_with
from ingest.masthead import byline_author, person_name
from ingest.sentences import ends_a_sentence

EMBED_WEIGHT = 0.6
LEXICAL_WEIGHT = 0.4
# Two ways to be supported, calibrated on the embedded model's sentences over the
# starter corpus: a close paraphrase (very similar in meaning, half the words shared),
# or a looser rewording that keeps most of the quote's words.
PARAPHRASE = (0.85, 0.5)  # (min embedding similarity, min lexical overlap)
REWORDING = (0.6, 0.75)
MIN_CONTENT_WORDS = 3

_ACRONYM = re.compile(r"\b[A-Z][A-Z&]{1,5}s?\b")
_MARKER = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_ONLY_MARKERS = re.compile(r"^\s*(\[\d+(?:\s*[,;]\s*\d+)*\]\s*)+[.,;]?\s*$")
# (A question, asked or quoted, is `is_question`'s.)
_NOT_A_STATEMENT = re.compile(r"(#|^\W*$|:\s*$|^answer:|\((research|internal)\b)", re.I)


@dataclass(frozen=True)
class Support:
    """How well one passage supports one sentence."""

    score: float
    embed: float
    lexical: float
    numbers_ok: bool
    acronyms_ok: bool
    quote: str
    context: str = ""  # the lead-in or header row the quote is read with

    @property
    def supported(self) -> bool:
        close = any(self.embed >= e and self.lexical >= lex for e, lex in (PARAPHRASE, REWORDING))
        return self.numbers_ok and self.acronyms_ok and close


NO_SUPPORT = Support(0.0, 0.0, 0.0, False, False, "")


@dataclass
class CheckedSentence:
    """A sentence after the check; `passage` indexes the passages it was checked against."""

    text: str
    cited: list[int]
    passage: int | None
    support: Support | None
    recited: bool = False
    reason: str = ""
    alternatives: list[int] = field(default_factory=list)
    # Further cited passages that support it together with `passage` (a sentence that
    # sets two sources side by side, "Acme found 81%, Beta 40% [1][2]"): each with its
    # quote, as the answer cites them all.
    joint: list[tuple[int, Support]] = field(default_factory=list)

    @property
    def supported(self) -> bool:
        return self.support is not None and self.support.supported


def marker_numbers(text: str) -> list[int]:
    """Every number in citation markers, as written: 'A [1]. B [2, 5].' -> [1, 2, 5]."""
    return [int(n) for group in _MARKER.findall(text) for n in re.split(r"[,;]", group)]


def parse_citations(sentence: str) -> tuple[str, list[int]]:
    """'IT owns CX [2][3, 4].' -> ('IT owns CX.', [2, 3, 4]) (numbers as written)."""
    numbers = marker_numbers(sentence)
    text = _MARKER.sub("", sentence).strip()
    text = re.sub(r"\s+([.!,;:])", r"\1", text)
    return text, list(dict.fromkeys(numbers))


def acronyms_in(text: str) -> set[str]:
    return {a.rstrip("s") for a in _ACRONYM.findall(text)}


def statement_problem(sentence: str) -> str:
    """Why a sentence cannot be a checked claim, or '' when it can."""
    if _NOT_A_STATEMENT.search(sentence.strip()) or is_question(sentence):
        return "not a statement"
    if len(content_words(sentence)) < MIN_CONTENT_WORDS:
        return "too short to check"
    if looks_like_instruction(sentence):
        return "instruction-like text"
    return ""


_OPENERS = "\"'“‘«„([¿¡*_"
# A citation marker standing as a word of its sentence, after a preposition or "and"
# ("according to [7]", "as shown in [3]", "see [2]"), not as a footnote after a claim.
_MARKER_AS_WORD = re.compile(
    r"\b(?:to|in|and|or|of|by|from|see|cf\.?|with|per)\s*\[\d+(?:\s*[,;\u2013-]\s*\d+)*\]",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[^\W_]+")
# A step of a breadcrumb trail as a list item: it ends on the mark before the next step.
_TRAIL_STEP = re.compile(r"\s(?:/|>|»|›|→)\s*$")
_NUMBERED_ITEM = re.compile(r"^\s*\d{1,3}[.)]\s")
# A turn of a transcript or a thread: a time mark and a speaker's name before what they
# say ("[00:22:19] Joel Osei: Good question, Hannah.").
_TURN = re.compile(
    r"^\s*(?P<mark>\[\d{1,2}:\d{2}(?::\d{2})?\]\s*)?(?P<who>[^:\n]{3,60}):\s+(?P<said>\S.*)$"
)


def _bare_words(text: str) -> str:
    return " ".join(w.lower() for w in _WORDS.findall(text))


# "is" and "was" in the languages documents are read in: what says what someone is.
_COPULAS = frozenset("is was ist war est était es era è fu".split())


def _about_the_author(quote: str, author: str) -> bool:
    """A sentence that says what one of the document's own authors is, named in full as
    its subject ("Dennis Tölle ist Partner der Kanzlei ...", "Jane Doe is a senior
    analyst at ..."): the box about who wrote it, not what it finds. Not what they did
    ("Jane Doe presented the report"), nor a speaker's turn ("Jane Doe: ...") or a
    possessive ("Jane Doe's findings ...")."""
    opening = quote.lstrip(_OPENERS)
    for name in (" ".join(n.split()) for n in author.split(";")):
        if len(name.split()) >= 2 and opening.startswith(name):
            rest = opening[len(name) :].split(maxsplit=1)  # its first word on, if any
            spaced = opening[len(name) : len(name) + 1].isspace()
            if spaced and rest and rest[0].lower() in _COPULAS:
                return True
    return False


def showable(unit: EvidenceUnit, title: str = "", author: str = "") -> bool:
    """A unit an answer may show as evidence: a checkable statement of five words or
    more as it is judged (a list item with its lead-in: "Advertisement: Jane Doe" is a
    label and a name, not a finding; a body sentence on its own words, not lent length
    by the sentence it is shown with); never the document's own title said again (a
    headline run into the first paragraph); a body sentence must also be whole (closing
    punctuation), so a cut-off line never passes as a claim. A speaker's turn is judged
    on what the speaker says ("[00:22:19] Joel Osei: Good question, Hannah." is three
    words said, not six). A numbered list item is shown with the lead-in it belongs to,
    or not at all; a breadcrumb trail's step never. A sentence about the document's own
    `author` (its bio) is not a finding."""
    judged = unit.quote if unit.role == "body" else unit.judged  # its own words
    if statement_problem(judged) or len(judged) < 30 or len(judged.split()) < 5:
        return False
    turn = _TURN.match(unit.quote) if unit.role == "body" else None
    if turn and (turn["mark"] or person_name(turn["who"])) and len(turn["said"].split()) < 5:
        return False  # what the speaker says is a remark, not a statement to check
    if _MARKER_AS_WORD.search(judged):
        return False  # "According to [7] and [9], ...": shown without them, it reads broken
    if title and _bare_words(unit.quote) == _bare_words(title):
        return False
    if unit.role == "list_item" and _TRAIL_STEP.search(unit.quote):
        return False  # "1. Home /", "2. News >": a breadcrumb trail's step, not a finding
    if unit.role == "list_item" and _NUMBERED_ITEM.match(unit.quote) and not unit.context.strip():
        return False  # a numbered item read without what it counts ("3. <a headline>")
    if unit.role == "list_item" and person_name(unit.quote) and byline_author(judged):
        return False  # "Ein Beitrag von:" over "Jane Doe": a byline set as a list
    if unit.role != "body":
        return True
    if author and _about_the_author(unit.quote, author):
        return False
    # A sentence starts with a capital or a figure (or a name such as "eBay"); one that
    # starts in lower case is the tail of a sentence whose head is elsewhere (a code
    # line, a link) and cannot be read on its own.
    first = unit.quote.lstrip(_OPENERS).split(maxsplit=1)[0] if unit.quote.strip() else ""
    starts = first[:1].isupper() or first[:1].isdigit() or any(c.isupper() for c in first)
    return starts and ends_a_sentence(unit.quote)


class SupportChecker:
    """Scores sentences against passages with the shared embedder."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def score(self, sentences: Sequence[str], passages: Sequence[Passage]) -> list[list[Support]]:
        """support[i][j]: how well passage j supports sentence i."""
        if not sentences or not passages:
            return [[] for _ in sentences]
        # A passage that is all withheld text (an injection's paragraph) supports nothing.
        groups = [evidence_units(p.text, p.layout) for p in passages]
        flat = [u.reading for group in groups for u in group]
        vectors = self.embedder.embed_documents(list(sentences) + flat)
        sentence_vecs, flat_vecs = vectors[: len(sentences)], vectors[len(sentences) :]
        table: list[list[Support]] = []
        for i, sentence in enumerate(sentences):
            row: list[Support] = []
            offset = 0
            for passage, group in zip(passages, groups):
                sims = [dot(sentence_vecs[i], flat_vecs[offset + k]) for k in range(len(group))]
                offset += len(group)
                row.append(_support(sentence, passage.text, group, sims) if group else NO_SUPPORT)
            table.append(row)
        return table

    def check(self, draft: str, passages: Sequence[Passage]) -> list[CheckedSentence]:
        """Split a model's draft into sentences and check each one's citation."""
        from ingest.sentences import split_sentences

        pieces: list[str] = []
        for piece in split_sentences(draft):
            if pieces and _ONLY_MARKERS.match(piece):
                pieces[-1] = f"{pieces[-1]} {piece}"  # "Claim. [2]" belongs to the claim
            else:
                pieces.append(piece)
        parsed = [parse_citations(s) for s in pieces]
        results: list[CheckedSentence] = []
        checkable: list[int] = []
        for text, cited in parsed:
            problem = statement_problem(text)
            results.append(CheckedSentence(text, cited, None, None, reason=problem))
            if not problem:
                checkable.append(len(results) - 1)
        table = self.score([results[i].text for i in checkable], passages)
        for i, row in zip(checkable, table):
            _assign(results[i], row, len(passages))
        return results


def _assign(result: CheckedSentence, row: list[Support], n_passages: int) -> None:
    """Keep the cited passage if it supports the sentence, else re-cite or flag."""
    valid = [n - 1 for n in result.cited if 1 <= n <= n_passages]
    supporting = sorted(
        (j for j in range(len(row)) if row[j].supported), key=lambda j: -row[j].score
    )
    cited_ok = [j for j in valid if row[j].supported]
    best: int | None
    together = None if cited_ok else _together(result.text, {j: row[j] for j in valid})
    if together is not None:
        best, result.joint = together[0], together[1]
        result.passage = best
        result.support = together[2]
        return
    if cited_ok:
        best = max(cited_ok, key=lambda j: row[j].score)
    elif supporting:
        best = supporting[0]
        result.recited = True
    else:
        best = max(range(len(row)), key=lambda j: row[j].score) if row else None
        result.reason = (
            "no passage supports it" if valid else "no citation, and no passage supports it"
        )
    result.passage = best
    result.support = row[best] if best is not None else None
    result.alternatives = [j for j in supporting if j != best]
    if result.support is not None and not result.supported and best is not None:
        s = result.support
        if not s.numbers_ok:
            result.reason = "a number is not in the cited passage"
        elif not s.acronyms_ok:
            result.reason = "a name or acronym is not in the cited passage"


def _together(
    sentence: str, cited: dict[int, Support]
) -> tuple[int, list[tuple[int, Support]], Support] | None:
    """A sentence that cites two or more passages, none of which supports it alone, judged
    against their quotes together: every number and acronym it gives is in one of them,
    its words are shared with them as a sentence's with its one quote must be, each quote
    gives something of it the others do not (a citation that adds nothing is no
    support), and it is as close in meaning to one of them as a reworded sentence is to
    its quote. Returns the closest passage, the others with their quotes, and the joint
    support; None where they do not support it together."""
    if len(cited) < 2:
        return None
    words, needed, names = content_words(sentence), numbers_in(sentence), acronyms_in(sentence)
    read = {j: read_with(s.quote, s.context) for j, s in cited.items()}
    said = {
        j: (content_words(t) & words, numbers_in(t) & needed, acronyms_in(t) & names)
        for j, t in read.items()
    }
    for j, own in said.items():
        others = [said[k] for k in said if k != j]
        if not any(part - set().union(*(o[n] for o in others)) for n, part in enumerate(own)):
            return None  # it adds nothing the other quotes do not
    covered = [set().union(*(own[n] for own in said.values())) for n in range(3)]
    best = max(cited, key=lambda j: cited[j].embed)
    lexical = len(covered[0]) / len(words) if words else 0.0
    joint = Support(
        score=round(EMBED_WEIGHT * cited[best].embed + LEXICAL_WEIGHT * lexical, 4),
        embed=cited[best].embed,
        lexical=round(lexical, 4),
        numbers_ok=needed <= covered[1],
        acronyms_ok=names <= covered[2],
        quote=cited[best].quote,
        context=cited[best].context,
    )
    if not joint.supported:
        return None
    return best, [(j, cited[j]) for j in cited if j != best], joint


def _support(
    sentence: str, passage_text: str, units: list[EvidenceUnit], sims: list[float]
) -> Support:
    """Score the sentence against its quote: the passage's evidence unit closest in
    meaning, widened by up to two neighbours while that adds words, numbers or names the
    sentence uses. Lexical, number and acronym checks run against the quote as it is
    read (a list item with its lead-in, a table row with its headers)."""
    words, needed, names = content_words(sentence), numbers_in(sentence), acronyms_in(sentence)
    best = max(range(len(units)), key=sims.__getitem__)
    lo = hi = best

    def context(a: int, b: int) -> str:
        """The lead-in or header row units a..b are read with, if they share one."""
        return units[a].context if units[a].context == units[b].context else ""

    def reading(a: int, b: int) -> str:
        if a == b:
            return units[a].reading
        return read_with(passage_text[units[a].start : units[b].end], context(a, b))

    def coverage(a: int, b: int) -> tuple[int, int, int]:
        text = reading(a, b)
        return (
            len(words & content_words(text)),
            len(needed & numbers_in(text)),
            len(names & acronyms_in(text)),
        )

    def adjacent(i: int) -> bool:
        """Units i and i+1 touch (no withheld text between them) and are read alike."""
        gap = passage_text[units[i].end : units[i + 1].start]
        return not gap.strip() and units[i].role == units[i + 1].role

    for _ in range(2):
        current = coverage(lo, hi)
        options = [(lo, hi + 1)] if hi + 1 < len(units) and adjacent(hi) else []
        options += [(lo - 1, hi)] if lo > 0 and adjacent(lo - 1) else []
        gains = [(coverage(a, b), (a, b)) for a, b in options]
        gains = [g for g in gains if sum(g[0]) > sum(current)]
        if not gains:
            break
        lo, hi = max(gains)[1]

    text = reading(lo, hi)
    lexical = len(words & content_words(text)) / len(words) if words else 0.0
    embed = max(0.0, sims[best])
    return Support(
        score=round(EMBED_WEIGHT * embed + LEXICAL_WEIGHT * lexical, 4),
        embed=round(embed, 4),
        lexical=round(lexical, 4),
        numbers_ok=needed <= numbers_in(text),
        acronyms_ok=names <= acronyms_in(text),
        quote=passage_text[units[lo].start : units[hi].end],
        context=context(lo, hi),
    )
