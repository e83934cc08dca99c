"""Plain text: encoding detected, web-page chrome set aside, read into blocks; title,
author, date and publisher found on the page."""

from __future__ import annotations

from pathlib import Path

from ingest.document import LoadedDocument
from ingest.headline import detect
from ingest.loaders.decoding import decode_text
from ingest.loaders.webclean import chrome_lines
from ingest.reading import read_lines


def load_text(path: Path, data: bytes) -> LoadedDocument:
    lines = [ln.rstrip() for ln in decode_text(data).splitlines()]
    blocks = read_lines(lines, chrome=chrome_lines(lines))
    found = detect(blocks)
    sources = {key: "detected" for key in found.meta}
    sources["title"] = "detected" if found.title else "file name"
    return LoadedDocument.from_blocks(
        found.applied(blocks), found.title or path.stem, found.meta, sources
    )
