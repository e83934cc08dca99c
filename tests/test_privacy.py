"""Nothing phones home: ingest and ask, with the embedded model, in fresh processes whose
sockets may reach 127.0.0.1 only. Every other connection attempt and every name lookup
is refused and written to a log, which must stay empty."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, REPO
from tests.net_guard import NetGuard

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_ingest_and_ask_never_leave_the_machine(tmp_path: Path) -> None:
    guard = NetGuard.install(tmp_path)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CXA_", "HF_", "TRANSFORMERS_", "ANONYMIZED_"))
    }  # no offline switches: the code itself must not reach out
    env.update(guard.env(), CXA_STORE_DIR=str(tmp_path / "store"))
    cli = [sys.executable, "-m", "advisor.cli"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*cli, *args], env=env, capture_output=True, text=True, timeout=600, check=False
        )

    ingest = run("ingest", str(CORPUS / "research"), "--kind", "research")
    assert ingest.returncode == 0, ingest.stderr[-2000:]
    ask = run("ask", "What share of organisations have no C-level CX sponsor?", "--json")
    assert ask.returncode == 0, ask.stderr[-2000:]
    assert '"64%' in ask.stdout or "64%" in ask.stdout
    assert guard.processes() >= 2  # the guard was on in both commands
    assert guard.attempts() == "", f"outbound attempts:\n{guard.attempts()}"


def test_the_deployment_guide_never_exposes_a_server() -> None:
    """Commands in the README bind servers to 127.0.0.1 only (Chroma's server does not
    authenticate; others reach it through a tunnel or an authenticating proxy)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = "\n".join(re.findall(r"```(?:bash|sh)?\n(.*?)```", readme, re.DOTALL))
    assert "chroma run" in commands and "llama_cpp.server" in commands
    for line in commands.splitlines():
        if re.search(r"chroma run|llama_cpp\.server|streamlit run|ollama serve|vllm", line):
            assert "0.0.0.0" not in line, line
            assert "--host" not in line or "--host 127.0.0.1" in line, line
