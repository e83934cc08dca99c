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
    import threading

    reader = BoundedReader(2.0, stalling_reader)
    good = tmp_path / "memo.md"
    good.write_text("# Memo\n\nThe CX Council meets every month to review complaints.\n")
    outcome: dict[str, object] = {}

    def read(name: str, path: Path) -> None:
        try:
            outcome[name] = reader(path, good.read_bytes()).title
        except IngestError as err:
            outcome[name] = err

    try:
        stuck = threading.Thread(target=read, args=("stuck", tmp_path / "stall.md"))
        stuck.start()
        time.sleep(0.3)  # the memo is handed over while the stuck file holds the worker
        read("memo", good)
        stuck.join()
    finally:
        reader.close()
    assert isinstance(outcome["stuck"], IngestError)
    assert outcome["memo"] == "Memo"
