"""A retrieved passage: a stored chunk with its document fields, its cosine similarity to
the question (`score`, used to judge relevance) and its fused rank score (`rrf`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ingest.layout import LAYOUT_KEY, LaidOutBlock, decode_layout


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
    rrf: float = 0.0
    author: str = ""  # who wrote it, where the document says
    layout: tuple[LaidOutBlock, ...] | None = None  # block roles in `text`, if recorded
    front: str = ""  # the byline and date lines over its text ("Research Brief 21-09, ...")
    speaker: str = ""  # who says it, in a document of several voices (a discussion's post)

    @classmethod
    def from_chunk(
        cls, chunk_id: str, text: str, meta: dict[str, Any], score: float, rrf: float = 0.0
    ) -> Passage:
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
            rrf=rrf,
            layout=_layout(meta.get(LAYOUT_KEY)),
            author=str(meta.get("author") or ""),
            front=str(meta.get("front") or ""),
            speaker=str(meta.get("speaker") or ""),
        )

    def as_metadata(self) -> dict[str, Any]:
        """Fields for a LangChain Document's metadata (text is the page content)."""
        fields = asdict(self)
        fields.pop("text")
        fields.pop("layout")
        return fields


def _layout(raw: object) -> tuple[LaidOutBlock, ...] | None:
    blocks = decode_layout(raw)
    return tuple(blocks) if blocks is not None else None
