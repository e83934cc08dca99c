"""Split loaded documents into chunks that fit the embedder's window.

Pure functions: the length function (tokens of the real tokenizer in production, words in
unit tests) is passed in. Chunks never cross a section, so each keeps its page and heading,
and split points prefer paragraph, line and sentence boundaries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ingest.document import LoadedDocument

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
    splitter = RecursiveCharacterTextSplitter(
        separators=SEPARATORS,
        keep_separator="end",
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        length_function=length_function,
        strip_whitespace=True,
    )
    chunks: list[Chunk] = []
    for section in document.sections:
        previous_start, previous_end = -1, 0
        for piece in splitter.split_text(section.text):
            # A piece starts inside the previous one (the overlap) or after it; the
            # rightmost such match is the right one even in repetitive text.
            local = section.text.rfind(piece, previous_start + 1, previous_end + len(piece))
            if local < 0:
                local = section.text.find(piece, previous_end)
            if local < 0:
                local = section.text.find(piece)
            previous_start, previous_end = local, local + len(piece)
            start = section.start + local
            chunks.append(
                Chunk(
                    index=len(chunks),
                    text=piece,
                    start=start,
                    end=start + len(piece),
                    page=section.page,
                    heading=section.heading,
                )
            )
    return chunks


def embedding_text(chunk: Chunk, title: str) -> str:
    """What gets embedded: the chunk with its title and heading for context."""
    context = title if not chunk.heading or chunk.heading == title else f"{title} > {chunk.heading}"
    return f"{context}\n{chunk.text}"
