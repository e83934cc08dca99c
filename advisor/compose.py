"""Composition: the chosen lines, in their parts, become the structured Answer.

Each line is a sentence of the answer with the passage and verbatim quote it cites;
equal quotes share one citation number. The positions map and the options keep their
citation numbers, so the JSON answer can be read without the Markdown. The Markdown
itself is rendered from the structure by `advisor.render`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from advisor.answer import (
    Answer,
    AnswerPart,
    AnswerSentence,
    Citation,
    Clause,
    OptionOnTable,
    PartName,
    Position,
    RetrievedPassage,
    Statement,
    Timings,
    speaker,
)
from advisor.attribution import Work, reports_of
from advisor.bottom_line import bottom_line
from advisor.injection import strip_markers
from advisor.passages import Passage
from advisor.positions import PositionsMap, Stance
from advisor.question import Question
from advisor.render import render_answer
from advisor.selection import Candidate
from advisor.verify import CheckedSentence


@dataclass(frozen=True)
class Line:
    """One sentence of the answer with the passage and quote it cites."""

    text: str
    passage: Passage
    quote: str
    support: float = 1.0
    context: str = ""
    # Further quotes the sentence cites together with this one (a model's sentence that
    # sets two sources side by side); each gets its own citation.
    also: tuple[Line, ...] = ()

    @classmethod
    def of(cls, candidate: Candidate) -> Line:
        return cls(
            candidate.shown, candidate.passage, candidate.unit.quote, 1.0, candidate.unit.context
        )

    @classmethod
    def quoted(cls, candidate: Candidate) -> Line:
        """The unit's own words only, without its lead-in (an option read on its own)."""
        return cls(candidate.unit.quote, candidate.passage, candidate.unit.quote)

    @property
    def source(self) -> str:
        passage = self.passage
        return speaker(passage.kind, passage.publisher, passage.title, passage.speaker)


@dataclass
class Section:
    name: PartName
    lines: list[Line] = field(default_factory=list)
    title: str = ""
    note: str = ""


_CLOSED = re.compile(r"[.!?:;…][\"'”’)\]]*\s*$")  # a sentence or a lead-in ends here


def _reads_on(before: Line, line: Line) -> bool:
    """The line is read with the sentence the line before it quotes."""
    return (
        bool(line.context)
        and line.passage.chunk_id == before.passage.chunk_id
        and line.context == before.quote
    )


def _read_on_together(lines: Sequence[Line]) -> list[int]:
    """The order to show lines in: a line read with a sentence another line quotes comes
    right after that line, so the two are said together."""
    order: list[int] = []
    placed: set[int] = set()

    def place(k: int) -> None:
        order.append(k)
        placed.add(k)
        for j, other in enumerate(lines):
            if j not in placed and _reads_on(lines[k], other):
                place(j)

    for k in range(len(lines)):
        if k not in placed and not any(
            _reads_on(lines[j], lines[k]) for j in range(len(lines)) if j != k
        ):
            place(k)
    order += [k for k in range(len(lines)) if k not in placed]  # a loop: as they came
    return order


class AnswerBuilder:
    """Collects parts and citations, then builds the Answer."""

    def __init__(self, question: Question, asked: str) -> None:
        self.question = question
        self.asked = asked
        self.citations: list[Citation] = []
        self.sentences: list[AnswerSentence] = []
        self.parts: list[AnswerPart] = []
        self.positions: list[Position] = []
        self.options: list[OptionOnTable] = []
        self.bottom_line: list[Clause] = []
        self._numbers: dict[tuple[str, str], int] = {}

    def cite(self, line: Line) -> int:
        key = (line.passage.chunk_id, line.quote)
        if key not in self._numbers:
            n = len(self.citations) + 1
            self._numbers[key] = n
            self.citations.append(_citation(n, line))
        return self._numbers[key]

    def add(self, section: Section) -> list[int]:
        """Add a part; returns the citation number of each of its lines."""
        if not section.lines and not section.note:
            return []
        indexes: list[int] = []
        numbers = [0] * len(section.lines)
        before: Line | None = None
        for k in _read_on_together(section.lines):
            line = section.lines[k]
            n = self.cite(line)
            numbers[k] = n
            cited = list(dict.fromkeys([n, *(self.cite(other) for other in line.also)]))
            if before is not None and _reads_on(before, line):
                # Read with the line just shown: one sentence citing both, said once.
                # A line read under one that does not end a sentence (a chart's node
                # under its parent) follows it as an item follows its lead-in.
                last = self.sentences[-1]
                joint = " " if _CLOSED.search(last.text) else ": "
                self.sentences[-1] = last.model_copy(
                    update={
                        "text": f"{last.text}{joint}{strip_markers(line.quote)}",
                        "citations": [*last.citations, *cited],
                    }
                )
            else:
                indexes.append(len(self.sentences))
                self.sentences.append(
                    AnswerSentence(
                        text=line.text, citations=cited, support=line.support, supported=True
                    )
                )
            before = line
        self.parts.append(
            AnswerPart(name=section.name, title=section.title, sentences=indexes, note=section.note)
        )
        return numbers

    def add_map(self, pmap: PositionsMap, own_org: bool) -> None:
        """The positions, then (for the own organisation) today's set-up and the options."""
        numbers: dict[int, int] = {}  # id(stance) -> citation
        for position, stances in pmap.groups():
            lines = [Line.of(s.candidate) for s in stances]
            cited = self.add(Section("positions", lines, title=position))
            for stance, n in zip(stances, cited):
                numbers[id(stance)] = n
            self.positions.append(
                Position(
                    position=position,
                    sources=len({s.candidate.passage.doc_id for s in stances}),
                    statements=[
                        Statement(
                            text=line.text,
                            citation=n,
                            source=line.source,
                            recommends=s.recommends,
                            reported_by=list(s.reported_by),
                        )
                        for line, n, s in zip(lines, cited, stances)
                    ],
                    recommending=len({s.candidate.passage.doc_id for s in stances if s.recommends}),
                )
            )
        if own_org:
            self._add_own(pmap, numbers)
        if pmap.ownership:  # counted once every position and option has its citation
            self.bottom_line = bottom_line(self.positions, self.options)

    def _add_own(self, pmap: PositionsMap, numbers: dict[int, int]) -> None:
        """Today's set-up and the options, each option with the citations of the research
        positions (`numbers`: id(stance) -> citation) that back its owner or another."""
        self.add(
            Section("organisation", [Line.of(c) for c in pmap.today], "Your organisation today")
        )
        option_lines = [Line.quoted(o.candidate) for o in pmap.options]
        cited = self.add(Section("options", option_lines, "Options on the table"))
        for option, line, n in zip(pmap.options, option_lines, cited):
            self.options.append(
                OptionOnTable(
                    option=Statement(text=line.text, citation=n, source=line.source),
                    position=option.position,
                    research_for=_cited(option.backed_by, numbers),
                    research_against=_cited(option.other_owner, numbers),
                )
            )

    def flag(self, checked: Sequence[CheckedSentence]) -> None:
        """A model's sentences that no passage supports, kept to be shown as removed."""
        for sentence in checked:
            if not sentence.supported and sentence.text:
                score = sentence.support.score if sentence.support else 0.0
                self.sentences.append(
                    AnswerSentence(text=sentence.text, citations=[], support=score, supported=False)
                )

    def build(
        self,
        *,
        model: str,
        retrieved: Sequence[Passage],
        timings: Timings,
        abstain_text: str = "",
    ) -> Answer:
        answer = Answer(
            question=self.asked,
            answer=abstain_text,
            abstained=bool(abstain_text),
            model=model,
            intent=self.question.intent,
            citations=[] if abstain_text else self.citations,
            sentences=[s for s in self.sentences if not s.supported]
            if abstain_text
            else self.sentences,
            retrieved=[
                RetrievedPassage(
                    chunk_id=p.chunk_id,
                    doc_id=p.doc_id,
                    title=p.title,
                    source=p.source,
                    score=p.score,
                )
                for p in retrieved
            ],
            timings_ms=timings,
            parts=[] if abstain_text else self.parts,
            positions=[] if abstain_text else self.positions,
            options=[] if abstain_text else self.options,
            bottom_line=[] if abstain_text else self.bottom_line,
        )
        if not abstain_text:
            _mark_reports(answer.citations)
            answer.answer = render_answer(answer)
        return answer


def _mark_reports(citations: Sequence[Citation]) -> None:
    """Each research citation whose document reports the work of another cited one (a
    recap of a study both quote) names that one's publisher in `reports`, so a figure the
    recap gives is read as the recap's account of the study, beside the study's own."""
    works = {
        id(c): Work(c.title, c.publisher, f"{c.context}\n{c.quote}")
        for c in citations
        if c.kind == "research" and c.publisher
    }
    research = [c for c in citations if id(c) in works]
    for citation in research:
        citation.reports = next(
            (
                other.publisher
                for other in research
                if other.doc_id != citation.doc_id
                and reports_of(works[id(citation)], works[id(other)])
            ),
            "",
        )


def _cited(stances: Sequence[Stance], numbers: dict[int, int]) -> list[int]:
    return [numbers[id(s)] for s in stances if id(s) in numbers]


def _citation(n: int, line: Line) -> Citation:
    passage = line.passage
    return Citation(
        n=n,
        doc_id=passage.doc_id,
        title=passage.title,
        source=passage.source,
        kind=passage.kind,
        publisher=passage.publisher,
        page=passage.page,
        quote=line.quote,
        context=line.context,
    )
