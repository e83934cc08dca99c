"""Server mode: ingest and ask through a real `chroma run` on 127.0.0.1, restart it, and
find everything still there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.composition import build_advisor, build_ingestor
from core.settings import Settings
from ingest.embedder import Embedder
from tests.auth_proxy import AuthProxy
from tests.conftest import free_port
from tests.factories import MARKDOWN_NOTE

pytestmark = pytest.mark.integration

CHROMA = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")


class ChromaServer:
    def __init__(self, path: Path, port: int) -> None:
        self.path, self.port = path, port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        self.process = subprocess.Popen(
            [
                str(CHROMA),
                "run",
                "--path",
                str(self.path),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                url = f"http://127.0.0.1:{self.port}/api/v2/heartbeat"
                with urllib.request.urlopen(url, timeout=1):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("chroma server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ChromaServer]:
    if CHROMA is None:
        pytest.skip("the chroma command is not installed")
    srv = ChromaServer(tmp_path / "chroma-data", free_port())
    srv.start()
    yield srv
    srv.stop()


def test_ingest_and_ask_survive_a_server_restart(
    server: ChromaServer, tmp_path: Path, embedder: Embedder
) -> None:
    settings = Settings(
        store_dir=tmp_path / "local", chroma_host="127.0.0.1", chroma_port=server.port, llm="none"
    )
    note = tmp_path / "note.md"
    note.write_text(MARKDOWN_NOTE)
    report = build_ingestor(settings, embedder).ingest_paths([note])
    assert report.ok and len(report.ingested) == 1
    assert not (tmp_path / "local" / "chroma").exists()  # nothing written locally

    question = "Who leads CX transformation according to the study?"
    advisor = build_advisor(settings, embedder)  # long-lived, as the app keeps it
    before = advisor.ask(question)
    assert not before.abstained and before.citations

    server.stop()
    server.start()
    assert advisor.ask(question).answer == before.answer  # the same client, reconnected

    ingestor = build_ingestor(settings, embedder)
    assert [r.title for r in ingestor.store.documents()] == ["Test study on CX ownership"]
    assert ingestor.ingest_paths([note]).results[0].status == "skipped"
    after = build_advisor(settings, embedder).ask(question)
    assert after.answer == before.answer


def test_a_token_reaches_a_server_behind_an_authenticating_proxy(
    server: ChromaServer, tmp_path: Path, embedder: Embedder
) -> None:
    """A shared Chroma server sits behind a proxy that requires a bearer token: with
    CXA_CHROMA_TOKEN set, ingest and ask work through it; without it (or with a wrong
    one) the CLI stops with one line that says the server refused and what to set."""
    note = tmp_path / "note.md"
    note.write_text(MARKDOWN_NOTE)
    with AuthProxy(server.port, "s3cret-token") as proxy:
        base = {"chroma_host": "127.0.0.1", "chroma_port": proxy.port, "llm": "none"}
        settings = Settings(store_dir=tmp_path / "local", chroma_token="s3cret-token", **base)
        report = build_ingestor(settings, embedder).ingest_paths([note])
        assert report.ok and len(report.ingested) == 1
        answer = build_advisor(settings, embedder).ask("Who leads CX transformation?")
        assert not answer.abstained and answer.citations
        assert proxy.forwarded > 0 and proxy.refused == 0

        env = {
            "CXA_STORE_DIR": str(tmp_path / "cli"),
            "CXA_CHROMA_HOST": "127.0.0.1",
            "CXA_CHROMA_PORT": str(proxy.port),
        }
        for token in (None, "wrong"):
            run_env = {**os.environ, **env}
            run_env.pop("CXA_CHROMA_TOKEN", None)
            if token:
                run_env["CXA_CHROMA_TOKEN"] = token
            done = subprocess.run(
                [sys.executable, "-m", "advisor.cli", "docs", "list"],
                capture_output=True,
                text=True,
                env=run_env,
                timeout=300,
            )
            assert done.returncode != 0
            lines = done.stderr.strip().splitlines()
            assert len(lines) == 1, done.stderr
            assert "refused" in lines[0] and "CXA_CHROMA_TOKEN" in lines[0]
            assert "Traceback" not in done.stderr
        assert proxy.refused >= 2
