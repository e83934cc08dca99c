"""The web pages driven through streamlit.testing (no browser)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.factories import MARKDOWN_NOTE

pytestmark = pytest.mark.integration


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from advisor.composition import build_ingestor
    from core.settings import Settings

    note = tmp_path / "note.md"
    note.write_text(MARKDOWN_NOTE)
    store = tmp_path / "store"
    assert build_ingestor(Settings(store_dir=store)).ingest_paths([note]).ok
    monkeypatch.setenv("CXA_STORE_DIR", str(store))
    monkeypatch.setenv("CXA_LLM", "none")
    import streamlit as st

    st.cache_resource.clear()
    return store


def app(page: str = "Ask"):  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    if page != "Ask":
        at.switch_page(f"ui/pages/{page.lower()}.py")
    return at.run()


def test_ask_page_answers_a_question(store: Path) -> None:
    at = app()
    assert not at.exception
    status = " ".join(m.value for m in at.sidebar.markdown)
    assert "1 documents" in status and "all-MiniLM-L6-v2" in status and "`none`" in status
    at.chat_input[0].set_value("Who leads CX transformation according to the study?").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "chief marketing officer" in text
    assert any("Test study on CX ownership" in e.label for e in at.expander)


def test_ask_page_filters_reach_retrieval(store: Path) -> None:
    at = app()
    at.sidebar.radio[0].set_value("internal").run()
    at.chat_input[0].set_value("Who leads CX transformation according to the study?").run()
    assert "do not answer" in at.warning[0].value  # the only document is research
    at.sidebar.radio[0].set_value("research").run()
    at.sidebar.multiselect[0].set_value(["Example Research"]).run()
    at.chat_input[0].set_value("Who leads CX transformation according to the study?").run()
    assert any("Test study on CX ownership" in e.label for e in at.expander)
    assert any("Example Research, 2021-03" in e.label for e in at.expander)


def test_ask_page_abstains(store: Path) -> None:
    at = app()
    at.chat_input[0].set_value("What is the capital of Mongolia?").run()
    assert "do not answer" in at.warning[0].value


def test_library_is_read_only_without_a_password(store: Path) -> None:
    at = app("Library")
    assert not at.exception
    assert "read-only" in at.info[0].value and "CXA_ANALYST_PASSWORD" in at.info[0].value
    assert len(at.file_uploader) == 0 and len(at.text_input) == 0


def test_library_upload_and_remove_as_analyst(store: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CXA_ANALYST_PASSWORD", "s3cret")
    at = app("Library")
    at.text_input[0].set_value("wrong").run()
    assert at.error[0].value == "Wrong password." and len(at.file_uploader) == 0
    at.text_input[0].set_value("s3cret").run()
    assert len(at.file_uploader) == 1

    memo = "# Churn memo\n\nMobile churn rose to 1.3% a month after the July price rise.\n"
    at.file_uploader[0].set_value(
        [
            ("../../etc/churn memo.md", memo.encode(), "text/markdown"),
            ("broken.pdf", b"%PDF-1.4 nothing here", "application/pdf"),
        ]
    ).run()
    next(b for b in at.button if b.label == "Ingest").click().run()
    assert not at.exception
    assert "churn memo.md**: ingested" in at.success[0].value
    assert "broken.pdf**: failed" in at.error[0].value
    saved = list((store / "uploads").iterdir())
    assert [p.name for p in saved] == ["churn memo.md"]
    at.run()
    titles = list(at.dataframe[0].value["title"])
    assert sorted(titles) == ["Churn memo", "Test study on CX ownership"]

    at.selectbox[0].select(next(o for o in at.selectbox[0].options if o.startswith("Churn memo")))
    at.run()
    next(b for b in at.button if b.label == "Re-ingest from its file").click().run()
    assert "unchanged" in at.info[0].value
    # A revised version of the same file replaces the document; it does not add one.
    revised = memo.replace("1.3%", "1.4%").encode()
    at.file_uploader[0].set_value([("churn memo.md", revised, "text/markdown")]).run()
    next(b for b in at.button if b.label == "Ingest").click().run()
    assert "churn memo.md**: " in at.success[0].value
    at.run()
    assert sorted(at.dataframe[0].value["title"]) == ["Churn memo", "Test study on CX ownership"]
    assert (store / "uploads" / "churn memo.md").read_bytes() == revised
    at.selectbox[0].select(next(o for o in at.selectbox[0].options if o.startswith("Churn memo")))
    at.run()
    next(b for b in at.button if b.label == "Remove").click().run()
    assert not at.exception
    assert list(at.dataframe[0].value["title"]) == ["Test study on CX ownership"]
    assert list((store / "uploads").iterdir()) == []  # the app's copy went with it


def test_library_edit_details_as_analyst(store: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CXA_ANALYST_PASSWORD", "s3cret")
    at = app("Library")
    at.text_input[0].set_value("s3cret").run()
    title = at.text_input(key=next(k for k in _keys(at) if k.startswith("title-")))
    assert title.label == "Title (from front matter)"
    title.set_value("Ownership study 2021")
    date = at.text_input(key=next(k for k in _keys(at) if k.startswith("date-")))
    date.set_value("March 2021")
    next(b for b in at.button if b.label == "Save details").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("date must be YYYY") and "March 2021" in at.error[0].value
    assert list(at.dataframe[0].value["title"]) == ["Test study on CX ownership"]

    at.text_input(key=next(k for k in _keys(at) if k.startswith("date-"))).set_value("2021-03")
    next(b for b in at.button if b.label == "Save details").click().run()
    assert not at.exception and at.success[0].value == "Saved the new title."
    assert list(at.dataframe[0].value["title"]) == ["Ownership study 2021"]
    assert list(at.dataframe[0].value["title from"]) == ["edited"]

    ask = app()
    ask.chat_input[0].set_value("Who leads CX transformation according to the study?").run()
    assert not ask.exception
    assert any("Ownership study 2021" in e.label for e in ask.expander)


def test_library_shows_a_documents_byline_lines_as_plain_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from advisor.composition import build_ingestor
    from core.settings import Settings

    body = (
        "Retailers that answer a return within a day see repeat purchases rise, according "
        "to a survey of 400 shoppers. The cost of a slow refund shows up months later. "
    )
    page = tmp_path / "paper.txt"
    page.write_text(
        "WHY REFUNDS DECIDE LOYALTY\nHarwell Analytics, **Working Paper 7**, March 2022\n"
        f"Prepared by Jane Okafor\n\n{body * 3}\n\n{body * 2}\n\n{body * 2}\n"
    )
    store = tmp_path / "store"
    assert build_ingestor(Settings(store_dir=store)).ingest_paths([page]).ok
    monkeypatch.setenv("CXA_STORE_DIR", str(store))
    monkeypatch.setenv("CXA_ANALYST_PASSWORD", "s3cret")
    import streamlit as st

    st.cache_resource.clear()
    at = app("Library")
    at.text_input[0].set_value("s3cret").run()
    assert not at.exception
    shown = [t.value for t in at.text]
    assert "Harwell Analytics, **Working Paper 7**, March 2022 · Prepared by Jane Okafor" in shown


def _keys(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [w.key for w in at.text_input if w.key]


def test_feedback_is_saved(store: Path) -> None:
    from advisor.feedback import FeedbackStore

    at = app()
    at.chat_input[0].set_value("Who leads CX transformation according to the study?").run()
    at.radio(key="rating-answer-0").set_value("wrong evidence")
    at.text_area(key="comment-answer-0").set_value("cites the wrong survey")
    next(b for b in at.button if b.label == "Send feedback").click().run()
    assert not at.exception
    [entry] = FeedbackStore(store / "feedback.sqlite3").entries("wrong evidence")
    assert entry.question == "Who leads CX transformation according to the study?"
    assert entry.comment == "cites the wrong survey" and entry.answer.citations


def test_unreachable_model_server_is_explained(store: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CXA_LLM", "openai")
    monkeypatch.setenv("CXA_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("CXA_LLM_MODEL", "m")
    at = app()
    assert not at.exception
    assert "cannot be reached" in at.sidebar.warning[0].value
    at.chat_input[0].set_value("Who leads CX transformation according to the study?").run()
    assert "cannot reach the openai server" in at.error[0].value


def test_evals_page_runs_a_suite_and_shows_its_report(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CXA_ANALYST_PASSWORD", "s3cret")
    at = app("Evals")
    assert not at.exception
    at.text_input[0].set_value("s3cret").run()
    assert at.selectbox[-1].value == "smoke"
    at.button[0].click().run()
    assert not at.exception, at.exception
    report = store / "eval-reports" / "smoke-none.json"
    assert report.exists()
    label = at.selectbox[0].options[at.selectbox[0].index]
    assert label.startswith("smoke on none") and "this store" in label
    captions = " ".join(c.value for c in at.caption)
    assert "corpus" in captions and "all-MiniLM-L6-v2" in captions
    assert at.get("vega_lite_chart"), "metrics chart"
    assert any(
        "Thresholds missed" in e.value or "threshold" in e.value for e in [*at.error, *at.success]
    )
    assert "Failing cases" in " ".join(h.value for h in at.subheader)

    # A model server's address is shown to analysts only.
    data = json.loads(report.read_text())
    data["meta"]["base_url"] = "http://10.0.0.9:8080/v1"
    report.write_text(json.dumps(data))
    visitor = app("Evals")
    assert "10.0.0.9" not in " ".join(c.value for c in visitor.caption)
    assert "corpus" in " ".join(c.value for c in visitor.caption)
    at.run()
    assert "10.0.0.9" in " ".join(c.value for c in at.caption)


def test_model_server_going_away_mid_answer_then_coming_back(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.standin_llm import Handler, standin_server

    question = "Who leads CX transformation according to the study?"
    with standin_server() as url:
        monkeypatch.setenv("CXA_LLM", "openai")
        monkeypatch.setenv("CXA_LLM_BASE_URL", f"{url}/v1")
        monkeypatch.setenv("CXA_LLM_MODEL", "tiny")
        at = app()
        Handler.cut_off = True
        at.chat_input[0].set_value(question).run()
        assert not at.exception
        assert "stopped in the middle of the answer" in at.error[0].value
        Handler.cut_off = False  # the server is back; the same app session answers
        at.chat_input[0].set_value(question).run()
        assert not at.exception and not at.error
        assert any("Test study on CX ownership" in e.label for e in at.expander)
