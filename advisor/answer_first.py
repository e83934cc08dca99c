"""Answer-first composition: which evidence sentences answer a question, and in what order.

The first shown sentence answers the question (for a fact question, the sentence holding
the asked figure or name); then only sentences that add to it: close to the first, holding
a part of the question the others leave out, not saying again what is shown. The
candidates come scored from `advisor.selection`; this module only chooses among them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from functools import partial

from advisor.positions import describes_itself
from advisor.question import Question
from advisor.selection import (
    ANAPHORA_PENALTY,
    CLOSE_ENOUGH,
    Candidate,
    fits,
    holds_count,
    holds_figure,
    is_period_word,
    is_year,
    paragraph_before,
    parts_of_totals,
    row_named,
    says_a_change,
    stem,
    stems,
    titles_asked,
)
from advisor.specifics import mentioned
from ingest.sentences import ends_a_sentence, without_list_marker

DIRECT_MAX = 3  # sentences in a direct answer: the answer, then what adds to it
DIRECT_MARGIN = 0.25  # a further sentence scores within this of the answering one
TITLE_BONUS = 0.05  # for a first figure from a document whose title names what is asked
NOVELTY = 0.15  # for a further sentence holding a part of the question not yet answered
# A contested question no source took a position on is answered by a sentence holding
# more than half of what its telling words weigh: the larger part of what it asks about.
MOST_OF_IT = 0.5


def answer_about(question: Question, ranked: Sequence[Candidate]) -> list[Candidate]:
    """`answer_first`, where a question on which no source took a position is answered
    only by sentences about what it asks: holding most of the weight of the words that
    tell what it is about, not only the words most documents use ("customer", "CX"), the
    question's examples ("such as NPS") or one side of it ("scored +41" holds the scores
    of "Should frontline bonuses be tied to customer scores?", not the bonuses)."""
    if question.intent == "strategy":
        ranked = [c for c in ranked if c.told > MOST_OF_IT]
    return answer_first(question, ranked)


@dataclass(frozen=True)
class AskedWords:
    """The stems of what a question asks about, as answer-first weighs sentences by them."""

    focus: frozenset[str]  # its focus words
    asked: frozenset[str]  # those and the names it gives
    measured: frozenset[str]  # what a figure asked for measures; empty for other answers
    about: frozenset[str]  # its focus words less those that say only when ("2026", "Q3")

    @classmethod
    def of(cls, question: Question) -> AskedWords:
        focus = frozenset(stem(t) for t in question.focus)
        asked = focus | stems(" ".join(question.named))
        return cls(
            focus=focus,
            asked=asked,
            measured=asked if question.answer_type == "figure" else frozenset(),
            about=frozenset(stem(t) for t in question.focus if not is_period_word(t)),
        )


def answer_first(question: Question, ranked: Sequence[Candidate]) -> list[Candidate]:
    """The sentence that answers the question first, then only sentences that add to it.

    The first is the best sentence that addresses the question, is about what it names
    and holds the kind of answer asked for (a figure, a time, an owner); failing that,
    the best that addresses it, except that a figure or a time asked about something
    named (a firm, a person, a year) must be there. When nothing addresses a question
    that names something, the library does not answer it: nothing is returned.
    A question that names nothing gets the closest sentence, since its words may simply
    be other words for the document's. Further sentences must address the question and
    score close to the first.
    """
    # A sentence on what its own document is for ("This source is useful when a leader
    # asks ...", or one that goes on from it: "It shows that ...") answers nothing.
    ranked = [c for c in ranked if not describes_itself(c)]
    # A sentence that names another document read for the question by its title ("Jonas
    # Weber presented the Q3 2026 NPS and Complaints Report.") is about that document,
    # whose own sentences say what it reports: they answer before it, and it adds nothing.
    # Unless the question asks about that document ("Who presented the NPS and
    # Complaints Report?").
    asked_text = " ".join(question.text.split()).casefold()
    titles = {c.passage.doc_id: _work_title(c.passage.title) for c in ranked}
    titles = {doc: t for doc, t in titles.items() if t not in asked_text}
    ranked = [c for c in ranked if not _names_another(c, titles)] or ranked
    usable = [c for c in ranked if c.usable]
    words = AskedWords.of(question)
    # What ranks first is best said of what the question is about; failing that, the
    # biggest of something close to it ("biggest challenge" for "biggest obstacle"), in
    # other words than the question's when its meaning is close.
    fitting = (
        [c for c in usable if c.fits]
        or [c for c in usable if c.loosely]
        or [c for c in ranked if c.loosely and c.grounded and c.similarity >= CLOSE_ENOUGH]
    )
    if (question.answer_type == "figure" or question.change) and not (
        question.top or question.place
    ):
        # Asked for a figure of the whole, a row that gives one part of a total its table
        # also gives is no answer ("Call centre | 10,250" beside "Total | 18,640" for "How
        # many complaints did we receive?").
        parts = [ranked[i] for i in parts_of_totals(ranked, words.asked, question.named)]
        of_totals = {id(c) for c in parts}
        fitting = [c for c in fitting if id(c) not in of_totals] or fitting
        usable = [c for c in usable if id(c) not in of_totals]  # nor do they add to it
        # Nor does a row whose label names nothing the question asks about, unless it is
        # its table's total: "Channel: Chat; NPS Q3 2026: +4" is one of a breakdown's
        # rows, picked by chance, for "What was our NPS in Q3 2026?", which the sentence
        # giving the whole answers.
        summed = {(c.passage.doc_id, c.unit.context) for c in parts}
        fitting = [
            c
            for c in fitting
            if _row_named(c, question) or (c.passage.doc_id, c.unit.context) in summed
        ] or fitting
    if question.change and question.answer_type != "figure":
        # "How did our complaints change?" is answered by what changed and by how much
        # ("Complaints rose by 15.0% to 18,640"), before "Customer sentiment weakened".
        fitting = [c for c in fitting if says_a_change(c.reading)] or fitting
    if not _SUPPOSED.search(question.text):
        # Asked what is, the organisation's own account of it answers before what its
        # documents say would be ("Under the proposal, the CCO would ... chair the CX
        # Council" for "Who chairs the CX Council?"): there, such a line is a proposal.
        fitting = [c for c in fitting if not _proposed(c)] or fitting
    # Asked what someone did, a sentence that says that act (or stands under a heading
    # that does: "Decisions") answers before one naming only who acted and when.
    acts = {stem(t) for t in question.act}
    if acts:
        fitting = [c for c in fitting if acts & stems(c.reading)] or fitting
    if question.top:
        # What ranks first in a ranking of what the question asks about, named by the
        # sentence or the heading it stands under, before a first place in another:
        # "voice of the customer comes first" under "The top CX technologies" before
        # "52% turn first to internal IT" under "Where organisations turn for help".
        fitting = [c for c in fitting if _ranks_asked(question, c)] or fitting
    exact = ("figure", "time", "duration")
    if not fitting and question.answer_type == "figure":
        # In other words than the question's, a figure is still given in figures: a
        # sentence holding none gives no budget, count or share.
        # Nor are things counted in money ("how many users" by "EUR 0.46 million on user
        # research").
        holds = holds_count if question.counted and not question.amount else holds_figure
        usable = [c for c in usable if holds(c.reading)]
        if not usable:
            return []
    if not fitting and not (question.named and question.answer_type in exact):
        fitting = usable  # a named firm's figure must be there; otherwise the closest
    if not fitting:
        if question.named or not ranked:
            return []
        fitting = [ranked[0]]
    # A figure is given first from a document whose title names what it measures
    # ("Relationship NPS fell to +14" in the "NPS and Complaints Report" before a meeting
    # note's aside on the call centre's NPS), among sentences that score alike. Not other
    # answers: asked who wrote a report, the report's own lines are no better answer.
    first = max(
        fitting,
        key=lambda c: (
            c.score
            - ANAPHORA_PENALTY * _leans_on_before(c)
            + TITLE_BONUS * bool(words.measured & stems(c.passage.title))
        ),
    )
    first = _in_prose(first, fitting)
    chosen = [first]
    # Then what adds to it: close to the first, and better still if it holds a part of
    # the question the sentences so far leave out ("how many ... and how long ...").
    # A sentence that holds the kind of answer asked for about a part the others leave
    # out ("how many practitioners and countries") is taken however far it scores below.
    said = {id(c): stems(c.reading) for c in [first, *usable]}  # each sentence's words, once
    followers = [c for c in usable if c.score >= first.score - DIRECT_MARGIN]
    if acts & said[id(first)]:  # and so do the sentences that add to it
        followers = [c for c in followers if acts & said[id(c)]]
    if question.top and _ranks_asked(question, first):
        # A first place in a ranking of something else adds nothing to a ranking of what
        # is asked ("52% turn first to internal IT" after "voice of the customer comes
        # first" under "The top CX technologies").
        followers = [c for c in followers if not c.fits or _ranks_asked(question, c)]
    # What the question asks about, not only when: a further sentence that holds none of
    # it does not add to the answer, however close ("Customer sentiment weakened in Q3
    # 2026." after the complaints received in Q3 2026), unless it holds the kind of answer
    # asked for about it.
    figure = question.answer_type == "figure"
    # With no focus word, what it names that is no period ("NPS" of "How did our NPS
    # change in Q3?") is what it is about: a further sentence holds it.
    topics = [n for n in question.named if not any(ch.isdigit() for ch in n)]
    # Asked who holds a title ("Who is our CFO?"), a further line names someone for it; one
    # that only names the title ("a delegate of the CFO") adds no one.
    holder = bool(titles_asked(question))
    while len(chosen) < DIRECT_MAX:
        left = words.focus - set().union(*(said[id(c)] for c in chosen))
        parts = [c for c in usable if c.fits and left & said[id(c)]]
        # A sentence shown already as the one a chosen unit is read with is taken too.
        taken = {x.unit.quote for x in chosen} | {x.unit.context for x in chosen}
        shown = set().union(*(_specific_figures(x.unit.quote) for x in chosen))
        pool = [
            c
            for c in _unique_candidates([*followers, *parts])
            if c.unit.quote not in taken
            and not _said_again(c, shown)
            and _row_asked(c, words.asked)
            and (c.fits or not words.about or _holds_about(words.about, said[id(c)]))
            and (words.about or not topics or any(mentioned(n, c.reading) for n in topics))
            # Asked for a figure, a line that names a topic adds none ("Agenda: 1. Q3
            # 2026 NPS and complaints results" after the NPS itself).
            and not (figure and _names_a_topic(c))
            and (c.fits or not holder)
        ]
        if not pool:
            break
        chosen.append(max(pool, key=partial(_gain, left=left, said=said, figure=figure)))
    return _with_sequels(question, chosen, ranked)


# A figure specific enough that two sentences giving it give the same fact: three
# digits or more ("18,640", "1.35"), not a year, nor the whole ("100%").
_FIGURE = re.compile(r"\d(?:[\d,.]*\d)?%?")
_LEAST_STEM = 5  # letters of a stem another may begin with and be the same word
PROSE_MARGIN = 0.1  # a sentence in words goes before a table row scoring at most this more


# A figure given as an addition to one said before: "provides a further 320 agents",
# "another 12 stores", "an additional EUR 2 million".
_ADDED_FIGURE = re.compile(
    r"\b(?:a\s+further|another|an?\s+additional|an?\s+extra)\s+(?:[$€£]|EUR\s|USD\s|GBP\s)?\d",
    re.I,
)


_SUPPOSED = re.compile(r"\b(?:would|could|might)\b", re.IGNORECASE)


_FIGURE_TOKEN = re.compile(r"[^\s,;:()]*\d[^\s,;:()]*")


def _names_a_topic(candidate: Candidate) -> bool:
    """A list item that is no sentence and whose only figures say when: an agenda's or
    a contents list's entry ("1. Q3 2026 NPS and complaints results") names what is
    discussed and gives no figure of it."""
    if candidate.unit.role != "list_item":
        return False
    own = without_list_marker(candidate.unit.quote).strip()
    if ends_a_sentence(own):
        return False
    figures = [t.strip(".") for t in _FIGURE_TOKEN.findall(own)]
    return all(is_period_word(t) for t in figures)


def _proposed(candidate: Candidate) -> bool:
    """A line of the organisation's own documents that says what would or could be."""
    return candidate.passage.kind == "internal" and bool(_SUPPOSED.search(candidate.unit.quote))


def _leans_on_before(candidate: Candidate) -> bool:
    """Opens on a word that points back, or gives its figure as an addition to one said
    before ("a further 320 agents"): the total it adds to answers first, where it fits."""
    return not candidate.stands_alone or bool(_ADDED_FIGURE.search(candidate.unit.quote))


def _holds_about(about: AbstractSet[str], said: AbstractSet[str]) -> bool:
    """Whether a sentence's word stems hold one of `about`, a stem that the other begins
    with counting too: the stemmer leaves "employ" and "employe" ("employees") apart."""
    if about & said:
        return True
    return any(
        a.startswith(b) or b.startswith(a)
        for a in about
        for b in said
        if min(len(a), len(b)) >= _LEAST_STEM
    )


def _specific_figures(reading: str) -> set[str]:
    """The figures of three digits or more a reading gives, years and "100%" aside, as
    written without separators or trailing decimal zeros ("18,640" and "18640" are one;
    so are a table's "48.00" and a sentence's "48.0")."""
    found = {m.group().replace(",", "") for m in _FIGURE.finditer(reading)}
    return {
        _plain(f)
        for f in found
        if sum(ch.isdigit() for ch in f) >= 3 and not is_year(f) and f != "100%"
    }


def _plain(figure: str) -> str:
    """A figure without trailing decimal zeros: "48.00" -> "48", "1.50%" -> "1.5%"."""
    number, percent = (figure[:-1], "%") if figure.endswith("%") else (figure, "")
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    return number + percent


def _ranks_asked(question: Question, candidate: Candidate) -> bool:
    """What the unit ranks is what the question asks the top of, as the unit, the heading
    it stands under or its paragraph so far names it; a list item is ranked by its
    lead-in, whatever words that uses ("The top five:"). A ranking by an act the question
    names ("Who controls most ...?") is one the unit itself says is by that act ("comes
    first in control of ..."), not one its paragraph merely shares a topic with ("52%
    turn first to internal IT" under a paragraph about CX technology)."""
    if question.ranked_by:
        return bool(stems(candidate.reading) & {stem(t) for t in question.ranked_by})
    if candidate.unit.role == "list_item":
        return True
    paragraph = paragraph_before(candidate.unit, candidate.passage)
    focus = {stem(t) for t in question.focus}
    said = f"{candidate.reading} {candidate.passage.section or ''} {paragraph}"
    return bool(stems(said) & focus)


def _row_asked(candidate: Candidate, asked: AbstractSet[str]) -> bool:
    """A table row adds to an answer when its label names something the question asks
    about: "Channel: Call centre" is one of a table's many rows alike, picked by chance,
    for "How many complaints did we receive?". Any other unit does."""
    if candidate.unit.role != "table_row":
        return True
    return bool(stems(candidate.unit.label) & asked)


def _work_title(title: str) -> str:
    """A document's title without what follows a dash or colon ("NPS and Complaints
    Report – Q3 2026 (July–September)": "NPS and Complaints Report"), folded; "" for a
    title of fewer than three words, which a sentence may say for other reasons."""
    head = re.split(r"\s[–—-]\s|:\s", title, maxsplit=1)[0]
    words = head.split()
    return " ".join(words).casefold() if len(words) >= 3 else ""


def _names_another(candidate: Candidate, titles: dict[str, str]) -> bool:
    said = " ".join(candidate.reading.split()).casefold()
    doc = candidate.passage.doc_id
    return any(t and other != doc and t in said for other, t in titles.items())


def _row_named(candidate: Candidate, question: Question) -> bool:
    """A table row answers for its own row only where the question names it
    (`row_named`: "chat" for "What was our chat NPS?", "IT" for "How much of our CX
    budget sits with IT?"). Any other unit does."""
    if candidate.unit.role != "table_row":
        return True
    focus = {stem(t) for t in question.focus}
    return row_named(candidate.unit.label, candidate.unit.context, focus, question.named)


def _said_again(candidate: Candidate, shown: set[str]) -> bool:
    """A unit that gives figures, and only figures the answer already gives: it says
    again what is said ("Channel: Total; Q3 2026: 18,640" after "We received 18,640
    complaints"; "The complaints team handled 18,640 complaints in Q3 2026, compared with
    16,210 in Q2 2026" after the report's own sentence saying so). A sentence may give one
    such figure to say something else ("providers with 250,000 customers or fewer comply
    from 1 April 2026"): a sentence says the same when it gives two or more."""
    figures = _specific_figures(candidate.unit.quote)
    least = 1 if candidate.unit.role == "table_row" else 2
    return len(figures) >= least and figures <= shown


def _in_prose(first: Candidate, fitting: Sequence[Candidate]) -> Candidate:
    """The answer in a sentence rather than a table row, where a body sentence that gives
    the row's figure scores close to it: "Northwind Mobile received 18,640 complaints in
    Q3 2026" says what the figure counts in words, where "Channel: Total; Q3 2026:
    18,640" leaves the reader to put it together. The row, saying the same, is then no
    further sentence (see `_specific_figures`)."""
    if first.unit.role != "table_row":
        return first
    figures = _specific_figures(first.unit.quote)
    prose = [
        c
        for c in fitting
        if c.unit.role == "body"
        and c.score >= first.score - PROSE_MARGIN
        and figures & _specific_figures(c.reading)
    ]
    return max(prose, key=lambda c: c.score) if prose else first


def _with_sequels(
    question: Question, chosen: list[Candidate], ranked: Sequence[Candidate]
) -> list[Candidate]:
    """Each chosen sentence with the sentence that goes on from it in its paragraph, when
    that one holds the kind of answer asked for ("Marketing controls the budget about half
    the time." "This is up from about a third."): they are shown together. For a question
    about a ranking, the next sentence of its paragraph comes with it when it gives the
    ranking of what the question asks ("We asked every respondent what most often stops
    ..." / "... the answers were, in order: ...")."""
    if question.answer_type == "any" and not (question.top or question.place):
        return chosen
    # What it is about is the sentence it goes on from: it need only hold the kind (for
    # "Who is our CFO?", a name set by that title).
    kind = replace(question, focus=frozenset(), named=titles_asked(question), counted=frozenset())
    out: list[Candidate] = []
    taken = {c.unit.quote for c in chosen}
    ranking = question.top or bool(question.place)  # a ranking is introduced, then given
    # What ranks first is followed by what ranks second where its paragraph goes on to it
    # ("Voice of the customer comes first. Business process management comes second.").
    second = replace(kind, top=False, place=2)
    for candidate in chosen:
        out.append(candidate)
        # One that goes on from it, holding the kind asked for; or, for a ranking, the
        # next sentence of its paragraph that gives the ranking the question asks for.
        sequel = next(
            (
                c
                for c in ranked
                if c.passage.chunk_id == candidate.passage.chunk_id
                and c.unit.quote not in taken
                and (
                    (c.unit.context == candidate.unit.quote and fits(kind, c.unit.quote))
                    or (ranking and c.fits and _next_in_paragraph(candidate, c))
                    or (
                        question.top
                        and _next_in_paragraph(candidate, c)
                        and fits(second, c.unit.judged)
                    )
                )
            ),
            None,
        )
        if sequel is not None:
            out.append(sequel)
            taken.add(sequel.unit.quote)
    return out


def _next_in_paragraph(first: Candidate, then: Candidate) -> bool:
    """`then` is the body sentence right after `first` in the same paragraph."""
    between = first.passage.text[first.unit.end : then.unit.start]
    return (
        first.unit.role == then.unit.role == "body"
        and then.unit.start >= first.unit.end
        and not between.strip()
        and "\n" not in between
    )


def _gain(
    candidate: Candidate,
    *,
    left: AbstractSet[str],
    said: dict[int, set[str]],
    figure: bool = False,
) -> tuple[bool, float]:
    """How much a further sentence adds: first whether it answers a part left out (the
    kind of answer asked for, about a focus word no sentence so far holds), then its
    score, raised when it holds such a word at all; asked for a figure, only when it
    gives one of the kind asked for (a word of the question alone adds no figure).
    `said`: each candidate's word stems."""
    novel = bool(left & said[id(candidate)])
    raised = novel and (candidate.fits or not figure)
    return candidate.fits and novel, candidate.score + NOVELTY * raised


def _unique_candidates(candidates: Sequence[Candidate]) -> list[Candidate]:
    return list({id(c): c for c in candidates}.values())
