"""Heavy objects built once per process and shared by every session and page."""

from __future__ import annotations

import streamlit as st

from advisor.feedback import FeedbackStore, feedback_path
from advisor.service import Advisor
from core.settings import Settings
from ingest.pipeline import Ingestor


@st.cache_resource(show_spinner="Loading the embedding model, the store and the language model...")
def get_advisor() -> Advisor:
    from advisor.composition import build_advisor

    return build_advisor(Settings())


@st.cache_resource(show_spinner=False)
def get_ingestor() -> Ingestor:
    """Shares the advisor's embedder and store, so nothing is loaded twice."""
    advisor = get_advisor()
    return Ingestor(advisor.settings, advisor.store, advisor.embedder)


@st.cache_resource(show_spinner=False)
def get_feedback_store() -> FeedbackStore:
    return FeedbackStore(feedback_path(get_advisor().settings.store_dir))
