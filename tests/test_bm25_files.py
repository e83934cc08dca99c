"""The BM25 index saved beside the store: a loaded index answers exactly as the one that
was saved, a store that changed brings it up to date, and a damaged or half-written
index is rebuilt from the store, never used."""

from __future__ import annotations

import json
import mmap
import os
import random
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from advisor.bm25 import BM25Index
from advisor.bm25_files import MANIFEST, BM25Files
from advisor.composition import build_bm25_files, build_retriever, build_store
from advisor.filters import Filters
from advisor.retrieval import HybridRetriever
from core.settings import Settings
from ingest.embedder import Embedder
from ingest.store import ChunkStore, DocumentRecord, StoredChunk, now_iso
from tests.conftest import python_child

WORDS = (
    "customer experience churn loyalty budget owner journey survey agent billing roaming "
    "council roadmap promoter score marketing finance retention complaint digital"
).split()
QUERIES = ["churn budget", "customer experience owner", "roaming billing complaint", "zzz"]
FILTERS = [
    Filters(),
    Filters(kinds=("internal",)),
    Filters(publishers=("P1",)),
    Filters(year_from=2021),
]


def synthetic_chunks(count: int, seed: int = 5) -> list[StoredChunk]:
    rng = random.Random(seed)
    chunks = []
    for i in range(count):
        d = i // 7
        meta: dict[str, Any] = {
            "doc_id": f"doc{d:03d}",
            "title": f"Report {d} on {rng.choice(WORDS)}",
            "kind": "internal" if d % 4 == 3 else "research",
            "chunk_index": i % 7,
        }
        if d % 4 != 3:
            meta["publisher"] = f"P{d % 3}"
        if d % 2:
            meta["year"] = 2019 + d % 5
        text = " ".join(rng.choices(WORDS, k=rng.randint(0, 30)))
        chunks.append(StoredChunk(f"doc{d:03d}:{i % 7}", text, meta, []))
    return chunks


def answers(index: BM25Index) -> list[Any]:
    """Everything a question reads from the index, scores included."""
    hits = [
        [(c.chunk_id, score, c.text, c.metadata) for c, score in index.search(q, 10, f)]
        for q in QUERIES
        for f in FILTERS
    ]
    texts = [index.document_text(d) for d in sorted(index.doc_ids)]
    return [
        hits,
        texts,
        index.term_weights(" ".join(QUERIES)),
        index.research_publishers,
        index.named_publishers("What does P1 say?"),
        sorted(index.doc_ids),
    ]


def test_a_loaded_index_answers_exactly_as_the_saved_one(tmp_path: Path) -> None:
    index = BM25Index.of_chunks(synthetic_chunks(300))
    files = BM25Files(tmp_path / "index")
    files.save(index, "v1")
    saved = files.load()
    assert saved is not None and saved.store_version == "v1"
    assert answers(saved.index) == answers(index)
    assert [c.chunk_id for c in saved.index.chunks] == [c.chunk_id for c in index.chunks]
    assert mapped(saved.index.okapi.postings.weights) and mapped(saved.index.chunks.texts.data)


def mapped(array: np.ndarray) -> bool:
    """The array's memory is a mapping of a file, not read into memory."""
    base: Any = array
    while base is not None and not isinstance(base, mmap.mmap):
        base = getattr(base, "base", None)
    return base is not None


def test_an_empty_index_saves_and_loads(tmp_path: Path) -> None:
    files = BM25Files(tmp_path / "index")
    files.save(BM25Index.of_chunks([]), "v0")
    saved = files.load()
    assert saved is not None and len(saved.index.chunks) == 0
    assert saved.index.search("churn", 5, Filters()) == []


def test_a_new_save_replaces_the_old_files(tmp_path: Path) -> None:
    files = BM25Files(tmp_path / "index")
    files.save(BM25Index.of_chunks(synthetic_chunks(50)), "v1")
    first = set(os.listdir(files.folder))
    (files.folder / "leftover.npy.tmp").write_bytes(b"half")  # a crashed save's
    files.save(BM25Index.of_chunks(synthetic_chunks(60)), "v2")
    second = set(os.listdir(files.folder))
    assert first & second == {MANIFEST}
    manifest = json.loads((files.folder / MANIFEST).read_text())
    named = {manifest["vocabulary"]["file"]} | {a["file"] for a in manifest["arrays"].values()}
    assert second == named | {MANIFEST}


# -- damage ----------------------------------------------------------------------------------


def _largest_array(folder: Path) -> Path:
    return max(folder.glob("*.npy"), key=lambda p: p.stat().st_size)


def _edit_manifest(folder: Path, change: Callable[[dict[str, Any]], None]) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())
    change(manifest)
    (folder / MANIFEST).write_text(json.dumps(manifest))


def _rename_files(manifest: dict[str, Any]) -> None:
    for entry in manifest["arrays"].values():
        entry["file"] = "gone-" + entry["file"]


def _point_outside(manifest: dict[str, Any]) -> None:
    manifest["vocabulary"]["file"] = "../elsewhere.json"


def _other_format(manifest: dict[str, Any]) -> None:
    manifest["format"] = 999


def _wrong_dtype(folder: Path) -> None:
    path = next(folder.glob("*.postings.weights.npy"))
    np.save(path, np.zeros(len(np.load(path)), dtype=np.float32))
    _edit_manifest(folder, lambda m: _fit(m, "postings.weights", path))


def _fit(manifest: dict[str, Any], name: str, path: Path) -> None:
    manifest["arrays"][name]["bytes"] = path.stat().st_size


DAMAGE: dict[str, Callable[[Path], object]] = {
    "truncated array": lambda f: os.truncate(
        _largest_array(f), _largest_array(f).stat().st_size // 2
    ),
    "garbage npy header": lambda f: _largest_array(f).write_bytes(
        b"\x00garbage" * (_largest_array(f).stat().st_size // 8)
    ),
    "array file missing": lambda f: _largest_array(f).unlink(),
    "manifest names missing files": lambda f: _edit_manifest(f, _rename_files),
    "manifest names a file elsewhere": lambda f: _edit_manifest(f, _point_outside),
    "manifest of another format": lambda f: _edit_manifest(f, _other_format),
    "manifest not JSON": lambda f: (f / MANIFEST).write_bytes(b'{"format": 1, "arr'),
    "manifest empty": lambda f: (f / MANIFEST).write_bytes(b""),
    "manifest a list": lambda f: (f / MANIFEST).write_text("[1, 2]"),
    "manifest missing": lambda f: (f / MANIFEST).unlink(),
    "vocabulary truncated": lambda f: os.truncate(next(f.glob("*.vocabulary.json")), 3),
    "array of another dtype": _wrong_dtype,
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_index_is_not_loaded(tmp_path: Path, damage: str) -> None:
    files = BM25Files(tmp_path / "index")
    files.save(BM25Index.of_chunks(synthetic_chunks(120)), "v1")
    DAMAGE[damage](files.folder)
    assert files.load() is None


class Killed(BaseException):
    """Stands for the process being killed at that point."""


def _killed_at(step: int, replace: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
    """os.replace that renames `step` files, then stops as if the process were killed."""
    calls = 0

    def cut_short(src: Any, dst: Any) -> None:
        nonlocal calls
        if calls == step:
            raise Killed
        calls += 1
        replace(src, dst)

    return cut_short


def test_a_save_cut_short_at_any_file_leaves_the_previous_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = BM25Files(tmp_path / "index")
    old = BM25Index.of_chunks(synthetic_chunks(80, seed=1))
    new = BM25Index.of_chunks(synthetic_chunks(90, seed=2))
    files.save(old, "old")
    expected = answers(old)
    real_replace = os.replace
    step = 0
    while True:
        monkeypatch.setattr(os, "replace", _killed_at(step, real_replace))
        try:
            files.save(new, "new")
        except Killed:
            monkeypatch.undo()
            saved = files.load()
            assert saved is not None and saved.store_version == "old", step
            assert answers(saved.index) == expected
            step += 1
            continue
        monkeypatch.undo()
        break
    assert step > 10  # every array, the vocabulary and the manifest were cut in turn
    saved = files.load()
    assert saved is not None and saved.store_version == "new"
    assert answers(saved.index) == answers(new)


# Saves two indexes in turn, again and again, printing each store version once saved.
SAVER = """
import sys
from pathlib import Path
from advisor.bm25 import BM25Index
from advisor.bm25_files import BM25Files
from tests.test_bm25_files import synthetic_chunks

files = BM25Files(Path(sys.argv[1]))
indexes = [BM25Index.of_chunks(synthetic_chunks(3000, seed)) for seed in (0, 1)]
for n in range(10_000):
    files.save(indexes[n % 2], f"v{n}")
    print(n, flush=True)
"""


@pytest.mark.slow
def test_kill_9_while_saving_never_leaves_a_partial_index(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    expected = [answers(BM25Index.of_chunks(synthetic_chunks(3000, seed))) for seed in (0, 1)]
    rng = random.Random(3)
    for _ in range(4):
        process = python_child(SAVER, str(folder))
        assert process.stdout is not None
        last = int(process.stdout.readline())  # one save done: the next is under way
        time.sleep(rng.uniform(0.0, 0.05))
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        saved = BM25Files(folder).load()
        assert saved is not None  # the last complete save, or the one cut short if it ended
        version = int(saved.store_version[1:])
        assert version >= last
        assert answers(saved.index) == expected[version % 2]


# -- with the real store ---------------------------------------------------------------------


def write(store: ChunkStore, embedder: Embedder, doc_id: str, texts: list[str]) -> None:
    kind = "internal" if doc_id.startswith("memo") else "research"
    publisher = "" if kind == "internal" else "P1"
    record = DocumentRecord(
        doc_id, f"{doc_id}.md", f"Title of {doc_id}", kind, len(texts), now_iso(),
        publisher=publisher,
    )  # fmt: skip
    metas = [
        {"doc_id": doc_id, "title": record.title, "kind": kind, "publisher": publisher,
         "chunk_index": i}
        for i in range(len(texts))
    ]  # fmt: skip
    ids = [f"{doc_id}:{i}" for i in range(len(texts))]
    store.write_document(record, ids, texts, metas, embedder.embed_documents(texts))


@pytest.fixture
def library(
    tmp_path: Path, hash_embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> tuple[Settings, ChunkStore]:
    # These tests write through one store object and read through another at once, as
    # another process would: readers here look at the store's version every time.
    monkeypatch.setattr("advisor.retrieval.VERSION_MAX_AGE", 0.0)
    settings = Settings(store_dir=tmp_path / "store")
    store = build_store(settings, hash_embedder)
    rng = random.Random(9)
    for name in ("alpha", "beta", "gamma", "memo"):
        write(store, hash_embedder, name, [" ".join(rng.choices(WORDS, k=12)) for _ in range(5)])
    return settings, store


def restart(settings: Settings, embedder: Embedder) -> HybridRetriever:
    """A new process's retriever: a new store object and no index in memory."""
    return build_retriever(settings, build_store(settings, embedder), embedder)


def reads(monkeypatch: pytest.MonkeyPatch, store: ChunkStore) -> list[str]:
    """The documents whose chunks are read from the store from now on ('*': all)."""
    read: list[str] = []
    real_chunks_of, real_iter_chunks = store.chunks_of, store.iter_chunks

    def chunks_of(doc_id: str) -> list[StoredChunk]:
        read.append(doc_id)
        return real_chunks_of(doc_id)

    def iter_chunks() -> Iterator[StoredChunk]:
        read.append("*")
        return real_iter_chunks()

    monkeypatch.setattr(store, "chunks_of", chunks_of)
    monkeypatch.setattr(store, "iter_chunks", iter_chunks)
    return read


def saved_version(settings: Settings) -> str | None:
    saved = build_bm25_files(settings).load()
    return saved.store_version if saved else None


def same_hits(index: BM25Index, store: ChunkStore) -> None:
    """The index finds what one built afresh from the store finds, scores within rounding
    (ids are numbered in another order, which changes the order of a sum)."""
    fresh = BM25Index.from_store(store)
    assert index.doc_ids == fresh.doc_ids
    for q in [*QUERIES, "Title of delta", "renamed"]:
        for f in FILTERS:
            got, want = index.search(q, 10, f), fresh.search(q, 10, f)
            assert [c.chunk_id for c, _ in got] == [c.chunk_id for c, _ in want]
            assert [s for _, s in got] == pytest.approx([s for _, s in want], rel=1e-12)


def test_a_restart_loads_the_saved_index_instead_of_reading_the_store(
    library: tuple[Settings, ChunkStore], hash_embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, store = library
    first = restart(settings, hash_embedder).bm25()
    assert saved_version(settings) == store.version()
    again = restart(settings, hash_embedder)
    read = reads(monkeypatch, again.store)
    loaded = again.bm25()
    assert read == []  # nothing read or tokenised again
    assert answers(loaded) == answers(first) == answers(BM25Index.from_store(store))
    assert again.passages("churn budget", 3)


def test_adding_removing_and_editing_documents_reach_the_saved_index(
    library: tuple[Settings, ChunkStore], hash_embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, store = library
    restart(settings, hash_embedder).bm25()

    write(store, hash_embedder, "delta", ["roaming complaint delta billing", "delta survey"])
    retriever = restart(settings, hash_embedder)
    read = reads(monkeypatch, retriever.store)
    index = retriever.bm25()
    assert read == ["delta"]  # the version differs: only the new document is read
    assert "delta" in index.doc_ids and saved_version(settings) == store.version()
    same_hits(index, store)

    store.remove_document("alpha")
    read.clear()
    index = retriever.bm25()
    assert read == [] and "alpha" not in index.doc_ids
    assert saved_version(settings) == store.version()
    same_hits(restart(settings, hash_embedder).bm25(), store)

    store.edit_document("beta", {"title": "Renamed report"})
    index = retriever.bm25()
    assert read == ["beta"]
    assert saved_version(settings) == store.version()
    loaded = restart(settings, hash_embedder).bm25()
    assert {c.metadata["title"] for c in loaded.chunks if c.metadata["doc_id"] == "beta"} == {
        "Renamed report"
    }
    assert loaded.search("renamed", 1, Filters())[0][0].metadata["doc_id"] == "beta"
    same_hits(loaded, store)


def test_a_saved_index_of_another_store_version_is_brought_up_to_date(
    library: tuple[Settings, ChunkStore], hash_embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, store = library
    restart(settings, hash_embedder).bm25()
    folder = build_bm25_files(settings).folder
    _edit_manifest(folder, lambda m: m.update(store_version="another"))
    before = set(os.listdir(folder))
    retriever = restart(settings, hash_embedder)
    read = reads(monkeypatch, retriever.store)
    index = retriever.bm25()
    assert read == []  # every document's stamp still matches: reused, not read
    assert saved_version(settings) == store.version()
    assert set(os.listdir(folder)) - before  # saved again, as a new generation
    same_hits(index, store)


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_saved_index_is_rebuilt_from_the_store(
    library: tuple[Settings, ChunkStore],
    hash_embedder: Embedder,
    monkeypatch: pytest.MonkeyPatch,
    damage: str,
) -> None:
    settings, store = library
    restart(settings, hash_embedder).bm25()
    DAMAGE[damage](build_bm25_files(settings).folder)
    retriever = restart(settings, hash_embedder)
    read = reads(monkeypatch, retriever.store)
    index = retriever.bm25()
    assert sorted(read) == ["alpha", "beta", "gamma", "memo"]  # all read again
    assert answers(index) == answers(BM25Index.from_store(store))
    assert saved_version(settings) == store.version()  # and saved whole again


def test_a_folder_that_cannot_be_written_costs_only_the_saving(
    library: tuple[Settings, ChunkStore], hash_embedder: Embedder, tmp_path: Path
) -> None:
    _, store = library
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    retriever = HybridRetriever(store=store, embedder=hash_embedder, index_files=BM25Files(blocked))
    assert answers(retriever.bm25()) == answers(BM25Index.from_store(store))


def test_terms_of_removed_documents_leave_the_vocabulary(
    library: tuple[Settings, ChunkStore], hash_embedder: Embedder
) -> None:
    settings, store = library
    rare = [" ".join(f"rare{i}x{j}" for j in range(40)) for i in range(5)]
    write(store, hash_embedder, "zeta", rare)
    retriever = restart(settings, hash_embedder)
    grown = len(retriever.bm25().vocabulary)
    store.remove_document("zeta")
    index = retriever.bm25()
    assert len(index.vocabulary) < grown - 100
    same_hits(index, store)
    assert answers(restart(settings, hash_embedder).bm25()) == answers(index)
