"""The `cx-advisor` command line, run in-process against a tmp store."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from advisor.cli import main
from tests.factories import MARKDOWN_NOTE, make_encrypted_pdf, quoted_from

pytestmark = pytest.mark.integration


@pytest.fixture
def store_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    store = tmp_path / "store"
    monkeypatch.setenv("CXA_STORE_DIR", str(store))
    monkeypatch.setenv("CXA_LLM", "none")
    monkeypatch.setenv("COLUMNS", "240")
    return store


def test_ingest_list_ask_remove(store_env: Path, tmp_path: Path, capsys) -> None:
    note = tmp_path / "note.md"
    note.write_text(MARKDOWN_NOTE)
    locked = make_encrypted_pdf(tmp_path / "locked.pdf", "Secret.")

    assert main(["ingest", str(note), str(locked)]) == 1
    out, err = capsys.readouterr()
    assert "Ingest summary" in out and "1 ingested" in out and "1 failed" in out
    assert f"error: {locked}: encrypted PDF: it needs a password to open" in err
    assert "Traceback" not in err

    assert main(["ingest", str(note)]) == 0
    assert "1 skipped" in capsys.readouterr().out

    assert main(["docs", "list"]) == 0
    out = capsys.readouterr().out
    assert "1 documents" in out and "Test study on CX ownership" in out

    assert main(["ask", "Who leads CX transformation?", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert set(payload) == {
        "question",
        "answer",
        "abstained",
        "model",
        "citations",
        "sentences",
        "retrieved",
        "timings_ms",
        "intent",
        "parts",
        "positions",
        "options",
        "bottom_line",
    }
    assert not payload["abstained"] and payload["citations"]
    assert payload["parts"][0]["name"] in ("answer", "positions")
    for citation in payload["citations"]:
        assert quoted_from(citation["quote"], note.read_text())
    assert set(payload["timings_ms"]) == {"retrieve", "generate", "verify", "total"}

    # The sentences the answer ranked are kept beside the store; removal empties them.
    (memo,) = store_env.glob("sentence-vectors-*.sqlite")
    with sqlite3.connect(memo) as db:
        assert db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0] > 0
    doc_id = payload["citations"][0]["doc_id"]
    assert main(["docs", "remove", doc_id[:10]]) == 0
    with sqlite3.connect(memo) as db:
        assert db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0] == 0
    assert main(["docs", "list"]) == 0
    assert "0 documents" in capsys.readouterr().out
    assert main(["docs", "remove", "abc"]) == 1
    assert "no document has the id 'abc'" in capsys.readouterr().err


def test_model_mismatch_is_one_line(store_env: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    note = tmp_path / "note.md"
    note.write_text(MARKDOWN_NOTE)
    assert main(["ingest", str(note)]) == 0
    other = tmp_path / "other-model"
    import shutil

    from ingest.embedder import resolve_model_path

    shutil.copytree(resolve_model_path("all-MiniLM-L6-v2"), other)
    monkeypatch.setenv("CXA_EMBED_MODEL", str(other))
    capsys.readouterr()
    assert main(["docs", "list"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "built with embedding model 'all-MiniLM-L6-v2+onnx'" in err


def test_bad_setting_is_one_line(store_env: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("CXA_EMBED_MODEL", "some/hub-model")
    assert main(["docs", "list"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cx-advisor: error: embedding model 'some/hub-model'")
    assert "never downloaded" in err and err.count("\n") == 1


def test_docs_show_and_edit(store_env: Path, tmp_path: Path, capsys) -> None:
    memo = tmp_path / "memo.txt"
    memo.write_text(
        "Customer Experience Council: status\nBy Dana Whitfield\n17th Sep 2019\n\n"
        "The council met on 12 September to review who runs customer experience today. Its\n"
        "members are Marketing, Customer Service, Claims and IT, and it reports to the chief\n"
        "operating officer every quarter.\n\nThe options put to the executive team are:\n\n"
        "1. Appoint a chief customer officer who reports to the CEO.\n"
        "2. Keep the council and give it a budget line of its own.\n"
    )
    assert main(["ingest", str(memo)]) == 0
    capsys.readouterr()
    assert main(["docs", "list"]) == 0
    doc_id = re.findall(r"\b[0-9a-f]{12}\b", capsys.readouterr().out)[0]

    assert main(["docs", "show", doc_id[:8]]) == 0
    out = capsys.readouterr().out
    assert "title      Customer Experience Council: status  (detected)" in out
    assert "author     Dana Whitfield  (detected)" in out
    assert "date       2019-09-17  (detected)" in out
    assert "heading      Customer Experience Council: status" in out
    # A byline is metadata, not stored text: shown as the document's front, not a block.
    assert "front      By Dana Whitfield · 17th Sep 2019" in out
    assert "By Dana Whitfield" not in out.split("in document order:")[1]
    assert "list_item    1. Appoint a chief customer officer" in out
    assert "[lead-in: The options put to the executive team are:]" in out

    assert main(["docs", "edit", doc_id[:8], "--date", "17 Sept"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "date must be YYYY, YYYY-MM or YYYY-MM-DD" in err
    assert (
        main(["docs", "edit", doc_id[:8], "--title", "CX council memo", "--publisher", "Ops"]) == 0
    )
    assert "title      CX council memo  (edited)" in capsys.readouterr().out

    # The edit shows in answers at once, and survives ingesting the same bytes again.
    assert main(["ask", "Who are the members of the council?", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert {c["title"] for c in payload["citations"]} == {"CX council memo"}
    assert main(["ingest", str(memo)]) == 0
    assert "1 skipped" in capsys.readouterr().out
    assert main(["docs", "show", doc_id[:8], "--blocks", "0"]) == 0
    out = capsys.readouterr().out
    assert "CX council memo  (edited)" in out and "publisher  Ops  (edited)" in out


def test_same_folder_name_other_model_is_one_line(
    store_env: Path, tmp_path: Path, capsys, monkeypatch
) -> None:
    """Two model folders with the same name but different files: the store built with
    one refuses the other in one line, and still opens with the first."""
    import shutil

    from ingest.embedder import resolve_model_path

    first, second = tmp_path / "a" / "mini", tmp_path / "b" / "mini"
    for folder in (first, second):
        shutil.copytree(resolve_model_path("all-MiniLM-L6-v2"), folder)
    config = second / "config_sentence_transformers.json"
    config.write_text(config.read_text() + "\n")
    note = tmp_path / "note.md"
    note.write_text(MARKDOWN_NOTE)
    monkeypatch.setenv("CXA_EMBED_BACKEND", "torch")
    monkeypatch.setenv("CXA_EMBED_MODEL", str(first))
    assert main(["ingest", str(note)]) == 0
    monkeypatch.setenv("CXA_EMBED_MODEL", str(second))
    capsys.readouterr()
    assert main(["docs", "list"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "another model of the same name 'mini'" in err
    monkeypatch.setenv("CXA_EMBED_MODEL", str(first))
    assert main(["docs", "list"]) == 0
