"""One settings object for the whole app, read from `CXA_*` environment variables.

It is built once by the composition root (or a caller) and passed down; no module reads
the environment on its own, so tests can build any configuration without monkeypatching.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LLMBackend = Literal["embedded", "openai", "ollama", "none"]
EmbedBackend = Literal["onnx", "onnx-int8", "torch"]
DocKind = Literal["research", "internal"]
DOC_KINDS: tuple[str, ...] = ("research", "internal")

DEFAULT_EMBED_MODEL = "all-MiniLM-L6-v2"


class Settings(BaseSettings):
    """Everything configurable, with defaults that run fully offline on one machine."""

    model_config = SettingsConfigDict(env_prefix="CXA_", extra="ignore")

    store_dir: Path = Field(default=Path(".cx-advisor"), description="Where stores live.")
    collection: str = Field(default="cx-advisor-chunks", min_length=3, max_length=60)

    chroma_host: str | None = Field(default=None, description="Use a Chroma server.")
    chroma_port: int = Field(default=8000, ge=1, le=65535)
    chroma_token: SecretStr | None = Field(
        default=None,
        description="Sent as 'Authorization: Bearer ...' to the Chroma server (or its proxy).",
    )
    chroma_ssl: bool = Field(default=False, description="Reach the Chroma server over HTTPS.")

    embed_model: str = Field(
        default=DEFAULT_EMBED_MODEL,
        description="'all-MiniLM-L6-v2' (packaged) or a local sentence-transformers dir.",
    )
    embed_batch_size: int = Field(
        default=8,
        ge=1,
        le=1024,
        description="Texts per encoder call, like lengths together: chosen by measurement "
        "(2-core Xeon: 8 encodes chunks 1.12x and sentences 1.29x as fast as 32).",
    )
    embed_backend: EmbedBackend = Field(
        default="onnx",
        description="'onnx' (same vectors as torch, built once), 'onnx-int8' or 'torch'.",
    )
    model_cache_dir: Path = Field(
        default=Path.home() / ".cache" / "cx-advisor" / "models",
        description="Where built model variants (the ONNX embedders) are kept.",
    )

    chunk_tokens: int = Field(default=200, ge=32, le=256)
    chunk_overlap_tokens: int = Field(default=32, ge=0, le=128)

    max_file_mb: float = Field(default=25.0, gt=0)
    read_seconds: float = Field(
        default=60.0, ge=0, description="Time budget to read one file; 0: no budget."
    )

    llm: LLMBackend = "none"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_context: int = Field(default=8192, ge=512)
    llm_max_tokens: int = Field(default=256, ge=16)

    top_k: int = Field(default=6, ge=1, le=50)

    analyst_password: SecretStr | None = None

    @field_validator("chroma_host")
    @classmethod
    def _blank_host_is_none(cls, value: str | None) -> str | None:
        return value or None

    @property
    def chroma_dir(self) -> Path:
        return self.store_dir / "chroma"

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)
