"""Heavy objects built once per process and shared by every session and page."""

from __future__ import annotations

import streamlit as st

from advisor.composition import Components
from advisor.feedback import FeedbackStore, feedback_path
from core.settings import Settings
from ingest.pipeline import Ingestor


@st.cache_resource(show_spinner="Loading the embedding model, the store and the language model...")
def get_components() -> Components:
    from advisor.composition import build_components

    return build_components(Settings())


@st.cache_resource(show_spinner=False)
def get_ingestor() -> Ingestor:
    """Shares the app's embedder and store, so nothing is loaded twice."""
    parts = get_components()
    return Ingestor(parts.settings, parts.store, parts.embedder)


@st.cache_resource(show_spinner=False)
def get_feedback_store() -> FeedbackStore:
    return FeedbackStore(feedback_path(get_components().settings.store_dir))
