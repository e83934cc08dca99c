"""Plain text: encoding detected, web-page chrome set aside, read into blocks; title,
author, date and publisher found on the page. Text with form feeds between pages (as
`pdftotext` writes it) is read page by page, its running headers and footers set aside."""

from __future__ import annotations

from pathlib import Path

from ingest.document import Block, LoadedDocument
from ingest.headline import detect
from ingest.loaders.decoding import decode_text
from ingest.loaders.pages import read_pages
from ingest.loaders.webclean import chrome_lines
from ingest.reading import read_lines


def load_text(path: Path, data: bytes) -> LoadedDocument:
    text = decode_text(data)
    pages = [page for page in text.split("\f") if page.strip()]
    owner: str | None = None
    if len(pages) > 1:
        printed = read_pages(pages)
        owner = printed.owner
        blocks = printed.blocks(_read)
    else:
        blocks = _read(text.splitlines(), None)
    found = detect(blocks)
    if owner and "publisher" not in found.meta:  # the running footer's copyright line
        found.meta["publisher"] = owner
    sources = {key: "detected" for key in found.meta}
    sources["title"] = "detected" if found.title else "file name"
    return LoadedDocument.from_blocks(
        found.applied(blocks), found.title or path.stem, found.meta, sources, found.headlines
    )


def _read(lines: list[str], page: int | None, words: frozenset[str] | None = None) -> list[Block]:
    lines = [ln.rstrip() for ln in lines]
    return read_lines(lines, page=page, chrome=chrome_lines(lines), words=words)
