"""A retrieved passage: a stored chunk with its document fields and a relevance score."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Passage:
    chunk_id: str
    doc_id: str
    text: str
    title: str
    source: str
    kind: str
    score: float
    page: int | None = None
    section: str | None = None
    publisher: str = ""
    date: str = ""

    @classmethod
    def from_chunk(cls, chunk_id: str, text: str, meta: dict[str, Any], score: float) -> Passage:
        page = meta.get("page")
        return cls(
            chunk_id=chunk_id,
            doc_id=str(meta.get("doc_id", "")),
            text=text,
            title=str(meta.get("title", "")),
            source=str(meta.get("source", "")),
            kind=str(meta.get("kind", "")),
            score=score,
            page=int(page) if page is not None else None,
            section=meta.get("section"),
            publisher=str(meta.get("publisher", "")),
            date=str(meta.get("date", "")),
        )
