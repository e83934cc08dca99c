"""The positions map for contested and strategic questions.

- Each research source's position, in its own words: its most on-point sentence (one
  that addresses the question, preferring one that names who should act and one that
  recommends), grouped by the role or function it names first, or as shared ownership.
- Your organisation today: internal sentences that describe the set-up as it is (who
  runs what, who holds which budget), not anyone's proposal.
- The options on the table: internal list items or sentences that a document presents as
  options or proposals (by its structure: an item under a lead-in about options, or a
  line labelled "Option ..."), each with the research positions that back the same owner
  and those that favour another.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from advisor.advice import ADVICE, advises, said
from advisor.answer import speaker
from advisor.attribution import Work, reports_of
from advisor.injection import strip_markers
from advisor.question import Question
from advisor.roles import OWNING_WORDS, position_of, recommends_owner, roles_in
from advisor.selection import ANAPHORA_PENALTY, CLOSE_ENOUGH, Candidate, is_year
from ingest.evidence import EvidenceUnit
from ingest.sentences import split_sentences

OTHER = "Other views"
Vectors = Callable[[Sequence[str]], Sequence[Sequence[float]]]
SAME_POSITION = 0.6  # cosine at which two sources' sentences say the same thing
MAX_SOURCES = 8
MAX_TODAY = 3
MAX_OPTIONS = 4
STANCE_SIMILARITY = 0.45  # or a source's sentence this close, holding a focus word
TOPIC_SIMILARITY = 0.34  # an internal sentence with no focus word must be this close
ROLE_BONUS = 0.15
ADVICE_BONUS = 0.1
_CHOICE = re.compile(r"\b(options?|proposals?|proposed|alternatives?|scenarios?|choices?)\b", re.I)
_RESPONSIBILITY = re.compile(
    r"\b(owns?|holds?|runs?|leads?|chairs?|controls?|manages?|reports? to|is responsible|"
    r"are responsible|responsibility|accountable|sits? (with|under|in)|budget)\b",
    re.IGNORECASE,
)
_CONDITIONAL = re.compile(r"\b(would|could|might|will)\b", re.I)
_LABELLED = re.compile(r"^\W*(option|proposal|scenario|alternative)\b[^:.\n]{0,12}[:.)–-]", re.I)
# A sentence whose subject is the text itself, saying what it does or is for ("This note
# summarises ...", "The survey asked how ...", "This source is most useful when ..."): it
# describes the document, and takes no position on the question.
_SELF_DESCRIBED = re.compile(
    r"^\W*(?:this|the)\s+(?:[\w'’-]+\s+){0,3}?(?:note|source|survey|study|report|article|"
    r"summary|paper|brief|piece|post|page|document|collection)\s+(?:\w+ly\s+)?(?:asks|asked|"
    r"summari[sz]es|sits|is (?:most )?useful|covers|describes|repeats|draws on|is based on)\b",
    re.I,
)

# A sentence on how the source itself is to be cited or read ("All figures in this note
# should be attributed to ...", "... results should therefore be read as the marketing
# perspective"): guidance about the document, not a position.
_CITED_AS = re.compile(
    r"\bshould\s+(?:\w+\s+)?be\s+(?:attributed\s+to|cited\s+as|quoted\s+as|read\s+as)\b"
    # ... or speaks of citing it ("When the advisor cites this note, it should present
    # ...", "Cite this article as: ...", "How to cite this report")
    r"|\bcit(?:e|es|ed|ing)\s+this\s+(?:note|source|survey|study|report|article|summary|"
    r"paper|brief|piece|post|page|document)\b",
    re.I,
)

# A section headed as being about the document itself ("Purpose of this memo", "About this
# report"): an internal sentence there says why the document was written, not how the
# organisation is set up.
_ABOUT_THIS_DOCUMENT = re.compile(
    r"\bthis\s+(?:memo|note|report|document|paper|brief|page|review|deck|presentation)\b", re.I
)


@dataclass(frozen=True)
class Stance:
    """One research source's position in its own words."""

    candidate: Candidate
    position: str
    # Publishers of other documents that report this source's work and say the same
    # (a blog's recap of a study): one voice, not several.
    reported_by: tuple[str, ...] = ()

    @property
    def recommends(self) -> bool:
        """The sentence recommends ("should", "we recommend", "is best placed"), rather
        than reports how things are ("The CMO is the most common owner")."""
        return advises(stated_in(self.candidate))


@dataclass(frozen=True)
class Option:
    """An option found in an internal document, with the research on each side."""

    candidate: Candidate
    position: str
    backed_by: tuple[Stance, ...]
    other_owner: tuple[Stance, ...]


@dataclass(frozen=True)
class PositionsMap:
    stances: tuple[Stance, ...]
    today: tuple[Candidate, ...]
    options: tuple[Option, ...]
    ownership: bool = False  # built for a question of who should own something

    def groups(self) -> list[tuple[str, list[Stance]]]:
        """Positions with their sources, the most widely held first, OTHER last."""
        grouped: dict[str, list[Stance]] = {}
        for stance in self.stances:
            grouped.setdefault(stance.position or OTHER, []).append(stance)
        order = list(grouped)
        return sorted(
            grouped.items(),
            key=lambda item: (item[0] == OTHER, -len(item[1]), order.index(item[0])),
        )


def about_ownership(question: Question) -> bool:
    """Asks who should own, lead or run something: asks for an owner, speaks of owning
    ("What options for CX ownership are on the table?"), or names a role and either puts
    it forward ("Is marketing the natural home for CX?", "Should we appoint a CCO?") or
    speaks of being in charge ("... put the COO in charge of CX?"). A role named only
    after a preposition, with no word of being in charge, is where something comes from
    or goes ("brought back in-house from outsourced contact centres"): the question asks
    about that, not who should own it."""
    text = question.text
    if question.answer_type == "owner" or _OWNING.search(text):
        return True
    if not roles_in(text):
        return False
    before = _PREPOSITION.search(text)
    put_forward = roles_in(text[: before.start()] if before else text)
    return bool(put_forward) or bool(_IN_CHARGE.search(text))


_OWNING = re.compile(rf"\b(?:{OWNING_WORDS})\b", re.IGNORECASE)
_PREPOSITION = re.compile(
    r"\b(?:from|to|into|in|at|with|for|of|by|on|about|across|between|within|through|via)\b",
    re.IGNORECASE,
)
_IN_CHARGE = re.compile(
    r"\bin charge\b|\b(?:runs?|running|leads?|leading|chairs?|controls?|responsib\w*|"
    r"accountab\w*|budgets?|sponsors?|reports? to|home|sits?\s+(?:with|under|in|within)|"
    r"belongs?)\b",
    re.IGNORECASE,
)


def names_an_owner(reading: str) -> bool:
    """Names a role or function and says what it owns, leads, holds or is responsible for
    ("Marketing holds total ownership of CX in 45% of businesses"): a finding or a
    recommendation on ownership."""
    return bool(roles_in(reading)) and said(_RESPONSIBILITY, reading)


def is_option(candidate: Candidate) -> bool:
    """Presented as an option by the document's structure."""
    return proposed(candidate.unit)


def proposed(unit: EvidenceUnit) -> bool:
    """The unit is an option by its document's structure: labelled "Option A: ...", or an
    item of a list its lead-in says holds options or proposals."""
    if _LABELLED.match(unit.quote):
        return True
    return unit.role == "list_item" and bool(_CHOICE.search(unit.context))


def map_positions(
    research: Sequence[Candidate],
    internal: Sequence[Candidate],
    *,
    ownership: bool = False,
    advice_first: bool = False,
    vectors: Vectors | None = None,
) -> PositionsMap:
    """The map from ranked research and internal candidates (best first). On a question
    of who should own or lead something (`ownership`), a source's position names a role
    or speaks of owning, leading or holding something: a sentence about its own method
    or how it should be cited takes no position. `advice_first` (the question asks for
    no figure or date): a source's position is where it says who should own or lead ("Pega
    recommends that a CX champion should sit in the business"), before a closer sentence
    that reports how things are or what a role does. On any other question a source's
    position is what its sentence says, grouped with those that say the same (by the
    cosine of their `vectors`), and only where it addresses the question; where the
    question asks what to do ("Should we ...?"), what a source advises comes before what
    it found."""
    proposals = _options(internal, ownership)
    owners = {option_owner(c.unit.quote) for c in proposals} - {""} if ownership else set()
    ranked = _stances(research, ownership, advice_first)
    if ownership:
        ranked = _folded(ranked, lambda a, b: a.position == b.position)
    stances = _shown(ranked, owners)
    if not ownership:
        stances = [s for s in stances if _on_topic(s.candidate)]
        if not _speak_to_it([s.candidate for s in stances]):
            stances = []
        stances = _by_meaning(stances, vectors)
    options = tuple(_option(c, stances, ownership) for c in proposals)
    taken = {o.candidate.unit.quote for o in options}
    today = _today([c for c in internal if c.unit.quote not in taken], ownership)
    return PositionsMap(tuple(stances), today, options, ownership)


def _by_meaning(stances: Sequence[Stance], vectors: Vectors | None) -> list[Stance]:
    """Each stance under the best-placed stance that says the same thing (its sentence
    this close in meaning), labelled by that one's source and whether it recommends or
    reports: "Recommendation of University of Carnmouth"."""
    if not stances:
        return []
    said = list(vectors([s.candidate.reading for s in stances])) if vectors else []
    if said:
        vector = {id(s.candidate): v for s, v in zip(stances, said)}

        def same(a: Stance, b: Stance) -> bool:
            return _cosine(vector[id(a.candidate)], vector[id(b.candidate)]) >= SAME_POSITION

        stances = [stance for _, stance in _folded([(0.0, s) for s in stances], same)]
        said = [vector[id(s.candidate)] for s in stances]
    leads: list[int] = []
    grouped: list[Stance] = []
    for i, stance in enumerate(stances):
        # Voices of one discussion answer one another on the same subject: each keeps
        # its own position, however close their words.
        doc = stance.candidate.passage.doc_id
        lead = next(
            (
                k
                for k in leads
                if said
                and stances[k].candidate.passage.doc_id != doc
                and _cosine(said[i], said[k]) >= SAME_POSITION
            ),
            None,
        )
        if lead is None:
            leads.append(i)
            lead = i
        first = stances[lead]
        passage = first.candidate.passage
        # a voice of several in one document by name ("Jane Doe (FrontlineHQ Community)")
        voice = passage.speaker.split(",")[0]
        source = speaker(passage.kind, passage.publisher, passage.title, voice)
        kind = "Recommendation" if first.recommends else "Finding"
        grouped.append(replace(stance, position=f"{kind} of {source}"))
    return grouped


def reports(report: Candidate, source: Candidate) -> bool:
    """`report`'s document reports `source`'s work, in its title or in its sentence, and
    not the other way round (`reports_of`)."""
    if source.passage.doc_id == report.passage.doc_id:
        return False
    return reports_of(_work(report), _work(source))


def _work(candidate: Candidate) -> Work:
    passage = candidate.passage
    return Work(passage.title, passage.publisher, candidate.reading)


def _folded(
    ranked: Sequence[tuple[float, Stance]], same: Callable[[Stance, Stance], bool]
) -> list[tuple[float, Stance]]:
    """The ranked stances with each that reports another's source and says the `same`
    as it taken into that one (its publisher kept in `reported_by`): a recap of a study
    is the study's voice again, not a second source for its position. A report of a
    source not among them, or one that says otherwise, stands as its own."""
    folded_into: dict[int, int] = {}
    for i, (_, report) in enumerate(ranked):
        for k, (_, source) in enumerate(ranked):
            if (
                k != i
                and k not in folded_into
                and reports(report.candidate, source.candidate)
                and same(report, source)
            ):
                folded_into[i] = k
                break
    out: list[tuple[float, Stance]] = []
    for k, (score, stance) in enumerate(ranked):
        if k in folded_into:
            continue
        by = tuple(
            ranked[i][1].candidate.passage.publisher for i, to in folded_into.items() if to == k
        )
        out.append((score, replace(stance, reported_by=stance.reported_by + by) if by else stance))
    return out


def _speak_to_it(found: Sequence[Candidate]) -> bool:
    """At least one holds a word of the question that most of the library's documents do
    not ("NPS" of "Should we measure CX with NPS?"). Where all share only the library's
    common words with it ("CX"), they speak of something else, however close in meaning."""
    return any(c.telling for c in found)


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(x * y for x, y in zip(a, b))  # the embedder's vectors are unit length


def _on_topic(candidate: Candidate) -> bool:
    """Holds what the question is about and is close to it in meaning: both, since the
    words of a library's subject ("customer", "contact") stand in most of its sentences."""
    return candidate.usable and candidate.similarity >= CLOSE_ENOUGH


def _on_point(candidate: Candidate, ownership: bool) -> float:
    """How well a sentence states its source's position: its score, more where it
    recommends and, on a question of who should own something, where it names a role
    (on any other question a role it names is detail: "the head of customer operations
    owns partner selection" says nothing on bringing calls back in-house)."""
    reading = candidate.reading
    return (
        candidate.score
        + ROLE_BONUS * (ownership and bool(roles_in(reading)))
        + ADVICE_BONUS * advises(reading)
        - ANAPHORA_PENALTY * (not candidate.stands_alone)
    )


def _shown(ranked: Sequence[tuple[float, Stance]], owners: set[str]) -> list[Stance]:
    """Up to MAX_SOURCES of the ranked stances, most on point first. The best source that
    says the owner an option proposes should own or lead (its "should" said of that role)
    is kept before the rest, so that an option shown with no research recommending its
    owner has none among the sources read, not only among those shown."""
    first: list[tuple[float, Stance]] = []
    for owner in sorted(owners):
        backing = next(
            (
                p
                for p in ranked
                if recommends_owner(p[1].candidate.reading) and p[1].position == owner
            ),
            None,
        )
        if backing is not None and backing not in first:
            first.append(backing)
    kept = [*first, *(p for p in ranked if p not in first)][:MAX_SOURCES]
    in_rank = [p for p in ranked if p in kept]  # ties stay in rank order
    return [stance for _, stance in sorted(in_rank, key=lambda pair: -pair[0])]


def _stances(
    research: Sequence[Candidate], ownership: bool, advice_first: bool
) -> list[tuple[float, Stance]]:
    """Each source's (and each voice's) position with how on point its sentence is, those
    that say who should own or what to do first where asked."""
    # document (and voice, in one of several: a discussion's posts) -> its most on-point
    # sentence, one that says who should own first
    best: dict[tuple[str, str], tuple[tuple[bool, float], Candidate]] = {}
    # In a document of several voices, what none of them says (a list of links under
    # the thread) is the page's, no one's position.
    voiced = {c.passage.doc_id for c in research if c.passage.speaker}
    for candidate in research:
        close = candidate.coverage > 0 and candidate.similarity >= STANCE_SIMILARITY
        if not (candidate.usable or close) or is_option(candidate):
            continue
        if candidate.passage.doc_id in voiced and not candidate.passage.speaker:
            continue
        # What it answers is another question: an FAQ's "Who should set the targets?"
        # says nothing of who should own CX, however many roles its answer names.
        if describes_itself(candidate) or candidate.answers_another:
            continue
        reading = candidate.reading
        if ownership and not (roles_in(reading) or said(_RESPONSIBILITY, reading)):
            continue
        doc = (candidate.passage.doc_id, candidate.passage.speaker)
        # On "Should we ...?", where the source says what to do, before what it found.
        says_who = (
            advice_first
            and candidate.usable
            and (
                recommends_owner(reading)
                if ownership
                else advises(reading) and _on_topic(candidate)
            )
        )
        points = (says_who, _on_point(candidate, ownership))
        if doc not in best or points > best[doc][0]:
            best[doc] = (points, candidate)
    # Where more sources speak than are shown, those that say who should own come first.
    ranked = sorted(best.values(), key=lambda pair: (not pair[0][0], -pair[0][1]))
    return [(points[1], Stance(c, stance_position(c))) for points, c in ranked]


def stance_position(candidate: Candidate) -> str:
    """The position a source's sentence takes (see `stated_in`)."""
    return position_of(stated_in(candidate))


def stated_in(candidate: Candidate) -> str:
    """Where a source's sentence states its position: the sentence itself; for one that
    points back and takes none itself ("This differs from sources that want IT to
    co-lead"), the sentence it points back to, which it is shown with."""
    reading, unit = candidate.reading, candidate.unit
    if candidate.stands_alone or unit.role != "body" or not unit.context:
        return reading
    return reading if position_of(reading) else strip_markers(unit.context)


def _options(internal: Sequence[Candidate], ownership: bool) -> list[Candidate]:
    """The options on the question; on one not about ownership, only where one of them
    speaks to it (options on who should own CX are not options on measuring it)."""
    seen: set[str] = set()
    found = []
    for candidate in internal:
        if candidate.unit.quote in seen or not is_option(candidate):
            continue
        if candidate.coverage <= 0 and candidate.similarity < TOPIC_SIMILARITY:
            continue
        seen.add(candidate.unit.quote)
        found.append(candidate)
    if not ownership and not _speak_to_it(found):
        found = []
    found = found[:MAX_OPTIONS]
    return sorted(found, key=lambda c: (c.passage.doc_id, c.passage.chunk_id, c.unit.start))


def describes_itself(candidate: Candidate) -> bool:
    """Says what its own document does or is for, not what the document finds or
    recommends, or how it is to be cited or read: the sentence itself, or a sentence that
    points back to one that does ("This survey sits between the other sources. It does not
    argue for IT ...")."""
    unit = candidate.unit
    if _SELF_DESCRIBED.match(unit.quote) or _CITED_AS.search(unit.quote):
        return True
    return not candidate.stands_alone and bool(_SELF_DESCRIBED.match(unit.context))


def _option(candidate: Candidate, stances: Sequence[Stance], ownership: bool) -> Option:
    """The research on each side of an option: the sources that recommend its owner and
    those that recommend another (a finding of how things are backs no option). An
    option that is not about an owner is shown on its own."""
    if not ownership:
        return Option(candidate, "", (), ())
    # The option as written: the lead-in of a listed one ("Two options will be put to
    # the board:") names no owner it proposes.
    position = option_owner(candidate.unit.quote)
    named = set(roles_in(candidate.unit.quote))
    advising = [s for s in stances if s.recommends]
    backed = tuple(s for s in advising if position and s.position == position)
    other = tuple(s for s in advising if s.position and s.position not in named)
    return Option(candidate, position, backed, other)


def option_owner(text: str) -> str:
    """The owner an option proposes: the position of its first sentence that takes one.
    An option is named and stated first ("Option B - Marketing-led CX. The CMO becomes
    accountable for CX."); what it goes on to say of other functions (what IT keeps,
    where a team moves) is detail, not a rival owner."""
    for sentence in split_sentences(text):
        if position := position_of(sentence):
            return position
    return ""


def _describes(candidate: Candidate) -> float:
    """How well a sentence describes the set-up: close to the question, naming who (the
    more roles, the more of the set-up), saying what they hold or run, standing alone."""
    reading = candidate.reading
    return (
        candidate.similarity
        + ROLE_BONUS * min(len(roles_in(reading)), 2)
        + ADVICE_BONUS * bool(_RESPONSIBILITY.search(reading))
        - ANAPHORA_PENALTY * (not candidate.stands_alone)
    )


# A figure that names one fact of the set-up: a share ("52%") or a number of three digits
# or more ("24.96", "18,640"), a year aside.
_FACT_FIGURE = re.compile(r"(?<![\w.,])\d(?:[\d,.]*\d)?(?:%|(?![\w%]))")


def _fact_figures(reading: str) -> frozenset[str]:
    figures = (m.group().replace(",", "") for m in _FACT_FIGURE.finditer(reading))
    return frozenset(
        f
        for f in figures
        if (f.endswith("%") or sum(ch.isdigit() for ch in f) >= 3) and not is_year(f)
    )


def _without_restated(fitting: Sequence[Candidate]) -> list[Candidate]:
    """The set-up's sentences, best first, less each whose figures and roles another
    gives too, with more or ranked before it: every figure it gives and every role it
    names ("Marketing already holds 52% of the CX budget" in a meeting's notes, after
    the budget's own "Marketing, Digital and the CX Office ... hold EUR 24.96 million,
    or 52% of the total CX budget"). A reader told a share once needs it once; the
    fuller statement stays."""
    facts = [(_fact_figures(c.reading), frozenset(roles_in(c.reading))) for c in fitting]

    def restated(at: int) -> bool:
        figures, roles = facts[at]
        return bool(figures) and any(
            i != at
            and figures <= more_figures
            and roles <= more_roles
            and (figures < more_figures or roles < more_roles or i < at)
            for i, (more_figures, more_roles) in enumerate(facts)
        )

    return [c for at, c in enumerate(fitting) if not restated(at)]


def _today(internal: Sequence[Candidate], ownership: bool = True) -> tuple[Candidate, ...]:
    """Descriptive internal sentences that name who does what (on a question of
    ownership) or that address the question (on any other), one per passage first; none
    from a section about the document itself ("Purpose of this memo")."""
    fitting = [
        c
        for c in internal
        if c.grounded
        and not _ABOUT_THIS_DOCUMENT.search(c.passage.section or "")
        and (roles_in(c.reading) if ownership else _on_topic(c))
        and not ADVICE.search(c.reading)
        and not _CHOICE.search(c.reading)
        and not _CONDITIONAL.search(c.reading)
        and (c.coverage > 0 or c.similarity >= TOPIC_SIMILARITY)
    ]
    fitting.sort(key=lambda c: -(_describes(c) if ownership else c.score))
    # A sentence that opens on "He ..." or "It ..." leans on one not shown: only when
    # nothing else describes the set-up.
    fitting = [c for c in fitting if c.stands_alone] or fitting
    fitting = _without_restated(fitting)
    picked: list[Candidate] = []
    passages: set[str] = set()
    for candidate in fitting:  # best first, a second sentence of a passage only if needed
        if candidate.passage.chunk_id not in passages:
            picked.append(candidate)
            passages.add(candidate.passage.chunk_id)
    for candidate in fitting:
        if len(picked) >= MAX_TODAY:
            break
        if candidate not in picked:
            picked.append(candidate)
    return tuple(picked[:MAX_TODAY])
