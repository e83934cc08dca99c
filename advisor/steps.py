"""The typed state that flows through the advisor's chain, one type per step's output."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from langchain_core.messages import BaseMessage

from advisor.condense import History, Turns, as_messages
from advisor.filters import Filters
from advisor.passages import Passage
from advisor.prompts import Prompt
from advisor.question import Question

MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class Asked:
    """The question as the user asked it."""

    question: str
    history: tuple[BaseMessage, ...] = ()  # the conversation before it
    filters: Filters = field(default_factory=Filters)
    started: float = field(default_factory=time.perf_counter)

    @classmethod
    def of(cls, question: str, history: History | Turns | None, filters: Filters) -> Asked:
        if not question.strip():
            raise ValueError("the question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            raise ValueError(f"the question is too long (over {MAX_QUESTION_CHARS:,} characters)")
        return cls(question.strip(), as_messages(history), filters)


@dataclass(frozen=True)
class Condensed:
    """The standalone question, read for what it asks."""

    asked: Asked
    query: Question
    named: tuple[str, ...] = ()  # the research publishers the question names, as stored


@dataclass(frozen=True)
class Retrieved:
    """What retrieval found: the ranked passages, those close enough to answer from,
    research and internal passages for a positions map, the model's prompt, and for a
    fact the chunks that follow the best passages in their documents and, when it names
    a publisher, what the rest of the library says."""

    condensed: Condensed
    passages: tuple[Passage, ...]
    relevant: tuple[Passage, ...]
    unmatched: tuple[str, ...] = ()
    research: tuple[Passage, ...] = ()
    internal: tuple[Passage, ...] = ()
    prompt: Prompt | None = None
    following: tuple[Passage, ...] = ()  # the chunks after the best ones, for a fact
    # For a fact that names a publisher: the whole library's passages, read when that
    # publisher's own documents do not answer it.
    wider: tuple[Passage, ...] = ()
    done: float = field(default_factory=time.perf_counter)


@dataclass(frozen=True)
class Drafted:
    """The model's draft (empty when no model writes)."""

    retrieved: Retrieved
    draft: str = ""
    done: float = field(default_factory=time.perf_counter)


@dataclass(frozen=True)
class Composed:
    """What composing the answer adds to the retrieval: what is missing when nothing
    answers, and the passages read below those retrieved first."""

    missing: str = ""
    deeper: tuple[Passage, ...] = ()
