"""The answer contract (`cx-advisor ask --json`, `Advisor.ask`), as pydantic models."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Citation(BaseModel):
    n: int
    doc_id: str
    title: str
    source: str
    kind: str
    page: int | None = None
    quote: str = Field(description="Text that occurs verbatim in the cited document.")
    context: str = Field(
        default="",
        description="What the quote is read with, verbatim from the same document: the "
        "sentence leading into a list item, or a table row's header row.",
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


class Answer(BaseModel):
    question: str
    answer: str
    abstained: bool
    model: str
    citations: list[Citation] = Field(default_factory=list)
    sentences: list[AnswerSentence] = Field(default_factory=list)
    retrieved: list[RetrievedPassage] = Field(default_factory=list)
    timings_ms: Timings = Field(default_factory=Timings)
