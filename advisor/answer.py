"""The answer contract (`cx-advisor ask --json`, `Advisor.ask`), as pydantic models."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

PartName = Literal["answer", "positions", "organisation", "options", "research", "gap"]


class Citation(BaseModel):
    n: int
    doc_id: str
    title: str
    source: str
    kind: str
    publisher: str = ""
    page: int | None = None
    quote: str = Field(description="Text that occurs verbatim in the cited document.")
    context: str = Field(
        default="",
        description="What the quote is read with, verbatim from the same document: the "
        "sentence leading into a list item, or a table row's header row.",
    )
    reports: str = Field(
        default="",
        description="The publisher of another research document cited in the answer whose "
        "work this one reports (a blog's recap of a study), where both are cited.",
    )


class AnswerSentence(BaseModel):
    text: str
    citations: list[int] = Field(default_factory=list)
    support: float = 0.0
    supported: bool = False


class RetrievedPassage(BaseModel):
    chunk_id: str
    doc_id: str
    title: str
    source: str
    score: float


class Timings(BaseModel):
    retrieve: float = 0.0
    generate: float = 0.0
    verify: float = 0.0
    total: float = 0.0


class Statement(BaseModel):
    """A source's sentence in the answer, with the citation that backs it."""

    text: str
    citation: int
    source: str = Field(
        description="Who says it (`speaker`): a research document's publisher (its title "
        "if it names none); an internal document's title."
    )
    recommends: bool = Field(
        default=False,
        description="A research position that recommends (should, we recommend), rather "
        "than reports how things are.",
    )
    reported_by: list[str] = Field(
        default_factory=list,
        description="Publishers of other documents that report this source's work and say "
        "the same (a recap of a study): counted with it as one source.",
    )


class Position(BaseModel):
    """One position research sources take, with how many take it, in their own words."""

    position: str
    sources: int
    statements: list[Statement] = Field(default_factory=list)
    recommending: int = Field(
        default=0, description="How many of the sources recommend it, not only report it."
    )


class OptionOnTable(BaseModel):
    """An option found in an internal document, with the research on each side."""

    option: Statement
    position: str = Field(description="The owner the option proposes ('' if none named).")
    research_for: list[int] = Field(
        default_factory=list, description="Citations of research positions backing it."
    )
    research_against: list[int] = Field(
        default_factory=list, description="Citations of research favouring another owner."
    )


class Clause(BaseModel):
    """A clause of the answer's bottom line: its words, the citations it rests on, and
    what follows those citations ("," or " propose.")."""

    text: str
    citations: list[int] = Field(default_factory=list)
    after: str = ""


class AnswerPart(BaseModel):
    """A section of the shown answer: which of `sentences` it holds, in order."""

    name: PartName
    title: str = ""
    sentences: list[int] = Field(default_factory=list)
    note: str = ""


class Answer(BaseModel):
    question: str
    answer: str = Field(description="The shown answer as Markdown (rendered from the parts).")
    abstained: bool
    model: str
    intent: Literal["fact", "strategy"] = "fact"
    citations: list[Citation] = Field(default_factory=list)
    sentences: list[AnswerSentence] = Field(default_factory=list)
    retrieved: list[RetrievedPassage] = Field(default_factory=list)
    timings_ms: Timings = Field(default_factory=Timings)
    parts: list[AnswerPart] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    options: list[OptionOnTable] = Field(default_factory=list)
    bottom_line: list[Clause] = Field(
        default_factory=list,
        description="On who should own something: what the positions and options add up "
        "to (counted from them, not quoted), shown first.",
    )


def speaker(kind: str, publisher: str, title: str, voice: str = "") -> str:
    """Who a line of an answer is said by: a research source by its publisher (its title
    if it names none); a document of the organisation's own by its title, since its
    publisher is the organisation every such line is about ("Customer Experience Budget
    2026", not "Northwind Mobile"). In a document of several voices (a discussion's
    posts), the one who says it, with where ("Jane Doe, Head of Research, Acme
    (FrontlineHQ Community)")."""
    where = (publisher or _main_title(title)) if kind == "research" else (title or publisher)
    return f"{voice} ({where})" if voice else where


def _main_title(title: str) -> str:
    """A title without its subtitle, where it has one after a colon ("Acme CX Study 2020:
    four false narratives" -> "Acme CX Study 2020"): the name of the work, as a reader
    would say who a line is from."""
    head, colon, rest = title.partition(": ")
    return head if colon and len(head.split()) >= 2 and len(rest.split()) >= 2 else title


def cited_sources(citations: list[Citation]) -> list[list[Citation]]:
    """The citations grouped by the document (and page) they quote, in the order each is
    first cited: a source listed once, with every quote the answer takes from it."""
    groups: dict[tuple[str, int | None], list[Citation]] = {}
    for citation in citations:
        groups.setdefault((citation.doc_id, citation.page), []).append(citation)
    return list(groups.values())
