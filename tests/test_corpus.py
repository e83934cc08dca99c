"""The starter corpus: complete metadata, figures traceable to the facts sheet, and an
ingest that is a no-op the second time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.settings import Settings
from ingest.embedder import Embedder
from ingest.loaders import load_document
from ingest.loaders.markdown import split_front_matter
from tests.conftest import CORPUS, REPO

FACTS = REPO.parent / "shared" / "cx-facts.md"
RESEARCH = sorted((CORPUS / "research").glob("*.md"))
INTERNAL = sorted(p for p in (CORPUS / "internal").iterdir() if not p.name.startswith("."))
_FIGURE = re.compile(r"\$?\d[\d,.]*\s?(?:%|x\b|B\b| billion)?")


def test_research_notes_have_front_matter() -> None:
    assert len(RESEARCH) >= 8
    for path in RESEARCH:
        meta, body = split_front_matter(path.read_text(encoding="utf-8"))
        assert {"title", "publisher", "author", "date", "url", "kind"} <= set(meta), path.name
        assert meta["kind"] == "research" and meta["url"].startswith("https://"), path.name
        assert len(body.split()) > 150, path.name


@pytest.mark.skipif(not FACTS.exists(), reason="the facts sheet is not beside the repository")
def test_research_figures_come_from_the_facts_sheet() -> None:
    facts = FACTS.read_text(encoding="utf-8").replace(",", "")
    for path in RESEARCH:
        _, body = split_front_matter(path.read_text(encoding="utf-8"))
        for figure in _FIGURE.findall(body):
            core = figure.replace(",", "").strip().rstrip(".").lstrip("$")
            core = re.sub(r"\s?(%|x|B| billion)$", "", core)
            assert core in facts, f"{path.name}: '{figure}' is not in the facts sheet"


def test_internal_documents_cover_every_format() -> None:
    suffixes = {p.suffix for p in INTERNAL}
    assert {".md", ".html", ".txt", ".pdf", ".docx"} <= suffixes
    assert 5 <= len(INTERNAL) <= 8
    for path in INTERNAL:
        doc = load_document(path, path.read_bytes())
        assert len(doc.text.split()) > 150, path.name
    pdf = next(p for p in INTERNAL if p.suffix == ".pdf")
    assert len({s.page for s in load_document(pdf, pdf.read_bytes()).sections}) >= 2


@pytest.mark.integration
def test_ingesting_the_corpus_twice_adds_nothing(tmp_path: Path, embedder: Embedder) -> None:
    from advisor.composition import build_ingestor

    ingestor = build_ingestor(Settings(store_dir=tmp_path / "store"), embedder)
    first = [
        ingestor.ingest_paths([CORPUS / "research"], "research"),
        ingestor.ingest_paths([CORPUS / "internal"], "internal"),
    ]
    assert all(report.ok for report in first)
    ingested = sum(len(report.ingested) for report in first)
    assert ingested == len(RESEARCH) + len(INTERNAL)
    docs_before = {r.doc_id: (r.chunks, r.ingested_at) for r in ingestor.store.documents()}
    chunks_before = ingestor.store.count_chunks()
    assert sum(c for c, _ in docs_before.values()) == chunks_before

    second = [
        ingestor.ingest_paths([CORPUS / "research"], "research", prune=True),
        ingestor.ingest_paths([CORPUS / "internal"], "internal", prune=True),
    ]
    for report in second:
        assert report.ok and not report.ingested and not report.pruned
        assert {r.status for r in report.results} == {"skipped"}
    assert {r.doc_id: (r.chunks, r.ingested_at) for r in ingestor.store.documents()} == docs_before
    assert ingestor.store.count_chunks() == chunks_before
