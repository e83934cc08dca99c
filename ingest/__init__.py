"""Ingestion: files -> loaders -> chunks -> embeddings -> Chroma.

Heavy dependencies load lazily; see `ingest.pipeline` for the workflow.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from advisor.settings import Settings
    from ingest.pipeline import IngestReport

__all__ = ["ingest_paths"]


def ingest_paths(
    paths: Iterable[str | Path],
    kind: str | None = None,
    settings: Settings | None = None,
    *,
    prune: bool = False,
) -> IngestReport:
    """Ingest files and folders; returns what was ingested, skipped and failed."""
    from advisor.composition import build_ingestor
    from advisor.settings import Settings

    ingestor = build_ingestor(settings or Settings())
    return ingestor.ingest_paths([Path(p) for p in paths], kind=kind, prune=prune)
