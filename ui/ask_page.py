"""Ask: a chat whose answers carry checked citations."""

from __future__ import annotations

import streamlit as st
from langchain_core.messages import AIMessage, HumanMessage

from advisor.answer import Answer, cited_sources
from advisor.composition import Components
from advisor.feedback import RATINGS
from advisor.render import plain
from ingest.store import DocumentRecord
from ui.export import answer_markdown, group_label, quoted
from ui.resources import get_components, get_feedback_store

EXAMPLES = (
    "Who should own CX here?",
    "What share of organisations have no C-level CX sponsor?",
    "Which function controls most CX technology spending?",
)


def render_answer(answer: Answer, documents: dict[str, DocumentRecord], key: str) -> None:
    if answer.abstained:
        st.warning(answer.answer)
        return
    st.markdown(answer.answer)
    flagged = [s.text for s in answer.sentences if not s.supported]
    if flagged:
        with st.expander(f"{len(flagged)} sentence(s) removed: no cited passage supports them"):
            st.markdown("\n".join(f"- ~~{plain(text)}~~" for text in flagged))
    for group in cited_sources(answer.citations):
        with st.expander(group_label(group, documents)):
            st.markdown("\n\n".join(quoted(c, len(group) > 1) for c in group))
            st.caption(group[0].source)
    left, right = st.columns([3, 1])
    left.caption(f"{answer.model} · {answer.timings_ms.total:.0f} ms")
    feedback_form(answer, key)
    right.download_button(
        "Download .md",
        answer_markdown(answer, documents),
        file_name="cx-advisor-answer.md",
        mime="text/markdown",
        key=f"download-{key}",
    )


def feedback_form(answer: Answer, key: str) -> None:
    with st.expander("Feedback"), st.form(f"feedback-{key}", clear_on_submit=True):
        rating = st.radio("This answer is", RATINGS, horizontal=True, key=f"rating-{key}")
        comment = st.text_area("Comment (optional)", key=f"comment-{key}")
        if st.form_submit_button("Send feedback"):
            get_feedback_store().add(answer, str(rating), comment)
            st.success("Thank you: feedback saved.")


def ask_page() -> None:
    st.title("CX Advisor")
    st.caption(
        "Answers from CX research and your own documents. Every sentence cites a checked source."
    )
    try:
        parts = get_components()
    except Exception as err:
        st.error(f"The advisor could not start: {err}")
        st.stop()
    advisor = parts.advisor

    records = parts.store.documents()
    documents = {r.doc_id: r for r in records}
    with st.sidebar:
        filters = sidebar_filters(records)
        status_panel(parts, records)

    if "history" not in st.session_state:
        st.session_state.history = []
    for index, (question, answer) in enumerate(st.session_state.history):
        with st.chat_message("user"):
            st.markdown(question)
        with st.chat_message("assistant"):
            render_answer(answer, documents, f"answer-{index}")

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
    history = [
        message
        for q, a in st.session_state.history
        for message in (HumanMessage(q), AIMessage(a.answer))
    ]
    with st.chat_message("assistant"):
        draft = st.empty()
        answer = None
        try:
            with st.spinner("Searching the library and writing..."):
                text = ""
                for event in advisor.stream(question, history, filters=filters):
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
            render_answer(answer, documents, f"answer-{len(st.session_state.history)}")
    if answer is not None:
        st.session_state.history.append((question, answer))


def sidebar_filters(records: list[DocumentRecord]) -> dict[str, object]:
    """Kind, publisher and year filters, offered from what the library holds."""
    kind = st.radio("Sources", ["both", "research", "internal"], horizontal=True)
    filters: dict[str, object] = {} if kind == "both" else {"kind": kind}
    publishers = sorted({r.publisher for r in records if r.publisher and r.kind == "research"})
    chosen = st.multiselect("Publishers", publishers, placeholder="All publishers")
    if chosen:
        filters["publisher"] = chosen
    years = sorted({int(r.date[:4]) for r in records if r.date[:4].isdigit()})
    if len(years) > 1:
        low, high = st.slider("Years", years[0], years[-1], (years[0], years[-1]))
        if (low, high) != (years[0], years[-1]):
            filters.update(year_from=low, year_to=high)
    return filters


def status_panel(parts: Components, records: list[DocumentRecord]) -> None:
    settings, llm, embedder = parts.settings, parts.llm, parts.embedder
    problem = llm.problem()
    if problem:
        st.warning(
            f"The model is unavailable: {problem}. Questions can still be asked once it is "
            "back; nothing needs restarting."
        )
    with st.expander("Status"):
        st.markdown(
            "\n".join(
                [
                    f"- Model backend: `{settings.llm}`, model `{llm.name}`",
                    f"- Context window: {llm.context_window or 'n/a'} tokens",
                    f"- Embeddings: `{embedder.name}` ({embedder.dim} dimensions)",
                    f"- Library: {len(records)} documents, {parts.store.count_chunks()} chunks",
                    "- Store: "
                    + (
                        f"Chroma server {settings.chroma_host}:{settings.chroma_port}"
                        if settings.chroma_host
                        else f"`{settings.chroma_dir}`"
                    ),
                ]
            )
        )
