"""Writers of one store take turns: a write, a removal, an edit or a recovery waits while
another process holds the store's writer lock, so one writer's recovery never removes
another's document in progress."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from advisor.composition import build_store, build_writer_lock
from core.settings import Settings
from ingest.embedder import Embedder
from ingest.pipeline import Ingestor
from tests.conftest import REPO

pytestmark = pytest.mark.integration


def test_store_writes_wait_for_another_writer(tmp_path: Path, embedder: Embedder) -> None:
    settings = Settings(store_dir=tmp_path / "store")
    store = build_store(settings, embedder)
    note = tmp_path / "note.md"
    note.write_text("# Churn\n\nMobile churn rose to 1.3% a month after the July price rise.\n")
    assert Ingestor(settings, store, embedder).ingest_file(note, "internal").status == "ingested"
    (record,) = store.documents()

    other = build_writer_lock(settings)  # as another process holds it
    other.acquire()
    done: list[str] = []
    steps = [
        lambda: done.append(f"recovered {store.recover()}"),
        lambda: done.append(f"removed {store.remove_document(record.doc_id)}"),
    ]
    threads = [threading.Thread(target=step) for step in steps]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=1.0)
        assert done == [] and all(t.is_alive() for t in threads)  # waiting their turn
    finally:
        other.release()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(done) == ["recovered []", "removed True"]
    assert store.documents() == []


def test_two_ingests_at_once_keep_every_document(tmp_path: Path) -> None:
    folders = []
    for side in ("a", "b"):
        folder = tmp_path / side
        folder.mkdir()
        for i in range(6):
            (folder / f"{side}{i}.md").write_text(
                f"# Memo {side}{i}\n\nThe {side}{i} team met {i + 2} times about churn in 2026.\n"
            )
        folders.append(folder)
    env = {**os.environ, "CXA_STORE_DIR": str(tmp_path / "store"), "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-m", "advisor.cli", "ingest"]
    runs = [
        subprocess.Popen(
            [*command, str(f)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in folders
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert all("6 ingested" in out for out, _ in outputs), outputs
    listing = subprocess.run(
        [sys.executable, "-m", "advisor.cli", "docs", "list"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "12 documents" in listing.stdout, listing.stdout


def test_a_removal_cut_short_leaves_nothing_a_reingest_would_skip(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chromadb.api.models.Collection import Collection

    settings = Settings(store_dir=tmp_path / "store")
    store = build_store(settings, embedder)
    ingestor = Ingestor(settings, store, embedder)
    note = tmp_path / "note.md"
    note.write_text("# Churn\n\nMobile churn rose to 1.3% a month after the July price rise.\n")
    assert ingestor.ingest_file(note, "internal").status == "ingested"
    (record,) = store.documents()

    def crash(self: Collection, *args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # the process dies between the two deletes

    monkeypatch.setattr(Collection, "delete", crash)
    with pytest.raises(KeyboardInterrupt):
        store.remove_document(record.doc_id)
    monkeypatch.undo()
    assert store.documents() == []  # not shown as complete any more
    assert store.recover() == [record.doc_id]
    assert ingestor.ingest_file(note, "internal").status == "ingested"  # not "unchanged"


OPEN_AT = """
import sys, time
from advisor.composition import build_store
from core.settings import Settings
from tests.conftest import HashEmbedder
start = float(sys.argv[2])
while time.time() < start:
    pass
build_store(Settings(store_dir=sys.argv[1]), HashEmbedder())
"""


def test_processes_opening_a_new_store_at_once_all_succeed(tmp_path: Path) -> None:
    """Three processes create the same empty store at the same instant (as two ingests
    started together do): without the lock around creation, Chroma's set-up races
    ('table collections already exists') in about one round in six here."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    for round_ in range(3):
        start = time.time() + 3
        runs = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN_AT, str(tmp_path / f"store{round_}"), str(start)],
                cwd=REPO,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        outputs = [run.communicate(timeout=120) for run in runs]
        assert [run.returncode for run in runs] == [0, 0, 0], outputs


def test_a_running_app_finds_what_another_process_ingested(tmp_path: Path) -> None:
    """A long-lived advisor (as the app keeps one) on the embedded store; another
    process ingests a memo. The next question finds the memo by meaning (vector search)
    as well as by words, without a restart, and the advisor's own writes go on working.
    Without catching up, an embedded client's vector index never shows the new chunks."""
    from advisor.composition import build_advisor
    from ingest.embedder import OnnxEmbedder

    settings = Settings(store_dir=tmp_path / "store", llm="none")
    first = tmp_path / "first.md"
    first.write_text("# Churn\n\nMobile churn rose to 1.3% a month after the July price rise.\n")
    embedder = OnnxEmbedder(settings.embed_model, settings.model_cache_dir)
    advisor = build_advisor(settings, embedder)
    assert Ingestor(settings, advisor.store, embedder).ingest_file(first).status == "ingested"
    assert advisor.store.catch_up() is False  # its own write is not news to it
    assert advisor.ask("What happened to mobile churn?").citations  # the index is loaded

    memo = tmp_path / "memo.md"
    memo.write_text(
        "# Field service\n\nTechnicians now arrive within a two-hour window for 91% of "
        "home visits, up from 64% before the new scheduling tool.\n"
    )
    env = {**os.environ, "CXA_STORE_DIR": str(settings.store_dir), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "advisor.cli", "ingest", str(memo)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr

    question = "How punctual are our engineers when they visit customers at home?"
    vector = embedder.embed_query(question)
    complete = {r.doc_id for r in advisor.store.documents()}
    assert len(complete) == 2  # the registry is read afresh anyway
    answer = advisor.ask(question)  # catches up before searching
    assert answer.citations and "Field service" in answer.citations[0].title
    hits = advisor.store.query(vector, 2, docs=complete)
    assert {h.metadata.get("title") for h in hits} == {"Field service", "Churn"}

    third = tmp_path / "third.md"
    third.write_text("# Billing\n\nBilling complaints fell by a third after the new invoice.\n")
    assert Ingestor(settings, advisor.store, embedder).ingest_file(third).status == "ingested"
    assert len(advisor.store.query(vector, 5)) == 3
