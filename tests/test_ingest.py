"""Ingestion into a real Chroma store with the real embedder; every test checks the
store's contents afterwards."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from advisor.composition import build_store
from core.settings import Settings
from ingest.embedder import Embedder
from ingest.errors import StoreMismatchError
from ingest.pipeline import Ingestor, content_id
from ingest.store import ChunkStore
from tests.conftest import HashEmbedder
from tests.factories import (
    HTML_PAGE,
    MARKDOWN_NOTE,
    WEB_DUMP,
    make_blank_pdf,
    make_docx,
    make_encrypted_pdf,
    make_pdf,
    quoted_from,
    raw_collections,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def ingestor(settings: Settings, embedder: Embedder) -> Ingestor:
    return Ingestor(settings, build_store(settings, embedder), embedder)


def snapshot(store: ChunkStore) -> tuple[dict[str, tuple[str, int]], int]:
    """(doc_id -> (status, chunk count in the chunk collection)), total chunks."""
    docs = {
        r.doc_id: (r.status, len(store.chunks_of(r.doc_id)))
        for r in store.documents(include_pending=True)
    }
    return docs, store.count_chunks()


@pytest.fixture
def good_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "note.md").write_text(MARKDOWN_NOTE, encoding="utf-8")
    (folder / "budget.html").write_text(HTML_PAGE, encoding="utf-8")
    (folder / "report.txt").write_text(WEB_DUMP, encoding="utf-8")
    make_pdf(folder / "review.pdf", ["Contact volumes fell.", "CSAT rose in chat."], "Review")
    make_docx(folder / "notes.docx", [("h1", "Council"), ("p", "The CMO asked for a CX owner.")])
    return sorted(folder.iterdir())


def test_ingests_every_format_with_chunk_metadata(ingestor: Ingestor, good_files) -> None:
    report = ingestor.ingest_paths([good_files[0].parent], kind="internal")
    assert report.ok and len(report.ingested) == 5
    store = ingestor.store
    docs, total = snapshot(store)
    assert len(docs) == 5 and all(status == "complete" for status, _ in docs.values())
    assert total == sum(n for _, n in docs.values()) > 5

    pdf_id = content_id((good_files[0].parent / "review.pdf").read_bytes())
    pages = [c.metadata["page"] for c in store.chunks_of(pdf_id)]
    assert pages == [1, 2]
    md = next(r for r in store.documents() if r.title == "Test study on CX ownership")
    assert (md.publisher, md.date, md.kind) == ("Example Research", "2021-03", "internal")
    chunk = store.chunks_of(md.doc_id)[0]
    for key in (
        "doc_id",
        "title",
        "source",
        "kind",
        "publisher",
        "date",
        "section",
        "start",
        "end",
    ):
        assert key in chunk.metadata, key
    source_text = Path(chunk.metadata["source"]).read_text(encoding="utf-8")
    # Each line of a chunk is a block of the file as written, whitespace aside (a
    # hard-wrapped paragraph is one line; a heading without its Markdown marks).
    for line in filter(None, chunk.text.splitlines()):
        assert quoted_from(line, source_text), line


def test_kind_comes_from_front_matter_when_not_given(ingestor: Ingestor, tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(MARKDOWN_NOTE, encoding="utf-8")
    ingestor.ingest_paths([path])
    assert [r.kind for r in ingestor.store.documents()] == ["research"]


def test_reingesting_same_bytes_is_a_no_op(ingestor: Ingestor, good_files) -> None:
    ingestor.ingest_paths(good_files)
    before = snapshot(ingestor.store)
    report = ingestor.ingest_paths(good_files)
    assert [r.status for r in report.results] == ["skipped"] * 5
    assert all(r.reason == "unchanged" for r in report.results)
    assert snapshot(ingestor.store) == before


def test_same_content_under_another_name_is_a_duplicate(ingestor: Ingestor, tmp_path: Path) -> None:
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text(MARKDOWN_NOTE)
    b.write_text(MARKDOWN_NOTE)
    report = ingestor.ingest_paths([a, b])
    assert [r.status for r in report.results] == ["ingested", "skipped"]
    assert report.results[1].reason.startswith("duplicate of")
    assert len(ingestor.store.documents()) == 1


def test_changed_file_replaces_its_old_chunks(ingestor: Ingestor, tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(MARKDOWN_NOTE)
    old_id = ingestor.ingest_paths([path]).results[0].doc_id
    path.write_text(MARKDOWN_NOTE.replace("800 leaders", "950 leaders"))
    report = ingestor.ingest_paths([path])
    assert report.results[0].status == "replaced"
    new_id = report.results[0].doc_id
    docs, total = snapshot(ingestor.store)
    assert list(docs) == [new_id] and new_id != old_id
    assert ingestor.store.chunks_of(old_id) == []
    texts = " ".join(c.text for c in ingestor.store.chunks_of(new_id))
    assert "950 leaders" in texts and "800 leaders" not in texts
    assert total == docs[new_id][1]


def test_prune_removes_documents_whose_file_is_gone(ingestor: Ingestor, good_files) -> None:
    folder = good_files[0].parent
    ingestor.ingest_paths([folder])
    gone = folder / "report.txt"
    gone_id = content_id(gone.read_bytes())
    gone.unlink()
    report = ingestor.ingest_paths([folder], prune=True)
    assert [r.doc_id for r in report.pruned] == [gone_id]
    docs, total = snapshot(ingestor.store)
    assert gone_id not in docs and len(docs) == 4
    assert total == sum(n for _, n in docs.values())


def test_prune_leaves_documents_outside_the_given_paths(ingestor: Ingestor, tmp_path: Path) -> None:
    keep_dir, other_dir = tmp_path / "keep", tmp_path / "other"
    keep_dir.mkdir()
    other_dir.mkdir()
    (keep_dir / "a.txt").write_text("A paragraph about the contact centre and its budget.")
    (other_dir / "b.txt").write_text("A paragraph about the mobile app and its ratings.")
    ingestor.ingest_paths([keep_dir, other_dir])
    (other_dir / "b.txt").unlink()
    ingestor.ingest_paths([keep_dir], prune=True)
    assert len(ingestor.store.documents()) == 2


def test_model_mismatch_is_refused(settings: Settings, embedder: Embedder, tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(MARKDOWN_NOTE)
    Ingestor(settings, build_store(settings, embedder), embedder).ingest_paths([path])
    with pytest.raises(StoreMismatchError, match=r"all-MiniLM-L6-v2.*dim 384.*hash-embedder"):
        build_store(settings, HashEmbedder())
    store = build_store(settings, embedder)  # still intact and usable
    assert len(store.documents()) == 1 and store.count_chunks() > 0


def test_bad_inputs_fail_alone_and_leave_no_partial_document(
    ingestor: Ingestor, settings: Settings, tmp_path: Path
) -> None:
    good = tmp_path / "good.md"
    good.write_text(MARKDOWN_NOTE)
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n" + os.urandom(4000))
    binary_txt = tmp_path / "binary.txt"
    binary_txt.write_bytes(os.urandom(5000) + b"\x00")
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * (int(settings.max_file_bytes / 5) + 10))
    unsupported = tmp_path / "slides.pptx"
    unsupported.write_bytes(b"PK\x03\x04")
    broken_link = tmp_path / "link.md"
    broken_link.symlink_to(tmp_path / "missing-target.md")
    bad = {
        make_encrypted_pdf(tmp_path / "locked.pdf", "Secret figures."): "encrypted PDF",
        corrupt: "PDF",
        make_blank_pdf(tmp_path / "blank.pdf"): "no extractable text",
        tmp_path / "empty.pdf": "empty file",
        binary_txt: "binary data",
        big: "over the 25 MB cap",
        unsupported: "unsupported file type '.pptx'",
        tmp_path / "does-not-exist.md": "no such file",
        broken_link: "no such file",
    }
    (tmp_path / "empty.pdf").write_bytes(b"")
    report = ingestor.ingest_paths([good, *bad])
    results = {r.path: r for r in report.results}
    assert results[str(good)].status == "ingested"
    for path, reason in bad.items():
        result = results[str(path)]
        assert result.status == "failed", path
        assert reason in result.reason, (path, result.reason)
        assert "\n" not in result.reason
    docs, total = snapshot(ingestor.store)
    assert list(docs) == [content_id(good.read_bytes())]
    assert total == docs[content_id(good.read_bytes())][1]


def test_unreadable_file_is_reported(ingestor: Ingestor, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "secret.md"
    path.write_text(MARKDOWN_NOTE)
    real_read = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    report = ingestor.ingest_paths([path])
    assert (report.results[0].status, report.results[0].reason) == ("failed", "Permission denied")
    assert ingestor.store.documents(include_pending=True) == []


def test_a_write_failure_rolls_back_the_document(
    ingestor: Ingestor, tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "note.md"
    path.write_text(MARKDOWN_NOTE)
    from chromadb.api.models.Collection import Collection

    store = ingestor.store
    store.max_batch = 1  # several batches of chunks, the second one fails
    calls = {"n": 0}
    real_upsert = Collection.upsert

    def flaky(self: Collection, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1  # 1: the pending registry entry, 2: chunk batch one, 3: two
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real_upsert(self, **kwargs)

    monkeypatch.setattr(Collection, "upsert", flaky)
    result = ingestor.ingest_file(path)
    assert result.status == "failed" and "No space left" in result.reason
    assert calls["n"] == 3
    assert snapshot(store) == ({}, 0)


def test_recover_removes_pending_and_superseded_documents(
    ingestor: Ingestor, tmp_path: Path
) -> None:
    from ingest.store import DocumentRecord

    path = tmp_path / "note.md"
    path.write_text(MARKDOWN_NOTE)
    ingestor.ingest_paths([path])
    store = ingestor.store
    chunks, docs = raw_collections(ingestor.settings)  # written as a crash leaves them
    vec = [[1.0] + [0.0] * (store.embed_dim - 1)]
    # A crash mid-write leaves a pending document with some chunks...
    pending = DocumentRecord(
        "p" * 64, str(path) + ".x", "Half", "internal", 1, "2030-01-01T00:00:00Z"
    )
    docs.upsert(
        ids=[pending.doc_id],
        embeddings=vec,
        metadatas=[{**pending.metadata(), "status": "pending"}],
    )
    chunks.upsert(
        ids=["p:0"], documents=["half"], embeddings=vec, metadatas=[{"doc_id": pending.doc_id}]
    )
    # ...and a replacement cut short leaves two complete versions of one source.
    newer = DocumentRecord(
        "n" * 64, str(path.resolve()), "New", "internal", 1, "2031-01-01T00:00:00Z"
    )
    docs.upsert(ids=[newer.doc_id], embeddings=vec, metadatas=[newer.metadata()])
    chunks.upsert(
        ids=["n:0"], documents=["new"], embeddings=vec, metadatas=[{"doc_id": newer.doc_id}]
    )

    removed = store.recover()
    assert set(removed) == {pending.doc_id, content_id(path.read_bytes())}
    assert snapshot(store) == ({newer.doc_id: ("complete", 1)}, 1)


def test_a_model_of_the_same_name_with_other_files_is_refused(
    settings: Settings, tmp_path: Path
) -> None:
    """The store keeps a digest of the embedding model's files: a store made before it
    did records it when first opened, and a model of the same name whose files differ is
    refused, leaving the store as it was."""
    from advisor.composition import build_chroma_client
    from ingest.store import ChunkStore

    def open_store(weights: str) -> ChunkStore:
        return ChunkStore(build_chroma_client(settings), "digest-test", "mini", 8, None, weights)

    open_store("")  # a store from before digests were recorded
    assert open_store("abc123").embed_weights == "abc123"  # records it
    with pytest.raises(StoreMismatchError, match=r"same name 'mini'.*abc123.*fff999"):
        open_store("fff999")
    assert open_store("abc123").count_chunks() == 0


def test_small_files_are_written_together_and_fail_together(
    ingestor: Ingestor, good_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several small files are written in one store write (one registry call and one
    chunk call for all of them); when that write fails, every file of it fails with the
    reason and none is left half-written, and the next run writes them all."""
    from chromadb.api.models.Collection import Collection

    real_upsert = Collection.upsert
    calls: list[int] = []

    def failing(self: Collection, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(len(kwargs["ids"]))
        if len(calls) == 2:  # the chunks of every file, in one call
            raise OSError(28, "No space left on device")
        return real_upsert(self, **kwargs)

    monkeypatch.setattr(Collection, "upsert", failing)
    report = ingestor.ingest_paths(good_files)
    assert [r.status for r in report.results] == ["failed"] * len(good_files)
    assert all("No space left" in r.reason for r in report.results)
    assert calls[0] == len(good_files) and calls[1] > len(good_files)
    assert snapshot(ingestor.store) == ({}, 0)
    monkeypatch.undo()
    again = ingestor.ingest_paths(good_files)
    assert [r.status for r in again.results] == ["ingested"] * len(good_files)


def test_a_batch_of_files_is_embedded_in_one_call_with_each_files_own_vectors(
    settings: Settings, good_files: list[Path]
) -> None:
    """The chunks of the files written together are embedded together (the embedder
    batches like lengths across files), and each chunk still gets its own vector."""
    from tests.conftest import HashEmbedder

    class Counting(HashEmbedder):
        def __init__(self) -> None:
            super().__init__()
            self.calls: list[int] = []

        def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
            self.calls.append(len(texts))
            return super().embed_documents(texts)

    embedder = Counting()
    ingestor = Ingestor(settings, build_store(settings, embedder), embedder)
    report = ingestor.ingest_paths(good_files)
    assert [r.status for r in report.results] == ["ingested"] * len(good_files)
    assert embedder.calls == [sum(r.chunks for r in report.results)]
    # each file alone (one call per file) gives every chunk the same vector
    alone = settings.model_copy(update={"store_dir": settings.store_dir / "alone"})
    single = Ingestor(alone, build_store(alone, embedder), embedder)
    assert all(single.ingest_file(p).status == "ingested" for p in good_files)
    assert len(embedder.calls) == 1 + len(good_files)
    for record in ingestor.store.documents():
        together = ingestor.store.chunks_of(record.doc_id, with_embeddings=True)
        apart = single.store.chunks_of(record.doc_id, with_embeddings=True)
        assert [c.chunk_id for c in together] == [c.chunk_id for c in apart]
        for one, other in zip(together, apart):
            assert one.embedding == pytest.approx(other.embedding)


def test_the_worker_reads_the_next_files_before_this_batch_is_embedded(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files are handed to the reading worker ahead of the batch being embedded (up to
    READ_AHEAD_FILES), so reading goes on while this process embeds and writes."""
    from ingest import pipeline
    from ingest.bounded import BoundedReader
    from tests.conftest import HashEmbedder

    events: list[str] = []
    real_submit = BoundedReader.submit

    def submit(self: BoundedReader, path: Path, data: bytes):  # type: ignore[no-untyped-def]
        events.append("read")
        return real_submit(self, path, data)

    class Recording(HashEmbedder):
        def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
            events.append("embed")
            return super().embed_documents(texts)

    monkeypatch.setattr(BoundedReader, "submit", submit)
    files = []
    for i in range(6):
        files.append(tmp_path / f"note-{i}.md")
        files[-1].write_text(f"# Note {i}\n\nChurn in region {i} fell by {i} points.\n")
    monkeypatch.setattr(pipeline, "BATCH_FILES", 2)  # batches of two files
    monkeypatch.setattr(pipeline, "READ_AHEAD_FILES", 4)
    embedder = Recording()
    ingestor = Ingestor(settings, build_store(settings, embedder), embedder)
    report = ingestor.ingest_paths(files)
    assert [r.status for r in report.results] == ["ingested"] * len(files)
    # the first batch (two files) is embedded once four more are handed to the worker
    assert events[: events.index("embed")] == ["read"] * 6
    assert events.count("embed") == 3


def test_keep_only_removes_documents_of_files_not_listed(ingestor: Ingestor, good_files) -> None:
    """An eval suite's store holds its corpus exactly: a document ingested from a folder
    the suite no longer reads (the corpus moved) is removed, the files still there stay."""
    folder = good_files[0].parent
    ingestor.ingest_paths([folder])
    kept = sorted(p for p in folder.iterdir() if p.is_file())[:2]
    report = ingestor.keep_only(kept)
    docs, total = snapshot(ingestor.store)
    assert all(r.status == "pruned" for r in report) and len(report) >= 1
    assert sorted(docs) == sorted(content_id(p.read_bytes()) for p in kept)
    assert total == sum(n for _, n in docs.values())
    # The same bytes in another folder are the same documents: they stay.
    moved = folder.parent / "moved"
    moved.mkdir()
    copies = [moved / p.name for p in kept]
    for source, copy in zip(kept, copies):
        copy.write_bytes(source.read_bytes())
    assert ingestor.ingest_paths([moved]).ok
    assert ingestor.keep_only(copies) == []
    assert sorted(snapshot(ingestor.store)[0]) == sorted(docs)
