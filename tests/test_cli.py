"""The `cx-advisor` command line, run in-process against a tmp store."""

from __future__ import annotations

import json
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
    }
    assert not payload["abstained"] and payload["citations"]
    for citation in payload["citations"]:
        assert quoted_from(citation["quote"], note.read_text())
    assert set(payload["timings_ms"]) == {"retrieve", "generate", "verify", "total"}

    doc_id = payload["citations"][0]["doc_id"]
    assert main(["docs", "remove", doc_id[:10]]) == 0
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
