"""Split loaded documents into chunks that fit the embedder's window.

Pure functions: the length function (tokens of the real tokenizer in production, words in
unit tests) is passed in. Chunks never cross a section, so each keeps its page and heading,
and split points prefer paragraph, line and sentence boundaries.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from ingest.document import Block, LoadedDocument
from ingest.layout import encode_layout

LengthFunction = Callable[[str], int]

SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]


@dataclass(frozen=True)
class Chunk:
    """A piece of a document; `text == document.text[start:end]`."""

    index: int
    text: str
    start: int
    end: int
    page: int | None
    heading: str | None
    layout: str = ""  # the block roles inside the chunk (ingest.layout)
    lead: str = ""  # the lead-in or header row of a list or table the chunk starts inside
    speaker: str = ""  # who says it, where the document gives its parts to several people


def word_count(text: str) -> int:
    return len(text.split())


def chunk_document(
    document: LoadedDocument,
    *,
    chunk_size: int,
    chunk_overlap: int,
    length_function: LengthFunction = word_count,
) -> list[Chunk]:
    """Chunks of at most `chunk_size` units (per `length_function`) with some overlap."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    if chunk_overlap >= chunk_size:
        raise ValueError("chunk_overlap must be smaller than chunk_size")
    # The splitter measures the same pieces again as it merges them (two thirds of its
    # calls on prose): each distinct piece is counted once.
    splitter = RecursiveCharacterTextSplitter(
        separators=SEPARATORS,
        keep_separator="end",
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        length_function=functools.cache(length_function),
        strip_whitespace=True,
    )
    chunks: list[Chunk] = []
    for section in document.sections:
        previous_start, previous_end = -1, 0
        pieces = splitter.split_text(section.text)
        for piece in pieces:
            if len(pieces) > 1 and section.heading and piece.strip() == section.heading.strip():
                continue  # a heading split from its text: every other chunk carries it
            # A piece starts inside the previous one (the overlap) or after it; the
            # rightmost such match is the right one even in repetitive text.
            local = section.text.rfind(piece, previous_start + 1, previous_end + len(piece))
            if local < 0:
                local = section.text.find(piece, previous_end)
            if local < 0:
                local = section.text.find(piece)
            previous_start, previous_end = local, local + len(piece)
            start = section.start + local
            end = start + len(piece)
            inside = document.blocks_in(start, end)
            chunks.append(
                Chunk(
                    index=len(chunks),
                    text=piece,
                    start=start,
                    end=end,
                    page=section.page,
                    heading=section.heading,
                    layout=encode_layout(inside, start, end),
                    lead=_lead(inside, piece),
                    speaker=section.speaker,
                )
            )
    return chunks


def _lead(blocks: list[Block], text: str) -> str:
    """The context of the list or table a chunk starts inside, when the chunk lacks it."""
    first = next((b for b in blocks if b.is_evidence), None)
    if first is None or not first.context or first.context in text:
        return ""
    return first.context


def embedding_text(chunk: Chunk, title: str) -> str:
    """What gets embedded: the chunk with its title, heading and, for a chunk that starts
    inside a list or table, the list's lead-in or the table's header row."""
    context = title if not chunk.heading or chunk.heading == title else f"{title} > {chunk.heading}"
    lead = f"\n{chunk.lead}" if chunk.lead else ""
    return f"{context}{lead}\n{chunk.text}"
