"""Reading a file within a time budget: a file that keeps the parser busy fails alone,
with one line, and the next file is read by a fresh worker."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from advisor.composition import build_ingestor
from core.settings import Settings
from ingest.bounded import BoundedReader
from ingest.document import LoadedDocument
from ingest.errors import IngestError
from ingest.loaders import load_document
from ingest.pipeline import Ingestor, IngestReport


def stalling_reader(path: Path, data: bytes) -> LoadedDocument:
    """Stands in for a parser stuck in a hostile file: any file named 'stall*'."""
    if path.name.startswith("stall"):
        time.sleep(60)
    return load_document(path, data)


def test_a_file_over_the_budget_fails_and_the_next_is_read(tmp_path: Path) -> None:
    reader = BoundedReader(2.0, stalling_reader)
    try:
        good = tmp_path / "memo.md"
        good.write_text("# Memo\n\nThe CX Council meets every month to review complaints.\n")
        started = time.perf_counter()
        with pytest.raises(IngestError, match="longer than 2 s"):
            reader(tmp_path / "stall.md", good.read_bytes())
        assert time.perf_counter() - started < 20
        assert reader(good, good.read_bytes()).title == "Memo"  # a fresh worker
        with pytest.raises(IngestError, match="empty file"):  # loader errors cross over
            reader(tmp_path / "empty.md", b"  ")
    finally:
        reader.close()


def _ingest_folder(tmp_path: Path, files: dict[str, str]) -> tuple[IngestReport, Ingestor]:
    """Ingest the files with a reader that gets stuck in any file named 'stall*'."""
    from tests.conftest import HashEmbedder

    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    settings = Settings(store_dir=tmp_path / "store", read_seconds=2.0)
    ingestor = build_ingestor(settings, HashEmbedder())
    reader = BoundedReader(2.0, stalling_reader)
    ingestor.read = reader
    try:
        return ingestor.ingest_paths([folder]), ingestor
    finally:
        reader.close()


STUCK = "# Stuck\n\nThis file never finishes reading.\n"


def test_ingest_reports_the_slow_file_and_keeps_the_others(tmp_path: Path) -> None:
    report, ingestor = _ingest_folder(
        tmp_path,
        {"stall-report.md": STUCK, "memo.md": "# Memo\n\nThe CX Council meets every month.\n"},
    )
    by_name = {Path(r.path).name: r for r in report.results}
    assert by_name["memo.md"].status == "ingested"
    assert by_name["stall-report.md"].status == "failed"
    assert "CXA_READ_SECONDS" in by_name["stall-report.md"].reason
    assert [d.title for d in ingestor.store.documents()] == ["Memo"]


def test_a_file_read_ahead_behind_a_stuck_one_is_read_by_the_next_worker(
    tmp_path: Path,
) -> None:
    # Read in name order: the stuck file first, so the memo is already handed to the
    # worker that gets stopped.
    report, ingestor = _ingest_folder(
        tmp_path,
        {
            "stall-report.md": STUCK,
            "t-memo.md": "# Memo\n\nThe CX Council meets every month.\n",
            "u-notes.md": "# Notes\n\nComplaints fell in the third quarter.\n",
        },
    )
    statuses = {Path(r.path).name: r.status for r in report.results}
    assert statuses == {
        "stall-report.md": "failed",
        "t-memo.md": "ingested",
        "u-notes.md": "ingested",
    }
    assert [d.title for d in ingestor.store.documents()] == ["Memo", "Notes"]


def test_a_reader_shared_by_two_threads_fails_only_the_stuck_file(tmp_path: Path) -> None:
    """The app shares one reader between sessions: a second upload read while another
    file is stuck is read by the next worker, not failed with it."""
    reader = BoundedReader(2.0, stalling_reader)
    try:
        # the memo is handed over while the stuck file holds the worker
        outcome = _read_at_once(reader, tmp_path, ["stall", "memo"], pause=0.3)
    finally:
        reader.close()
    assert isinstance(outcome["stall"], IngestError)
    assert outcome["memo"] == "Memo"


def _read_at_once(
    reader: BoundedReader, folder: Path, names: list[str], pause: float
) -> dict[str, object]:
    """Each name read as a memo file by its own thread, one thread started every `pause`
    seconds (the app shares one reader between sessions); each title or error by name."""
    import threading

    memo = b"# Memo\n\nThe CX Council meets every month to review complaints.\n"
    outcome: dict[str, object] = {}

    def read(name: str) -> None:
        try:
            outcome[name] = reader(folder / f"{name}.md", memo).title
        except IngestError as err:
            outcome[name] = err

    threads = [threading.Thread(target=read, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
        time.sleep(pause)
    for thread in threads:
        thread.join()
    return outcome


def pausing_reader(path: Path, data: bytes) -> LoadedDocument:
    """Reads any file named 'slow*' in 1.2 s: slow, but within a 2 s budget."""
    if path.name.startswith("slow"):
        time.sleep(1.2)
    return load_document(path, data)


def test_a_file_queued_behind_a_slow_one_is_not_blamed_for_its_time(tmp_path: Path) -> None:
    """Two uploads waited for at once: the second is read after the first, and its budget
    runs from when the worker starts it, not from when it was handed over."""
    reader = BoundedReader(2.0, pausing_reader)
    try:
        _read_at_once(reader, tmp_path, ["memo"], pause=0)  # the worker is up first
        outcome = _read_at_once(reader, tmp_path, ["slow-a", "slow-b"], pause=0.05)
    finally:
        reader.close()
    assert outcome == {"slow-a": "Memo", "slow-b": "Memo"}  # 2.4 s together, 1.2 s each


def test_the_workers_start_up_does_not_count_against_the_first_file(tmp_path: Path) -> None:
    from tests.slow_start_reader import START_SECONDS, slow_start_reader

    reader = BoundedReader(1.0, slow_start_reader)
    memo = tmp_path / "memo.md"
    memo.write_text("# Memo\n\nThe CX Council meets every month to review complaints.\n")
    try:
        started = time.perf_counter()
        assert reader(memo, memo.read_bytes()).title == "Memo"
        assert time.perf_counter() - started > START_SECONDS  # the start-up was waited out
    finally:
        reader.close()


def test_warming_starts_the_worker_before_the_first_file(tmp_path: Path) -> None:
    """`warm` returns at once and the worker comes up in the background (while the
    caller loads the embedder and the store), so the first file need not wait for it;
    a reader that reads in this process starts none."""
    import multiprocessing

    before = {p.pid for p in multiprocessing.active_children()}
    reader = BoundedReader(5.0)
    memo = tmp_path / "memo.md"
    memo.write_text("# Memo\n\nThe CX Council meets every month to review complaints.\n")
    try:
        started = time.perf_counter()
        reader.warm()
        reader.warm()  # once is enough; again does nothing
        assert time.perf_counter() - started < 0.2
        deadline = time.monotonic() + 30
        while not {p.pid for p in multiprocessing.active_children()} - before:
            assert time.monotonic() < deadline, "no worker started"
            time.sleep(0.05)
        assert reader(memo, memo.read_bytes()).title == "Memo"
    finally:
        reader.close()
    in_process = BoundedReader(0)
    in_process.warm()
    time.sleep(0.3)
    assert not {p.pid for p in multiprocessing.active_children()} - before
    assert in_process(memo, memo.read_bytes()).title == "Memo"
