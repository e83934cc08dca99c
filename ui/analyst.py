"""The analyst gate shared by pages with analyst-only actions."""

from __future__ import annotations

import streamlit as st

from advisor.settings import Settings
from ui.uploads import password_ok


def analyst_unlocked(settings: Settings, actions: str, note: str = "") -> bool:
    """True once this session gave the analyst password; otherwise asks for it (or says
    how to enable `actions` when no password is configured)."""
    if settings.analyst_password is None:
        st.info(f"{note} To let analysts {actions}, start the app with CXA_ANALYST_PASSWORD set.")
        return False
    if st.session_state.get("analyst"):
        return True
    given = st.text_input("Analyst password", type="password", key=f"password-{actions}")
    if given:
        if password_ok(settings, given):
            st.session_state.analyst = True
            st.rerun()
        st.error("Wrong password.")
    return False
