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


def test_ingest_reports_the_slow_file_and_keeps_the_others(tmp_path: Path) -> None:
    from tests.conftest import HashEmbedder

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "stall-report.md").write_text("# Stuck\n\nThis file never finishes reading.\n")
    (folder / "memo.md").write_text("# Memo\n\nThe CX Council meets every month.\n")
    settings = Settings(store_dir=tmp_path / "store", read_seconds=2.0)
    ingestor = build_ingestor(settings, HashEmbedder())
    ingestor.read = BoundedReader(2.0, stalling_reader)
    try:
        report = ingestor.ingest_paths([folder])
    finally:
        ingestor.read.close()  # type: ignore[attr-defined]
    by_name = {Path(r.path).name: r for r in report.results}
    assert by_name["memo.md"].status == "ingested"
    assert by_name["stall-report.md"].status == "failed"
    assert "CXA_READ_SECONDS" in by_name["stall-report.md"].reason
    assert [d.title for d in ingestor.store.documents()] == ["Memo"]
