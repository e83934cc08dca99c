"""Ask: a chat whose answers carry checked citations."""

from __future__ import annotations

import streamlit as st

from advisor.answer import Answer
from ui.resources import get_advisor

EXAMPLES = (
    "Who should own CX here?",
    "What share of organisations have no C-level CX sponsor?",
    "Which function controls most CX technology spending?",
)


def render_answer(answer: Answer) -> None:
    if answer.abstained:
        st.warning(answer.answer)
        return
    st.markdown(answer.answer)
    flagged = [s.text for s in answer.sentences if not s.supported]
    if flagged:
        with st.expander(f"{len(flagged)} sentence(s) removed: no cited passage supports them"):
            st.markdown("\n".join(f"- ~~{text}~~" for text in flagged))
    for c in answer.citations:
        page = f", p. {c.page}" if c.page else ""
        with st.expander(f"[{c.n}] {c.title} ({c.kind}{page})"):
            st.markdown(f"> {c.quote}")
            st.caption(c.source)
    st.caption(f"{answer.model} · {answer.timings_ms.total:.0f} ms")


def ask_page() -> None:
    st.title("CX Advisor")
    st.caption(
        "Answers from CX research and your own documents. Every sentence cites a checked source."
    )
    try:
        advisor = get_advisor()
    except Exception as err:
        st.error(f"The advisor could not start: {err}")
        st.stop()

    with st.sidebar:
        kind = st.radio("Sources", ["both", "research", "internal"], horizontal=True)
        st.metric("Documents", len(advisor.store.documents()))
        st.caption(f"Model: {advisor.llm.name}")

    if "history" not in st.session_state:
        st.session_state.history = []
    for question, answer in st.session_state.history:
        with st.chat_message("user"):
            st.markdown(question)
        with st.chat_message("assistant"):
            render_answer(answer)

    picked = None
    if not st.session_state.history:
        cols = st.columns(len(EXAMPLES))
        for col, example in zip(cols, EXAMPLES):
            if col.button(example, width="stretch"):
                picked = example
    question = st.chat_input("Ask about CX strategy...") or picked
    if not question:
        return
    with st.chat_message("user"):
        st.markdown(question)
    history = [(q, a.answer) for q, a in st.session_state.history]
    with st.chat_message("assistant"):
        draft = st.empty()
        answer = None
        try:
            with st.spinner("Searching the library and writing..."):
                text = ""
                for event in advisor.stream(
                    question, history, filters=None if kind == "both" else {"kind": kind}
                ):
                    if isinstance(event, str):
                        text += event
                        draft.caption(f"Draft, being checked against the sources: {text}")
                    else:
                        answer = event
        except Exception as err:
            st.error(f"Could not answer: {err}")
            return
        draft.empty()
        if answer is not None:
            render_answer(answer)
    if answer is not None:
        st.session_state.history.append((question, answer))
