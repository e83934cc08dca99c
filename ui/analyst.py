"""The analyst gate shared by pages with analyst-only actions."""

from __future__ import annotations

import threading
import time
from collections import deque

import streamlit as st

from core.settings import Settings
from ui.uploads import password_ok

WINDOW_S = 15 * 60  # wrong passwords counted over this span, from every session
MAX_DELAY_S = 30.0


class Throttle:
    """Wrong analyst passwords slow every next attempt, in every session of this app
    (reloading the page does not reset it): 1 s after the first recent failure, doubling
    up to 30 s."""

    def __init__(self) -> None:
        self._failures: deque[float] = deque()
        self._lock = threading.Lock()

    def recent(self) -> int:
        with self._lock:
            while self._failures and self._failures[0] < time.monotonic() - WINDOW_S:
                self._failures.popleft()
            return len(self._failures)

    def delay(self) -> float:
        n = self.recent()
        return min(2.0 ** (n - 1), MAX_DELAY_S) if n else 0.0

    def failed(self) -> None:
        with self._lock:
            self._failures.append(time.monotonic())


THROTTLE = Throttle()


def analyst_unlocked(settings: Settings, actions: str, note: str = "") -> bool:
    """True once this session gave the analyst password; otherwise asks for it (or says
    how to enable `actions` when no password is configured). An unlocked session can
    lock itself again."""
    if settings.analyst_password is None:
        st.info(f"{note} To let analysts {actions}, start the app with CXA_ANALYST_PASSWORD set.")
        return False
    if st.session_state.get("analyst"):
        if st.sidebar.button("Lock analyst actions", key=f"lock-{actions}"):
            st.session_state.analyst = False
            st.rerun()
        return True
    given = st.text_input("Analyst password", type="password", key=f"password-{actions}")
    if given:
        time.sleep(THROTTLE.delay())  # before the check, so guessing fast gains nothing
        if password_ok(settings, given):
            st.session_state.analyst = True
            st.rerun()
        THROTTLE.failed()
        st.error("Wrong password.")
    return False
