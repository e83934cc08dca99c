"""The analyst gate: wrong passwords slow every next attempt, across sessions."""

from __future__ import annotations

import pytest

from ui import analyst


def test_wrong_passwords_slow_the_next_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(analyst.time, "monotonic", lambda: now[0])
    throttle = analyst.Throttle()
    assert throttle.delay() == 0.0
    for expected in (1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0):
        throttle.failed()
        assert throttle.delay() == expected
    now[0] += analyst.WINDOW_S + 1  # old failures no longer count
    assert throttle.recent() == 0 and throttle.delay() == 0.0
