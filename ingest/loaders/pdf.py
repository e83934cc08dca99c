"""PDF via pypdf, one section per page so every chunk keeps its page number."""

from __future__ import annotations

import io
import logging
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
        parts: list[tuple[str, int | None, str | None]] = []
        for number, page in enumerate(pages, start=1):
            parts.append((_page_text(page), number, None))
        title = _title(reader)
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as err:
        raise IngestError(f"corrupt PDF ({type(err).__name__})") from None
    title = title or next((t.strip().splitlines()[0] for t, _, _ in parts if t.strip()), "")
    return LoadedDocument.from_parts(parts, title=title[:200] or path.stem, meta=_meta(reader))


def _decrypts_without_password(reader: object) -> bool:
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception:
        return False


def _page_text(page: object) -> str:
    text = page.extract_text() or ""  # type: ignore[attr-defined]
    lines = [ln.rstrip() for ln in text.replace("\x00", "").splitlines()]
    return "\n".join(lines)


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
