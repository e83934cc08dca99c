"""DOCX via python-docx: paragraphs and tables in order, split at heading styles."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ingest.document import Block, LoadedDocument
from ingest.errors import IngestError
from ingest.headline import detect
from ingest.reading import lead_in, read_lines

_MAX_EXPANDED_BYTES = 200 * 1024 * 1024
_MAX_XML_BYTES = 40 * 1024 * 1024  # the XML that is parsed; images are not
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
    xml = sum(info.file_size for info in infos if info.filename.endswith((".xml", ".rels")))
    if xml > _MAX_XML_BYTES:
        mb = xml / 1024 / 1024
        raise IngestError(f"DOCX holds {mb:.0f} MB of XML to parse, over the 40 MB limit")
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

    blocks: list[Block] = []
    heading: str | None = None
    styled_title: str | None = None
    numbers: list[int] = []  # running number of the current "List Number" list
    lead = ""
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = " ".join(item.text.split())  # soft line breaks inside a paragraph
            if not text:
                continue
            style = (item.style.name if item.style is not None else "") or ""
            if style.startswith("Heading") or style == "Title":
                heading = text
                styled_title = styled_title or (text if style == "Title" else None)
                blocks.append(Block("heading", text, None, heading))
                numbers = []
            elif style.startswith("List"):
                if not blocks or blocks[-1].role != "list_item":
                    lead = lead_in(blocks, heading)
                    numbers = []
                if "Number" in style:
                    numbers.append(len(numbers) + 1)
                    text = f"{numbers[-1]}. {text}"
                blocks.append(Block("list_item", text, None, heading, lead))
            elif style == "Caption":
                blocks.append(Block("caption", text, None, heading))
            else:
                blocks.extend(read_lines([text], section=heading))
        elif isinstance(item, Table):
            rows = [" | ".join(" ".join(c.text.split()) for c in row.cells) for row in item.rows]
            rows = [r for r in rows if r.strip(" |")]
            for i, row in enumerate(rows):
                if len(rows) > 1 and i == 0:
                    blocks.append(Block("table_header", row, None, heading))
                else:
                    header = rows[0] if len(rows) > 1 else ""
                    blocks.append(Block("table_row", row, None, heading, header))

    props = document.core_properties
    meta: dict[str, str] = {}
    sources: dict[str, str] = {}
    if props.author:
        meta["author"], sources["author"] = props.author.strip(), "docx properties"
    if props.created:
        meta["date"], sources["date"] = props.created.date().isoformat(), "docx properties"
    title = (props.title or "").strip()
    sources["title"] = "docx properties"
    weighed = None
    if not title:
        found = detect(blocks)
        title, sources["title"] = styled_title or found.title or path.stem, "detected"
        if title == path.stem:
            sources["title"] = "file name"
        weighed = found.headlines if not styled_title else None
    return LoadedDocument.from_blocks(blocks, title, meta, sources, weighed)
