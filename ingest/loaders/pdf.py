"""PDF via pypdf, one section per page so every chunk keeps its page number."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

from ingest.document import LoadedDocument
from ingest.errors import IngestError
from ingest.headline import detect
from ingest.loaders.pages import read_pages
from ingest.reading import read_lines

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
        printed = read_pages([_page_text(page) for page in pages])
        blocks = printed.blocks(
            lambda lines, number, words: read_lines(
                lines, page=number, slack=_FONT_SLACK, words=words
            )
        )
        title = _title(reader, pages)
        meta = _meta(reader)
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as err:
        raise IngestError(f"corrupt PDF ({type(err).__name__})") from None
    sources = {key: "pdf info" for key in meta}
    if printed.owner and "publisher" not in meta:  # the running footer's copyright line
        meta["publisher"], sources["publisher"] = printed.owner, "detected"
    weighed = None
    if title:
        sources["title"] = "detected"
    else:
        found = detect(blocks)
        title, weighed = found.title or path.stem, found.headlines
        sources["title"] = "detected" if title != path.stem else "file name"
    return LoadedDocument.from_blocks(blocks, title[:200], meta, sources, weighed)


# A document-information title that is a file name or a placeholder, not a title.
_PLACEHOLDER = re.compile(
    r"\.(docx?|pdf|pptx?|xlsx?|indd|txt|rtf|tex|dvi)\b|^(untitled|title|document|slide \d+)\b"
    r"|microsoft (word|powerpoint)|^[\w.-]+$",
    re.IGNORECASE,
)
# Proportional fonts make wrapped lines differ in characters more than monospaced text.
_FONT_SLACK = 0.2


def _decrypts_without_password(reader: object) -> bool:
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception:
        return False


def _page_text(page: object) -> str:
    text = page.extract_text() or ""  # type: ignore[attr-defined]
    return "\n".join(ln.rstrip() for ln in text.replace("\x00", "").splitlines())


def _title(reader: object, pages: object) -> str | None:
    """The text set in the largest font near the top of the first page; the document
    information's title only when that page shows it (it is often a file name)."""
    try:
        first = pages[0]  # type: ignore[index]
    except (IndexError, TypeError):
        return None
    runs: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0
        if text.strip():
            runs.append((round(float(size) * scale, 1), text))

    try:
        page_text = first.extract_text(visitor_text=visit) or ""
    except Exception:
        return None
    declared = " ".join(str(getattr(getattr(reader, "metadata", None), "title", "") or "").split())
    shown = bool(declared) and declared.lower() in " ".join(page_text.split()).lower()
    largest = _largest_text(runs)
    if shown and largest and declared.lower() in largest.lower():
        return largest  # the page's title line says more than the declared one
    if declared and (shown or not _PLACEHOLDER.search(declared)):
        return declared
    return largest


_SECTION_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s+(?=\w)")


def _largest_text(runs: list[tuple[float, str]]) -> str | None:
    """The first text set in the page's largest font, when that font stands out from
    the body text's; a section number before it ('1 Your Chapter') is not part of it."""
    body = sorted((size, len(text)) for size, text in runs if len(text.split()) >= 3)
    if not runs or not body:
        return None
    largest = max(size for size, _ in runs)
    # The body text's size: the median by characters, since body text is most of what a
    # page says (a title page's few lines are mostly title).
    half, seen, typical = sum(n for _, n in body) / 2, 0, body[-1][0]
    for size, n in body:
        seen += n
        if seen >= half:
            typical = size
            break
    if largest < typical * 1.2:
        return None
    words: list[str] = []
    for size, text in runs:
        if size == largest:
            words.extend(text.split())
        elif words and len(words) >= 2:
            break
    title = _SECTION_NUMBER.sub("", " ".join(words))
    return title if 2 <= len(title.split()) <= 30 else None


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
