"""Vector helpers for unit-length embeddings."""

from __future__ import annotations

from collections.abc import Sequence


def dot(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity for unit-length vectors."""
    return float(sum(x * y for x, y in zip(a, b)))
