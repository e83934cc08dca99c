"""Each loader on real files: text, page/heading/offsets, metadata, and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.loaders import load_document
from tests.factories import (
    HTML_PAGE,
    MARKDOWN_NOTE,
    WEB_DUMP,
    make_blank_pdf,
    make_docx,
    make_encrypted_pdf,
    make_pdf,
)


def load(path: Path):  # type: ignore[no-untyped-def]
    return load_document(path, path.read_bytes())


def assert_sections_tile(doc) -> None:  # type: ignore[no-untyped-def]
    for section in doc.sections:
        assert doc.text[section.start : section.start + len(section.text)] == section.text


def test_pdf_keeps_pages_and_title(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "review.pdf",
        ["First page talks about contact volumes.", "Second page covers CSAT by channel."],
        title="Service review",
    )
    doc = load(path)
    assert doc.title == "Service review"
    assert [s.page for s in doc.sections] == [1, 2]
    assert "CSAT by channel" in doc.sections[1].text
    assert_sections_tile(doc)


def test_pdf_refusals(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="encrypted PDF"):
        load(make_encrypted_pdf(tmp_path / "locked.pdf", "Secret numbers."))
    with pytest.raises(IngestError, match="no extractable text"):
        load(make_blank_pdf(tmp_path / "blank.pdf"))
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n" + b"\x8f garbage \x00" * 500)
    with pytest.raises(IngestError, match="PDF"):
        load(corrupt)
    fake = tmp_path / "fake.pdf"
    fake.write_text("just text pretending to be a PDF")
    with pytest.raises(IngestError, match="not a PDF"):
        load(fake)


def test_docx_headings_lists_tables(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "notes.docx",
        [
            ("h1", "CX council notes"),
            ("p", "The council met on 14 October with the CMO and the CIO."),
            ("h2", "Decisions"),
            ("li", "Draft a proposal for a Chief Customer Officer."),
            ("table", "Action|Owner\nBudget review|CFO"),
        ],
        title="Council notes October",
    )
    doc = load(path)
    assert doc.title == "Council notes October"
    headings = [s.heading for s in doc.sections]
    assert headings == ["CX council notes", "Decisions"]
    roles = {b.text: (b.role, b.context) for b in doc.blocks}
    assert roles["Draft a proposal for a Chief Customer Officer."] == ("list_item", "Decisions")
    assert roles["Action | Owner"] == ("table_header", "")
    assert roles["Budget review | CFO"] == ("table_row", "Action | Owner")
    assert "Budget review | CFO" in doc.sections[1].text
    assert_sections_tile(doc)


def test_docx_refusals(tmp_path: Path) -> None:
    not_zip = tmp_path / "bad.docx"
    not_zip.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(IngestError, match="not a DOCX"):
        load(not_zip)

    import zipfile

    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b"a" * (50 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(IngestError, match="zip bomb"):
        load(bomb)


def test_html_main_text_without_chrome(tmp_path: Path) -> None:
    path = tmp_path / "budget.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    doc = load(path)
    assert "18 million euros" in doc.text
    assert doc.meta["author"] == "Jane Doe, Head of FP&A"
    assert "Marketing holds 41 percent" in doc.text
    for chrome in ("IT Help", "cookies", "Privacy", "Teams"):
        assert chrome not in doc.text
    assert "Budget by department" in {s.heading for s in doc.sections}
    assert_sections_tile(doc)


def test_markdown_front_matter_and_sections(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(MARKDOWN_NOTE, encoding="utf-8")
    doc = load(path)
    assert doc.title == "Test study on CX ownership"
    assert doc.meta == {
        "publisher": "Example Research",
        "author": "A. Author",
        "date": "2021-03",
        "url": "https://example.org/study",
        "kind": "research",
    }
    assert [s.heading for s in doc.sections] == ["Survey scope", "Key findings"]
    assert doc.sections[0].text.startswith("Test study")  # bare title kept with body
    assert "title:" not in doc.text
    assert_sections_tile(doc)


def test_markdown_bad_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "broken.md"
    path.write_text("---\ntitle: [unclosed\n---\nBody text here.\n")
    with pytest.raises(IngestError, match="front matter"):
        load(path)


def test_front_matter_aliases_are_refused_before_they_expand(tmp_path: Path) -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi")
    ]
    path = tmp_path / "laughs.md"
    path.write_text("---\n" + "\n".join(levels) + "\ntitle: *i\n---\nBody text here.\n")
    with pytest.raises(IngestError, match="anchors or aliases"):
        load(path)


def test_text_web_dump_is_cleaned_and_encoding_detected(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(
        WEB_DUMP.replace("percent", "%").replace("quarter", "trimestre é").encode("cp1252")
    )
    doc = load(path)
    assert "Customer satisfaction in the app rose to 72 points" in doc.text
    assert "trimestre é" in doc.text
    for chrome in ("Skip to content", "Sign in", "cookies", "Manage preferences", "Share", "©"):
        assert chrome not in doc.text
    assert doc.title == "Quarterly service report"
    assert not doc.text.startswith("Home")
    assert "Call centre" in {s.heading for s in doc.sections}
    assert_sections_tile(doc)


def test_text_refusals(tmp_path: Path) -> None:
    binary = tmp_path / "data.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(IngestError, match="binary"):
        load(binary)
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n\n")
    with pytest.raises(IngestError, match="empty"):
        load(empty)
    with pytest.raises(IngestError, match=r"unsupported file type '\.xyz'"):
        load_document(tmp_path / "thing.xyz", b"hello")
