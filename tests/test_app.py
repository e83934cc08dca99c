"""The first web page starts and answers (streamlit.testing, no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.factories import MARKDOWN_NOTE

pytestmark = pytest.mark.integration


def test_app_answers_a_question(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    from advisor.settings import Settings
    from ingest import ingest_paths

    note = tmp_path / "note.md"
    note.write_text(MARKDOWN_NOTE)
    store = tmp_path / "store"
    ingest_paths([note], settings=Settings(store_dir=store))
    monkeypatch.setenv("CXA_STORE_DIR", str(store))
    monkeypatch.setenv("CXA_LLM", "none")

    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
    assert not app.exception
    assert app.sidebar.metric[0].value == "1"
    app.chat_input[0].set_value("Who leads CX transformation according to the study?").run()
    assert not app.exception
    text = " ".join(m.value for m in app.markdown)
    assert "chief marketing officer" in text
    assert any("Test study on CX ownership" in e.label for e in app.expander)
