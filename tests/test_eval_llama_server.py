"""`cx-advisor eval --llm openai` against a real llama.cpp OpenAI-compatible server.

The test starts `python -m llama_cpp.server` with the packaged Gemma GGUF on 127.0.0.1,
runs the smoke suite through it (with the same server as the LLM judge), and stops it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.cli import main
from tests.llama_server import ALIAS, llama_server

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def llama_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with llama_server(tmp_path_factory.mktemp("llama") / "server.log") as server:
        yield server.base_url


def test_smoke_suite_through_a_llama_cpp_server(
    llama_server_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CXA_STORE_DIR", str(tmp_path / "store"))
    reports = tmp_path / "reports"
    code = main(
        [
            "eval",
            "--suite",
            "smoke",
            "--llm",
            "openai",
            "--base-url",
            llama_server_url,
            "--model",
            ALIAS,
            "--judge-url",
            llama_server_url,
            "--judge-model",
            ALIAS,
            "--report",
            str(reports),
        ]
    )
    out, err = capsys.readouterr()
    report = json.loads((reports / "smoke-openai.json").read_text())
    assert report["meta"]["backend"] == "openai"
    assert report["meta"]["base_url"] == llama_server_url
    assert report["meta"]["model"] == f"openai:{ALIAS}"
    assert report["counts"]["errors"] == 0, [c["error"] for c in report["cases"]]
    assert report["judge"]["error_count"] == 0
    assert report["counts"]["judged_sentences"] > 0
    assert 0.0 <= report["metrics"]["judge_faithfulness"] <= 1.0
    assert report["metrics"]["generate_p50_ms"] > 0  # the server really generated
    assert code == 0, err
    assert "cases passed" in out
