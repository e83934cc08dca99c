"""Pick a loader by file extension; each turns bytes into a LoadedDocument or raises
IngestError with a one-line reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.document import LoadedDocument
from ingest.errors import IngestError
from ingest.loaders.docx import load_docx
from ingest.loaders.html import load_html
from ingest.loaders.markdown import load_markdown
from ingest.loaders.pdf import load_pdf
from ingest.loaders.text import load_text

Loader = Callable[[Path, bytes], LoadedDocument]

LOADERS: dict[str, Loader] = {
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".html": load_html,
    ".htm": load_html,
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_text,
    ".text": load_text,
}

SUPPORTED_SUFFIXES = tuple(LOADERS)


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in LOADERS


def load_document(path: Path, data: bytes) -> LoadedDocument:
    """Load `data` (the bytes of `path`) with the loader for its extension."""
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        supported = ", ".join(sorted({s for s in LOADERS}))
        raise IngestError(f"unsupported file type '{path.suffix or '(none)'}' (use {supported})")
    if not data.strip():
        raise IngestError("empty file")
    try:
        document = loader(path, data)
    except IngestError:
        raise
    except RecursionError:
        raise IngestError("file is too deeply nested to read") from None
    except Exception as err:
        raise IngestError(
            f"unreadable {path.suffix.lstrip('.').upper()} ({type(err).__name__})"
        ) from None
    if not document.text.strip():
        raise IngestError("no extractable text (empty, or scanned images without a text layer)")
    return document
