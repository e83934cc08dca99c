"""PDF via pypdf, one section per page so every chunk keeps its page number."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

from ingest.document import LoadedDocument
from ingest.errors import IngestError

_MAX_PAGES = 5000


def load_pdf(path: Path, data: bytes) -> LoadedDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if b"%PDF-" not in data[:1024]:
        raise IngestError("not a PDF file (no %PDF header)")
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _decrypts_without_password(reader):
            raise IngestError("encrypted PDF: it needs a password to open")
        pages = reader.pages
        if len(pages) > _MAX_PAGES:
            raise IngestError(f"PDF has {len(pages)} pages, over the {_MAX_PAGES}-page limit")
        texts = strip_running_lines([_page_text(page) for page in pages])
        parts: list[tuple[str, int | None, str | None]] = [
            (text, number, None) for number, text in enumerate(texts, start=1)
        ]
        title = _title(reader)
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as err:
        raise IngestError(f"corrupt PDF ({type(err).__name__})") from None
    title = title or next((t.strip().splitlines()[0] for t, _, _ in parts if t.strip()), "")
    return LoadedDocument.from_parts(parts, title=title[:200] or path.stem, meta=_meta(reader))


_PAGE_NUMBER = re.compile(r"^\s*(page\s*)?\d+(\s*(of|/)\s*\d+)?\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


def strip_running_lines(pages: list[str]) -> list[str]:
    """Drop running headers and footers: page-number lines, and lines that recur (digits
    aside) at the top or bottom of at least half the pages of a document of 3+ pages."""
    lines = [text.splitlines() for text in pages]

    def depth(page: list[str]) -> int:
        return 2 if len(page) > 4 else 1

    edges: dict[str, int] = {}
    for page in lines:
        d = depth(page)
        for line in {ln.strip() for ln in page[:d] + page[-d:] if ln.strip()}:
            key = _DIGITS.sub("#", line)
            edges[key] = edges.get(key, 0) + 1
    recurring = {k for k, n in edges.items() if len(pages) >= 3 and n >= len(pages) / 2}
    cleaned = []
    for page in lines:
        kept = [
            ln
            for i, ln in enumerate(page)
            if not _PAGE_NUMBER.match(ln)
            and not (
                (i < depth(page) or i >= len(page) - depth(page))
                and _DIGITS.sub("#", ln.strip()) in recurring
            )
        ]
        cleaned.append("\n".join(kept))
    return cleaned


def _decrypts_without_password(reader: object) -> bool:
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception:
        return False


_ENDS_CLAUSE = re.compile(r"[.!?:;]$")
_CONTINUES = re.compile(r"^[a-z0-9(€$£%–-]")


def _page_text(page: object) -> str:
    text = page.extract_text() or ""  # type: ignore[attr-defined]
    lines = [ln.rstrip() for ln in text.replace("\x00", "").splitlines()]
    return "\n".join(reflow(lines))


def reflow(lines: list[str]) -> list[str]:
    """Join lines the PDF wrapped mid-sentence (the next line carries on in lower case or
    with a number), so sentences can be found and quoted whole; table rows and headings,
    which start with a capital, stay on their own lines."""
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        if (
            out
            and out[-1]
            and stripped
            and not _ENDS_CLAUSE.search(out[-1])
            and _CONTINUES.match(stripped)
        ):
            out[-1] = f"{out[-1]} {stripped}"
        else:
            out.append(line)
    return out


def _title(reader: object) -> str | None:
    meta = getattr(reader, "metadata", None)
    title = getattr(meta, "title", None) if meta else None
    return str(title).strip() if title else None


def _meta(reader: object) -> dict[str, str]:
    meta = getattr(reader, "metadata", None)
    if not meta:
        return {}
    out: dict[str, str] = {}
    if getattr(meta, "author", None):
        out["author"] = str(meta.author).strip()
    created = getattr(meta, "creation_date", None)
    if created is not None:
        out["date"] = created.date().isoformat()
    return out
