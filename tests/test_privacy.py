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

pytestmark = [pytest.mark.integration, pytest.mark.slow]

GUARD = """
import os, socket

_LOG = os.environ["CXA_TEST_NETLOG"]
_LOOPBACK = ("127.", "::1", "localhost")
_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_getaddrinfo = socket.getaddrinfo


def _note(what):
    with open(_LOG, "a") as log:
        log.write(what + "\\n")


def _allowed(address):
    host = str(address[0]) if isinstance(address, tuple) else str(address)
    return host.startswith(_LOOPBACK)


def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _allowed(address):
        _note(f"connect {address}")
        raise OSError("outbound connections are blocked")
    return _connect(self, address)


def connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _allowed(address):
        _note(f"connect_ex {address}")
        return 111
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    if host is not None and not str(host).startswith(_LOOPBACK):
        _note(f"lookup {host}")
        raise socket.gaierror("name lookups are blocked")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
socket.getaddrinfo = getaddrinfo
"""


def test_ingest_and_ask_never_leave_the_machine(tmp_path: Path) -> None:
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD)
    log = tmp_path / "net.log"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CXA_", "HF_", "TRANSFORMERS_", "ANONYMIZED_"))
    }  # no offline switches: the code itself must not reach out
    env.update(
        PYTHONPATH=str(guard),
        CXA_STORE_DIR=str(tmp_path / "store"),
        CXA_TEST_NETLOG=str(log),
    )
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
    attempts = log.read_text() if log.exists() else ""
    assert attempts == "", f"outbound attempts:\n{attempts}"


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
