"""Shared fixtures: settings on tmp stores, the real embedder (loaded once), fakes, and a
guard that fails any test trying to reach an address other than loopback."""

from __future__ import annotations

import hashlib
import math
import socket
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from subprocess import DEVNULL, PIPE, Popen

import pytest

from advisor.llm import LLM
from advisor.prompts import Prompt
from core.settings import Settings
from ingest.embedder import Embedder

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"

_LOOPBACK = ("127.", "::1", "localhost")
_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: object) -> object:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = str(address[0]) if isinstance(address, tuple) else str(address)
        if not host.startswith(_LOOPBACK):
            raise RuntimeError(f"tests may not open network connections (to {host})")
    return _real_connect(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _no_network_and_clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    import os

    for key in list(os.environ):
        if key.startswith("CXA_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def python_child(script: str, *args: str, env: dict[str, str] | None = None) -> Popen[str]:
    """`python -c SCRIPT ARGS...` run from the repository with its packages and tests
    importable, its stdout read as text line by line (stderr dropped): for tests that
    follow a child's progress, then kill it."""
    import os

    return Popen(
        [sys.executable, "-c", script, *args],
        stdout=PIPE,
        stderr=DEVNULL,
        text=True,
        cwd=REPO,
        env={**(env if env is not None else os.environ), "PYTHONPATH": str(REPO)},
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(store_dir=tmp_path / "store", llm="none")


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real packaged all-MiniLM-L6-v2, loaded once per test session."""
    from ingest.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


class HashEmbedder(Embedder):
    """Deterministic bag-of-words vectors: fast, and a different 'model' for mismatch tests."""

    def __init__(self, name: str = "hash-embedder", dim: int = 64) -> None:
        self.name = name
        self.dim = dim
        self.max_tokens = 256

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        out = []
        for text in texts:
            vec = [0.0] * self.dim
            for word in text.lower().split():
                vec[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
            norm = math.sqrt(sum(v * v for v in vec)) or 1.0
            out.append([v / norm for v in vec])
        return out

    def count_tokens(self, text: str) -> int:
        return len(text.split())


class FakeLLM(LLM):
    """Returns queued answers in order (word by word) and records the prompts it got."""

    name = "fake"
    context_window = 4096

    def __init__(self, answers: Sequence[str] = (), follows_instructions: bool = True) -> None:
        self.answers = list(answers)
        self.prompts: list[Prompt] = []
        self.follows_instructions = follows_instructions

    def stream(self, prompt: Prompt, *, max_tokens: int, stop: list[str]) -> Iterator[str]:
        self.prompts.append(prompt)
        answer = self.answers.pop(0) if self.answers else ""
        for i, word in enumerate(answer.split(" ")):
            yield word if i == 0 else " " + word


@pytest.fixture
def hash_embedder() -> HashEmbedder:
    return HashEmbedder()
