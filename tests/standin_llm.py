"""A stand-in for an OpenAI-compatible or Ollama server on 127.0.0.1: real HTTP, a
canned answer streamed word by word that honours `max_tokens` and stop sequences as a
real server does, ends with the end marker a real server sends (a `finish_reason`, then
`[DONE]`; Ollama's `done`), and a switch that makes it stop mid-answer."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

ANSWER = "The CMO owns CX. [1] The CIO runs the platforms. [2]\nQuestion: who else?"


def _pieces(payload: dict, cut_off: bool) -> list[str]:
    """The answer in word-sized pieces, as a server streams it: at most `max_tokens`
    of them (`num_predict` for Ollama), ended before the first stop sequence."""
    options = payload.get("options") or {}
    limit = int(payload.get("max_tokens") or options.get("num_predict") or 256)
    stops = payload.get("stop") or options.get("stop") or []
    text = ANSWER
    for stop in stops:
        if stop and stop in text:
            text = text[: text.index(stop)]
    words = text.split(" ")
    pieces = [w + " " for w in words[:-1]] + [words[-1]]
    pieces = [p for p in pieces[:limit] if p]
    return pieces[:1] if cut_off else pieces


class Handler(BaseHTTPRequestHandler):
    requests: ClassVar[list[tuple[str, dict]]] = []
    cut_off: ClassVar[bool] = False  # stop after the first piece, as a dying server would
    failing: ClassVar[int | None] = None  # answer every request with this HTTP status
    auth: ClassVar[list[str | None]] = []  # each request's Authorization header

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
        Handler.requests.append((self.path, payload))
        Handler.auth.append(self.headers.get("Authorization"))
        if Handler.failing is not None:
            body = json.dumps({"error": "model 'tiny' is loading"}).encode()
            self.send_response(Handler.failing)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.end_headers()
        pieces = _pieces(payload, Handler.cut_off)
        if self.path == "/v1/chat/completions":
            for piece in pieces:
                chunk = {"choices": [{"index": 0, "delta": {"content": piece}}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            if not Handler.cut_off:
                end = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
                self.wfile.write(f"data: {json.dumps(end)}\n\n".encode())
                self.wfile.write(b"data: [DONE]\n\n")
        elif self.path == "/api/chat":
            model = payload.get("model", "")
            for piece in pieces:
                message = {"role": "assistant", "content": piece}
                line = {"model": model, "message": message, "done": False}
                self.wfile.write((json.dumps(line) + "\n").encode())
            if not Handler.cut_off:
                message = {"role": "assistant", "content": ""}
                end = {"model": model, "message": message, "done": True, "done_reason": "stop"}
                self.wfile.write((json.dumps(end) + "\n").encode())


@contextmanager
def standin_server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Handler.requests.clear()
    Handler.auth.clear()
    Handler.cut_off = False
    Handler.failing = None
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
