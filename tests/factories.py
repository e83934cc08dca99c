"""Build real test files (PDF, DOCX, HTML, Markdown, text) on disk."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.settings import Settings


def make_pdf(path: Path, pages: list[str], title: str | None = None) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


def make_encrypted_pdf(path: Path, text: str) -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = make_pdf(path.with_suffix(".plain.pdf"), [text])
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with path.open("wb") as handle:
        writer.write(handle)
    plain.unlink()
    return path


def make_blank_pdf(path: Path, pages: int = 3) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def make_docx(path: Path, blocks: list[tuple[str, str]], title: str | None = None) -> Path:
    """blocks: (style, text) with style 'h1', 'h2', 'p', 'li', or 'table' (rows by '\\n',
    cells by '|')."""
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    for style, text in blocks:
        if style in ("h1", "h2"):
            document.add_heading(text, level=int(style[1]))
        elif style == "li":
            document.add_paragraph(text, style="List Bullet")
        elif style == "table":
            rows = [r.split("|") for r in text.splitlines()]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell.strip()
        else:
            document.add_paragraph(text)
    document.save(str(path))
    return path


WEB_DUMP = """Skip to content
Home
Products
Support
About us
Sign in
We use cookies to improve your experience. Accept all cookies
Manage preferences

Quarterly service report

Customer satisfaction in the app rose to 72 points in the third quarter, helped by faster \
billing fixes. Complaints about roaming charges fell by a fifth compared with the previous \
quarter.

Call centre

Average handle time in the call centre was 7 minutes and 40 seconds, and first-contact \
resolution reached 68 percent.

Share
Privacy
Terms
© 2026 Example Telecom. All rights reserved.
"""

HTML_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>CX budget 2026 | Intranet</title>
<meta name="author" content="Jane Doe, Head of FP&amp;A"></head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/teams">Teams</a></li>
<li><a href="/it">IT Help</a></li></ul></nav></header>
<div class="cookie-banner">We use cookies. <button>Accept all cookies</button></div>
<main><article>
<h1>CX budget 2026</h1>
<p>The customer experience budget for 2026 totals 18 million euros across six departments,
and marketing controls the largest share of it.</p>
<h2>Budget by department</h2>
<p>Marketing holds 41 percent of the budget, while IT holds 27 percent for platforms such as
the CRM and the contact-centre software.</p>
<table><tr><th>Department</th><th>Share</th></tr>
<tr><td>Marketing</td><td>41%</td></tr><tr><td>IT</td><td>27%</td></tr></table>
</article></main>
<footer><p>&copy; 2026 Example Telecom</p><a href="/privacy">Privacy</a></footer>
</body></html>
"""

MARKDOWN_NOTE = """---
title: "Test study on CX ownership"
publisher: "Example Research"
author: "A. Author"
date: "2021-03"
url: "https://example.org/study"
kind: research
---

# Test study on CX ownership

## Survey scope

The study surveyed 800 leaders in the United States and the United Kingdom about who leads
customer experience transformation.

## Key findings

Most respondents put CX transformation with the chief marketing officer, and each group
favoured its own function.
"""


def quoted_from(quote: str, text: str) -> bool:
    """Whether `quote` occurs in `text` whitespace aside (a hard-wrapped paragraph is
    quoted as one line), as the answer contract promises."""
    return " ".join(quote.split()) in " ".join(text.split())


def raw_collections(settings: Settings) -> tuple[Any, Any]:
    """The store's two Chroma collections (chunks, document registry) reached through
    Chroma's own client, for tests that write rows the way an interrupted writer leaves
    them. The names are the store's documented layout: `<collection>` and
    `<collection>-docs`."""
    from advisor.composition import build_chroma_client

    client = build_chroma_client(settings)
    return (
        client.get_collection(settings.collection, embedding_function=None),
        client.get_collection(f"{settings.collection}-docs", embedding_function=None),
    )
