"""The advisor: condense, retrieve, generate, check, select evidence, compose.

The steps form one LangChain (LCEL) chain over typed state (`advisor.steps`):
condense | retrieve | write. `chain.invoke` returns the checked Answer; `chain.stream`
(and `astream`, `astream_events`) yields the model's tokens as they arrive, then the
Answer. What each step decides lives in its own module: the question's intent
(`question`), whether the library answers it (`answerability`), evidence selection
(`selection`), which sentences answer first (`answer_first`), the positions map
(`positions`), composition (`compose`) and rendering (`render`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

from langchain_core.runnables import RunnableConfig

from advisor.advice import advises
from advisor.answer import Answer, Timings
from advisor.answer_first import answer_about, answer_first
from advisor.answerability import (
    abstain_text,
    gap_note,
    is_relevant,
    listed,
    missing_text,
)
from advisor.compose import AnswerBuilder, Line, Section
from advisor.condense import History, Turns, condense_question
from advisor.filters import Filters
from advisor.injection import evidence_units
from advisor.lexical import tokens
from advisor.llm import LLM
from advisor.passages import Passage
from advisor.positions import (
    about_ownership,
    map_positions,
    names_an_owner,
    option_owner,
    proposed,
)
from advisor.prompts import STOP, Prompt, build_prompt
from advisor.question import Question
from advisor.retrieval import HybridRetriever, about_own_organisation, asks_the_research
from advisor.roles import position_of, recommends_owner
from advisor.selection import (
    CLOSE_ENOUGH,
    Acronyms,
    Candidate,
    EvidenceRanker,
    holds_figure,
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

CONTEXT_MAX = 2  # research sentences shown beside an answer about the own organisation
MODEL_MAX = 3  # a model's checked sentences kept after the direct answer
FOLLOWING = 2  # best passages whose next chunk a fact question also reads
WHOLE_DOCUMENT = 16  # chunks of a document most passages come from, read whole, at most
WIDE_K = 16  # research passages read for a positions map
DEEPER_K = 24  # passages read for one naming what the best ones do not, before a refusal
PER_DOCUMENT = 2  # ... at most this many from one document, so that many sources speak


class Advisor:
    """Answers questions from the store; built by `advisor.composition.build_advisor`."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        embedder: Embedder,
        llm: LLM,
        retriever: HybridRetriever | None = None,
        sentence_embedder: Embedder | None = None,
    ) -> None:
        """`sentence_embedder`: what embeds the sentences ranked against a question (one
        that keeps their vectors on disk, `advisor.saved_vectors`); `embedder` itself
        where none is given."""
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
            sentence_embedder or embedder,
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
            chunks = self._unread(doc, have)
            advising = [p for p in chunks if _says(p, advice)]
            if not advising and finding and not any(_says(p, finding) for p in read):
                advising = [p for p in chunks if _says(p, finding)]
            found += advising
        return found

    def _backing(
        self,
        query: Question,
        research: Sequence[Passage],
        internal: Sequence[Passage],
        sought: Filters,
    ) -> list[Passage]:
        """For each owner an internal option proposes that no research passage read
        recommends, research passages that do, found by searching for the question with
        the owner named: an option is shown with the research that backs it, not as
        backed by none because the search for the question ranked that research lower."""
        backed = {
            position_of(u.judged)
            for p in research
            for u in evidence_units(p.text, p.layout)
            if recommends_owner(u.judged)
        }
        owners = {
            option_owner(u.quote)
            for p in internal
            for u in evidence_units(p.text, p.layout)
            if proposed(u)
        }
        have = {p.chunk_id for p in research}
        found: list[Passage] = []
        for owner in sorted(owners - backed - {""}):

            def backs(text: str, owner: str = owner) -> bool:
                return recommends_owner(text) and position_of(text) == owner

            hits = self.retriever.passages(f"{query.text} {owner}", WIDE_K, sought)
            for doc in dict.fromkeys(p.doc_id for p in hits):
                # where the document says so: a passage found, else another of its own
                chunks = [p for p in hits if p.doc_id == doc and p.chunk_id not in have]
                chunks += self._unread(doc, have)
                backing = next((p for p in chunks if _says(p, backs)), None)
                if backing is not None:
                    found.append(backing)
                    break
        return found

    def _unread(self, doc: str, have: set[str]) -> list[Passage]:
        """The passages of a document (as many as are read whole) not among `have`."""
        return [
            p
            for p in self.retriever.document_passages(doc, WHOLE_DOCUMENT)
            if p.chunk_id not in have
        ]

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
                sought = filters.with_kind("research")
                found = self.retriever.passages(query.text, 3 * wide, sought)
                research = _per_document(found, PER_DOCUMENT)[:wide]
                # An acronym of the question the sources also write out ("CX": "customer
                # experience"): the sources that only write it out are sought as well, in
                # addition to those found.
                spelled = _acronyms_written_out(query.text, found)
                if spelled != query.text:
                    have = {p.doc_id for p in research}
                    more = self.retriever.passages(spelled, 3 * wide, sought)
                    fresh = [p for p in more if p.doc_id not in have]
                    research += _per_document(fresh, PER_DOCUMENT)[: wide // 2]
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
        if research and internal and about_ownership(query) and _asks_whom(query):
            research += self._backing(query, research, internal, filters.with_kind("research"))
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
            abstain = abstain_text(retrieved.passages, retrieved.unmatched, composed.missing)
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
            if not pmap.stances and self.ranker.unknown_modifiers(query):
                # No source takes a position and the thing asked about is one no document
                # names ("Should we buy a drone fleet?"): the organisation's lines that
                # share the question's other words are not about it.
                return Composed(self._missing(query, [*research, *internal], retrieved.unmatched))
            if pmap.stances or (query.own_org and (pmap.today or pmap.options)):
                # No source taking a position on it, the organisation's side is shown
                # with that gap, not the research sentences closest to the question.
                builder.add_map(pmap, query.own_org)
                own = bool(pmap.today or pmap.options) or not query.own_org
                if not pmap.stances or not own:
                    builder.add(Section("gap", note=gap_note(bool(pmap.stances), own)))
                return Composed()
        if not query.own_org:
            ranked = self.ranker.rank(query, [*retrieved.relevant, *retrieved.following])
            direct = answer_about(query, ranked)
            if not direct and retrieved.wider:
                # The named publisher's own documents do not say it; another that retells
                # its work may ("McorpCX: Gartner predicted that by 2017 ..."), cited as
                # what it is.
                ranked = self.ranker.rank(query, retrieved.wider)
                direct = answer_about(query, ranked)
            deeper: list[Passage] = []
            if not direct:
                # Before refusing, the passages ranked below those read: the sentence that
                # answers may sit in a part of a document the question's words do not
                # reach ("Those companies were also 2.1 times as likely ...").
                deeper = self._deeper(retrieved)
                if deeper:
                    ranked_deeper = self.ranker.rank(query, deeper)
                    direct = answer_about(query, ranked_deeper)
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
        words = listed([f"“{w}”" for w in absent])
        said = f"No document in the library mentions {words}." if absent else ""
        return " ".join(x for x in (said, missing_text(question, ranked, unmatched)) if x)

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
        # Beside "our" figure, research gives figures to set it against; a line that holds
        # none ("And we didn't kill NPS, to be clear.") says nothing of it.
        # Who holds one of "our" posts ("Who is our CFO?") is for its own documents to say;
        # research on what such a post does sets nothing beside the name.
        holder = bool(titles_asked(query))
        context = [
            c
            for c in research_ranked
            if not holder
            and c.usable
            and c.similarity >= CLOSE_ENOUGH
            and (query.answer_type != "figure" or holds_figure(c.reading))
        ][:CONTEXT_MAX]
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
        # A figure of the organisation's own records ("How many complaints did we receive
        # in Q3?") is theirs to give: research that is silent on it is no gap. A question
        # about "our" matter answered from research alone, or one on what to do, says so.
        if not has_own or (not has_research and query.intent == "strategy"):
            builder.add(Section("gap", note=gap_note(has_research, has_own)))
        return Composed()


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
        quotes = {sentence.support.quote, *(support.quote for _, support in sentence.joint)}
        if quotes <= taken or (focus and not focus & stems(sentence.text)):
            continue  # all it quotes is shown already, or it is about something else
        taken |= quotes
        # Cited together with other quotes: each is cited, as the sentence draws on all.
        also = tuple(
            Line(sentence.text, prompt.passages[j], support.quote, support.score, support.context)
            for j, support in sentence.joint
        )
        lines.append(
            Line(
                sentence.text,
                prompt.passages[sentence.passage],
                sentence.support.quote,
                sentence.support.score,
                sentence.support.context,
                also,
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


def _acronyms_written_out(text: str, passages: Sequence[Passage]) -> str:
    """The text with its acronyms written out as the passages' documents write them."""
    by_document: dict[str, list[str]] = {}
    for passage in passages:
        by_document.setdefault(passage.doc_id, []).append(passage.text)
    return Acronyms.defined_in(" ".join(t) for t in by_document.values()).written_out(text)


def _per_document(passages: Sequence[Passage], most: int) -> list[Passage]:
    """The passages in rank order, at most `most` of each document, or of each voice of
    a document of several (a discussion's posts), so that each of them may speak."""
    taken: dict[tuple[str, str], int] = {}
    kept = []
    for passage in passages:
        key = (passage.doc_id, passage.speaker)
        if taken.get(key, 0) < most:
            taken[key] = taken.get(key, 0) + 1
            kept.append(passage)
    return kept


def _unique(passages: Sequence[Passage]) -> list[Passage]:
    return list({p.chunk_id: p for p in reversed(passages)}.values())[::-1]


def _ms(start: float, end: float) -> float:
    return round((end - start) * 1000, 1)
