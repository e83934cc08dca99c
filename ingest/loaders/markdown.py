"""Markdown with optional YAML front matter (title, publisher, author, date, url, kind)."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.document import LoadedDocument
from ingest.errors import IngestError
from ingest.loaders.decoding import decode_text

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.DOTALL)
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^(```|~~~)")
META_KEYS = ("title", "publisher", "author", "date", "url", "kind")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Return (metadata, body); metadata values are strings, unknown keys are dropped."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    import yaml

    try:
        raw = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as err:
        line = getattr(getattr(err, "problem_mark", None), "line", None)
        where = f" (line {line + 2})" if line is not None else ""
        raise IngestError(f"invalid YAML front matter{where}") from None
    if not isinstance(raw, dict):
        raise IngestError("invalid YAML front matter (not a mapping)")
    meta = {k: str(raw[k]).strip() for k in META_KEYS if raw.get(k) not in (None, "")}
    return meta, text[match.end() :]


def markdown_sections(body: str) -> list[tuple[str, int | None, str | None]]:
    """Split at ATX headings (outside code fences); each part starts with its heading.

    A heading with no text before the next heading is kept with that next part, so no
    chunk consists of a bare heading.
    """
    parts: list[tuple[str, int | None, str | None]] = []
    current: list[str] = []
    heading: str | None = None
    in_fence = False
    for line in body.splitlines():
        if _FENCE.match(line.strip()):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match:
            has_body = any(ln.strip() and not _HEADING.match(ln) for ln in current)
            if has_body:
                parts.append(("\n".join(current), None, heading))
                current = []
            heading = match.group(2).strip()
        current.append(line)
    if "\n".join(current).strip():
        parts.append(("\n".join(current), None, heading))
    return parts


def first_heading(body: str) -> str | None:
    for line in body.splitlines():
        match = _HEADING.match(line)
        if match:
            return match.group(2).strip()
    return None


def load_markdown(path: Path, data: bytes) -> LoadedDocument:
    meta, body = split_front_matter(decode_text(data))
    title = meta.pop("title", None) or first_heading(body) or path.stem
    return LoadedDocument.from_parts(markdown_sections(body), title=title, meta=meta)
