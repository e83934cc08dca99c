"""Regenerate the binary internal documents of the starter corpus.

The fictional company's customer-service review (PDF) and CX council notes
(DOCX) are kept as Markdown under ``corpus/sources/`` so that they can be
reviewed and edited as text. This script turns those sources into the PDF and
DOCX files under ``corpus/internal/`` that the advisor ingests, which lets the
corpus exercise PDF and DOCX loaders without storing hand-made binaries.

Outputs are reproducible: document dates come from the source front matter,
never from the clock, so re-running the script yields the same text content.

Usage::

    python corpus/build_internal.py
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import yaml
from docx import Document
from docx.shared import Pt
from fpdf import FPDF
from fpdf.enums import XPos, YPos

CORPUS_DIR = Path(__file__).resolve().parent
SOURCES_DIR = CORPUS_DIR / "sources"
OUTPUT_DIR = CORPUS_DIR / "internal"

# Which output format each source file is rendered to.
TARGETS: dict[str, Literal["pdf", "docx"]] = {
    "customer-service-review-q3-2026": "pdf",
    "cx-council-notes-2026-10": "docx",
}

# Characters outside Latin-1 that the PDF core fonts cannot encode.
PDF_REPLACEMENTS: dict[str, str] = {
    "\u20ac": "EUR ",  # euro sign
    "\u2013": "-",  # en dash
    "\u2014": " - ",  # em dash
    "\u2212": "-",  # minus sign
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
    "\u00a0": " ",
    "\u2022": "-",
    "\u203a": ">",
}

BlockKind = Literal["h1", "h2", "h3", "bullet", "number", "paragraph", "table"]


@dataclass
class Block:
    """One block-level element of a Markdown source."""

    kind: BlockKind
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    marker: str = ""


@dataclass
class Source:
    """A parsed source document: front matter plus body blocks."""

    stem: str
    meta: dict[str, str]
    blocks: list[Block]

    @property
    def title(self) -> str:
        """Document title, falling back to the file name."""
        return self.meta.get("title", self.stem)

    @property
    def author(self) -> str:
        """Author as written in the front matter."""
        return self.meta.get("author", "")

    @property
    def subject(self) -> str:
        """Subject for document metadata; defaults to the title."""
        return self.meta.get("subject", self.title)

    @property
    def created(self) -> datetime:
        """Document date from front matter (YYYY, YYYY-MM or YYYY-MM-DD)."""
        parts = [int(p) for p in self.meta.get("date", "2026").split("-")]
        year, month, day = [*parts, 1, 1][:3]
        return datetime(year, month, day, 9, 0, 0, tzinfo=UTC)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split the YAML front matter from the Markdown body."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, text
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            loaded = yaml.safe_load("\n".join(lines[1:index])) or {}
            meta = {str(key): str(value) for key, value in loaded.items()}
            return meta, "\n".join(lines[index + 1 :])
    raise ValueError("front matter is not closed with '---'")


def strip_inline(text: str) -> str:
    """Remove Markdown emphasis and code markers, keeping the words."""
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"(?<!\w)_(.+?)_(?!\w)", r"\1", text)
    return text.replace("`", "")


def parse_table_row(line: str) -> list[str]:
    """Split a Markdown pipe-table row into cell texts."""
    return [strip_inline(cell.strip()) for cell in line.strip().strip("|").split("|")]


def is_separator_row(cells: list[str]) -> bool:
    """Tell whether a table row is the ``|---|---|`` header separator."""
    return all(re.fullmatch(r":?-{3,}:?", cell) for cell in cells)


def parse_blocks(body: str) -> list[Block]:
    """Parse the small Markdown subset used by the sources into blocks."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    table: list[list[str]] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", strip_inline(" ".join(paragraph))))
            paragraph.clear()
        if table:
            rows = [row for row in table if not is_separator_row(row)]
            blocks.append(Block("table", rows=rows))
            table.clear()

    for raw in body.splitlines():
        line = raw.strip()
        if line.startswith("|"):
            if paragraph:
                flush()
            table.append(parse_table_row(line))
            continue
        if table:
            flush()
        heading = re.match(r"(#{1,3})\s+(.*)", line)
        bullet = re.match(r"[-*]\s+(.*)", line)
        number = re.match(r"(\d+\.)\s+(.*)", line)
        if not line:
            flush()
        elif heading:
            flush()
            level = len(heading.group(1))
            kind: BlockKind = "h1" if level == 1 else "h2" if level == 2 else "h3"
            blocks.append(Block(kind, strip_inline(heading.group(2))))
        elif bullet:
            flush()
            blocks.append(Block("bullet", strip_inline(bullet.group(1))))
        elif number:
            flush()
            text = strip_inline(number.group(2))
            blocks.append(Block("number", text, marker=number.group(1)))
        else:
            paragraph.append(line)
    flush()
    return blocks


def load_source(path: Path) -> Source:
    """Read and parse one Markdown source file."""
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    return Source(stem=path.stem, meta=meta, blocks=parse_blocks(body))


def pdf_text(text: str) -> str:
    """Make text safe for the Latin-1 core fonts of the PDF."""
    for char, replacement in PDF_REPLACEMENTS.items():
        text = text.replace(char, replacement)
    return text.encode("latin-1", errors="replace").decode("latin-1")


class ReviewPDF(FPDF):
    """A4 PDF with a running title and page numbers in the footer."""

    def __init__(self, running_title: str) -> None:
        """Create the PDF; ``running_title`` is printed on pages after the first."""
        super().__init__(orientation="P", unit="mm", format="A4")
        self.running_title = running_title

    def header(self) -> None:
        """Print the running title, except on the first page."""
        if self.page_no() == 1:
            return
        self.set_font("Helvetica", "I", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 6, self.running_title, align="R")
        self.ln(10)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        """Print the page number as 'Page N of M'."""
        self.set_y(-15)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(110, 110, 110)
        footer = f"Northwind Mobile - internal - Page {self.page_no()} of {{nb}}"
        self.cell(0, 10, footer, align="C")
        self.set_text_color(0, 0, 0)


def count_lines(pdf: FPDF, width: float, line_height: float, text: str) -> int:
    """Count the lines ``text`` needs in a cell of ``width`` at the current font."""
    result = pdf.multi_cell(width, line_height, text, dry_run=True, output="LINES")
    return max(len(result), 1) if isinstance(result, Sequence) else 1


def write_pdf_table(pdf: FPDF, rows: list[list[str]]) -> None:
    """Render a table as bordered rows of equal-width cells."""
    columns = max(len(row) for row in rows)
    first = pdf.epw * (0.40 if columns > 2 else 0.55)
    other = (pdf.epw - first) / max(columns - 1, 1)
    widths = [first] + [other] * (columns - 1)
    line_height = 6.0
    for index, row in enumerate(rows):
        cells = row + [""] * (columns - len(row))
        pdf.set_font("Helvetica", "B" if index == 0 else "", 9)
        lines = [
            count_lines(pdf, width, line_height, pdf_text(cell))
            for width, cell in zip(widths, cells, strict=True)
        ]
        height = line_height * max(lines)
        if pdf.will_page_break(height):
            pdf.add_page()
        x, y = pdf.get_x(), pdf.get_y()
        for width, cell, count in zip(widths, cells, lines, strict=True):
            pdf.set_xy(x, y)
            pdf.rect(x, y, width, height)
            pdf.multi_cell(width, height / count, pdf_text(cell), border=0, align="L")
            x += width
        pdf.set_xy(pdf.l_margin, y + height)
    pdf.ln(4)


def build_pdf(source: Source, target: Path) -> None:
    """Render a source as a text PDF with metadata and page numbers."""
    pdf = ReviewPDF(pdf_text(source.title))
    pdf.set_title(pdf_text(source.title))
    pdf.set_author(pdf_text(source.author))
    pdf.set_subject(pdf_text(source.subject))
    pdf.set_creator("Northwind Mobile")
    pdf.set_creation_date(source.created)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    for block in source.blocks:
        if block.kind == "table":
            write_pdf_table(pdf, block.rows)
            continue
        text = pdf_text(block.text)
        if block.kind == "h1":
            pdf.set_font("Helvetica", "B", 18)
            pdf.multi_cell(0, 9, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(3)
        elif block.kind in ("h2", "h3"):
            size = 13 if block.kind == "h2" else 11
            pdf.ln(3)
            pdf.set_font("Helvetica", "B", size)
            pdf.multi_cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
        elif block.kind in ("bullet", "number"):
            pdf.set_font("Helvetica", "", 10)
            marker = "-" if block.kind == "bullet" else block.marker
            pdf.set_x(pdf.l_margin + 4)
            pdf.multi_cell(0, 5.5, f"{marker} {text}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
        else:
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(0, 5.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2.5)
    pdf.output(str(target))


def build_docx(source: Source, target: Path) -> None:
    """Render a source as a DOCX with headings, lists and real tables."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)

    props = document.core_properties
    props.title = source.title
    props.author = source.author
    props.subject = source.subject
    props.last_modified_by = source.author
    props.created = source.created
    props.modified = source.created
    props.revision = 1

    styles = {
        "h1": "Heading 1",
        "h2": "Heading 2",
        "h3": "Heading 3",
        "bullet": "List Bullet",
        "number": "List Number",
    }
    for block in source.blocks:
        if block.kind == "table":
            columns = max(len(row) for row in block.rows)
            table = document.add_table(rows=0, cols=columns)
            table.style = "Table Grid"
            for index, row in enumerate(block.rows):
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=False):
                    cell.text = value
                    if index == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
            document.add_paragraph()
        elif block.kind == "paragraph":
            document.add_paragraph(block.text)
        else:
            document.add_paragraph(block.text, style=styles[block.kind])
    buffer = io.BytesIO()
    document.save(buffer)
    write_stable_zip(buffer.getvalue(), target, source.created)


def write_stable_zip(data: bytes, target: Path, stamp: datetime) -> None:
    """Rewrite a DOCX package with fixed entry timestamps for stable bytes."""
    date_time = (stamp.year, stamp.month, stamp.day, 0, 0, 0)
    with (
        zipfile.ZipFile(io.BytesIO(data)) as original,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as stable,
    ):
        for item in original.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            stable.writestr(entry, original.read(item.filename))


def main() -> int:
    """Build every configured source; return a process exit code."""
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    built = 0
    for path in sorted(SOURCES_DIR.glob("*.md")):
        output_format = TARGETS.get(path.stem)
        if output_format is None:
            print(f"skipped {path.name}: no output format configured")
            continue
        source = load_source(path)
        target = OUTPUT_DIR / f"{path.stem}.{output_format}"
        if output_format == "pdf":
            build_pdf(source, target)
        else:
            build_docx(source, target)
        print(f"wrote {target.relative_to(CORPUS_DIR.parent)}")
        built += 1
    return 0 if built else 1


if __name__ == "__main__":
    sys.exit(main())
