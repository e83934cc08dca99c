"""Asks from several threads at once give the same answers as asked one by one."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from advisor.composition import build_advisor, build_ingestor
from core.settings import Settings
from ingest.embedder import Embedder
from tests.conftest import CORPUS

pytestmark = pytest.mark.integration

QUESTIONS = [
    "What share of organisations have no C-level CX sponsor?",
    "Who should own CX here?",
    "What is the NPS of our call centre?",
    "Which function controls the most CX technology spending according to Gartner?",
    "When will our CRM be replaced?",
    "What is the capital of Mongolia?",
]


def _comparable(answer: object) -> str:
    data = answer.model_dump()  # type: ignore[attr-defined]
    data.pop("timings_ms")
    return repr(data)


def test_concurrent_asks_match_serial_ones(tmp_path: Path, embedder: Embedder) -> None:
    settings = Settings(store_dir=tmp_path / "store", llm="none")
    ingestor = build_ingestor(settings, embedder)
    assert ingestor.ingest_paths([CORPUS / "research"], "research").ok
    assert ingestor.ingest_paths([CORPUS / "internal"], "internal").ok
    advisor = build_advisor(settings, embedder)
    serial = [_comparable(advisor.ask(q)) for q in QUESTIONS]
    with ThreadPoolExecutor(max_workers=6) as pool:
        parallel = list(pool.map(lambda q: _comparable(advisor.ask(q)), QUESTIONS * 3))
    assert parallel == serial * 3
