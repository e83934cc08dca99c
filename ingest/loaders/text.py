"""Plain text: encoding detected, web-page chrome removed, headings guessed."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.document import LoadedDocument
from ingest.loaders.decoding import decode_text
from ingest.loaders.webclean import clean_web_text

_UNDERLINE = re.compile(r"^(=+|-+)$")


def _is_heading(line: str, next_line: str | None) -> bool:
    line = line.strip()
    if not line or len(line) > 80 or line.endswith((".", ",", ";", "?", "!")):
        return False
    if next_line is not None and _UNDERLINE.match(next_line.strip()):
        return True
    return len(line.split()) <= 10 and (next_line is None or next_line.strip() == "")


def text_sections(text: str) -> list[tuple[str, int | None, str | None]]:
    """Paragraph blocks grouped under the last heading-like line before them."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    parts: list[tuple[str, int | None, str | None]] = []
    current: list[str] = []
    has_body = False
    heading: str | None = None
    for block in blocks:
        lines = block.splitlines()
        is_heading = (len(lines) == 1 and _is_heading(lines[0], None)) or (
            len(lines) == 2 and _is_heading(lines[0], lines[1])
        )
        if is_heading:
            if has_body:
                parts.append(("\n\n".join(current), None, heading))
                current, has_body = [], False
            heading = lines[0].strip()
        else:
            has_body = True
        current.append(block)
    if current:
        parts.append(("\n\n".join(current), None, heading))
    return parts


def load_text(path: Path, data: bytes) -> LoadedDocument:
    text = clean_web_text(decode_text(data))
    parts = text_sections(text)
    first_line = text.strip().splitlines()[0].strip() if text.strip() else ""
    if len(first_line) > 100 or first_line.endswith((".", ",", ";", ":")):
        first_line = ""
    title = first_line or next((h for _, _, h in parts if h), None) or path.stem
    return LoadedDocument.from_parts(parts, title=title)
