"""The advisor: condense, retrieve, generate, check every sentence, compose the answer.

The steps form one LangChain (LCEL) chain over a state dict; `stream()` runs the same
steps but yields the model's tokens as they arrive, then the checked Answer.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from advisor.answer import Answer, AnswerSentence, Citation, RetrievedPassage, Timings
from advisor.condense import History, condense_question
from advisor.injection import evidence_units, strip_markers
from advisor.lexical import content_words, numbers_in
from advisor.llm import LLM
from advisor.passages import Passage
from advisor.prompts import STOP, build_prompt
from advisor.retrieval import Filters, HybridRetriever, about_own_organisation
from advisor.settings import Settings
from advisor.specifics import unmatched_specifics
from advisor.vectors import dot
from advisor.verify import CheckedSentence, SupportChecker, showable
from ingest.embedder import Embedder
from ingest.evidence import EvidenceUnit
from ingest.store import ChunkStore

MIN_RELEVANCE = 0.3
MIN_OTHER_SIDE = 0.45  # a research or internal sentence added only to show that side
PER_SIDE_MIN = 2  # research and internal sentences for own-organisation questions
PER_SIDE_MAX = 3
BRIEF_SENTENCES = 4  # evidence sentences when no model writes the answer
EVIDENCE_MIN = 2  # evidence sentences added to what a model wrote
MAX_SENTENCES = 6
MAX_QUESTION_CHARS = 2000
_QUANTITY = re.compile(
    r"\b(how (many|much|often|large|big)|what (share|percentage|proportion|number)|rate|"
    r"when|how long|budget|cost|nps|score)\b",
    re.IGNORECASE,
)
ABSTAIN_TEXT = "The sources in the library do not answer this question."
State = dict[str, Any]


@dataclass
class _Line:
    """One sentence of the final answer with the passage and quote it cites."""

    text: str
    passage: Passage
    quote: str
    support: float
    context: str = ""


class Advisor:
    """Answers questions from the store; built by `advisor.composition.build_advisor`."""

    def __init__(
        self,
        settings: Settings,
        store: ChunkStore,
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
        self.prepare = RunnableLambda(self._condense) | RunnableLambda(self._retrieve)
        self.chain = self.prepare | RunnableLambda(self._generate) | RunnableLambda(self._finish)

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
        history: History | None = None,
        filters: dict[str, Any] | None = None,
    ) -> Answer:
        answer: Answer = self.chain.invoke(_start(question, history, filters))
        return answer

    def stream(
        self,
        question: str,
        history: History | None = None,
        filters: dict[str, Any] | None = None,
    ) -> Iterator[str | Answer]:
        """Yield the model's draft piece by piece, then the checked Answer."""
        state = self.prepare.invoke(_start(question, history, filters))
        pieces: list[str] = []
        prompt = state.get("prompt")
        if prompt is not None:
            for piece in self.llm.stream(
                prompt, max_tokens=self.settings.llm_max_tokens, stop=STOP
            ):
                pieces.append(piece)
                yield piece
        yield self._finish({**state, "draft": "".join(pieces), "t_generated": time.perf_counter()})

    # -- chain steps -------------------------------------------------------------------------

    def _condense(self, state: State) -> State:
        standalone = condense_question(state["question"], state["history"], self.llm)
        return {**state, "standalone": standalone}

    def _retrieve(self, state: State) -> State:
        filters = Filters.from_dict(state["filters"])
        passages = self.retriever.passages(state["standalone"], self.settings.top_k, filters)
        relevant = [p for p in passages if is_relevant(p, state["standalone"])]
        unmatched = unmatched_specifics(state["standalone"], passages) if relevant else []
        if unmatched:  # the passages are about something else: do not answer from them
            relevant = []
        prompt = None
        if relevant and self.llm.generates:
            prompt = build_prompt(
                state["standalone"],
                relevant,
                context_window=self.llm.context_window,
                max_tokens=self.settings.llm_max_tokens,
                count_tokens=self.llm.count_tokens,
            )
            if not prompt.passages:  # not even one excerpt fits: answer from evidence only
                prompt = None
        return {
            **state,
            "passages": passages,
            "relevant": relevant,
            "unmatched": unmatched,
            "prompt": prompt,
            "t_retrieved": time.perf_counter(),
        }

    def _generate(self, state: State) -> State:
        draft = ""
        if state["prompt"] is not None:
            draft = self.llm.complete(
                state["prompt"], max_tokens=self.settings.llm_max_tokens, stop=STOP
            )
        return {**state, "draft": draft, "t_generated": time.perf_counter()}

    def _finish(self, state: State) -> Answer:
        question, relevant = state["standalone"], state["relevant"]
        own_org = (
            about_own_organisation(state["question"])
            and not Filters.from_dict(state["filters"]).kinds
        )
        checked: list[CheckedSentence] = []
        lines: list[_Line] = []
        if state["draft"] and state["prompt"] is not None:
            used = list(state["prompt"].passages)
            checked = self.checker.check(state["draft"], used)
            lines = _supported_lines(checked, used)
        if relevant:
            lines = self._fill_with_evidence(question, relevant, lines, own_org)
        verified_at = time.perf_counter()
        return _compose(state, lines, checked, own_org, verified_at, self.llm.name)

    # -- evidence ----------------------------------------------------------------------------

    def _fill_with_evidence(
        self, question: str, passages: Sequence[Passage], lines: list[_Line], own_org: bool
    ) -> list[_Line]:
        """Complete the answer with the passage sentences closest to the question.

        A model's checked sentences are kept, but they are often true and beside the point
        (a small model copies whichever excerpt line it likes), so EVIDENCE_MIN of the
        sentences closest to the question are always added. For a question about the
        user's own organisation each side (research, internal) gets two to three
        sentences, research ones from different publishers where the library has them,
        so one side cannot crowd out the other.
        """
        target = BRIEF_SENTENCES
        if self.llm.generates:
            target = min(MAX_SENTENCES, max(BRIEF_SENTENCES, len(lines) + EVIDENCE_MIN))
        if own_org:  # leave each side room for the evidence closest to the question
            lines = _cap_per_kind(lines, PER_SIDE_MIN)
        per_passage: dict[str, int] = {}
        for line in lines:
            per_passage[line.passage.chunk_id] = per_passage.get(line.passage.chunk_id, 0) + 1
        taken = {line.quote for line in lines}

        def wanted(passage: Passage, score: float) -> bool:
            if not own_org:
                return len(lines) < target and score >= MIN_RELEVANCE
            side = [line for line in lines if line.passage.kind == passage.kind]
            floor = MIN_OTHER_SIDE if passage.kind == "research" else MIN_RELEVANCE
            publishers = {line.passage.publisher for line in side}
            repeat = passage.kind == "research" and passage.publisher in publishers
            if score < floor:
                return False
            if len(side) < PER_SIDE_MIN:
                return not repeat
            return len(side) < PER_SIDE_MAX and len(lines) < max(target, 2 * PER_SIDE_MIN)

        for score, unit, passage in self._rank_sentences(question, passages):
            if len(lines) >= MAX_SENTENCES:
                break
            if unit.quote in taken or per_passage.get(passage.chunk_id, 0) >= 3:
                continue
            if not wanted(passage, score):
                continue
            taken.add(unit.quote)
            per_passage[passage.chunk_id] = per_passage.get(passage.chunk_id, 0) + 1
            text = strip_markers(unit.reading)
            lines.append(_Line(text, passage, unit.quote, 1.0, unit.context))
        return lines

    def _rank_sentences(
        self, question: str, passages: Sequence[Passage]
    ) -> list[tuple[float, EvidenceUnit, Passage]]:
        """Evidence units scored by similarity to the question plus term coverage."""
        candidates = [
            (unit, p)
            for p in passages
            for unit in evidence_units(p.text, p.layout)
            if showable(unit)
        ]
        if not candidates:
            return []
        vectors = self.embedder.embed_documents([question] + [u.reading for u, _ in candidates])
        terms = content_words(question)
        wants_figure = bool(_QUANTITY.search(question))
        scored = []
        for (unit, passage), vector in zip(candidates, vectors[1:]):
            similarity = dot(vectors[0], vector)
            words = content_words(unit.reading)
            coverage = len(terms & words) / len(terms) if terms else 0.0
            figure = 0.1 if wants_figure and numbers_in(unit.quote) else 0.0
            scored.append((similarity + 0.25 * coverage + figure, unit, passage))
        return sorted(scored, key=lambda item: -item[0])


def is_relevant(passage: Passage, question: str) -> bool:
    """Close in meaning, or sharing most of the question's content words."""
    if passage.score >= MIN_RELEVANCE:
        return True
    terms = content_words(question)
    if not terms or passage.score < 0.15:
        return False
    return len(terms & content_words(passage.text)) / len(terms) >= 0.6


def _start(question: str, history: History | None, filters: dict[str, Any] | None) -> State:
    if not question.strip():
        raise ValueError("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise ValueError(f"the question is too long (over {MAX_QUESTION_CHARS:,} characters)")
    return {
        "question": question.strip(),
        "history": list(history or []),
        "filters": dict(filters or {}),
        "t0": time.perf_counter(),
    }


def _cap_per_kind(lines: list[_Line], cap: int) -> list[_Line]:
    """At most `cap` lines of each kind, keeping the best supported, in answer order."""
    keep: set[int] = set()
    for kind in {line.passage.kind for line in lines}:
        ranked = sorted(
            (i for i, line in enumerate(lines) if line.passage.kind == kind),
            key=lambda i: -lines[i].support,
        )
        keep.update(ranked[:cap])
    return [line for i, line in enumerate(lines) if i in keep]


def _supported_lines(checked: list[CheckedSentence], passages: Sequence[Passage]) -> list[_Line]:
    lines: list[_Line] = []
    seen: set[str] = set()
    for sentence in checked:
        if not sentence.supported or sentence.passage is None or sentence.support is None:
            continue
        key = sentence.text.lower()
        if key in seen:
            continue
        seen.add(key)
        lines.append(
            _Line(
                sentence.text,
                passages[sentence.passage],
                sentence.support.quote,
                sentence.support.score,
                sentence.support.context,
            )
        )
    return lines


def _compose(
    state: State,
    lines: list[_Line],
    checked: list[CheckedSentence],
    own_org: bool,
    verified_at: float,
    model: str,
) -> Answer:
    citations: list[Citation] = []
    numbers: dict[tuple[str, str], int] = {}
    sentences: list[AnswerSentence] = []
    for line in lines:
        key = (line.passage.chunk_id, line.quote)
        if key not in numbers:
            numbers[key] = len(citations) + 1
            citations.append(_citation(numbers[key], line.passage, line.quote, line.context))
        sentences.append(
            AnswerSentence(
                text=line.text, citations=[numbers[key]], support=line.support, supported=True
            )
        )
    for sentence in checked:
        if not sentence.supported and sentence.text:
            score = sentence.support.score if sentence.support else 0.0
            sentences.append(
                AnswerSentence(text=sentence.text, citations=[], support=score, supported=False)
            )
    abstained = not lines
    if abstained:
        text = _abstain_text(state["passages"], state.get("unmatched") or [])
    else:
        text = _answer_text(lines, [s.citations[0] for s in sentences if s.supported], own_org)
    t0, t_retrieved = state["t0"], state["t_retrieved"]
    t_generated = float(state.get("t_generated") or t_retrieved)
    return Answer(
        question=state["question"],
        answer=text,
        abstained=abstained,
        model=model,
        citations=citations,
        sentences=sentences,
        retrieved=[
            RetrievedPassage(
                chunk_id=p.chunk_id, doc_id=p.doc_id, title=p.title, source=p.source, score=p.score
            )
            for p in state["passages"]
        ],
        timings_ms=Timings(
            retrieve=_ms(t0, t_retrieved),
            generate=_ms(t_retrieved, t_generated),
            verify=_ms(t_generated, verified_at),
            total=_ms(t0, verified_at),
        ),
    )


def _answer_text(lines: list[_Line], numbers: list[int], own_org: bool) -> str:
    def bullet(line: _Line, n: int) -> str:
        who = line.passage.publisher or line.passage.title
        return f"- **{who}:** {line.text} [{n}]"

    pairs = list(zip(lines, numbers))
    if own_org:
        research = [bullet(line, n) for line, n in pairs if line.passage.kind == "research"]
        internal = [bullet(line, n) for line, n in pairs if line.passage.kind != "research"]
        parts = []
        if research:
            parts.append("**What the research says**\n" + "\n".join(research))
        if internal:
            parts.append("**What your documents show**\n" + "\n".join(internal))
        parts.append("**Gap:** " + _gap(bool(research), bool(internal)))
        return "\n\n".join(parts)
    sources = {line.passage.publisher or line.passage.title for line in lines}
    if len(sources) > 1:
        return "\n".join(bullet(line, n) for line, n in pairs)
    return " ".join(f"{line.text} [{n}]" for line, n in pairs)


def _gap(has_research: bool, has_internal: bool) -> str:
    if not has_internal:
        return "none of your internal documents address this; the answer rests on research only."
    if not has_research:
        return "no research in the library addresses this; the answer rests on your documents only."
    return (
        "the research positions above are general findings, while your documents describe "
        "the current set-up; compare the two before deciding."
    )


def _abstain_text(passages: Sequence[Passage], unmatched: Sequence[str] = ()) -> str:
    if not passages:
        return f"{ABSTAIN_TEXT} The library has no documents matching the filters."
    closest = "; ".join(f"{p.title} ({p.score:.2f})" for p in passages[:3])
    missing = ""
    if unmatched:
        missing = f" No retrieved passage mentions {', '.join(unmatched)}."
    return f"{ABSTAIN_TEXT}{missing} Closest passages: {closest}."


def _citation(n: int, passage: Passage, quote: str, context: str = "") -> Citation:
    return Citation(
        n=n,
        doc_id=passage.doc_id,
        title=passage.title,
        source=passage.source,
        kind=passage.kind,
        page=passage.page,
        quote=quote,
        context=context,
    )


def _ms(start: float, end: float) -> float:
    return round((end - start) * 1000, 1)
