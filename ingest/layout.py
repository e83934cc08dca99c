"""The block roles inside one chunk, stored with the chunk so that answers read it as
written: which lines are headings, body text, list items or table rows, and the lead-in
sentence or column headers each list item or row needs.

Stored in the chunk's metadata as compact JSON (Chroma metadata values are scalars):
`{"b": [[start, end, role, context], ...], "c": ["context text", ...]}` with offsets
relative to the chunk text and `context` an index into "c" (-1 for none).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ingest.document import BLOCK_ROLES, EVIDENCE_ROLES, Block, BlockRole

LAYOUT_KEY = "layout"


@dataclass(frozen=True)
class LaidOutBlock:
    """A block's span inside a chunk's text."""

    start: int
    end: int
    role: BlockRole
    context: str = ""

    @property
    def is_evidence(self) -> bool:
        return self.role in EVIDENCE_ROLES


def encode_layout(blocks: list[Block], chunk_start: int, chunk_end: int) -> str:
    """JSON for the blocks overlapping [chunk_start, chunk_end) of the document text,
    clipped to the chunk."""
    contexts: list[str] = []
    rows: list[list[int]] = []
    for block in blocks:
        if block.start < 0 or block.end <= chunk_start or block.start >= chunk_end:
            continue
        start = max(block.start, chunk_start) - chunk_start
        end = min(block.end, chunk_end) - chunk_start
        index = -1
        if block.context:
            if block.context not in contexts:
                contexts.append(block.context)
            index = contexts.index(block.context)
        rows.append([start, end, BLOCK_ROLES.index(block.role), index])
    return json.dumps({"b": rows, "c": contexts}, ensure_ascii=False, separators=(",", ":"))


def decode_layout(raw: object) -> list[LaidOutBlock] | None:
    """The blocks of a stored layout, or None when the chunk has none (or it is bad)."""
    if not isinstance(raw, str) or not raw:
        return None
    try:
        data = json.loads(raw)
        contexts = [str(c) for c in data.get("c", [])]
        out = []
        for start, end, role, context in data["b"]:
            out.append(
                LaidOutBlock(
                    int(start),
                    int(end),
                    BLOCK_ROLES[int(role)],
                    contexts[context] if 0 <= int(context) < len(contexts) else "",
                )
            )
        return out
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
