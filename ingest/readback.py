"""A stored document read back from its chunks: its text and its blocks with their
roles, in document order, for an analyst checking how a file was read.

Each chunk's metadata has `start`, its offset in the document text, and (since block
roles are stored) a `layout` whose spans are relative to the chunk. Chunks overlap, and a
block cut by a chunk's edge appears in two chunks, clipped differently; the pieces are
joined by their document offsets. Chunks stored without a layout give their lines, with
the role "text".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ingest.layout import LAYOUT_KEY, decode_layout
from ingest.store import StoredChunk

PLAIN_ROLE = "text"  # a line of a chunk stored without a layout


@dataclass(frozen=True)
class ReadBlock:
    """One block of a stored document; `start`/`end` are offsets in its text."""

    start: int
    end: int
    role: str
    text: str
    context: str = ""


def document_front(chunks: Iterable[StoredChunk]) -> str:
    """The byline and date lines kept with the document as its front ('' if none)."""
    return next((str(c.metadata.get("front") or "") for c in chunks), "")


def document_text(chunks: Iterable[StoredChunk]) -> str:
    """The document text the chunks cover (each chunk's text sits at its `start`);
    what falls between chunks (separators a chunk left out) becomes spaces."""
    text = ""
    for chunk in sorted(chunks, key=_start):
        start = _start(chunk)
        if start >= len(text):
            text += " " * (start - len(text)) + chunk.text
        elif start + len(chunk.text) > len(text):
            text += chunk.text[len(text) - start :]
    return text


def document_blocks(chunks: Iterable[StoredChunk]) -> list[ReadBlock]:
    """The document's blocks in order, each once, rebuilt from its stored chunks."""
    ordered = sorted(chunks, key=lambda c: int(c.metadata.get("chunk_index", 0)))
    text = document_text(ordered)
    spans: list[tuple[int, int, str, str]] = []
    for chunk in ordered:
        offset = _start(chunk)
        layout = decode_layout(chunk.metadata.get(LAYOUT_KEY))
        if layout is None:
            spans.extend((offset + a, offset + b, PLAIN_ROLE, "") for a, b in _lines(chunk.text))
        else:
            spans.extend((offset + b.start, offset + b.end, b.role, b.context) for b in layout)
    merged: list[tuple[int, int, str, str]] = []
    for start, end, role, context in sorted(spans):
        if end <= start:
            continue
        if merged:
            last_start, last_end, last_role, last_context = merged[-1]
            # The same block seen from two chunks overlaps itself, or is only split by
            # spaces on its own line (a block never spans lines).
            joined = start <= last_end or not text[last_end:start].strip(" \t")
            if joined and (role, context) == (last_role, last_context):
                merged[-1] = (last_start, max(last_end, end), role, context)
                continue
            if start < last_end:  # blocks of a layout never overlap: keep the first
                continue
        merged.append((start, end, role, context))
    blocks = [ReadBlock(s, e, r, text[s:e].strip(), c) for s, e, r, c in merged]
    return [b for b in blocks if b.text]


def _start(chunk: StoredChunk) -> int:
    try:
        return int(chunk.metadata.get("start", 0))
    except (TypeError, ValueError):
        return 0


def _lines(text: str) -> list[tuple[int, int]]:
    spans = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans
