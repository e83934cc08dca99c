"""Turn a follow-up question plus chat history into a standalone question.

Instruction-following backends rewrite it; for the small embedded model, and whenever a
rewrite looks wrong, a rule does: a follow-up that leans on the conversation is joined to
the previous question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from advisor.lexical import content_words
from advisor.llm import LLM, LLMError
from advisor.prompts import Prompt

History = Sequence[BaseMessage]  # the conversation so far, as LangChain chat messages
Turns = Sequence[tuple[str, str]]  # or as (question, answer) pairs, as eval suites write it
FOLLOW_UP = "; follow-up: "  # joins the previous question and a follow-up

_LEANS_ON_CONTEXT = re.compile(
    r"^\s*(and|but|so|also|what about|how about|why|why not|then|ok|okay)\b"
    r"|\b(it|its|they|them|their|that|this|those|these|he|she|his|her|there|same)\b",
    re.IGNORECASE,
)
# A small model behind a chat server may echo the prompt instead of rewriting.
_ECHO = re.compile(r"\b(User|Advisor|Assistant|Conversation|Last question)\b|[Rr]ewrit")
_REWRITE = (
    "Rewrite the last question so that it can be understood without the conversation. "
    "Reply with the rewritten question only."
)


def needs_context(question: str) -> bool:
    """Short follow-ups, or ones that start with 'and'/'what about' or use pronouns."""
    return len(content_words(question)) < 3 or bool(_LEANS_ON_CONTEXT.search(question))


def as_messages(history: History | Turns | None) -> tuple[BaseMessage, ...]:
    """The conversation as chat messages; each (question, answer) pair becomes a human
    and an AI message."""
    messages: list[BaseMessage] = []
    for turn in history or ():
        if isinstance(turn, BaseMessage):
            messages.append(turn)
        else:
            question, answer = turn
            messages += [HumanMessage(question), AIMessage(answer)]
    return tuple(messages)


def _asked_before(history: History) -> str:
    """The user's last question in the conversation."""
    return next((str(m.text).strip() for m in reversed(history) if isinstance(m, HumanMessage)), "")


def joined_to_previous(question: str, history: History) -> str:
    previous = _asked_before(history)
    if not previous:
        return question
    return f"{previous.rstrip('?.! ')}{FOLLOW_UP}{question.strip()}"


def condense_question(question: str, history: History | None, llm: LLM) -> str:
    if not history or not needs_context(question):
        return question
    if not (llm.generates and llm.follows_instructions):
        return joined_to_previous(question, history)
    turns = "\n".join(
        f"User: {m.text}" if isinstance(m, HumanMessage) else f"Advisor: {m.text[:400]}"
        for m in history[-6:]
    )
    user = f"Conversation:\n{turns}\n\nLast question: {question}\n\n{_REWRITE}"
    prompt = Prompt(system=_REWRITE, user=user, completion=f"{user}\nRewritten:", passages=())
    try:
        rewritten = llm.complete(prompt, max_tokens=64, stop=["\n"]).strip().strip('"')
    except LLMError:
        rewritten = ""
    if not _plausible(rewritten, question, history):
        return joined_to_previous(question, history)
    return rewritten


def _plausible(rewritten: str, question: str, history: History) -> bool:
    """A rewrite is used only if it is short, echoes none of the prompt, and keeps some
    of the words of the question or the turn it follows up."""
    words = content_words(rewritten)
    asked = content_words(question) | content_words(_asked_before(history))
    return bool(
        rewritten and len(rewritten) <= 300 and not _ECHO.search(rewritten) and words & asked
    )
