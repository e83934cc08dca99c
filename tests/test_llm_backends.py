"""The server backends speak real HTTP to a small stand-in server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from advisor.llm import LLMError, OllamaLLM, OpenAICompatibleLLM, build_llm
from advisor.prompts import Prompt
from advisor.settings import Settings

PROMPT = Prompt(system="rules", user="Excerpts: ...", completion="...", passages=())


class _Handler(BaseHTTPRequestHandler):
    requests: ClassVar[list[tuple[str, dict]]] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = json.dumps({"default_generation_settings": {"n_ctx": 2048}, "data": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Handler.requests.append((self.path, payload))
        self.send_response(200)
        self.end_headers()
        if self.path == "/v1/chat/completions":
            for piece in ("The CMO ", "owns CX. [1]"):
                chunk = {"choices": [{"delta": {"content": piece}}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")
        elif self.path == "/api/chat":
            for piece in ("The CMO ", "owns CX. [1]"):
                self.wfile.write((json.dumps({"message": {"content": piece}}) + "\n").encode())
            self.wfile.write((json.dumps({"done": True}) + "\n").encode())


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Handler.requests.clear()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_openai_compatible_streams_and_reads_the_context_size(server: str) -> None:
    llm = build_llm(Settings(llm="openai", llm_base_url=f"{server}/v1", llm_model="tiny"))
    assert isinstance(llm, OpenAICompatibleLLM)
    assert llm.context_window == 2048 and llm.name == "openai:tiny"
    assert list(llm.stream(PROMPT, max_tokens=32, stop=["\nQuestion:"])) == [
        "The CMO ",
        "owns CX. [1]",
    ]
    path, payload = _Handler.requests[-1]
    assert path == "/v1/chat/completions" and payload["model"] == "tiny" and payload["stream"]
    assert payload["messages"][0] == {"role": "system", "content": "rules"}


def test_ollama_streams(server: str) -> None:
    llm = build_llm(Settings(llm="ollama", llm_base_url=server, llm_model="tiny", llm_context=4096))
    assert isinstance(llm, OllamaLLM)
    assert llm.complete(PROMPT, max_tokens=32, stop=[]) == "The CMO owns CX. [1]"
    assert _Handler.requests[-1][1]["options"]["num_ctx"] == 4096


def test_unreachable_server_is_one_clear_error() -> None:
    llm = build_llm(Settings(llm="openai", llm_base_url="http://127.0.0.1:9/v1", llm_model="m"))
    with pytest.raises(LLMError, match=r"cannot reach the openai server at http://127.0.0.1:9/v1"):
        llm.complete(PROMPT, max_tokens=8, stop=[])


def test_model_name_is_required() -> None:
    with pytest.raises(LLMError, match="CXA_LLM_MODEL"):
        build_llm(Settings(llm="openai", llm_base_url="http://127.0.0.1:9/v1"))


def test_health_check_reports_an_unreachable_server(server: str) -> None:
    up = build_llm(Settings(llm="openai", llm_base_url=f"{server}/v1", llm_model="tiny"))
    assert up.problem() is None
    down = build_llm(Settings(llm="ollama", llm_base_url="http://127.0.0.1:9", llm_model="m"))
    problem = down.problem()
    assert problem is not None and problem.startswith("the ollama server at http://127.0.0.1:9")
