"""The advisor: condense, retrieve, generate, check, select evidence, compose.

The steps form one LangChain (LCEL) chain over typed state (`advisor.steps`):
condense | retrieve | write. `chain.invoke` returns the checked Answer; `chain.stream`
(and `astream`, `astream_events`) yields the model's tokens as they arrive, then the
Answer. What each step decides lives in its own module: the question's intent
(`question`), evidence selection (`selection`), the positions map (`positions`),
composition (`compose`) and rendering (`render`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from langchain_core.runnables import RunnableConfig

from advisor.advice import advises
from advisor.answer import Answer, Timings
from advisor.compose import AnswerBuilder, Line, Section
from advisor.condense import History, Turns, condense_question
from advisor.filters import Filters
from advisor.injection import evidence_units
from advisor.lexical import content_words, tokens
from advisor.llm import LLM
from advisor.passages import Passage
from advisor.positions import about_ownership, describes_itself, map_positions, names_an_owner
from advisor.prompts import STOP, Prompt, build_prompt
from advisor.question import Question
from advisor.render import plain
from advisor.retrieval import HybridRetriever, about_own_organisation, asks_the_research
from advisor.roles import recommends_owner
from advisor.selection import (
    ANAPHORA_PENALTY,
    CLOSE_ENOUGH,
    Candidate,
    EvidenceRanker,
    fits,
    holds_count,
    holds_figure,
    is_period_word,
    is_year,
    paragraph_before,
    parts_of_totals,
    stem,
    stems,
    titles_asked,
)
from advisor.specifics import unmatched_specifics
from advisor.steps import Asked, Composed, Condensed, Drafted, Retrieved
from advisor.verify import CheckedSentence, SupportChecker
from advisor.write_step import WriteStep
from core.settings import Settings
from ingest.embedder import Embedder
from ingest.storage import Store

MIN_RELEVANCE = 0.3
LEAST_RELEVANCE = 0.15  # below this, no passage is relevant whatever words it shares
DIRECT_MAX = 3  # sentences in a direct answer: the answer, then what adds to it
DIRECT_MARGIN = 0.25  # a further sentence scores within this of the answering one
TITLE_BONUS = 0.05  # for a first figure from a document whose title names what is asked
CONTEXT_MAX = 2  # research sentences shown beside an answer about the own organisation
NOVELTY = 0.15  # for a further sentence holding a part of the question not yet answered
# A contested question no source took a position on is answered by a sentence holding
# more than half of what its telling words weigh: the larger part of what it asks about.
MOST_OF_IT = 0.5
MODEL_MAX = 3  # a model's checked sentences kept after the direct answer
FOLLOWING = 2  # best passages whose next chunk a fact question also reads
WHOLE_DOCUMENT = 16  # chunks of a document most passages come from, read whole, at most
WIDE_K = 16  # research passages read for a positions map
DEEPER_K = 24  # passages read for one naming what the best ones do not, before a refusal
PER_DOCUMENT = 2  # ... at most this many from one document, so that many sources speak
ABSTAIN_TEXT = "The sources in the library do not answer this question."


class Advisor:
    """Answers questions from the store; built by `advisor.composition.build_advisor`."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        embedder: Embedder,
        llm: LLM,
        retriever: HybridRetriever | None = None,
    ) -> None:
        from langchain_core.runnables import RunnableLambda

        self.settings = settings
        self.store = store
        self.embedder = embedder
        self.llm = llm
        self.retriever = retriever or HybridRetriever(
            store=store, embedder=embedder, k=settings.top_k
        )
        self.checker = SupportChecker(embedder)
        self.ranker = EvidenceRanker(
            embedder,
            self.retriever.term_weights,
            self.retriever.document_text,
            self.retriever.term_shares,
            self.retriever.own_names,
        )
        self.prepare = RunnableLambda(self._condense, name="condense") | RunnableLambda(
            self._retrieve, name="retrieve"
        )
        self.chain = self.prepare | WriteStep(self._draft, self._finish)

    # -- public API --------------------------------------------------------------------------

    def retrieve(
        self, question: str, k: int | None = None, filters: dict[str, Any] | None = None
    ) -> list[Passage]:
        return self.retriever.passages(
            question, k or self.settings.top_k, Filters.from_dict(filters)
        )

    def ask(
        self,
        question: str,
        history: History | Turns | None = None,
        filters: dict[str, Any] | None = None,
    ) -> Answer:
        answer = self.chain.invoke(Asked.of(question, history, Filters.from_dict(filters)))
        assert isinstance(answer, Answer)  # the write step returns the Answer itself
        return answer

    def prompt_for(self, question: str) -> Prompt | None:
        """The prompt the model would be given for this question (None: no model writes,
        or nothing relevant was found)."""
        retrieved: Retrieved = self.prepare.invoke(Asked.of(question, None, Filters()))
        return retrieved.prompt

    def stream(
        self,
        question: str,
        history: History | Turns | None = None,
        filters: dict[str, Any] | None = None,
    ) -> Iterator[str | Answer]:
        """Yield the model's draft piece by piece, then the checked Answer (the chain's
        own stream)."""
        yield from self.chain.stream(Asked.of(question, history, Filters.from_dict(filters)))

    # -- chain steps -------------------------------------------------------------------------

    def _condense(self, asked: Asked) -> Condensed:
        standalone = condense_question(asked.question, asked.history, self.llm)
        if not asked.filters.kinds and asks_the_research(standalone):
            asked = replace(asked, filters=asked.filters.with_kind("research"))
        own_org = about_own_organisation(asked.question) or about_own_organisation(standalone)
        own_org = own_org and not asked.filters.kinds
        query = Question.read(standalone, own_org=own_org)
        named = self.retriever.named_publishers(standalone)
        # What one named source recommends ("according to McorpCX", "in Norcastle's
        # recommendations") is a fact about that source, not a map of positions.
        if query.intent == "strategy" and not own_org and named:
            query = replace(query, intent="fact")
        return Condensed(asked, query, named)

    def _recommendations(
        self,
        research: Sequence[Passage],
        advice: Callable[[str], bool],
        finding: Callable[[str], bool] | None = None,
    ) -> list[Passage]:
        """For each research document read for a positions map, its other passages where
        it gives the `advice` asked about (who should own something; what to do on the
        question's topic), when none read does; failing that, where it reports a `finding`
        (who owns or leads today), when none read does that either: a source's position is
        where it states it, whatever the question's words."""
        have = {p.chunk_id for p in research}
        found: list[Passage] = []
        for doc in dict.fromkeys(p.doc_id for p in research):
            read = [p for p in research if p.doc_id == doc]
            if any(_says(p, advice) for p in read):
                continue
            chunks = [
                p
                for p in self.retriever.document_passages(doc, WHOLE_DOCUMENT)
                if p.chunk_id not in have
            ]
            advising = [p for p in chunks if _says(p, advice)]
            if not advising and finding and not any(_says(p, finding) for p in read):
                advising = [p for p in chunks if _says(p, finding)]
            found += advising
        return found

    def _retrieve(self, condensed: Condensed, config: RunnableConfig) -> Retrieved:
        retrieved = self._retrieve_once(condensed, config)
        query = condensed.query
        if query.answer_type != "figure" or not query.counted_head:
            return retrieved
        # "How many shops do we run?" of a library that says "stores": what is counted,
        # in the words of the passages found, where none of them says it.
        asked = next(
            (
                w
                for w in re.findall(r"[A-Za-z][\w'’-]*", query.text)
                if tokens(w) == [query.counted_head]
            ),
            None,
        )
        found = [*retrieved.passages, *retrieved.internal]
        said = self.ranker.same_thing(asked, [p.text for p in found]) if asked else None
        if asked is None or said is None:
            return retrieved
        text = re.sub(rf"\b{re.escape(asked)}\b", said, query.text)
        reread = replace(condensed, query=Question.read(text, own_org=query.own_org))
        return self._retrieve_once(reread, config)

    def _retrieve_once(self, condensed: Condensed, config: RunnableConfig) -> Retrieved:
        query, filters = condensed.query, condensed.asked.filters
        passages = self.retriever.search(query.text, self.settings.top_k, filters, config)
        named = filters.publishers or condensed.named
        relevant = [p for p in passages if is_relevant(p, query.text, named)]
        unmatched = unmatched_specifics(query.text, passages) if relevant else []
        if unmatched:
            # Before the library is said not to mention it, the passages further down the
            # ranking are read for one that names it ("... on the EUR 44.0 million spent
            # in 2025" ranks below the budget's other lines for "How much did we spend on
            # CX in 2025?").
            passages = [*passages, *self._naming(query.text, passages, filters, named, config)]
            relevant = [p for p in passages if is_relevant(p, query.text, named)]
            unmatched = unmatched_specifics(query.text, passages)
        if unmatched:  # the passages are about something else: do not answer from them
            relevant = []
        research: list[Passage] = []
        internal: list[Passage] = []
        if relevant and query.intent == "strategy":
            wide = max(WIDE_K, self.settings.top_k)
            if "internal" not in filters.kinds or "research" in filters.kinds:
                found = self.retriever.passages(query.text, 3 * wide, filters.with_kind("research"))
                research = _per_document(found, PER_DOCUMENT)[:wide]
                if about_ownership(query) and _asks_whom(query):
                    research += self._recommendations(research, recommends_owner, names_an_owner)
                elif _asks_whom(query):  # "Should we ...?": what each source advises on it
                    research += self._recommendations(research, partial(_advises_on, query))
        if relevant and query.own_org:
            # The organisation's own documents answer for it: twice top_k from them, where
            # the balanced retrieval above gave them half of top_k.
            own = filters.with_kind("internal")
            internal = self.retriever.passages(query.text, 2 * self.settings.top_k, own)
            if query.intent == "strategy":  # what the set-up is today, what is proposed
                top_k = self.settings.top_k
                internal = _unique(
                    [
                        *internal,
                        *self.retriever.passages(status_quo_query(query), top_k, own),
                        *self.retriever.passages(options_query(query), top_k, own),
                    ]
                )
        following: list[Passage] = []
        if relevant and query.intent == "fact":
            # A ranking is introduced, then given ("189 managers ranked ..." / "... comes
            # first"): a question about one reads on from every relevant passage.
            ranking = query.top or bool(query.place) or query.answer_type == "rank"
            following = self.retriever.following(relevant, len(relevant) if ranking else FOLLOWING)
            following += self.retriever.rest_of_document([*relevant, *following], WHOLE_DOCUMENT)
        wider: list[Passage] = []
        if named and not filters.publishers and query.intent == "fact" and not query.own_org:
            have = {p.chunk_id for p in passages}
            found = self.retriever.passages(query.text, self.settings.top_k, filters, narrow=False)
            wider = [p for p in found if p.chunk_id not in have and is_relevant(p, query.text)]
        return Retrieved(
            condensed,
            tuple(passages),
            tuple(relevant),
            tuple(unmatched),
            tuple(research),
            tuple(internal),
            self._prompt(query.text, relevant),
            tuple(following),
            tuple(wider),
        )

    def _deeper(self, retrieved: Retrieved) -> list[Passage]:
        """Relevant passages below the first `top_k`, not read yet."""
        condensed = retrieved.condensed
        have = [*retrieved.passages, *retrieved.following]
        return self._below(condensed.query.text, have, condensed.asked.filters, condensed.named)

    def _naming(
        self,
        question: str,
        passages: Sequence[Passage],
        filters: Filters,
        named: Sequence[str],
        config: RunnableConfig,
    ) -> list[Passage]:
        """Relevant passages ranked below the first `top_k` that name what those lack (at
        most FOLLOWING of them), so that with them the passages name all the question does."""
        return [
            p
            for p in self._below(question, passages, filters, named, config)
            if not unmatched_specifics(question, [*passages, p])
        ][:FOLLOWING]

    def _below(
        self,
        question: str,
        have: Sequence[Passage],
        filters: Filters,
        named: Sequence[str],
        config: RunnableConfig | None = None,
    ) -> list[Passage]:
        """The relevant passages among the first DEEPER_K that are not in `have`."""
        read = {p.chunk_id for p in have}
        return [
            p
            for p in self.retriever.search(question, DEEPER_K, filters, config)
            if p.chunk_id not in read and is_relevant(p, question, named)
        ]

    def _prompt(self, question: str, relevant: Sequence[Passage]) -> Prompt | None:
        if not relevant or not self.llm.generates:
            return None
        prompt = build_prompt(
            question,
            relevant,
            context_window=self.llm.context_window,
            max_tokens=self.settings.llm_max_tokens,
            count_tokens=self.llm.count_tokens,
        )
        return prompt if prompt.passages else None  # not one excerpt fits: evidence only

    def _draft(self, retrieved: Retrieved) -> Iterator[str]:
        """The model's draft, piece by piece (nothing when no model writes)."""
        if retrieved.prompt is not None:
            yield from self.llm.stream(
                retrieved.prompt, max_tokens=self.settings.llm_max_tokens, stop=STOP
            )

    def _finish(self, drafted: Drafted) -> Answer:
        retrieved = drafted.retrieved
        asked, query = retrieved.condensed.asked, retrieved.condensed.query
        builder = AnswerBuilder(query, asked.question)
        checked: list[CheckedSentence] = []
        if drafted.draft and retrieved.prompt is not None:
            checked = self.checker.check(drafted.draft, list(retrieved.prompt.passages))
        composed = Composed()
        if retrieved.relevant:
            composed = self._compose(builder, retrieved, checked)
        builder.flag(checked)
        done = time.perf_counter()
        timings = Timings(
            retrieve=_ms(asked.started, retrieved.done),
            generate=_ms(retrieved.done, drafted.done),
            verify=_ms(drafted.done, done),
            total=_ms(asked.started, done),
        )
        abstain = ""
        if not builder.sentences or not any(s.supported for s in builder.sentences):
            abstain = _abstain_text(retrieved.passages, retrieved.unmatched, composed.missing)
        shown = retrieved.passages
        cited = {c.doc_id for c in builder.citations} if not abstain else set()
        narrowed = {p.doc_id for p in retrieved.passages}
        # Passages read beyond those retrieved first (the rest of the library, for a named
        # publisher's fact; those ranked below top_k) are listed where they answered.
        for beyond in (retrieved.wider, composed.deeper):
            if any(p.doc_id in cited - narrowed for p in beyond):
                shown = (*beyond, *shown)
        return builder.build(
            model=self.llm.name, retrieved=shown, timings=timings, abstain_text=abstain
        )

    # -- composition -------------------------------------------------------------------------

    def _compose(
        self, builder: AnswerBuilder, retrieved: Retrieved, checked: list[CheckedSentence]
    ) -> Composed:
        """Fill the builder; says what is missing when nothing answers the question."""
        query = retrieved.condensed.query
        if query.intent == "strategy" and retrieved.research:
            research = self.ranker.rank(query, retrieved.research)
            internal = self.ranker.rank(query, retrieved.internal) if retrieved.internal else []
            pmap = map_positions(
                research,
                internal,
                ownership=about_ownership(query),
                advice_first=_asks_whom(query),
                vectors=self.ranker.vectors,
            )
            if pmap.stances or (query.own_org and (pmap.today or pmap.options)):
                # No source taking a position on it, the organisation's side is shown
                # with that gap, not the research sentences closest to the question.
                builder.add_map(pmap, query.own_org)
                own = bool(pmap.today or pmap.options) or not query.own_org
                if not pmap.stances or not own:
                    builder.add(Section("gap", note=_gap(bool(pmap.stances), own)))
                return Composed()
        if not query.own_org:
            ranked = self.ranker.rank(query, [*retrieved.relevant, *retrieved.following])
            direct = _answer_about(query, ranked)
            if not direct and retrieved.wider:
                # The named publisher's own documents do not say it; another that retells
                # its work may ("McorpCX: Gartner predicted that by 2017 ..."), cited as
                # what it is.
                ranked = self.ranker.rank(query, retrieved.wider)
                direct = _answer_about(query, ranked)
            deeper: list[Passage] = []
            if not direct:
                # Before refusing, the passages ranked below those read: the sentence that
                # answers may sit in a part of a document the question's words do not
                # reach ("Those companies were also 2.1 times as likely ...").
                deeper = self._deeper(retrieved)
                if deeper:
                    ranked_deeper = self.ranker.rank(query, deeper)
                    direct = _answer_about(query, ranked_deeper)
                    ranked = ranked_deeper if direct else ranked
            if not direct:
                return Composed(self._missing(query, ranked, retrieved.unmatched))
            lines = [Line.of(c) for c in direct]
            lines += _model_lines(query, checked, retrieved.prompt, {x.quote for x in lines})
            builder.add(Section("answer", lines))
            return Composed(deeper=tuple(deeper))
        return self._own_answer(builder, retrieved, checked)

    def _missing(
        self, question: Question, ranked: Sequence[Candidate], unmatched: Sequence[str]
    ) -> str:
        """What the library lacks, in words (see `_missing`), and the words of a kind of
        thing the question names that no document holds ("drone" of "our drone delivery
        pilot")."""
        absent = self.ranker.unknown_modifiers(question)
        words = _listed([f"“{w}”" for w in absent])
        said = f"No document in the library mentions {words}." if absent else ""
        return " ".join(x for x in (said, _missing(question, ranked, unmatched)) if x)

    def _own_answer(
        self, builder: AnswerBuilder, retrieved: Retrieved, checked: list[CheckedSentence]
    ) -> Composed:
        """About the user's organisation: its own documents answer first, then what the
        research says beside it, then the gap if one side is silent."""
        query = retrieved.condensed.query
        found = [*retrieved.relevant, *retrieved.following]
        research_side = [p for p in found if p.kind == "research"]
        own_side = _unique([*retrieved.internal, *(p for p in found if p.kind != "research")])
        own_ranked = self.ranker.rank(query, own_side)
        research_ranked = self.ranker.rank(query, research_side)
        direct = answer_first(query, own_ranked)
        context = [c for c in research_ranked if c.usable and c.similarity >= CLOSE_ENOUGH][
            :CONTEXT_MAX
        ]
        if not direct:
            direct, context = answer_first(query, research_ranked), []
            if not direct:
                ranked = [*own_ranked, *research_ranked]
                return Composed(self._missing(query, ranked, retrieved.unmatched))
        lines = [Line.of(c) for c in direct]
        lines += _model_lines(query, checked, retrieved.prompt, {x.quote for x in lines})
        builder.add(Section("answer", lines))
        builder.add(Section("research", [Line.of(c) for c in context], "What the research says"))
        has_own = any(line.passage.kind != "research" for line in lines)
        has_research = bool(context) or any(line.passage.kind == "research" for line in lines)
        if not has_own or not has_research:
            builder.add(Section("gap", note=_gap(has_research, has_own)))
        return Composed()


def _answer_about(question: Question, ranked: Sequence[Candidate]) -> list[Candidate]:
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
    if question.answer_type == "figure" and not (question.top or question.place):
        # Asked for a figure of the whole, a row that gives one part of a total its table
        # also gives is no answer ("Call centre | 10,250" beside "Total | 18,640" for "How
        # many complaints did we receive?").
        of_totals = {id(ranked[i]) for i in parts_of_totals(ranked, words.asked, question.named)}
        fitting = [c for c in fitting if id(c) not in of_totals] or fitting
        usable = [c for c in usable if id(c) not in of_totals]  # nor do they add to it
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


def _model_lines(
    question: Question,
    checked: Sequence[CheckedSentence],
    prompt: Prompt | None,
    taken: set[str],
) -> list[Line]:
    """A model's checked sentences that address the question, after the direct answer."""
    if prompt is None:
        return []
    lines: list[Line] = []
    focus = {s for word in question.focus for s in stems(word)}
    for sentence in checked:
        if len(lines) >= MODEL_MAX:
            break
        if not sentence.supported or sentence.passage is None or sentence.support is None:
            continue
        if sentence.support.quote in taken or (focus and not focus & stems(sentence.text)):
            continue
        taken.add(sentence.support.quote)
        lines.append(
            Line(
                sentence.text,
                prompt.passages[sentence.passage],
                sentence.support.quote,
                sentence.support.score,
                sentence.support.context,
            )
        )
    return lines


def _topic(question: Question) -> str:
    """What the question is about, for a search of its own: its focus words, or its text."""
    return " ".join(sorted(question.focus)) or question.text


def status_quo_query(question: Question) -> str:
    """A search for how things stand today on the question's topic: who is responsible,
    who holds the budget, who reports to whom."""
    topic = _topic(question)
    return f"Who is responsible for {topic} today, who holds the budget, who reports to whom"


def options_query(question: Question) -> str:
    """A search for the choices on the table on the question's topic: the options and
    proposals a paper or meeting has put forward, which a search for the question's own
    words misses when it asks something else about the topic."""
    topic = _topic(question)
    return f"Options proposed for {topic}: the proposals and alternatives under discussion"


def _asks_whom(query: Question) -> bool:
    """Asks whom (or asks for no kind of answer), not for a figure or a date: "Who
    should own CX?", "Should we appoint a CCO?", not "How often is the CMO in charge?"."""
    return query.answer_type in ("owner", "any")


def _advises_on(question: Question, reading: str) -> bool:
    """Gives advice on what the question is about: recommends something, in a sentence
    that holds two or more of the question's focus words (all of them, if it has fewer):
    one word of a library's subject ("agents", "customers") is in most of its sentences."""
    focus = {stem(t) for t in question.focus}
    return advises(reading) and len(focus & stems(reading)) >= min(2, len(focus))


def _says(passage: Passage, test: Callable[[str], bool]) -> bool:
    """Some sentence of the passage, as it is judged, passes `test`."""
    return any(test(u.judged) for u in evidence_units(passage.text, passage.layout))


def _per_document(passages: Sequence[Passage], most: int) -> list[Passage]:
    """The passages in rank order, at most `most` of each document."""
    taken: dict[str, int] = {}
    kept = []
    for passage in passages:
        if taken.get(passage.doc_id, 0) < most:
            taken[passage.doc_id] = taken.get(passage.doc_id, 0) + 1
            kept.append(passage)
    return kept


def _unique(passages: Sequence[Passage]) -> list[Passage]:
    return list({p.chunk_id: p for p in reversed(passages)}.values())[::-1]


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


def _missing(question: Question, ranked: Sequence[Candidate], unmatched: Sequence[str]) -> str:
    """What the library lacks, in words, when no sentence answers the question: what it
    names is there but nothing about it answers, or each of the things it names is
    mentioned somewhere but no document read speaks of them together ("NPS", "Forrester"
    and "2021" for "What NPS did Forrester report for our company in 2021?")."""
    if not question.named:
        return ""
    names = _listed(question.named)
    if any(c.grounded for c in ranked):
        return f"The library mentions {names}, but no passage about it answers this."
    if len(question.named) > 1 and ranked and not unmatched:
        return f"The library mentions {names}, but no document read speaks of them together."
    return ""


def _listed(names: Sequence[str]) -> str:
    return " and ".join(names) if len(names) < 3 else f"{', '.join(names[:-1])} and {names[-1]}"


def _gap(has_research: bool, has_internal: bool) -> str:
    if not has_internal:
        return "none of your internal documents address this; the answer rests on research only."
    if not has_research:
        return "no research in the library addresses this; the answer rests on your documents only."
    return ""


def _abstain_text(passages: Sequence[Passage], unmatched: Sequence[str], missing: str) -> str:
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


def _ms(start: float, end: float) -> float:
    return round((end - start) * 1000, 1)
