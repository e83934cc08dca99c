"""Upload handling: safe names, caps, confinement, password check."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import Settings
from ingest.errors import IngestError
from ui.uploads import password_ok, sanitize_filename, save_upload


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd.md", "passwd.md"),
        ("..\\..\\boot.ini.txt", "boot.ini.txt"),
        ("re\x00port\x1b[31m.PDF", "report_31m.pdf"),
        (".hidden.md", "hidden.md"),
        ("Q3 review (final).docx", "Q3 review _final.docx"),
        ("", "upload"),
    ],
)
def test_sanitize_filename(raw: str, safe: str) -> None:
    assert sanitize_filename(raw) == safe


def test_save_upload_stays_in_the_upload_folder(tmp_path: Path) -> None:
    settings = Settings(store_dir=tmp_path / "store", max_file_mb=0.001)
    path = save_upload(settings, "../../../evil.md", b"# Note\n\nText.")
    assert path.parent == (tmp_path / "store" / "uploads").resolve()
    assert path.read_bytes() == b"# Note\n\nText." and path.name == "evil.md"
    with pytest.raises(IngestError, match=r"over the 0\.001 MB cap"):
        save_upload(settings, "big.txt", b"x" * 2000)
    with pytest.raises(IngestError, match=r"unsupported file type '\.exe'"):
        save_upload(settings, "tool.exe", b"MZ")
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_password_check() -> None:
    assert not password_ok(Settings(), "anything")
    settings = Settings(analyst_password="s3cret")
    assert password_ok(settings, "s3cret") and not password_ok(settings, "s3cre")


def test_answer_markdown_lists_sources_with_quotes() -> None:
    from advisor.answer import Answer, Citation
    from ingest.store import DocumentRecord
    from ui.export import answer_markdown

    citation = Citation(
        n=1,
        doc_id="d1",
        title="Study",
        source="/docs/study.md",
        kind="research",
        page=3,
        quote="64% of organisations have no C-level CX sponsor.",
    )
    answer = Answer(
        question="Who?",
        answer="Most lack a sponsor. [1]",
        abstained=False,
        model="m",
        citations=[citation],
    )
    record = DocumentRecord(
        "d1", "/docs/study.md", "Study", "research", 2, "t", publisher="Pega", date="2020"
    )
    text = answer_markdown(answer, {"d1": record})
    assert "## Who?" in text and "Most lack a sponsor. [1]" in text
    assert "- [1] Study \\(Pega, 2020, p. 3\\): /docs/study.md" in text
    assert "  > 64% of organisations have no C-level CX sponsor." in text


def test_a_source_cited_several_times_is_listed_once_with_each_quote() -> None:
    from advisor.answer import Answer, Citation
    from ui.export import answer_markdown

    def cite(n: int, doc: str, quote: str) -> Citation:
        return Citation(
            n=n, doc_id=doc, title=f"Notes {doc}", source=f"/{doc}.md", kind="internal", quote=quote
        )

    citations = [
        cite(1, "a", "Option A: the CMO owns CX."),
        cite(2, "b", "Marketing holds 52% of the budget."),
        cite(3, "a", "Option B: a new CCO."),
    ]
    answer = Answer(question="Who?", answer="x", abstained=False, model="m", citations=citations)
    text = answer_markdown(answer, {})
    assert text.count("Notes a") == 1 and text.count("Notes b") == 1
    assert "- [1] [3] Notes a \\(internal\\): /a.md\n  > [1] Option A" in text
    assert "  > [3] Option B\\: a new CCO." in text
    assert "- [2] Notes b \\(internal\\): /b.md\n  > Marketing holds 52% of the budget." in text


def test_cited_sources_group_by_document_and_page_in_citation_order() -> None:
    from advisor.answer import Citation, cited_sources

    def cite(n: int, doc: str, page: int | None) -> Citation:
        return Citation(
            n=n, doc_id=doc, title=doc, source=doc, kind="internal", page=page, quote="q"
        )

    groups = cited_sources([cite(1, "b", 2), cite(2, "a", None), cite(3, "b", 2), cite(4, "b", 5)])
    assert [[c.n for c in g] for g in groups] == [[1, 3], [2], [4]]
