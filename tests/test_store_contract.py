"""One contract for every store (`ingest.storage.Store`), run over the embedded Chroma
store and a real `chroma run` server on 127.0.0.1: documents are seen whole or not at
all, searches see complete documents only, every write changes the version, removals
and edits reach the chunks, recovery removes what a crash left, and a store built with
another embedding model is refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.composition import build_store
from core.settings import Settings
from ingest.errors import StoreMismatchError
from ingest.storage import Store
from ingest.store import COMPLETE, DocumentRecord
from tests.conftest import HashEmbedder, free_port
from tests.factories import raw_collections
from tests.test_chroma_server import CHROMA, ChromaServer

pytestmark = pytest.mark.integration

WORDS = "churn budget owner journey survey agent billing roaming loyalty score".split()


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    if CHROMA is None:
        pytest.skip("the chroma command is not installed")
    server = ChromaServer(tmp_path_factory.mktemp("chroma-data"), free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["embedded", "chroma-server"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    collection = f"contract-{request.node.name[-40:]}".replace("[", "-").replace("]", "")
    collection = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in collection)
    if request.param == "embedded":
        return Settings(store_dir=tmp_path / "store", collection=collection)
    server: ChromaServer = request.getfixturevalue("chroma_server")
    return Settings(
        store_dir=tmp_path / "local",
        chroma_host="127.0.0.1",
        chroma_port=server.port,
        collection=collection,
    )


@pytest.fixture
def store(settings: Settings) -> Store:
    built = build_store(settings, HashEmbedder())
    assert isinstance(built, Store)
    return built


def _write(store: Store, doc_id: str, n: int, kind: str = "research", source: str = "") -> None:
    embedder = HashEmbedder()
    texts = [" ".join(WORDS[(i + j) % 10] for j in range(4)) + f" {doc_id} {i}" for i in range(n)]
    record = DocumentRecord(
        doc_id, source or f"{doc_id}.md", f"Title {doc_id}", kind, n, "2026-01-01T00:00:00Z"
    )
    metas = [{"doc_id": doc_id, "kind": kind, "chunk_index": i} for i in range(n)]
    store.write_document(
        record, [f"{doc_id}:{i}" for i in range(n)], texts, metas, embedder.embed_documents(texts)
    )


def test_documents_are_written_whole_and_found(store: Store) -> None:
    store.max_batch = 3  # several batches per document
    before = store.version()
    _write(store, "a", 7)
    _write(store, "b", 2, kind="internal")
    assert store.version() != before
    assert [(r.doc_id, r.status, r.chunks) for r in store.documents()] == [
        ("b", COMPLETE, 2),
        ("a", COMPLETE, 7),
    ]  # internal first, then research
    assert store.count_chunks() == 9
    assert [c.chunk_id for c in store.chunks_of("a")] == [f"a:{i}" for i in range(7)]
    assert len({c.chunk_id for c in store.iter_chunks()}) == 9
    vector = HashEmbedder().embed_query("churn budget owner journey")
    hits = store.query(vector, 4)
    assert len(hits) == 4 and all(h.metadata["doc_id"] in {"a", "b"} for h in hits)
    assert hits == sorted(hits, key=lambda h: h.distance)
    # one search for several filters finds for each what query finds for it alone
    internal = {"kind": "internal"}
    each = store.nearest_each(vector, 4, [(None, {"a", "b"}), (internal, {"b"}), (None, {"a"})])
    assert each == [
        [(h.chunk_id, h.distance) for h in store.query(vector, 4, where, docs)]
        for where, docs in [(None, {"a", "b"}), (internal, {"b"}), (None, {"a"})]
    ]
    # told that a side admits few chunks, the first search asks for more ids: same hits
    assert store.nearest_each(vector, 4, [(None, {"a", "b"}), (internal, {"b"})], 0.2) == each[:2]
    only_b = store.query(vector, 4, where={"kind": "internal"}, docs={"b"})
    assert [h.chunk_id for h in only_b] == [
        h.chunk_id for h in store.query(vector, 4, {"kind": "internal"})
    ]
    assert {h.metadata["doc_id"] for h in only_b} == {"b"}
    assert set(store.embeddings_of(["a:0", "b:1"])) == {"a:0", "b:1"}
    with pytest.raises(ValueError, match="not 'c:<n>'"):  # chunk ids name their document
        store.write_document(
            DocumentRecord("c", "c.md", "C", "research", 1, "2026-01-01T00:00:00Z"),
            ["a:9"], ["text"], [{"doc_id": "c"}], [vector],
        )  # fmt: skip
    assert store.get_document("c") is None
    assert store.get_document("a") is not None and store.get_document("zzz") is None
    assert [r.doc_id for r in store.documents_by_source("a.md")] == ["a"]


def test_the_nearest_chunks_found_are_the_exact_nearest(settings: Settings) -> None:
    """The dense search is approximate (HNSW): asked for too few candidates it misses some
    of the nearest chunks (9 to 13 of the 960 nearest, 24 for each of 40 questions, for
    about 100 candidates), which leaves answers to chance. 800 random vectors of a real
    model's dimension are the hard case for the index, whose graph is built on several
    threads: asked for 200, it misses none, or rarely one on a server."""
    import numpy as np

    embedder = HashEmbedder(dim=384)
    store = build_store(settings, embedder)
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(800, 384))
    vectors /= np.linalg.norm(vectors, axis=1)[:, None]
    for d in range(4):  # four documents of 200 chunks
        ids = [f"d{d}:{i}" for i in range(200)]
        record = DocumentRecord(f"d{d}", f"d{d}.md", f"D{d}", "research", 200, "2026-01-01")
        metas = [{"doc_id": f"d{d}", "kind": "research", "chunk_index": i} for i in range(200)]
        block = vectors[200 * d : 200 * (d + 1)].tolist()
        store.write_document(record, ids, [f"chunk {c}" for c in ids], metas, block)
    questions = rng.normal(size=(40, 384))
    questions /= np.linalg.norm(questions, axis=1)[:, None]
    missed = 0
    for question in questions:
        exact = {f"d{j // 200}:{j % 200}" for j in np.argsort(-(vectors @ question))[:24]}
        found = {h.chunk_id for h in store.query(question.tolist(), 24)}
        missed += len(exact - found)
    assert missed <= 2


def test_a_document_left_pending_is_never_read_and_recovery_removes_it(
    store: Store, settings: Settings
) -> None:
    _write(store, "a", 2)
    chunks, docs = raw_collections(settings)  # what a writer killed mid-document leaves
    vector = HashEmbedder().embed_query("churn")
    pending = DocumentRecord("p", "p.md", "Half", "research", 3, "2026-01-02T00:00:00Z")
    docs.upsert(
        ids=["p"], embeddings=[vector], metadatas=[{**pending.metadata(), "status": "pending"}]
    )
    chunks.upsert(
        ids=["p:0"], documents=["churn churn"], embeddings=[vector], metadatas=[{"doc_id": "p"}]
    )
    assert [r.doc_id for r in store.documents()] == ["a"]
    assert all(h.metadata["doc_id"] == "a" for h in store.query(vector, 5))
    assert store.recover() == ["p"]
    assert store.count_chunks() == 2 and store.documents(include_pending=True)[0].doc_id == "a"


def test_removal_and_edits_reach_the_chunks_and_change_the_version(store: Store) -> None:
    _write(store, "a", 3)
    _write(store, "b", 2)
    version = store.version()
    edited = store.edit_document("a", {"title": "Churn in 2026", "date": "2026-03-01"})
    assert edited.title == "Churn in 2026" and store.version() != version
    assert {c.metadata["title"] for c in store.chunks_of("a")} == {"Churn in 2026"}
    assert {c.metadata["year"] for c in store.chunks_of("a")} == {2026}
    assert store.sync_edits() == []  # nothing left to copy
    version = store.version()
    assert store.remove_document("b") is True and store.remove_document("b") is False
    assert store.version() != version
    assert store.count_chunks() == 3 and store.get_document("b") is None
    store.remove_chunks(["a:2"])
    assert [c.chunk_id for c in store.chunks_of("a")] == ["a:0", "a:1"]
    with pytest.raises(ValueError, match="no document has the id"):
        store.edit_document("b", {"title": "Gone"})


def test_a_document_written_again_keeps_no_stale_chunk_metadata(store: Store) -> None:
    """Read again by a newer reader, a document may lose a publisher or a chunk its
    section: the stored chunks must then be as a fresh store would hold them."""
    embedder = HashEmbedder()
    texts = ["churn budget owner journey", "survey agent billing roaming"]

    def write(publisher: str, sections: list[str | None]) -> None:
        record = DocumentRecord(
            "a", "a.md", "Title a", "research", 2, "2026-01-01T00:00:00Z", publisher=publisher
        )
        metas = [
            {"doc_id": "a", "kind": "research", "chunk_index": i, "publisher": publisher,
             "section": section, "page": None}
            for i, section in enumerate(sections)
        ]  # fmt: skip
        store.write_document(record, ["a:0", "a:1"], texts, metas, embedder.embed_documents(texts))

    write("Halvorsen & Reid Advisory", ["SUMMARY", "THE STUDY"])
    write("", ["SUMMARY", None])
    metas = {c.chunk_id: c.metadata for c in store.chunks_of("a")}
    assert not any("publisher" in m for m in metas.values())
    assert metas["a:0"]["section"] == "SUMMARY" and "section" not in metas["a:1"]
    assert store.get_document("a").publisher == ""  # type: ignore[union-attr]


def test_another_embedding_model_is_refused(store: Store, settings: Settings) -> None:
    _write(store, "a", 2)
    with pytest.raises(StoreMismatchError, match="wider-hash"):
        build_store(settings, HashEmbedder("wider-hash", dim=128))
    assert store.count_chunks() == 2


def test_catching_up_reads_other_writers(store: Store, settings: Settings) -> None:
    """Another writer's document (here a second store object, as another process has)
    is read after `catch_up`, by search as well as by the registry."""
    _write(store, "a", 2)
    vector = HashEmbedder().embed_query("loyalty score billing roaming")
    store.query(vector, 2)  # the index is loaded
    other = build_store(settings, HashEmbedder())
    _write(other, "b", 3)
    store.catch_up()
    found = {h.metadata["doc_id"] for h in store.query(vector, 5)}
    assert found == {"a", "b"} and store.count_chunks() == 5


def test_a_reader_may_reuse_a_recent_version_but_sees_its_own_writes_at_once(
    store: Store, settings: Settings
) -> None:
    """Reading the version scans the registry; a reader asking many questions a second
    may reuse one read within `max_age`. Another writer's change shows once that has
    passed; this store's own writes show at once."""
    import time

    _write(store, "a", 1)
    seen = store.version(max_age=0.5)
    _write(build_store(settings, HashEmbedder()), "b", 1)  # another writer
    # within max_age (long enough for a loaded machine): the version read before
    assert store.version(max_age=30) == seen
    time.sleep(0.6)
    after_other = store.version(max_age=0.5)
    assert after_other != seen and after_other == store.version()
    _write(store, "c", 1)  # its own write
    assert store.version(max_age=60) != after_other


def test_recovery_sweeps_chunks_no_document_owns(store: Store, settings: Settings) -> None:
    """Chunks whose document is not registered, or past the last chunk of the one they
    name, are deleted by recovery; the documents' own chunks stay."""
    _write(store, "a", 3)
    chunks, _docs = raw_collections(settings)
    vector = HashEmbedder().embed_query("churn")
    chunks.upsert(
        ids=["ghost:0", "ghost:1", "a:7"],
        documents=["left", "behind", "stale"],
        embeddings=[vector] * 3,
        metadatas=[{"doc_id": "ghost"}, {"doc_id": "ghost"}, {"doc_id": "a"}],
    )
    assert store.count_chunks() == 6
    assert store.recover() == ["ghost"]  # "a" keeps its document, loses the stray chunk
    assert store.count_chunks() == 3 and len(store.chunks_of("a")) == 3
    assert store.recover() == []  # nothing left to sweep
