"""Sentence vectors kept beside the store: a later process reads what an earlier one
embedded, vectors read back equal those embedded, the file is bounded, a bad file is
only a missed cache, and removing a document empties it."""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Sequence
from pathlib import Path

from advisor.composition import build_components
from advisor.saved_vectors import SavedEmbeddings, forget, saved_vectors_path
from core.settings import Settings
from ingest.pipeline import Ingestor
from tests.conftest import HashEmbedder


class Counting(HashEmbedder):
    def __init__(self, name: str = "hash-embedder") -> None:
        super().__init__(name)
        self.embedded: list[str] = []

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.embedded.extend(texts)
        return super().embed_documents(texts)


SENTENCES = [
    "Marketing controls 52% of CX technology spend.",
    "IT comes only sixth in control of CX technology spending.",
    "Churn fell to 9% in 2025.",
]


def test_a_later_process_reads_the_vectors_an_earlier_one_embedded(tmp_path: Path) -> None:
    first_model = Counting()
    path = saved_vectors_path(tmp_path, first_model)
    first = SavedEmbeddings(first_model, path).embed_documents(SENTENCES)
    assert first_model.embedded == SENTENCES
    later_model = Counting()  # a new process: a new model object, the same file
    later = SavedEmbeddings(later_model, path)
    again = later.embed_documents([SENTENCES[1], "A sentence no one embedded yet.", SENTENCES[0]])
    assert later_model.embedded == ["A sentence no one embedded yet."]
    assert again[0] == first[1] and again[2] == first[0]  # bit for bit, as first returned
    assert later.embed_documents([SENTENCES[2], SENTENCES[2]]) == [first[2], first[2]]


def test_each_model_keeps_its_own_vectors(tmp_path: Path) -> None:
    one, other = Counting("model-a"), Counting("model-b")
    assert saved_vectors_path(tmp_path, one) != saved_vectors_path(tmp_path, other)
    SavedEmbeddings(one, saved_vectors_path(tmp_path, one)).embed_documents(SENTENCES)
    SavedEmbeddings(other, saved_vectors_path(tmp_path, other)).embed_documents(SENTENCES)
    assert other.embedded == SENTENCES


def test_the_file_keeps_the_newest_vectors_up_to_its_bound(tmp_path: Path) -> None:
    model = Counting()
    path = saved_vectors_path(tmp_path, model)
    saved = SavedEmbeddings(model, path, keep=2)
    for sentence in SENTENCES:
        saved.embed_documents([sentence])
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM vectors").fetchone() == (2,)
    model.embedded.clear()
    SavedEmbeddings(model, path).embed_documents(SENTENCES)
    assert model.embedded == SENTENCES[:1]  # the oldest went


def test_a_file_that_is_not_a_database_only_costs_the_embedding(tmp_path: Path) -> None:
    model = Counting()
    path = saved_vectors_path(tmp_path, model)
    path.write_bytes(b"this is not an SQLite file" * 100)
    saved = SavedEmbeddings(model, path)
    working = SavedEmbeddings(Counting(), tmp_path / "working.sqlite")
    assert saved.embed_documents(SENTENCES) == working.embed_documents(SENTENCES)
    assert saved.embed_documents(SENTENCES[:1])  # still answers, embedding again
    assert model.embedded == SENTENCES + SENTENCES[:1]
    assert path.read_bytes().startswith(b"this is not")  # left as it was


def test_forget_empties_the_file_while_a_process_has_it_open(tmp_path: Path) -> None:
    model = Counting()
    path = saved_vectors_path(tmp_path, model)
    open_elsewhere = SavedEmbeddings(model, path)
    vector = array("f", open_elsewhere.embed_documents(SENTENCES)[0]).tobytes()

    def on_disk() -> bytes:  # the database and its write-ahead log
        return b"".join(p.read_bytes() for p in tmp_path.glob(f"{path.name}*"))

    assert vector in on_disk()
    forget(tmp_path)
    assert vector not in on_disk()  # overwritten, not only unlinked from the table
    model.embedded.clear()
    open_elsewhere.embed_documents(SENTENCES[:1])
    assert model.embedded == SENTENCES[:1]  # embedded again, and saved again
    model.embedded.clear()
    SavedEmbeddings(model, path).embed_documents(SENTENCES[:1])
    assert model.embedded == []


def test_the_app_s_advisor_keeps_the_sentences_it_ranks_for_a_restart(
    tmp_path: Path,
) -> None:
    settings = Settings(store_dir=tmp_path / "store", llm="none")
    memo = tmp_path / "memo.md"
    memo.write_text(
        "# Q3 review\n\nWe received 18,640 complaints in Q3 2026, up from 16,210 in Q2.\n\n"
        "Billing and call-centre handling caused 63% of all complaints in Q3.\n"
    )
    model = Counting()
    parts = build_components(settings, model)
    assert Ingestor(settings, parts.store, model).ingest_paths([memo], "internal").ok
    model.embedded.clear()
    parts.advisor.ask("How many complaints did we receive in Q3?")
    ranked = [t for t in model.embedded if "18,640" in t]
    assert ranked, model.embedded
    model.embedded.clear()
    restarted = build_components(settings, model)  # a new process over the same store
    restarted.advisor.ask("How many complaints did we receive in Q3?")
    assert not any("18,640" in t for t in model.embedded)
    with sqlite3.connect(saved_vectors_path(settings.store_dir, model)) as db:
        assert db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0] > 0
