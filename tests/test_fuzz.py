"""Fuzzing the loaders and the chunker with random bytes and text (hypothesis).

A loader either returns a document whose sections tile its text, or raises IngestError
with a one-line reason; it never raises anything else. The chunker's chunks are exact
slices of the document, within the size limit, in order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.chunking import chunk_document, word_count
from ingest.document import Block, LoadedDocument
from ingest.errors import IngestError
from ingest.loaders import SUPPORTED_SUFFIXES, load_document

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Random bytes, and bytes that start like the real formats so parsers get further in.
PREFIXES = [
    b"",
    b"%PDF-1.7\n",
    b"PK\x03\x04",
    b"<html><body>",
    b"---\ntitle: x\n---\n",
    b"\xef\xbb\xbf",
]


def _check(document: LoadedDocument) -> None:
    assert document.text.strip()
    for section in document.sections:
        assert document.text[section.start : section.start + len(section.text)] == section.text


@FUZZ
@given(
    suffix=st.sampled_from(sorted(SUPPORTED_SUFFIXES)),
    prefix=st.sampled_from(PREFIXES),
    body=st.binary(max_size=4096),
)
def test_loaders_on_random_bytes(suffix: str, prefix: bytes, body: bytes) -> None:
    try:
        document = load_document(Path(f"fuzz{suffix}"), prefix + body)
    except IngestError as err:
        assert str(err) and "\n" not in str(err)
    else:
        _check(document)


@FUZZ
@given(suffix=st.sampled_from([".md", ".txt", ".html"]), text=st.text(max_size=3000))
def test_text_loaders_on_random_text(suffix: str, text: str) -> None:
    try:
        document = load_document(Path(f"fuzz{suffix}"), text.encode("utf-8", "surrogatepass"))
    except IngestError as err:
        assert str(err) and "\n" not in str(err)
    else:
        _check(document)


@FUZZ
@given(
    text=st.text(
        alphabet=st.characters(blacklist_categories=["Cs"]) | st.sampled_from(" \n\n.,;!?"),
        min_size=1,
        max_size=4000,
    ),
    size=st.integers(min_value=8, max_value=120),
)
def test_chunker_on_random_text(text: str, size: int) -> None:
    if not text.strip():
        return
    document = LoadedDocument.from_blocks([Block("body", text)], title="fuzz")
    overlap = size // 4
    chunks = chunk_document(document, chunk_size=size, chunk_overlap=overlap)
    assert [c.index for c in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert document.text[chunk.start : chunk.end] == chunk.text
        assert chunk.text.strip()
        # a single word longer than the limit is split by characters, never dropped
        assert word_count(chunk.text) <= size
    covered = {i for c in chunks for i in range(c.start, c.end)}
    dropped = [i for i, ch in enumerate(document.text) if not ch.isspace() and i not in covered]
    assert not dropped, "text left out of every chunk"


@pytest.mark.parametrize("suffix", sorted(SUPPORTED_SUFFIXES))
def test_every_loader_refuses_empty_and_whitespace(suffix: str) -> None:
    for data in (b"", b"   \n\t "):
        with pytest.raises(IngestError):
            load_document(Path(f"empty{suffix}"), data)
