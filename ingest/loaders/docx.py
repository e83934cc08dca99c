"""DOCX via python-docx: paragraphs and tables in order, split at heading styles."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ingest.document import LoadedDocument
from ingest.errors import IngestError

_MAX_EXPANDED_BYTES = 200 * 1024 * 1024
_MAX_RATIO = 200


def check_zip(data: bytes) -> None:
    """Refuse non-zip data and archives that would expand enormously (zip bombs)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise IngestError("not a DOCX file (not a zip archive)") from None
    expanded = sum(info.file_size for info in infos)
    if expanded > _MAX_EXPANDED_BYTES or expanded > _MAX_RATIO * max(len(data), 1):
        mb = expanded / 1024 / 1024
        raise IngestError(f"DOCX expands to {mb:.0f} MB, refused as a possible zip bomb")
    if "word/document.xml" not in {info.filename for info in infos}:
        raise IngestError("not a DOCX file (no word/document.xml)")


def load_docx(path: Path, data: bytes) -> LoadedDocument:
    check_zip(data)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:
        raise IngestError(f"corrupt DOCX ({type(err).__name__})") from None

    parts: list[tuple[str, int | None, str | None]] = []
    current: list[str] = []
    heading: str | None = None
    has_body = False
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if not text:
                continue
            style = (block.style.name if block.style is not None else "") or ""
            if style.startswith("Heading") or style == "Title":
                if has_body:
                    parts.append(("\n\n".join(current), None, heading))
                    current, has_body = [], False
                heading = text
            else:
                has_body = True
                if style.startswith("List"):
                    text = f"- {text}"
            current.append(text)
        elif isinstance(block, Table):
            rows = [" | ".join(cell.text.strip() for cell in row.cells) for row in block.rows]
            if rows:
                current.append("\n".join(rows))
                has_body = True
    if current:
        parts.append(("\n\n".join(current), None, heading))

    props = document.core_properties
    meta = {}
    if props.author:
        meta["author"] = props.author.strip()
    if props.created:
        meta["date"] = props.created.date().isoformat()
    title = (props.title or "").strip() or next((h for _, _, h in parts if h), None) or path.stem
    return LoadedDocument.from_parts(parts, title=title, meta=meta)
