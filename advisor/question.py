"""What a question asks for: its intent, the kind of answer it wants, the things it names
and the words its answer has to be about.

- intent `strategy`: contested and strategic questions ("who should own ...", "should we
  ...", "where do the sources disagree ...", "what do the sources say about ..."); they
  are answered with a positions map.
- intent `fact`: everything else; answered answer-first.
- answer type: a figure ("how many", "what share", "how much"), a duration ("how
  long", "how quickly"), a time ("when", "what year"), an owner ("who", "which
  function") or anything.

The rules read the form of the question (its question words and modal verbs), never
the wording of any particular document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from advisor.condense import FOLLOW_UP
from advisor.lexical import content_words, tokens
from advisor.retrieval import about_own_organisation
from advisor.roles import roles_in
from advisor.specifics import specifics

Intent = Literal["fact", "strategy"]
AnswerType = Literal["figure", "duration", "time", "owner", "rank", "country", "any"]

_STRATEGY = re.compile(
    r"\b(should|ought to|shall we|recommend\w*|advis(?:e|es|ed|ing|able)|"
    r"best (placed|way|owner|approach|model|structure)|good idea|pros and cons|"
    r"trade-?offs?|disagree\w*|debate\w*|"
    r"contest\w*|positions?|views?|opinions?|options?|for and against)\b"
    r"|\bdo (the )?(sources|research|studies|surveys|experts|analysts|reports) agree\b"
    r"|\bwhat do (the )?(sources|research|studies|surveys|experts|analysts|reports|articles)"
    r"\b.{0,20}\b(say|think|recommend|suggest|argue)\b",
    re.IGNORECASE,
)
# What is recommended: "which role ought to ...", "what does Acme recommend ...?"
_ADVICE_ASKED = re.compile(
    r"\b(should|ought to|recommend\w*|advis(?:e|es|ed|ing)|best placed|best (?:way|owner))\b",
    re.IGNORECASE,
)
# Who owns something is contested, unless the question asks how often or how much.
_OWNERSHIP = re.compile(r"\bwho (owns?|leads?|runs?|is responsible|is accountable)\b", re.I)
# "such as NPS", "e.g. the CRM", "for example in retail": instances of what the question
# asks about, to the end of their clause.
_EXAMPLES = re.compile(
    r"\b(?:such as|e\.\s?g\.|for (?:example|instance)|including)\s+([^,;:?!()]+)",
    re.IGNORECASE,
)
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|\'[^\']{3,}\'')
# A yes/no question that weighs something up: "Is X worth it?", "Would it make sense to
# ...?", "Can a committee run CX, or does it need one owner?"
_WEIGHING = re.compile(
    r"^\s*(is|are|can|could|would|will|does|do|should|must|might)\b.*"
    r"(\bor\b|\b(worth|make sense|natural|right|better|wise|enough|need|idea|justified)\b)",
    re.IGNORECASE,
)
# "What does it cost / charge ...": a sum of money, so a figure.
_WHAT_IT_COSTS = r"\bwhat (?:does|did|do|would|will) [^?]{0,60}\b(?:cost|charge)\b"
# "What did its response rate climb to?": the level something moved to, a figure.
_RISEN_TO = (
    r"\bwhat\b[^?]{0,80}\b(?:climb|rise|rose|risen|fall|fell|fallen|drop|grow|grew|grown|"
    r"increase|decrease|decline|jump|reach|improve|go up|went up|come down|came down)\w*"
    r"\s+to\b(?=\s*(?:[?,]|$|\s(?:since|after|when|once|in|by|over|during|at|from|following)\b))"
)
_FIGURE = re.compile(
    r"\b(how (many|much|far|big|large|often|high|low|common|widespread|prevalent|usual|"
    r"frequent|likely)|what (share|percentage|percent|proportion|size|limit|threshold|"
    r"number|fraction|portion|amount|figure|rate|score|level|value|nps|csat|ces|churn)|"
    r"what (?:[\w-]+ ){1,2}?(share|percentage|proportion|fraction|rate|score|nps|csat|churn)|"
    r"which (share|percentage)|what (was|is|were|are) (the )?([\w-]+ ){0,2}?(rate|score|nps|churn|"
    r"budget|cost|spend|size|total|share|count)|by what (factor|margin|multiple|percentage|amount)|"
    rf"how many times)\b|{_WHAT_IT_COSTS}|{_RISEN_TO}",
    re.IGNORECASE,
)
# A part of a whole: "what share / proportion of ...", "which percentage ..."
_SHARE_ASKED = re.compile(
    r"\b(?:what|which) (?:\w+ ){0,2}?(?:share|percentage|percent|proportion|fraction)\b"
    r"|\bhow many (?:per ?cent|percent)\b"
    r"|\bhow much of (?:the|its|our|their|total|all)\b",  # "how much of total spending"
    re.IGNORECASE,
)
# A part of a whole named as such: "how many of its customers", "how many of the firms"
_PART_ASKED = re.compile(
    r"\bhow many of (?:the|its|their|our|your|these|those|all|them)\b", re.IGNORECASE
)
# Which countries: "Which countries did the survey cover?", "In which country ...?"
_COUNTRY_ASKED = re.compile(r"\b(?:which|what) (?:countr(?:y|ies)|nations?)\b", re.I)
_COUNTRY_WORDS = frozenset(tokens("country countries nation nations"))
_DURATION_ASKED = re.compile(
    r"\bhow (long|soon|quickly|fast)\b"  # ... or a span counted: "how many months"
    r"|\bhow many (?:more |extra )?(?:days|weeks|months|years|quarters|hours|minutes)\b",
    re.I,
)
# A place in an order: "Where does IT rank among ...?", "What position does X come in?"
_RANK_ASKED = re.compile(
    r"\bwhere (?:does|do|did|is|are|was|were) [^?]{1,60}?\b(?:rank|ranks|ranked|come|comes|"
    r"place|placed)\b|\bwhat (?:rank|place|position)\b",
    re.IGNORECASE,
)
# A deadline: "By when ...?", "What is the deadline for ...?"
_DEADLINE_ASKED = re.compile(
    r"\b(by when|until when|deadline|due date|closing date|cut-?off date)\b", re.I
)
# "When" asks for a time where it opens the question or comes before its verb ("... and
# when did it start?"); after a noun it only says which time ("over the period when the
# bank capped its surveys") and the question asks something else.
_TIME = re.compile(
    r"^\s*when\b|\bwhen (?=(?:did|does|do|is|are|was|were|will|would|should|can|could|has|"
    r"have|had|must|might|may|shall)\b)|\bwhat (year|date|month|time)\b|"
    rf"{_DEADLINE_ASKED.pattern}",
    re.I,
)
_OWNER = re.compile(
    r"\b(who|whom|whose|which (function|department|team|executive|role|person|leader|unit))\b",
    re.IGNORECASE,
)
_ROLE_ASKED = re.compile(r"\bwhich (?:\w+ )?(function|department|team|role|unit)\b", re.I)
_PERSON_ASKED = re.compile(r"\s*(who|whom|whose)\b", re.IGNORECASE)
# The words that give a question its form; they say what kind of answer is wanted and
# are not what the answer has to be about.
_FORM_WORDS = frozenset(
    """
    how many much far big large often high low long soon what which who whom whose when where
    why share percentage percent proportion number fraction portion amount figure level
    value year date month time tell give list know say said according did does source
    sources research study studies report reports show shows find finds found current
    currently right now today moment should shall ought recommend recommended recommends
    advise advice best good idea disagree disagreement agree agreement debate debated
    contested position positions view views opinion opinions pros cons trade-off
    trade-offs option options think argue suggest follow-up compare compared comparison versus vs
    rank ranks ranked ranking
    """.split()
)


# Common English words that carry no topic (a standard stop-word list, with the
# inflections of its verbs): a question's answer does not have to repeat them. The list
# holds a few nouns that name what customer service is about ("call", "bill", "system"):
# those are topics.
_TOPIC_NOUNS = frozenset({"bill", "call", "system", "interest", "detail"})
_GENERIC = (frozenset(ENGLISH_STOP_WORDS) - _TOPIC_NOUNS) | frozenset(
    "having getting gets got doing done making makes took taking gave given giving going "
    "goes came coming showed shown showing".split()
)


@dataclass(frozen=True)
class Question:
    """A standalone question and what it asks for."""

    text: str
    intent: Intent
    answer_type: AnswerType
    own_org: bool
    named: tuple[str, ...] = ()  # organisations, people, places, acronyms, years it names
    focus: frozenset[str] = field(default_factory=frozenset)  # words its answer is about
    counted: frozenset[str] = field(default_factory=frozenset)  # "how many <these>"
    counted_head: str = ""  # the word that heads them ("NPS programmes": programme)
    amount: bool = False  # "how much ... cost / spend": a sum of money answers it
    top: bool = False  # "which ... the biggest / first": what ranks first answers it
    # "Who controls most ...?": the words of the act a ranking is by ("controls"); what
    # ranks first in a ranking by another act does not answer it
    ranked_by: frozenset[str] = field(default_factory=frozenset)
    # "What did the council decide in October?": the act whose object is asked ("decide");
    # a sentence that names only who acted and when does not answer it
    act: frozenset[str] = field(default_factory=frozenset)
    place: int = 0  # "which ... comes third": the place in a ranking asked about
    role: bool = False  # "which function / executive role": a role answers it, not a person
    multiple: bool = False  # "how much likelier": a multiple answers it ("2.3 times as likely")
    change: bool = False  # "how much did it fall": a sentence saying what changed answers it
    deadline: bool = False  # "by when": a date something is due by answers it
    share: bool = False  # "what proportion": a share answers it ("41%", "a third")
    part: bool = False  # "how many of its customers": a count of them or a share of them
    advice: bool = False  # "which role ought to ...", "what does X recommend": advice answers it
    # Focus words said only as examples of another ("customer scores such as NPS"): a
    # sentence that holds only these is not about what the question asks.
    examples: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def read(cls, text: str, own_org: bool | None = None) -> Question:
        """Read a question; one joined to its predecessor ("...; follow-up: And the
        CMO?") asks what its follow-up asks, about what either part names."""
        named = tuple(specifics(text))
        # "Is IT the most common owner of CX?" puts IT forward to be checked: a source
        # that names another as the most common answers it, without naming IT.
        supposed = _PUT_FORWARD.match(text)
        if supposed:
            named = tuple(n for n in named if n != supposed.group("who"))
        _, joined, asked = text.rpartition(FOLLOW_UP)
        if joined and content_words(asked) - _FORM_WORDS - _GENERIC:
            focus_text = asked
        else:
            asked = focus_text = text
        form = _QUOTED.sub('""', asked)  # a quoted phrase is mentioned, not asked
        # "Who owns ..." and a weighing yes/no question are contested; asked with "how
        # often" or "by what factor" they ask for a figure, which answers them.
        weighed = bool(_OWNERSHIP.search(form) or _WEIGHING.search(form))
        # "How long should we expect the switch to take?" asks for a span, not a position.
        spanned = bool(_DURATION_ASKED.search(form))
        strategic = (_strategic(form) and not spanned) or (weighed and not _FIGURE.search(form))
        # What one named source says or advises is a fact about that source, not a map of
        # positions ("What does McorpCX recommend the CIO do?").
        one = _ONE_SOURCE_SAYS.match(form)
        if one and one.group("who") in named and not roles_in(one.group("who")):
            strategic = False
        # A fact's answer need not repeat the names (its passage must hold them); a
        # position on something named is about it.
        # A job title spelled out ("Chief Customer Officer") is what a question asks about,
        # not a name its passage holds: its words stay in the focus.
        named_words = (
            set()
            if strategic
            else {w for name in named if not _JOB_TITLE.match(name) for w in tokens(name)}
        )
        top = _TOP_ASKED.search(asked)
        by = _RANKED_BY.search(asked)
        ranked_by = frozenset(tokens(by.group("act") or by.group("act_of"))) if by else frozenset()
        said = top.group(2) if top else None  # "biggest": said as "first", not the topic
        ranking = set(tokens(said)) if said else {"most"} if top else set()
        place = _place(asked)
        counted = _counted(asked)
        if place:  # "number three", "third": said as the place, not the topic
            ranking |= {*NUMBERS, *ORDINALS}
        changed = _CHANGE_HOW.search(asked)
        ignored = _FORM_WORDS | _GENERIC | named_words | ranking
        if changed:
            ignored |= set(tokens(changed.group("verb")))
        if _COUNTRY_ASKED.search(asked):  # the answer names them: "countries" is its form
            ignored |= _COUNTRY_WORDS
        focus = frozenset(t for t in tokens(focus_text) if t not in ignored)
        acted = _ACT_ASKED.match(asked)
        act = frozenset(tokens(acted.group("act"))) & focus if acted else frozenset()
        instances = {t for m in _EXAMPLES.finditer(focus_text) for t in tokens(m.group(1))}
        outside = set(tokens(_EXAMPLES.sub(" ", focus_text)))
        return cls(
            text=text,
            intent="strategy" if strategic else "fact",
            answer_type=_answer_type(asked),
            own_org=about_own_organisation(text) if own_org is None else own_org,
            named=named,
            focus=focus,
            counted=frozenset(counted),
            counted_head=counted[-1] if counted else "",
            amount=bool(_AMOUNT_ASKED.search(asked)),
            top=bool(top or ranked_by),
            ranked_by=ranked_by,
            act=act,
            place=place,
            role=bool(_ROLE_ASKED.search(asked)) and not _PERSON_ASKED.match(asked),
            multiple=bool(_MULTIPLE_ASKED.search(asked)),
            change=bool(
                _CHANGE_ASKED.search(asked) or re.search(_RISEN_TO, asked, re.I) or changed
            ),
            deadline=bool(_DEADLINE_ASKED.search(asked)),
            share=bool(_SHARE_ASKED.search(asked)),
            part=bool(_PART_ASKED.search(asked)),
            advice=bool(_ADVICE_ASKED.search(form)),
            examples=frozenset(focus & instances - outside),
        )


# "When companies set out to ..., who do they turn to?" asks "who", not "when".
_LEADING_CLAUSE = re.compile(  # not "When should IT be brought in, ...?", which asks when
    r"^\s*(when(?!\s+(?:did|does|do|is|are|was|were|will|would|should|can|could|has|have|"
    r"had|must|might|may|shall)\b)|if|once|as|while|after|before|since)\b[^,?]*,\s*(?=\w)",
    re.IGNORECASE,
)


# "By how much ...", "How much did repeat contacts fall ...": the size of a change.
_CHANGE_ASKED = re.compile(
    r"\bby how much\b|\bhow (?:much|far) (?:[\w'-]+ ){1,8}?(?:fall|rise|drop|grow|increase|"
    r"decrease|decline|climb|jump|go up|go down|improve|shrink|cut|reduce|lower|raise)\b",
    re.IGNORECASE,
)
# "How did our NPS change in Q3?", "How has churn developed since 2024?": what changed and
# by how much, as "How much did it fall?" asks. Its verb says what kind of answer is asked
# for, not what it is about: a sentence that says NPS "fell to +14" answers it.
_CHANGE_HOW = re.compile(
    r"\bhow (?:did|does|do|has|have|had|will|would) (?:[\w'-]+ ){1,8}?"
    r"(?P<verb>chang(?:e|ed)|develop(?:ed)?|mov(?:e|ed)|evolv(?:e|ed)|trend(?:ed)?|"
    r"shift(?:ed)?|compar(?:e|ed))\b",
    re.IGNORECASE,
)
# How many times as likely: "how much likelier / more likely", "how many times", "by what
# factor".
_MULTIPLE_ASKED = re.compile(
    r"\bhow (?:much|many times) (?:more |less )?(?:likelier|likely)\b|\bhow many times\b"
    r"|\bby what (?:factor|multiple)\b",
    re.IGNORECASE,
)
# (Not "how much will our spend go up?": how much it changes, which a share answers.)
# "By how much ..." and "how much ... rise / raise / cut" ask the size of a change, which
# a share answers as well as a sum ("by 4.9%").
_AMOUNT_ASKED = re.compile(
    r"(?<!\bby )\bhow much\b(?!\s+(?:\w+er|more|less|better|worse)\b)(?!.*\b(?:go(?:es)? up|"
    r"go(?:es)? down|rise|raise|increase|grow|fall|drop|decrease|climb|cut|reduce|lower)\b)"
    r".*\b(cost|spend|spent|spending|"
    r"pay|paid|budget|invest|price|worth|save|"
    rf"refund|charge|fund)\w*|\bwhat (is|was|will be) the (cost|price|budget)\b|{_WHAT_IT_COSTS}",
    re.IGNORECASE,
)
# "Which technology has the biggest impact?", "What do they turn to first?", "Why do
# agents most often escalate?" (the reason that ranks first)
_TOP_ASKED = re.compile(
    r"\b(which|what|who|why)\b.*\b(biggest|largest|greatest|highest|top|first(?! time)|leading|"
    r"main|primary|number one|most (important|common|popular|cited|effective|often))\b"
    # "Which problem do consumers most want ...?", "Which channel do they use most?" ("do
    # most companies ..." counts companies, it ranks nothing)
    r"|\b(which|what)\b.*\b(do|does|did)\s+\w+(\s+\w+){0,3}\s+most\b(?!\s+of\b)"
    r"|\b(which|what)\b.*\b\w+\s+most\s*\?\s*$"
    r"|\b(which|what)\b.*\bmostly\b",  # "What are they mostly hoping for?"
    re.IGNORECASE,
)
# "Who controls most CX technology spending?", "Who spends the most on service?", "Which
# function controls most CX technology spending?": the first in a ranking by that act (not
# "who is most likely", nor "who most often"; after "which <noun>", only where "most"
# heads what the act is on: "which technologies matter most?" ranks by no act said).
_AUXILIARY = r"(?:is|are|was|were|do|does|did|has|have|had|will|would|should|can|could)\b"
_RANKED_BY = re.compile(
    rf"\bwho\s+(?!{_AUXILIARY})"
    r"(?P<act>[a-z]+)\s+(?:the\s+)?most\b(?!\s+(?:of|often|likely)\b)"
    rf"|^\s*(?:which|what)\s+[a-z-]+\s+(?!{_AUXILIARY})"
    r"(?P<act_of>[a-z]+)\s+(?:the\s+)?most\s+(?!(?:of|often|likely)\b)[a-z]",
    re.IGNORECASE,
)
_PUT_FORWARD = re.compile(
    r"^\s*(?i:is|are|was|were)\s+(?P<who>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})\s+"
    r"(?i:(?:still\s+|now\s+|really\s+)?the\s+(?:most|biggest|largest|main|leading|top|"
    r"primary|usual)\b)"
)
_ONE_SOURCE_SAYS = re.compile(
    r"^\s*(?i:(?:so\s+|and\s+)?what\s+(?:does|did|do|would))\s+"
    r"(?P<who>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})\s+"
    r"(?:\w+\s+)?(?i:recommend|advise|suggest|argue|propose|say|think|want)\b"
)
_JOB_TITLE = re.compile(r"^Chief(?:\s+[A-Z][\w&/-]*){1,3}\s+Officers?$")
# "What did the council decide in October?", "What did the board approve last week?": what
# the subject did, said by the verb before an optional closing phrase of time or topic.
_ACT_ASKED = re.compile(
    rf"^\s*what\s+(?:did|does|do|will|has|have|had)\s+(?!{_AUXILIARY})(?:[\w'’&-]+\s+){{1,6}}?"
    r"(?P<act>[a-z]+)(?:\s+(?:in|on|at|about|for|during|over|after|before|last|this|since)"
    r"(?:\s+[\w'’&-]+){1,4})?\s*\?\s*$",
    re.IGNORECASE,
)
ORDINALS = ("second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
NUMBERS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
# "Which comes in at number three?", "What ranks third?", "the 2nd most common"
_PLACE_ASKED = re.compile(
    rf"\b(which|what|who)\b.*\b(?:number\s+(?P<number>{'|'.join(NUMBERS)}|[2-9]|10)|"
    rf"(?P<ordinal>{'|'.join(ORDINALS)})|(?P<nth>[2-9]|10)(?:nd|rd|th))\b"
    # a time counted in order is no place in a ranking: "the second quarter", "third year"
    r"(?!\s+(?:quarter|half|year|month|week|day|time|round|edition|wave)s?\b)",
    re.IGNORECASE,
)


def _place(text: str) -> int:
    """The place in a ranking the question asks about (2 for "second"), 0 for none."""
    match = _PLACE_ASKED.search(text)
    if match is None:
        return 0
    word = (match.group("number") or match.group("ordinal") or match.group("nth")).lower()
    if word.isdigit():
        return int(word)
    return 2 + (NUMBERS.index(word) if word in NUMBERS else ORDINALS.index(word))


_HOW_MANY = re.compile(
    r"\bhow many\s+(?:of\s+(?:the|our|their|its|these|those)\s+)?((?:[\w'-]+\s+){0,3})",
    re.IGNORECASE,
)
# Plurals without an -s: "How many people staff the line?" counts people, not "people staff".
_UNMARKED_PLURALS = frozenset("people staff personnel men women children".split())
_CLAUSE_END = frozenset(
    """do does did are were is was have has had will would can could should work worked
    in at on for per across to of from by with""".split()
)


def _plural(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith("ss")


def _counted(text: str) -> list[str]:
    """What "how many" counts: the words after it, up to its plural head, the verb or a
    preposition ("How many monthly active users does ..." -> monthly, active, users)."""
    match = _HOW_MANY.search(text)
    if not match:
        return []
    words: list[str] = []
    rest = text[match.end(1) :].split()
    following = match.group(1).split()
    for n, word in enumerate(following):
        after = (following[n + 1 :] + rest)[:1]
        # the verb ends it: a helper ("does"), a past form ("answered"), one before "to"
        verb = bool(words) and (word.lower().endswith("ed") or after == ["to"])
        if word.lower() in _CLAUSE_END or verb:
            break
        words.append(word)
        lower = word.lower()
        plural = _plural(lower) or (
            lower in _UNMARKED_PLURALS and not (after and _plural(after[0].lower()))
        )  # "staff members" counts members
        if plural and [w.lower() for w in after] not in (["and"], ["or"]):
            break  # the plural heads what is counted ("consumers took part"), unless
            # another follows it ("practitioners and countries")
    return tokens(" ".join(words))


def _strategic(text: str) -> bool:
    """Whether the question asks for positions. A figure asked first is what it asks for,
    where a word of advice comes later as part of its subject ("How many companies did
    the lab study before recommending ...?", "What share of firms recommend ...?") or
    asks for the figure recommended ("How often should we survey?", "What share should
    be ring-fenced?": the sources' figures answer it, each under its source); a figure
    followed by a question of its own ("... Do the surveys agree?") asks for positions."""
    strategy = _STRATEGY.search(text)
    if strategy is None:
        return False
    figure = _FIGURE.search(text)
    if figure is None or figure.start() > strategy.start():
        return True
    return "?" in text[figure.start() : strategy.start()]  # asked apart: "... Do they agree?"


def _answer_type(text: str) -> AnswerType:
    text = _LEADING_CLAUSE.sub("", text)
    role = _ROLE_ASKED.search(text)
    time = _TIME.search(text)
    if _PERSON_ASKED.match(text) or (role and (time is None or role.start() < time.start())):
        return "owner"  # "Who do they turn to when ...?", "Which role ... when ...?" ask who
    if _RANK_ASKED.search(text):
        return "rank"
    if _DURATION_ASKED.search(text):
        return "duration"
    if _FIGURE.search(text):
        return "figure"
    if _COUNTRY_ASKED.search(text):
        return "country"
    if _TIME.search(text):
        return "time"
    if _OWNER.search(text):
        return "owner"
    return "any"
