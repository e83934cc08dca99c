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

import bisect
import functools
import itertools
import math
import re
import threading
from array import array
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace

import snowballstemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from advisor.advice import advises
from advisor.countries import names_a_country
from advisor.durations import UNITS, equivalents
from advisor.injection import evidence_units, strip_markers
from advisor.lexical import STOPWORDS, tokens
from advisor.passages import Passage
from advisor.question import NUMBERS, ORDINALS, Question
from advisor.roles import roles_in
from advisor.specifics import (
    MONTH_NAMES,
    ORDINAL_WORDS,
    mentioned,
    mentions,
    named_by_document,
    spelled_runs,
)
from advisor.vectors import dot
from advisor.verify import showable
from ingest.embedder import Embedder
from ingest.evidence import EvidenceUnit, points_back, table_cells

ADDRESS_MIN = 0.34  # share of the question's weighted focus words a unit must hold
CLOSE_ENOUGH = 0.45  # ... or this cosine with at least one of them
# Subject pronouns: the word after one is a verb ("we tie", "who owns"). Not after an
# auxiliary, which a question puts before its subject ("Should frontline bonuses ...").
_SUBJECTS = frozenset("i we you they he she it who".split())
COVERAGE_WEIGHT = 0.35
FIT_WEIGHT = 0.1
NAMED_WEIGHT = 0.3  # the unit itself names what the question names (weighted by rarity)
ADVICE_WEIGHT = 0.1  # the unit recommends, where the question asks what is recommended
ANAPHORA_PENALTY = 0.1  # a first sentence opening on "It ..." leans on the one before
WIDESPREAD = 0.5  # a name in more of the library's documents than this tells none apart
SAME_THING = 0.8  # cosine of two words alone at which a counted noun is read as the other
MAX_CANDIDATES = 160  # units embedded per question, the lexically closest first
UNIT_VECTORS_KEPT = 8192  # unit vectors a ranker keeps for later questions (about 25 MB)
_SUFFIXES = ("ership", "ations", "ation", "ments", "ment", "ings", "ing", "ers", "ed", "er", "s")
_YEAR = re.compile(r"^(19|20)\d\d$")
_PLURAL_WORD = re.compile(r"\b[a-z][a-z]{2,}s\b")  # "stores", "employees"
# What a figure counts: "48 stores", "48 retail stores", "4,200 employees".
_COUNTED_WORDS = re.compile(r"\b\d[\d,.]*\s+([A-Za-z][\w-]*)(?:\s+([A-Za-z][\w-]*))?")
_SNOWBALL = snowballstemmer.stemmer("english")  # keeps state: one caller at a time
_SNOWBALL_LOCK = threading.Lock()
_MONTHS = "|".join(MONTH_NAMES)
_DURATION = re.compile(
    rf"\b\d[\d,.]*\s*(days?|weeks?|months?|years?|quarters?)\b|\b({_MONTHS}|Q[1-4])\b",
    re.IGNORECASE,
)
# A word that says only when: a year, a quarter or half, a financial year, a month.
_PERIOD_WORD = re.compile(rf"(?:19|20)\d\d|[qh][1-4]|fy\d\d(?:\d\d)?|{_MONTHS}", re.IGNORECASE)


def is_year(word: str) -> bool:
    """A year as written in figures: "2026", not "20261" or "1850"."""
    return bool(_YEAR.match(word))


def is_period_word(word: str) -> bool:
    """A word that says only when ("2026", "Q3", "H1", "FY25", "March"), not what."""
    return bool(_PERIOD_WORD.fullmatch(word))


_MONTH_NAME = rf"(?:{_MONTHS}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b"
# A date something is due by: "send responses by 14 February 2025", "closes on 30 August".
_DUE = re.compile(
    r"\b(?i:by|until|before|no later than|due(?: on| by)?|closes on|closing on|"
    r"deadline(?: is| of)?:?)\s+"
    rf"(?:the end of\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_NAME}"
    rf"|{_MONTH_NAME}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|(?:19|20)\d\d\b)",
)
_DUE_WORD = re.compile(r"\b(?:deadline|due|clos(?:e|es|ed|ing))\b", re.IGNORECASE)
_SPAN = re.compile(
    r"\b(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a few|several)"
    r"(\s*(to|-|–)\s*\w+)?\s+(days?|weeks?|months?|years?|quarters?|hours?|minutes?)\b",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"[$€£]\s?\d|\b(EUR|USD|GBP|CHF)\s?\d|\d\s?(million|billion|bn|m)\b"
    r"|\d\s?(euros?|dollars?|pounds?|EUR|USD|GBP|CHF)\b"
    # a table row read with its header, whose column says the currency: "Budget 2026 (EUR
    # million): 1.44"
    r"|\((?:EUR|USD|GBP|CHF|[$€£])(?:\s?(?:million|billion|thousand|m|bn|k|000))?\)\s*:\s*"
    r"[-+(]?\d",
    re.IGNORECASE,
)
_RANK_ONE = re.compile(  # not the end of a compound ("bots-first", "mobile-first")
    r"(?<![\w-])(first|top|number one|no\. ?1|1st|biggest|largest|greatest|highest|leading|"
    r"ranked (first|highest|top)|"
    # "most common", "most often", "most frequently cited", "most widely used"
    r"most (?:\w+ly )?(important|common|popular|effective|often|\w+ed|used))\b",
    re.IGNORECASE,
)
_ORDINAL = re.compile(
    r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"last|\d{1,2}(?:st|nd|rd|th))\b|\b(?:ranks?|ranked|placed?)\s+(?:no\.?\s*|#)?\d{1,2}\b",
    re.IGNORECASE,
)
# A job below the executive roles of `roles_in`: "a team leader in the area that caused it".
_JOB = re.compile(
    r"\b(team (leader|lead|manager)s?|(line|store|branch|account|product|journey|case|"
    r"customer success) managers?|supervisors?|agents?|advisers?|advisors?|specialists?|"
    r"heads? of [a-z]+( [a-z]+)?)\b",
    re.IGNORECASE,
)
_CAPITALISED_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+ [A-Z][a-z]+\b")

_RARE = 8.0  # the weight of a name no index word stands for ("IT" is a stop word)
TermWeights = Callable[[str], dict[str, float]]


# A number written as a word meets its digits: "over seventy" is "aged 70 and over".
_NUMBER_WORDS = {
    word: str(n)
    for n, word in enumerate(
        "two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split(),
        start=2,
    )
} | {
    word: str(10 * n)
    for n, word in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), start=3)
}


# A verb made with -ise / -ize and its forms meet their root ("centralised", "centralized",
# "centralisation": "central").
_ISE = re.compile(r"(?<=\w{4})i[sz](?:e|ed|es|ing|ation|ations)$")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A word's stem: the English Snowball stem ("companies" and "company", "approve"
    and "approval", "estimated" and "estimate" meet), then a doer and its role meet
    their act, so that 'owns', 'owner' and 'ownership' meet at 'own' (and a number
    written as a word, its digits; a verb in -ise or -ize, its root)."""
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    ise = _ISE.search(word)
    if ise is not None:
        return word[: ise.start()]
    with _SNOWBALL_LOCK:
        base = _SNOWBALL.stemWord(word)
    # English doubles these in the root itself: "staffed" is "staff", not "staf".
    if len(word) > len(base) and base[-1:] in ("f", "l", "s", "z") and word[len(base)] == base[-1]:
        base += base[-1]
    # A verb in -de and its noun in -sion meet ("decide", "decision": "deci"), as the
    # noun's stem ends in "s", which is taken off below.
    if len(base) >= 5 and base[-1] == "d" and base[-2] in "aiou" and base[-3] not in "aeiou":
        return base[:-1]
    word = base
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            # "planned" -> "plan", "stopping" -> "stop" (not "staffed", "called", "buzzed")
            if suffix in ("ed", "ing") and base[-1] == base[-2] and base[-1] not in "lsfz":
                base = base[:-1]
            return base
    return word


_TIME_UNITS = frozenset(map(stem, UNITS))  # "month", "months" and "monthly" alike


def stems(text: str) -> set[str]:
    """The text's word stems, with a compound's words ("delivery-tracking": "delivery",
    "tracking") and two words in a row as the compound they may be written as ("delivery
    tracking": "delivery-tracking"), so a question's word meets the text's either way; a
    quarter written "Q2" holds "second" and "quarter"; a length of time holds the words
    of its other units ("60 seconds": "1", "minute")."""
    words = tokens(text)
    for word in list(words):  # "Q2" is the second quarter
        if len(word) == 2 and word[0] == "q" and word[1] in "1234":
            words += [ORDINAL_WORDS[int(word[1]) - 1], "quarter"]
    joined = (f"{a}-{b}" for a, b in itertools.pairwise(words))
    return (
        {stem(part) for t in words for part in {t, *t.split("-")} if part}
        | {stem(pair) for pair in joined}
        | {stem(word) for pair in equivalents(text) for word in pair}
    )


# "How many people ...": persons by any name ("310 product leaders", "560 executives").
_PERSONS = frozenset(
    stem(w) for w in "people person persons individuals respondents consumers customers".split()
)
# ... and the people a firm employs, by the words its figures are given in ("Employees:
# 1,350", "a staff of 40"), for "how many people work in ...".
_EMPLOYED = frozenset(stem(w) for w in "employees employ staff headcount workforce fte".split())


def _asks_employing(question: Question) -> bool:
    """The question's focus holds a word for employing ("employ", "staff")."""
    return bool({stem(t) for t in question.focus} & _EMPLOYED)


# A word of a proper name ("Tessaly", "Systems"), not an acronym or a term ("B2B", "SaaS").
_PROPER = re.compile(r"^[A-Z][a-z]+(?:['’-][A-Za-z]+)*$")
_CHIEF = re.compile(r"^C[A-Z]O$")  # a chief by the initials of the title ("CMO", "CFO")
# What a sentence that gives the size of a change says: a word for the change, or "from
# ... to ...".
_CHANGED = re.compile(
    r"\b(?:fall|falls|fell|fallen|rise|rises|rose|risen|drop\w*|grow\w*|grew|increas\w*|"
    r"decreas\w*|declin\w*|climb\w*|jump\w*|improv\w*|shr[iu]nk\w*|cuts?|reduc\w*|lower\w*|"
    r"rais\w*|higher|gain\w*|los[st]\w*|chang\w*|adjust\w*)\b"
    r"|\b(?:up|down)\s+(?:by\s+)?(?:\d|from\b)"
    r"|\bfrom\b.+\bto\b",
    re.IGNORECASE,
)
# The level a change reaches: "rose to 212", "fell by 15% to 4,470", "grew to about 1,200".
_REACHED = re.compile(
    r"\b(?:fell|rose|risen|fallen|dropped|grew|grown|increased|decreased|declined|climbed|"
    r"jumped)(?:\s+by\s+\S+)?\s+to\s+(?:about\s+|some\s+|nearly\s+|almost\s+|over\s+)?"
    r"(?P<figure>\d[\d,.]*)(?![\d,.]*(?:%|\s*per\s*cent\b|\s*percent\b))",
    re.IGNORECASE,
)
# A multiple: "2.3 times", "2.6x", "a three-fold rise", "twice as likely".
_MULTIPLE = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:times\b|x\b|×|-?fold\b)|\b(?:twice|two|three|four|five)"
    r"(?:-fold\b| times\b)|\btwice as\b",
    re.IGNORECASE,
)
# Verbs of spending: a sum of money next to "spends" is spent, but not yet on what.
_SPENDING = frozenset(stem(w) for w in "cost spend spent spending pay paid invest".split())
# The words a question uses for a sum of money: "How much will it cost?" is answered by
# "Budget: EUR 16.8 million", whichever of them the sentence uses, or by the sum alone.
_MONEY_WORDS = _SPENDING | frozenset(stem(w) for w in "budget price investment".split())


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
    loosely: bool = False  # a superlative of something else for "which ... the biggest"
    advises: bool = False  # recommends, where a fact question asks what is recommended
    all_named: bool = False  # names all the question names, which asks for no kind of
    # answer or for a country, and holds it
    # The weighted share of the question's telling focus words (those that most of the
    # library's documents do not hold) the unit holds.
    told: float = 1.0
    # It answers a question heading over its paragraph (an FAQ's "Who should set the
    # targets?") that asks for the kind of answer the question does and holds none of its
    # focus words: its answer to another question.
    answers_another: bool = False

    @property
    def telling(self) -> bool:
        """Holds a focus word that most of the library's documents do not."""
        return self.told > 0

    @property
    def score(self) -> float:
        return (
            self.similarity
            + COVERAGE_WEIGHT * self.coverage
            + FIT_WEIGHT * self.fits
            + NAMED_WEIGHT * self.names
            + ADVICE_WEIGHT * self.advises
        )

    @property
    def reading(self) -> str:
        """What the unit says, as it is judged against the question."""
        return strip_markers(self.unit.judged)

    @property
    def shown(self) -> str:
        """The unit as an answer shows it: with the sentence it is read with, without the
        file's bold markers ("**Total**; **31.2**" reads "Total; 31.2")."""
        return strip_markers(self.unit.reading).replace("**", "")

    @property
    def addresses(self) -> bool:
        """Holds enough of what the question is about: its rarer focus words, or one of
        them and a close meaning, or everything the question names and a close meaning
        where the question asks for no kind of answer (a figure, a time, an owner) or
        for a country the unit names:
        "Where did Acme's Net Promoter Score end up?" is answered by "Acme's Net Promoter
        Score fell to +16.6", where a count must hold what it counts. Closeness alone
        never is."""
        if self.coverage >= ADDRESS_MIN:
            return True
        return (self.coverage > 0 or self.all_named) and self.similarity >= CLOSE_ENOUGH

    @property
    def stands_alone(self) -> bool:
        """Does not open on a pronoun that points back ("It spends ...", "This is ...")."""
        return not points_back(self.unit.quote)

    @property
    def usable(self) -> bool:
        """Addresses the question and is about what it names."""
        return self.addresses and self.grounded


class EvidenceRanker:
    """Scores the evidence units of passages against a question."""

    def __init__(
        self,
        embedder: Embedder,
        term_weights: TermWeights,
        document_text: Callable[[str], str] = lambda doc_id: "",
        term_shares: TermWeights = lambda text: {},
        own_names: Callable[[], Sequence[str]] = tuple,
    ) -> None:
        self.embedder = embedder
        self.term_weights = term_weights
        self.document_text = document_text
        self.term_shares = term_shares
        self.own_names = own_names
        self._kept: OrderedDict[str, array[float]] = OrderedDict()  # text -> its vector
        self._lock = threading.Lock()

    def _vectors(self, texts: Sequence[str]) -> list[Sequence[float]]:
        """The vectors of `texts`, embedding only those not embedded lately: the units of
        the documents a conversation keeps returning to are embedded once."""
        distinct = list(dict.fromkeys(texts))
        with self._lock:
            have: dict[str, Sequence[float]] = {
                t: self._kept[t] for t in distinct if t in self._kept
            }
        missing = [t for t in distinct if t not in have]
        fresh = dict(zip(missing, self.embedder.embed_documents(missing))) if missing else {}
        have.update(fresh)
        with self._lock:
            for text in distinct:
                if text in fresh or text not in self._kept:
                    self._kept[text] = array("d", have[text])
                self._kept.move_to_end(text)
            while len(self._kept) > UNIT_VECTORS_KEPT:
                self._kept.popitem(last=False)
        return [have[t] for t in texts]

    def vectors(self, texts: Sequence[str]) -> list[Sequence[float]]:
        """The unit-length vectors of `texts` (sentences to compare with each other)."""
        return self._vectors(texts)

    def same_thing(self, word: str, texts: Sequence[str]) -> str | None:
        """The word of `texts` that names what `word` names, where no figure in them counts
        `word` itself ("a talking shop" counts no shops): the plural noun closest to it by
        the cosine of the two words alone ("stores" for "shops", 0.84), if at least
        `SAME_THING`. Things counted are seldom each other's opposites, where other words
        are ("hard" and "easy" are close); the bar is high, as close words may count other
        people ("consumers" and "customers", 0.71; "users" and "subscribers", 0.57)."""
        asked = stem(word.lower())
        counted = (
            stem(w.lower())
            for text in texts
            for m in _COUNTED_WORDS.finditer(text)
            for w in m.groups()
            if w
        )
        if any(w == asked for w in counted):
            return None  # the texts count it by its own name
        plurals = sorted(
            {
                w.lower()
                for text in texts
                for w in _PLURAL_WORD.findall(text)
                if w.lower() not in STOPWORDS and stem(w.lower()) != asked
            }
        )
        if not plurals:
            return None
        vectors = self._vectors([word.lower(), *plurals])
        closeness, found = max(zip((dot(vectors[0], v) for v in vectors[1:]), plurals))
        return found if closeness >= SAME_THING else None

    def rank(self, question: Question, passages: Sequence[Passage]) -> list[Candidate]:
        """Every showable unit of the passages, best first."""
        units = [
            (unit, p)
            for p in passages
            for unit in evidence_units(p.text, p.layout)
            if showable(unit, p.title, p.author)
        ]
        if not units:
            return []
        weights = self._focus_weights(question)
        name_weights = self._name_weights(question)
        about = {doc: self._about(doc, passages) for doc in {p.doc_id for p in passages}}
        acronyms = Acronyms.defined_in(about.values())  # defined anywhere in the documents
        told = [1.0] * len(units)
        another = [False] * len(units)
        if weights:
            persons = _persons_counted(question)
            held = [
                _money_named(
                    question.amount,
                    unit.judged,
                    _persons_named(persons, acronyms.expand(f"{unit.judged} {_setting(p)}")),
                )
                for unit, p in units
            ]
            covered = _continued(question, units, [_coverage(weights, h) for h in held])
            # An FAQ's answer fills the slot its question heading asks for: where that asks
            # for the kind of answer the question does (an owner, a figure, a time) of
            # something else, it is that answer ("Who should set the targets?" answered
            # "The remuneration committee ..."). An answer to "Why not ...?" states its own
            # claims.
            if question.answer_type != "any":
                kinds = {
                    asked: Question.read(asked).answer_type
                    for asked in {unit.asked for unit, _ in units if unit.asked}
                }
                another = [
                    bool(unit.asked)
                    and kinds[unit.asked] == question.answer_type
                    and not _coverage(weights, _persons_named(persons, acronyms.expand(unit.asked)))
                    for unit, _ in units
                ]
            # Holding only an example of what is asked ("NPS" of "customer scores such as
            # NPS") does not make a unit about it.
            examples = {stem(t) for t in question.examples}
            main = {k: w for k, w in weights.items() if k not in examples} or weights
            if len(main) < len(weights):
                covered = [c if _coverage(main, h) > 0 else 0.0 for c, h in zip(covered, held)]
            if question.intent == "strategy":
                # A focus word most of the library's documents use ("CX" in a CX library)
                # does not tell what a sentence is about: a position holds another.
                rarer = self._telling(question, main)
                told = [_coverage(rarer, h) for h in held]
        else:  # the question is only its names: a unit must name them itself
            covered = [_names(name_weights, u.judged) if name_weights else 1.0 for u, _ in units]
        order = sorted(range(len(units)), key=lambda i: -covered[i])[:MAX_CANDIDATES]
        if weights and question.intent != "strategy" and not question.top:
            # A fact comes from a unit that holds some of the question's words (closeness
            # alone never addresses it), and a refusal names what the units that name its
            # subject lack: the rest are not worth embedding, unless no unit holds any, when
            # the closest is all there is to go on.
            holding = [
                i
                for i in order
                if covered[i] > 0 or (name_weights and _names(name_weights, units[i][0].judged))
            ]
            order = holding or order
        kept = [units[i] for i in order]
        # Each unit is embedded as it is read: under its document's title and section.
        texts = [f"{_setting(p)}: {u.judged}" for u, p in kept]
        vectors = self._vectors([question.text, *texts])
        years = [n for n in question.named if _YEAR.match(n)]
        names = [n for n in question.named if n not in years]
        if question.intent == "strategy":  # a position on the topic need not name the firm
            names, years = [], []
        times = {doc: {name: mentions(name, text) for name in names} for doc, text in about.items()}
        grounded = {doc: all(times[doc].values()) for doc in about}
        # A figure or a date asked about something a document names only in passing is
        # one the sentence (or its section) gives of it: "How many firms use Tessaly's
        # module?" is not answered by "Nearly half of firms ..." in a report that
        # mentions Tessaly once; nor is "What share said the CMO leads CX?" by a share
        # of respondents that says nothing of the CMO.
        exact = question.answer_type in ("figure", "time", "duration")
        proper = [
            n
            for n in names
            if all(_PROPER.match(word) for word in n.split()) or bool(_CHIEF.match(n))
        ]
        # So is one with a section of its own ("## Kessington Telecom" among case
        # studies): what the document says of it, it says there or by name.
        sections = {
            doc: " ".join(p.section or "" for p in passages if p.doc_id == doc) for doc in about
        }
        publishers = {p.doc_id: p.publisher for p in passages}
        titles = {p.doc_id: p.title for p in passages}
        opening = {doc: _head(doc, passages) for doc in about}
        bodies = {doc: text[len(opening[doc]) :] for doc, text in about.items()}
        # What names the document itself: its title, publisher, author and date, and the
        # lines it shows over its text (a series label "Research Brief 2020-07", a
        # report's name "CX Operating Models 2024" over its headline).
        heads = {doc: f"{opening[doc]} {masthead(bodies[doc], titles[doc])}" for doc in about}
        # The organisation's own documents are about it throughout, whether or not one of
        # them gives its name as publisher (a memo pasted as text gives none).
        internal = {p.doc_id for p in passages if p.kind != "research"}
        own = " | ".join(self.own_names()) if internal else ""
        passing = {  # a name the whole document is about (its title or publisher) aside
            doc: [
                n
                for n in proper
                if (times[doc][n] == 1 or mentioned(n, sections[doc]))
                and not mentioned(n, heads[doc])
                and not _own_work(n, publishers[doc], bodies[doc])
                and not (doc in internal and mentioned(n, own))
            ]
            for doc in about
        }

        # A position asked of one source ("which role ought to ...?" in its view) is
        # answered by what it recommends; a positions map weighs advice its own way.
        advice = question.advice and question.intent == "fact"
        named_in = [_names(name_weights, unit.judged) for unit, _ in kept]  # once per unit

        def of_named(unit: EvidenceUnit, passage: Passage) -> bool:
            if not exact or not passing[passage.doc_id]:
                return True
            said = f"{passage.section or ''} {unit.judged} {_pointed_back_to(unit, passage)}"
            return all(mentioned(n, said) for n in passing[passage.doc_id])

        # A kind of thing no document of the library names ("drone" of "our drone
        # delivery pilot"): a unit holding the rest of its words is about another kind
        # ("a speech analytics pilot") unless it is close in meaning to the question. A
        # question that names a firm, person or source is held to that name instead (its
        # other words may be the asker's for the source's: "avoidable contact" in Fenwick
        # Lane's ranking of "failure demand").
        unnamed = (
            not names and question.intent != "strategy" and bool(self.unknown_modifiers(question))
        )
        closeness = [dot(vectors[0], vector) for vector in vectors[1:]]  # once per unit
        ranked = [
            Candidate(
                unit=unit,
                passage=passage,
                similarity=similarity,
                coverage=covered[i],
                fits=fits(question, unit.judged, unit.quote, passage.section or "")
                and of_named(unit, passage),
                loosely=question.top and _ranks_first(unit.judged, set(), loose=True),
                grounded=grounded[passage.doc_id]
                and _of_years(passage, unit, years)
                and (not unnamed or similarity >= CLOSE_ENOUGH),
                # what a source's own document recommends, it recommends in its name
                names=_names(name_weights, f"{passage.publisher} {unit.judged}")
                if advice
                else named,
                advises=advice and advises(unit.judged),
                # or only a country ("Which countries does the Acme Index cover?": the
                # sentence naming the index and its countries need not say "cover")
                all_named=named >= 1
                and (
                    question.answer_type == "any"
                    or (question.answer_type == "country" and names_a_country(unit.judged))
                ),
                told=told[i],
                answers_another=another[i],
            )
            for i, (unit, passage), similarity, named in zip(order, kept, closeness, named_in)
        ]
        if question.top:
            ranked = _highest_of_lists(ranked, {stem(t) for t in question.focus})
        return sorted(ranked, key=lambda c: -c.score)

    def _about(self, doc_id: str, passages: Sequence[Passage]) -> str:
        """What a document names: its whole text where the index has it, else what the
        retrieved passages of it say, with its title, publisher and author."""
        text = self.document_text(doc_id)
        mine = " ".join(p.text for p in passages if p.doc_id == doc_id)
        return f"{_head(doc_id, passages)}{text or mine}"

    def _name_weights(self, question: Question) -> dict[str, float]:
        """The question's named things (years aside), each weighted by the (damped)
        rarity of its rarest word; a name with no indexed word counts as rare. A name
        every word of which stands in most of the library's documents ("CX" in a CX
        library) tells no passage from another and is left out."""
        weights = {}
        for name in question.named:
            if _YEAR.match(name):
                continue
            shares = self.term_shares(name).values()
            if shares and min(shares) > WIDESPREAD:
                continue
            idf = self.term_weights(name).values()
            weights[name] = math.sqrt(max(max(idf, default=_RARE), 0.0))
        return weights

    def unknown_modifiers(self, question: Question) -> list[str]:
        """Focus words that stand right before another focus word in the question, as
        the first words of a compound do ("drone" of "drone delivery pilot"), and that no
        document of the library holds."""
        words = question.text.split()
        said = [tokens(word) for word in words]
        # A word right after a subject pronoun is the clause's verb ("we tie frontline
        # bonuses", "have we set aside"), not the first word of a compound.
        verbs = {i + 1 for i, word in enumerate(words) if word.strip("?,").lower() in _SUBJECTS}
        before = [
            a[0]
            for i, (a, b, word) in enumerate(zip(said, said[1:], words))
            if a
            and b
            and i not in verbs
            and a[0] in question.focus
            and b[0] in question.focus
            and not word.endswith((",", ";", ":"))  # "CMO, CIO": a list, not a compound
        ]
        if not before:
            return []
        # A compound written with a hyphen is known where its parts are ("wait-time").
        parts = {w: [p for p in w.split("-") if p] for w in before}
        words = [*before, *(p for w in before for p in parts[w])]
        shares = self.term_shares(" ".join(words))

        def unknown(word: str) -> bool:
            return shares.get(word, 1.0) == 0.0

        return [w for w in before if unknown(w) and any(unknown(p) for p in parts[w])]

    def _telling(self, question: Question, weights: dict[str, float]) -> dict[str, float]:
        """The focus weights without the words that stand in most of the library's
        documents; all of them when every focus word does."""
        shares = self.term_shares(" ".join(sorted(question.focus)))
        widespread = {stem(t) for t, share in shares.items() if share > WIDESPREAD}
        return {k: w for k, w in weights.items() if k not in widespread} or weights

    def _focus_weights(self, question: Question) -> dict[str, float]:
        """Focus word stems, weighted by (damped) rarity in the library."""
        weights: dict[str, float] = {}
        for term, idf in self.term_weights(" ".join(sorted(question.focus))).items():
            key = stem(term)  # damped: one rare word should not outweigh all the others
            weights[key] = max(weights.get(key, 0.0), math.sqrt(max(idf, 0.0)))
        return weights


def fits(question: Question, reading: str, quote: str | None = None, section: str = "") -> bool:
    """Whether the text holds the kind of answer the question asks for: for a figure, a
    number next to what is counted ("18,640 complaints", "churn rose to 1.3%"; for "how
    many X", next to X); for a time, a date or duration next to what the question is
    about, in the item itself when `quote` (a list item or table row read with its
    lead-in or header) is given: "Budget 2026" in a header dates no event. `section`: the
    heading the text stands under, which may name what a sum of money is for."""
    near = {stem(t) for t in question.focus} | {
        stem(word.lower()) for name in question.named for word in name.split()
    }
    # A title named in full is also written by its initials ("Chief Customer Officer": CCO).
    near |= {stem(initials.lower()) for initials in map(_initials, question.named) if initials}
    if question.top and not _ranks_first(reading, {stem(t) for t in question.focus}):
        return False  # what ranks first is said to rank first, or is item one of a list
    if question.place and not _ranks_at(reading, question.place):
        return False
    if question.answer_type == "figure":
        if quote is not None and quote != reading and not _HAS_FIGURE.search(quote):
            return False  # the figure of a lead-in ("CIO (420 people):") is not the item's
        if question.multiple:  # "how much likelier": a multiple, "2.3 times", "2.6x"
            return bool(_MULTIPLE.search(reading))
        if question.change and not _CHANGED.search(reading):
            return False  # the size of a change is said of a change, not of a sample
        if question.amount:  # a sum of money for what the question is about
            near = near - _SPENDING  # "spends" says money is spent, not on what
            money = [m.start() for m in _MONEY.finditer(reading)]
            if money and _at_near(reading, money, near):
                return True
            # "A standing journey team of ten costs, at the median, $1.4 million": the
            # money is what a word for money right by it says the thing named costs,
            # named in the sentence or in the heading of its section ("Budget: EUR 16.8
            # million" under "CRM replacement").
            about = stems(f"{reading} {section}")
            if money and _at_near(reading, money, _MONEY_WORDS) and about & near:
                return True
            # A sum of money answers it, not a count ("1,390,000 invitations"); "how much
            # of total spending" is also answered by a share of it ("10 to 15%").
            if not money and not question.share:
                return False
        if question.share:  # a part of a whole ("41%", "a third"), not a count or a sum
            return _figure_near(reading, near, shares_only=True)
        counted = {stem(t) for t in question.counted}
        said = stems(reading)
        if counted and counted <= _EMPLOYED and said & _EMPLOYED:
            # "How many staff ...?" is answered by the people a firm employs, counted as
            # persons ("the two contact centres employ 1,050 people").
            counted = counted | _PERSONS
        elif counted and counted <= _PERSONS and said & _EMPLOYED and _asks_employing(question):
            # ... and "How many people does Acme employ?" by the count of its employees
            # ("The company has about 4,200 employees").
            counted = counted | _EMPLOYED
        if counted & said:
            # It names what is counted: the figure must count it, by the word that heads
            # it where that is said ("1 in 6 NPS responses" counts no NPS programmes).
            head = stem(question.counted_head)
            counts = {head} if head in said else counted
            if head not in _TIME_UNITS:  # "six months" is a length of time, not a count
                counts = counts - _TIME_UNITS  # of the "monthly active users" asked for
            # A table row's label stands right by its figures as the row is written
            # ("of which agents 880 880"), however far its reading sets them apart
            # ("Item: Contact-centre employees, of which agents; End of Q3 2026: 880").
            written = [reading] if quote is None or quote == reading else [reading, quote]
            if any(_figure_near(w, counts, COUNTED_NEAR, no_money=True) for w in written):
                return True
            if _reached_count(reading, counts):
                return True
            # "How many of its customers had to ...?" is also answered by a share of them
            # ("The share of its customers who had to ... fell to 19%").
            return question.part and _figure_near(reading, near, shares_only=True)
        if counted and not counted <= _PERSONS:
            # "how many X" in other words than X: only as a share ("2% of firms") or as a
            # part of what was counted before ("we interviewed 24 of them")
            return _figure_near(reading, near, shares_only=True) or bool(_PART_OF.search(reading))
        if counted:  # "how many people": a count of them by any name ("310 leaders"),
            # not a share of firms nor a sum of money ("a budget of EUR 81 million")
            return _figure_near(reading, near, counts_only=True, no_money=True)
        return _figure_near(reading, near)
    if question.answer_type == "time":
        if quote is not None and quote != reading and not _time_near(quote, set()):
            return False
        if question.deadline:  # the date something is due by, not one it starts from
            return bool(_DUE.search(reading)) or (
                _time_near(reading, near) and bool(_DUE_WORD.search(reading))
            )
        return _time_near(reading, near)
    if question.answer_type == "duration":  # "29 months", "about 90 days", not a year
        return bool(_SPAN.search(reading))
    if question.answer_type == "country":  # "Which countries ...?": one named
        return names_a_country(reading)
    if question.answer_type == "rank":  # a place in the order: "sixth", "ranks 3rd"
        return bool(_ORDINAL.search(reading)) or _item_number(reading) is not None
    if question.answer_type == "owner":  # a role, or a person unless a role is asked
        titles = titles_asked(question)
        if titles:  # "Who is our Chief Financial Officer?": the name that goes with it
            return any(_named_by(reading, title) for title in titles)
        person = not question.role and bool(_CAPITALISED_NAME.search(reading))
        return bool(roles_in(reading) or _JOB.search(reading)) or person
    return True


# "Who is / was [our] <title>?": asks whose name goes with a title the question names.
_WHO_IS = re.compile(r"\s*(?i:who(?:'s|’s|\s+is|\s+was)\s+(?:(?:our|the|their|its)\s+)?)[A-Z]")
# A person's name: two to four capitalised words ("Helena Moreau", "Tomás de Vries").
_PERSON = re.compile(
    r"\b[A-Z][^\W\d_]+(?:\s+(?:(?:de|van|von|der|da|di|le|la)\s+)?[A-Z][^\W\d_]+){1,3}"
)
_TITLE_REACH = 3  # words between a title and the name it goes with, at most


@functools.lru_cache(maxsize=64)
def titles_asked(question: Question) -> tuple[str, ...]:
    """The titles a "Who is [our] <title>?" question asks the holder of; else none. Kept
    per question: `fits` asks it of every unit ranked."""
    if not _WHO_IS.match(question.text):
        return ()
    return tuple(n for n in question.named if roles_in(n) or _JOB.search(n))


def _named_by(reading: str, title: str) -> bool:
    """Whether the reading gives a person's name right by `title` or its initials ("CFO -
    Helena Moreau", "Role: Chief Financial Officer; Name: Helena Moreau")."""
    words = {w.lower() for w in title.split()}
    initials = _initials(title)
    forms = [re.escape(title)] + ([rf"\b{re.escape(initials)}\b"] if initials else [])
    shown = [m.span() for form in forms for m in re.finditer(form, reading, re.I)]
    names = [
        m.span()
        for m in _PERSON.finditer(reading)
        if not {w.lower() for w in m.group().split()} & words
    ]
    return any(
        len(_TOKEN.findall(reading[min(a[1], b[1]) : max(a[0], b[0])])) <= _TITLE_REACH
        for a in shown
        for b in names
        if a[1] <= b[0] or b[1] <= a[0]
    )


_HAS_FIGURE = re.compile(rf"\d|\b(?:half|third|quarter|{'|'.join(NUMBERS)})\b", re.I)


def says_a_change(text: str) -> bool:
    """The text gives a figure and says it changed ("fell to +14, down from +17", "rose
    by 15.0%")."""
    return holds_figure(text) and bool(_CHANGED.search(text))


def holds_figure(text: str) -> bool:
    """The text gives a number in digits or words ("41%", "a third", "twelve")."""
    return bool(_HAS_FIGURE.search(text))


# A sum of money by its currency: "EUR 1.8 million", "$641B", "£4.75", "300 euros".
_SUM = re.compile(
    r"(?:[$€£]\s?|\b(?:EUR|USD|GBP|CHF)\s?)\d[\d,.]*(?:\s?(?:million|billion|bn|[mkbMKB])\b)?"
    r"|\b\d[\d,.]*\s?(?:million\s|billion\s)?(?:euros?|dollars?|pounds?)\b",
    re.IGNORECASE,
)


def holds_count(text: str) -> bool:
    """The text gives a number other than a sum of money: "EUR 0.46 million on user
    research" counts no users."""
    return holds_figure(_SUM.sub(" ", text))


_POINTER = re.compile(r"\b(?:it|its|they|them|their)\b", re.IGNORECASE)


def _pointed_back_to(unit: EvidenceUnit, passage: Passage) -> str:
    """What a sentence that points back names through its pronoun ("it", "its", "they",
    "their"): the sentences of its paragraph before it. "The share of its registered
    customers who had to repeat their circumstances fell to 19%" is said of the company
    the paragraph opened on, however many sentences before."""
    if unit.role != "body" or not (points_back(unit.quote) or _POINTER.search(unit.quote)):
        return ""
    return paragraph_before(unit, passage)


def paragraph_before(unit: EvidenceUnit, passage: Passage) -> str:
    """The text of the unit's paragraph before it, as the passage's layout lays it out;
    "" without a layout."""
    for block in passage.layout or ():
        if block.start <= unit.start < block.end:
            return passage.text[block.start : unit.start]
    return ""


def _continued(
    question: Question, units: Sequence[tuple[EvidenceUnit, Passage]], covered: list[float]
) -> list[float]:
    """The coverage of each unit, where a sentence that gives the kind of answer asked for
    and points back with a pronoun continues the sentence before it in its paragraph, which
    is on the question's topic and gives no such answer: "It launched a generative chatbot
    in 2021 ... After 14 months the company withdrew it." answers how long the chatbot ran.
    It holds the words of the sentence it continues."""
    if question.answer_type not in ("figure", "time", "duration"):
        return covered
    out = list(covered)
    for i in range(1, len(units)):
        (unit, passage), (before, same) = units[i], units[i - 1]
        if (
            covered[i] >= covered[i - 1]
            or covered[i - 1] < ADDRESS_MIN
            or same is not passage
            or unit.role != "body"
            or before.role != "body"
            or not _POINTER.search(unit.quote)
            or not _pointed_back_to(unit, passage).strip()
        ):
            continue
        section = passage.section or ""
        if fits(question, unit.judged, unit.quote, section) and not fits(
            question, before.judged, before.quote, section
        ):
            out[i] = covered[i - 1]
    return out


def _head(doc_id: str, passages: Sequence[Passage]) -> str:
    """What a document names before its text (see `named_by_document`)."""
    first = next((p for p in passages if p.doc_id == doc_id), None)
    return f"{named_by_document(first)} " if first is not None else ""


_MASTHEAD_BLOCKS = 4  # blocks a document may show over its title, at most


def masthead(text: str, title: str) -> str:
    """What a document shows over its title: its publisher's name, a series label
    ("Research Brief 2020-07"), a report's name ("CX Operating Models 2024"); '' where
    its text does not open on such lines and the title."""
    lines = (" ".join(line.split()) for line in text.split("\n"))
    blocks = [line for line in lines if line][: _MASTHEAD_BLOCKS + 1]
    shown = " ".join(title.split())
    at = next((i for i, block in enumerate(blocks) if block == shown), 0)
    return " ".join(blocks[:at])


def _own_work(name: str, publisher: str, text: str) -> bool:
    """The document names `name` as its publisher's own work ("this year's Harbourline
    Post-Sale Benchmark", "Acme's Index" by Acme Research): what it reports in the first
    person ("we surveyed 430 companies") it reports of that work."""
    house = publisher.split()[0] if publisher.split() else ""
    if len(house) < _HOUSE_LETTERS or not house[0].isupper():
        return False
    owned = rf"\b{re.escape(house)}(?:['’]s)?\s+(?:[\w-]+\s+){{0,2}}{re.escape(name)}\b"
    return bool(re.search(owned, text))


_HOUSE_LETTERS = 3  # letters of a publisher's first word that can name its work, at least


def _setting(passage: Passage) -> str:
    """What a sentence is read under: its document's title and its section heading."""
    return f"{passage.title} {passage.section or ''}"


_TOKEN = re.compile(r"[$€£]?\d[\d,]*(?:\.\d+)?%?|[A-Za-z][\w'’-]*")
NEAR = 6  # words between a figure and what it counts
COUNTED_NEAR = 4  # ... and between "800" and "respondents" for "how many respondents"


# "members aged 65 and over", "those aged 18 to 44", "customers 70 or older"
_AGES = re.compile(
    r"\b(?:aged|ages)\s+\d+(?:\s*(?:to|-|–)\s*\d+)?(?:\s+(?:and|or)\s+(?:over|older))?"
    r"|\b\d+\s+(?:and|or)\s+(?:over|older)\b",
    re.IGNORECASE,
)
_PART_OF = re.compile(  # "24 of them", "9 of the 42": a count of what was counted before
    r"(?<![\w.,])(?!(?:19|20)\d\d\b)\d[\d,]*\s+of\s+"
    r"(them|these|those|whom|which|(?:the\s+)?(?!(?:19|20)\d\d\b)\d[\d,]*(?![\d,]*%))\b",
    re.I,
)
_OF = re.compile(r"\s+of\s")
# A case a sentence opens on, up to its comma: "When a call is answered within 60 seconds,".
_CASE = re.compile(r"^\s*(?:when|whenever|if|once)\b[^,;:.]*,", re.IGNORECASE)
# A relative clause set off by a comma, up to the end of its clause: ", which ... 3.1%".
_RELATIVE = re.compile(r"(?<=\w),\s+(?:which|that|who)\b[^,.;:!?]*(?:[.,]\d[^,.;:!?]*)*")
_CLAUSE = re.compile(r"[.;:!?](?:\s|$)")
# A part of a whole named by a noun for one: "the share of", "the proportion of".
_SHARE_NAMED = re.compile(r"\b(?:share|proportion|percentage|fraction)\s+of\s", re.IGNORECASE)
# A list item's or a numbered paragraph's number ("1. ", "(2) ", "3.3 ", "4.1.2 "): no figure.
_LIST_MARKER = re.compile(r"(?:^|(?<=[:.;]\s))\(?\d{1,2}(?:[.)]|(?:\.\d{1,2})+\.?)\s")


_CURRENCY_BEFORE = re.compile(r"(?:[$€£]|\b(?:EUR|USD|GBP|CHF))\s?$", re.IGNORECASE)


def _signed(text: str, at: int) -> bool:
    """The figure at `at` is written with its sign ("+41", "(-3"), as a score or a change is."""
    return at > 0 and text[at - 1] in "+-\u2212" and (at == 1 or text[at - 2] in " \t\n(")


def _money(text: str, figure: re.Match[str]) -> bool:
    """A sum of money: '$13,500', 'EUR 450k'."""
    return figure.group()[0] in "$€£" or bool(_CURRENCY_BEFORE.search(text[: figure.start()]))


def _figure_near(
    reading: str,
    focus: set[str],
    reach: int = NEAR,
    *,
    shares_only: bool = False,
    counts_only: bool = False,
    no_money: bool = False,
) -> bool:
    text = _LIST_MARKER.sub(" ", reading)
    if not focus & {"age", "aged"}:  # an age says who is counted, and is no figure of them
        text = _AGES.sub(" ", text)
    # A sentence that opens on the case it speaks of ("When a call is answered within 60
    # seconds, CSAT on voice is 80%"): the figure after the case is said of what its own
    # clause names, and one in the case of what the case names.
    case = _CASE.match(text)
    if case:
        return any(
            _figure_near_in(part, focus, reach, shares_only, counts_only, no_money)
            for part in (text[: case.end()], text[case.end() :])
        )
    return _figure_near_in(text, focus, reach, shares_only, counts_only, no_money)


def _figure_near_in(
    text: str,
    focus: set[str],
    reach: int,
    shares_only: bool,
    counts_only: bool,
    no_money: bool,
) -> bool:
    found = list(_TOKEN.finditer(text))
    words = [m.group() for m in found]
    # A figure starts with a digit or a currency sign: "Q3" and "B2B" are names, not counts;
    # a year is no figure, nor is the base of a rate ("per 1,000 subscribers").
    figures = [i for i, w in enumerate(words) if w[0].isdigit() or w[0] in "$€£"]
    # Nor is a length of time ("within 60 seconds") a count of anything but its unit.
    figures = [
        i
        for i in figures
        if not _YEAR.match(words[i].rstrip("%"))
        and (i == 0 or words[i - 1].lower() != "per")
        and not _timed(words, i, focus)
    ]
    if shares_only:
        figures = [i for i in figures if words[i].endswith("%")]
    if no_money:  # "how many retailers": a count or a share of them, never a sum of money
        figures = [i for i in figures if not _money(text, found[i])]
    if no_money or counts_only:  # nor a score or a change: "stores scored +41"
        figures = [i for i in figures if not _signed(text, found[i].start())]
    if counts_only:
        return _within(words, [i for i in figures if not words[i].endswith("%")], focus, reach)
    if _within(words, figures + _fractions(text, [m.start() for m in found]), focus, reach):
        return True
    # The size of a change is said of what changed, named before the verb in its clause:
    # "goodwill spend per 1,000 contacts rose by only 6%" gives the rise of goodwill spend.
    if _change_of(text, found, figures, focus, reach):
        return True
    # A figure in a relative clause is said of what the clause hangs on: "the experience
    # budget, which in the median company came to 3.1% of operating costs".
    starts = [m.start() for m in found]
    for relative in _RELATIVE.finditer(text):
        hung = bisect.bisect_right(starts, relative.start()) - 1
        inside = any(relative.start() < starts[i] < relative.end() for i in figures)
        if inside and hung >= 0 and _meets(words, hung, focus):
            return True
    # A share of a population ("63% of companies say no single team is accountable for
    # the customer experience ...") is a share of what its whole clause says.
    for i in figures:
        if words[i].endswith("%") and _OF.match(text, found[i].end()):
            clause = _clause_from(text, found, found[i].end())
            if any(stem(words[j].lower()) in focus for j in clause):
                return True
    # A share named as what the clause is about ("the share of responses from customers who
    # had complained in the previous 90 days rose from 12% to 21%"): the figure it comes to
    # is a share of all that its "of" phrase says, however long, where that phrase says
    # more of what the question asks about than one word ("customers" alone is anyone's).
    for named in _SHARE_NAMED.finditer(text):
        phrase = _clause_from(text, found, named.end())
        shares = [j for j in phrase if j in figures and words[j].endswith("%")]
        if not shares:
            continue
        met = {stem(words[j].lower()) for j in phrase if j < shares[0] and _meets(words, j, focus)}
        if len(met) >= min(2, len(focus)):
            return True
    return False


_CHANGE_VERB = re.compile(
    r"(?:fall|falls|fell|fallen|rise|rises|rose|risen|drop(?:s|ped)?|grow|grows|grew|grown|"
    r"increas(?:e|es|ed)|decreas(?:e|es|ed)|declin(?:e|es|ed)|climb(?:s|ed)?|jump(?:s|ed)?)",
    re.IGNORECASE,
)
_CHANGE_GAP = 2  # words between a verb of change and the figure it gives ("rose by only 6%")
# Marks that end the clause before a verb (not the comma of "1,000").
_CLAUSE_MARK = re.compile(r"[,;:.!?](?=\s)|[–—]")


def _change_of(
    text: str, found: Sequence[re.Match[str]], figures: list[int], focus: set[str], reach: int
) -> bool:
    """Whether a figure gives the size or level of a change ("rise by 6%", "fell to 212")
    of something the question asks about, named in the clause before the verb."""
    words = [m.group() for m in found]
    for i in figures:
        for j in range(max(0, i - 1 - _CHANGE_GAP), i):
            between = words[j + 1 : i]
            if not _CHANGE_VERB.fullmatch(words[j]) or any(
                w[0].isdigit() or _CHANGE_VERB.fullmatch(w) for w in between
            ):
                continue
            bounds = [m.end() for m in _CLAUSE_MARK.finditer(text, 0, found[j].start())]
            opens = bounds[-1] if bounds else 0
            subject = [k for k in range(max(0, j - reach), j) if found[k].start() >= opens]
            if any(_meets(words, k, focus) for k in subject):
                return True
    return False


def _clause_from(text: str, found: Sequence[re.Match[str]], at: int) -> list[int]:
    """The positions of the words (`found` in `text`) from character `at` to the end of
    the clause it stands in."""
    end = _CLAUSE.search(text, at)
    stop = end.start() if end else len(text)
    return [j for j, word in enumerate(found) if at <= word.start() < stop]


# A share in words: "about half the time", "up from a third.", "two thirds of firms", "1 in
# 5"; not "the second half of 2026", "a third party".
_FRACTION = re.compile(
    r"\b(?:(?:a|one|two|three|four)[\s-]+(?:third|quarter|fifth)s?|half)"
    r"(?=\s+(?:of|the)\b|\s*[.,;:)]|\s*$)"
    # "1 in 5 plans", "three out of four": not "5 in 2026"
    rf"|\b(?:\d{{1,3}}|one|{'|'.join(NUMBERS[:-1])})\s+(?:in|out of)\s+"
    rf"(?!(?:19|20)\d\d\b)(?:\d{{1,4}}|{'|'.join(NUMBERS)})\b",
    re.IGNORECASE,
)
_PERIOD_BEFORE = re.compile(r"\b(?:the|first|second|last|this|next|each|per)\s+$", re.IGNORECASE)


def _fractions(text: str, starts: list[int]) -> list[int]:
    """The word positions of shares said in words, given where each word of the text
    starts."""
    return [
        bisect.bisect_right(starts, m.start()) - 1
        for m in _FRACTION.finditer(text)
        if not _PERIOD_BEFORE.search(text[: m.start()])
    ]


def _initials(name: str) -> str:
    """The initials of a name of two or more capitalised words, else ''."""
    words = name.split()
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words)


def _at_near(reading: str, at: list[int], focus: AbstractSet[str]) -> bool:
    """Something found at these character offsets stands within reach of the focus."""
    words = _TOKEN.findall(reading)
    starts = [m.start() for m in _TOKEN.finditer(reading)]
    return _within(words, [bisect.bisect_right(starts, a) - 1 for a in at], focus, NEAR)


# A ranking given as a list: "in order: skills, sponsorship, ...", "ranked: chat, email".
_IN_ORDER = re.compile(r"\b(?:in (?:that |this |descending )?order|ranked)\b[^.;:]{0,40}:\s*\w")


_COUNT_AFTER = re.compile(rf"(?:[2-9]|\d\d|{'|'.join(NUMBERS)})\b", re.I)


def _ranks_first(reading: str, focus: set[str], loose: bool = False) -> bool:
    """Says that something ranks first: as the predicate ("voice of the customer comes
    first", "chat ranks top,") or of what the question is about ("the biggest impact",
    not "the biggest challenge" for a question about impact); or is item one of a list
    read with its lead-in, or the head of a ranking given in order. `loose`: a
    superlative of anything counts."""
    item = _item_number(reading)
    if item is not None:  # an item of a numbered list read with its lead-in: item 1 first
        return item == 1
    ordered = _IN_ORDER.search(reading)  # a ranking of what the question is about
    if ordered and (loose or not focus or stems(reading[: ordered.start()]) & focus):
        return True
    for match in _RANK_ONE.finditer(reading):
        rest = reading[match.end() :].lstrip()
        if _COUNT_AFTER.match(rest):
            continue  # "your top 20 contact reasons": a number of them, not the first
        following = re.match(r"[A-Za-z][\w'-]*", rest)
        if following is None or following.group(0).lower() in ENGLISH_STOP_WORDS:
            return True  # "comes first.", "turn first to ...": the rank is the point
        qualified = re.match(r"((?:[A-Za-z][\w'-]*\s*){1,2})", rest)
        if loose or (qualified and stems(qualified.group(1)) & focus):
            return True
    return False


# The number of a list item read with its lead-in: "1.", "1)", a keycap "1️⃣".
_ITEM = re.compile(r"(?:^|:\s)\(?(\d{1,2})(?:[.)]|\ufe0f?\u20e3)\s")


def _item_number(reading: str) -> int | None:
    """The number of the numbered list item a reading is, else None."""
    item = _ITEM.search(reading)
    return int(item.group(1)) if item else None


_VALUE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s?%")
_WHOLE = 100.0  # the share of the whole


def _highest_of_lists(candidates: list[Candidate], focus: AbstractSet[str]) -> list[Candidate]:
    """In a list or table that gives each item a share ("Password resets: 78%", "Delivery
    tracking: 67%"), the item with the highest ranks first, as a reader sees it. A table
    with several columns of shares is read in the column whose header holds most of the
    question's words ("Fall in inbound contacts" for "cut incoming contacts the most")."""
    groups: dict[tuple[str, str], list[tuple[float, int]]] = {}
    for n, c in enumerate(candidates):
        if c.unit.role in ("list_item", "table_row") and c.unit.context:
            found = _VALUE.findall(_asked_cell(c.unit.quote, c.unit.context, focus))
            if len(found) == 1:
                key = (c.passage.doc_id, c.unit.context)
                groups.setdefault(key, []).append((float(found[0]), n))
    out = list(candidates)
    for group in groups.values():
        # A row of 100% beside others is the whole ("Total | 18,640 | 100%"), not an item.
        items = [(v, n) for v, n in group if v < _WHOLE] if len(group) > 2 else group
        values = sorted(items, reverse=True)
        if len(values) >= 2 and values[0][0] > values[1][0]:
            out[values[0][1]] = replace(out[values[0][1]], loosely=True, fits=True)
    return out


_CELL_NUMBER = re.compile(r"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[-+]?\d+(?:\.\d+)?$")
_SUM_TOLERANCE = 0.005  # a total may round its parts: within half a percent of their sum


def row_named(label: str, header: str, asked: AbstractSet[str], named: Sequence[str]) -> bool:
    """A question names a table's row by its `label`: the label holds one of the `asked`
    stems that the `header` does not (what the header says is the table's subject: the
    "CX" of "CX Office" under "Share of CX budget" names no row), or a thing the question
    `named` that the header does not ("IT")."""
    if (stems(label) - stems(header)) & asked:
        return True
    return any(mentioned(name, label) and not mentioned(name, header) for name in named)


def parts_of_totals(
    candidates: Sequence[Candidate], focus: AbstractSet[str], named: Sequence[str] = ()
) -> set[int]:
    """The indexes of table rows that are parts of a total another row of their table
    gives: one whose figure in some column is the sum of the other rows' figures there
    ("Total | 18,640" under "Call centre | 10,250", "Chat | 3,360", ...), whatever the
    total row is called. Only where every row of the table is among the candidates, so
    that the sum can be checked, and the label of none of its rows holds a word of the
    question's `focus` stems that its header does not (a question that names a row asks
    for that part; one that names the table's subject, "CX budget" under "Share of CX
    budget", does not name its "CX Office" row), nor names one of the question's `named`
    things ("IT" for "How much of our CX budget sits with IT?")."""
    groups: dict[tuple[str, str], dict[str, list[int]]] = {}
    for n, c in enumerate(candidates):
        if c.unit.role == "table_row" and c.unit.context:
            rows = groups.setdefault((c.passage.doc_id, c.unit.context), {})
            rows.setdefault(c.unit.quote, []).append(n)
    parts: set[int] = set()
    for (_doc, context), rows in groups.items():
        quotes = list(rows)
        cells = [table_cells(q) for q in quotes]
        if len(quotes) < 3 or len({len(c) for c in cells}) != 1:
            continue
        labels = [" ".join(c for c in row if _cell_value(c) is None) for row in cells]
        if any(row_named(label, context, focus, named) for label in labels):
            continue
        for column in range(len(cells[0])):
            values = [_cell_value(row[column]) for row in cells]
            if any(v is None for v in values):
                continue
            numbers = [v for v in values if v is not None]
            whole = sum(numbers)
            for i, value in enumerate(numbers):
                if value > 0 and abs(whole - 2 * value) <= _SUM_TOLERANCE * value:
                    parts |= {n for j, q in enumerate(quotes) if j != i for n in rows[q]}
    return parts


def _cell_value(cell: str) -> float | None:
    """A table cell's number ("10,250", "48.00"), else None."""
    text = cell.strip()
    return float(text.replace(",", "")) if _CELL_NUMBER.match(text) else None


def _asked_cell(row: str, header: str, focus: AbstractSet[str]) -> str:
    """The cell of a table row under the header that shares most stems with `focus`
    (the one such header); the whole row when it is no table or no header stands out."""
    cells, names = table_cells(row), table_cells(header)
    if len(cells) < 2 or len(cells) != len(names):
        return row
    shared = [len(stems(name) & focus) for name in names]
    best = max(shared)
    if best == 0 or shared.count(best) > 1:
        return row
    return cells[shared.index(best)]


def _ranks_at(reading: str, place: int) -> bool:
    """Says that something stands at this place of a ranking ("comes third", "is ranked
    3rd"), or is that item of a numbered list read with its lead-in ("3. Chat")."""
    ordinal = ORDINALS[place - 2]
    said = rf"\b(?:{ordinal}|{place}(?:st|nd|rd|th)|number {place})\b"
    return bool(re.search(said, reading, re.IGNORECASE)) or _item_number(reading) == place


def _time_near(reading: str, focus: set[str]) -> bool:
    """A date, year or duration within reach of a word the question is about."""
    text = _LIST_MARKER.sub(" ", reading)
    years = [m.start() for m in _TOKEN.finditer(text) if _YEAR.match(m.group())]
    return _at_near(text, years + [m.start() for m in _DURATION.finditer(text)], focus)


def _timed(words: list[str], i: int, focus: AbstractSet[str]) -> bool:
    """Figure i is a length of time in a unit the question does not ask about."""
    unit = words[i + 1].lower() if i + 1 < len(words) else ""
    return unit in UNITS and stem(unit) not in focus


def _within(words: list[str], at: list[int], focus: AbstractSet[str], reach: int) -> bool:
    if not at or not focus:
        return bool(at)
    near = [i for i in range(len(words)) if _meets(words, i, focus)]
    return any(abs(i - j) <= reach for i in at for j in near)


def _meets(words: list[str], i: int, focus: AbstractSet[str]) -> bool:
    """Whether word i is a focus word: itself, a word of it as a compound, or the compound
    it makes with the next word ("delivery tracking" for "delivery-tracking")."""
    word = words[i].lower()
    forms = {word, *word.split("-")}
    if i + 1 < len(words):
        forms.add(f"{word}-{words[i + 1].lower()}")
    if word in UNITS and i > 0:  # "60 seconds" meets "minute"
        forms |= {unit for _, unit in equivalents(f"{words[i - 1]} {word}")}
    return any(stem(form) in focus for form in forms if form)


def _share(weights: dict[str, float], holds: Callable[[str], bool], empty: float) -> float:
    """The weighted share of the keys that `holds` accepts; `empty` when none weigh."""
    total = sum(weights.values())
    if not total:
        return empty
    return sum(w for key, w in weights.items() if holds(key)) / total


def _reached_count(reading: str, counts: AbstractSet[str]) -> bool:
    """A count that a change reaches, said of what the clause's subject names:
    "Escalations to the telecom regulator's dispute scheme rose to 212" counts
    escalations, however many words the subject takes."""
    for reached in _REACHED.finditer(reading):
        clause = re.split(r"[,;:]\s|\band\b", reading[: reached.start()])[-1]
        money = _CURRENCY_BEFORE.search(reading[: reached.start("figure")])
        if stems(clause) & counts and not money:
            return True
    return False


def _persons_counted(question: Question) -> set[str]:
    """What "how many people" or "how many staff" counts, as stems; empty when it counts
    anything else."""
    counted = {stem(t) for t in question.counted}
    return counted if counted <= _PERSONS | _EMPLOYED else set()


def _persons_named(persons: set[str], held: set[str]) -> set[str]:
    """A unit's word stems, where "how many people" or "how many staff" (`persons`) is
    also held by the words that count the people a firm employs ("Employees: 1,350",
    "the two contact centres employ 1,050 people")."""
    return held | persons if persons and held & _EMPLOYED else held


def _money_named(amount: bool, reading: str, held: set[str]) -> set[str]:
    """A unit's word stems, where a question asking for a sum of money (`amount`) has
    its word for money (cost, budget, price) held by a sum the unit gives."""
    return held | _MONEY_WORDS if amount and _MONEY.search(reading) else held


def _coverage(weights: dict[str, float], held: set[str]) -> float:
    """The weighted share of the focus a unit holds; a compound ("over-70") is held by its
    words wherever they stand ("aged 70 and over")."""

    def holds(key: str) -> bool:
        if key in held:
            return True
        parts = [stem(p) for p in key.split("-") if p and p not in STOPWORDS]
        return "-" in key and bool(parts) and all(p in held for p in parts)

    return _share(weights, holds, 1.0)


def _spelled_out(words: list[str], acronym: str) -> list[str]:
    """The shortest run of trailing words that spells the acronym: the first word starts
    with its first letter and its other letters follow in order ("customer experience"
    for CX, "voice of the customer" for VoC)."""
    letters = acronym.lower()
    for size in range(1, len(words) + 1):
        lead = words[-size:]
        if lead[0][0].lower() != letters[0]:
            continue
        rest = " ".join(lead)[1:].lower()
        at = 0
        for letter in letters[1:]:
            at = rest.find(letter, at) + 1
            if not at:
                break
        else:
            return lead
    return []


class Acronyms:
    """Acronyms the documents define ("customer experience (CX)"), so that a sentence
    saying "CX" holds the words "customer experience" and the other way round. A
    document that uses an acronym it never defines usually writes it out as well ("CX"
    in one paragraph, "customer experience" in the next): where the documents define it
    nowhere, the run of words that spells it that most of the documents using it write,
    two or more, stands for it (one document's "chief experience officer" is not the
    CEO another's text names)."""

    _DEFINED = re.compile(r"((?:[A-Za-z][\w'-]*[\s-]+){1,5})\(([A-Z][A-Za-z]{1,5})\)")
    # An acronym as used: two to six letters, capitals first and last ("CX", "VoC").
    _USED = re.compile(r"\b([A-Z][A-Za-z]{0,4}[A-Z])s?\b")

    def __init__(
        self, expansions: dict[str, set[str]], phrases: dict[str, str] | None = None
    ) -> None:
        self.expansions = expansions  # acronym stem -> stems of its words
        self.phrases = phrases or {}  # acronym stem -> its words as written

    @classmethod
    def defined_in(cls, texts: Iterable[str]) -> Acronyms:
        expansions: dict[str, set[str]] = {}
        phrases: dict[str, str] = {}
        texts = list(texts)
        for text in texts:
            for match in cls._DEFINED.finditer(text):
                words, acronym = match.group(1).split(), match.group(2)
                lead = _spelled_out(words, acronym)
                if lead:
                    key = stem(acronym.lower())
                    expansions.setdefault(key, set()).update(stems(" ".join(lead)))
                    if spelled_runs(acronym, " ".join(lead)):  # by its initials
                        phrases.setdefault(key, " ".join(lead).lower())
        # acronym -> run -> how many documents that use the acronym write the run
        written: dict[str, Counter[str]] = {}
        for text in texts:
            for acronym, runs in _written_out(text).items():
                if stem(acronym.lower()) not in expansions:
                    written.setdefault(acronym, Counter()).update(set(runs))
        # A run that spells two of the acronyms ("chief experience officer": CEO and
        # CXO), or holds one that another spells ("customer experience owned": CEO, and
        # "customer experience": CX), stands for neither.
        for acronym, runs in written.items():
            others = {r for other, rs in written.items() if other != acronym for r in rs}
            plain = Counter(
                {
                    run: n
                    for run, n in runs.items()
                    if not any(f" {r} " in f" {run} " for r in others)
                }
            )
            if not plain:
                continue
            run, documents = plain.most_common(1)[0]
            if documents >= 2:
                expansions[stem(acronym.lower())] = stems(run)
                phrases[stem(acronym.lower())] = run
        return cls(expansions, phrases)

    def written_out(self, text: str) -> str:
        """The text with each acronym it uses and does not write out followed by its
        words: "Who should own CX here?" -> "Who should own CX (customer experience)
        here?", so that a search finds the documents that write the words."""
        held = stems(text)

        def out(match: re.Match[str]) -> str:
            key = stem(match.group(1).lower())
            phrase = self.phrases.get(key)
            if not phrase or self.expansions[key] <= held:
                return match.group(0)
            return f"{match.group(0)} ({phrase})"

        return self._USED.sub(out, text)

    def expand(self, text: str) -> set[str]:
        """The text's stems, with each defined acronym's words and each spelled-out
        acronym's letters added."""
        held = stems(text)
        for acronym, words in self.expansions.items():
            if acronym in held:
                held |= words
            elif words and words <= held:
                held.add(acronym)
        return held


@functools.lru_cache(maxsize=256)
def _written_out(text: str) -> dict[str, Counter[str]]:
    """The acronyms a text uses in its sentences, each with the runs of its words that
    spell it (`spelled_runs`) and how often the text writes each. A word in capitals
    among others in capitals is a heading's, not an acronym ("CASE STUDY"); an acronym
    that is also a common word ("IT", "US") is left out: its letters begin too many
    runs."""
    used = set()
    for m in Acronyms._USED.finditer(text):
        acronym = m.group(1)
        if sum(c.isupper() for c in acronym) < 2 or acronym.lower() in STOPWORDS:
            continue
        around = text[max(0, m.start() - 40) : m.end() + 40].split()
        if sum(1 for w in around if w[:1].islower()) >= 2:
            used.add(acronym)
    found = {acronym: spelled_runs(acronym, text) for acronym in used}
    return {acronym: runs for acronym, runs in found.items() if runs}


_YEAR_SPAN = re.compile(
    r"\b(?:19|20)\d\d\s*(?:to|until|through|and|-|–|—)\s*(?:19|20)\d\d\b", re.IGNORECASE
)
_DATED_YEAR = re.compile(r"\b(?:in|by|as of|during|for)\s+((?:19|20)\d\d)\b", re.IGNORECASE)


def _of_years(passage: Passage, unit: EvidenceUnit, years: Sequence[str]) -> bool:
    """A figure for a year the question names is stated for it: the sentence names the
    year, or names no year and its section heading or its document's date does. A list
    item or table row that names a year is of that year, whatever span its lead-in or
    header covers ("Response rate, 2020 to 2024: 2021 11%" is 2021's)."""
    if not years:
        return True
    own = {w for w in _TOKEN.findall(unit.quote) if _YEAR.match(w)}
    if unit.role != "body" and own:
        return all(year in own for year in years)
    reading = unit.judged
    stated = {w for w in _TOKEN.findall(reading) if _YEAR.match(w)}
    # A year said as the figure's time ("lacked a CXO in 2017") is the one it is for,
    # where another only names something ("Gartner's 2019 survey").
    dated = set(_DATED_YEAR.findall(reading))
    if dated:
        return all(year in dated for year in years)
    if stated:
        return all(year in stated for year in years)
    # A heading over a span of years ("Response rate, 2020 to 2024") dates no figure
    # under it to one of them.
    setting = _YEAR_SPAN.sub(" ", f"{passage.section or ''} {passage.date[:4]}")
    return all(mentioned(year, setting) for year in years)


def _names(weights: dict[str, float], reading: str) -> float:
    return _share(weights, lambda name: mentioned(name, reading), 0.0)
