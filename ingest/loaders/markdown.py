"""Markdown with optional YAML front matter (title, publisher, author, date, url, kind),
read into blocks."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.document import LoadedDocument
from ingest.errors import IngestError
from ingest.headline import author_box, detect
from ingest.loaders.decoding import decode_text
from ingest.reading import read_lines

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
        # Anchors and aliases let a few hundred bytes expand to gigabytes when values are
        # turned into text; front matter has no use for them.
        if any(
            isinstance(t, yaml.AliasToken | yaml.AnchorToken) for t in yaml.scan(match.group(1))
        ):
            raise IngestError(
                "YAML front matter uses anchors or aliases (& or *); write the values out"
            )
        raw = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as err:
        line = getattr(getattr(err, "problem_mark", None), "line", None)
        where = f" (line {line + 2})" if line is not None else ""
        raise IngestError(f"invalid YAML front matter{where}") from None
    if not isinstance(raw, dict):
        raise IngestError("invalid YAML front matter (not a mapping)")
    meta = {k: str(raw[k]).strip() for k in META_KEYS if raw.get(k) not in (None, "")}
    return meta, text[match.end() :]


def markdown_document(
    body: str, meta: dict[str, str], sources: dict[str, str], path: Path
) -> LoadedDocument:
    """Blocks of a Markdown body; what the metadata lacks is found on the page."""
    blocks = read_lines(body.splitlines(), markdown=True)
    title = meta.pop("title", None)
    heading = first_heading(body)
    found = detect(blocks, title or heading)
    if title is None:
        title = heading or found.title
        if title:
            sources["title"] = "detected"
    if _names_publisher(meta.get("author", ""), meta.get("publisher", "")) and found.meta.get(
        "author"
    ):
        del meta["author"]  # a page's meta naming its site as author; its byline names one
    for key, value in found.meta.items():
        if key not in meta:
            meta[key] = value
            sources[key] = "detected"
    if not title:
        title, sources["title"] = path.stem, "file name"
    weighed = found.headlines if title == found.title and not heading else None
    # An author box's bio is about the author, not the topic: detection found the one of
    # the author it found; a declared author's is looked for here.
    if meta.get("author") and meta["author"] != found.meta.get("author"):
        found.credits = author_box(blocks, meta["author"])
    return LoadedDocument.from_blocks(found.applied(blocks), title, meta, sources, weighed)


def _names_publisher(author: str, publisher: str) -> bool:
    """The declared author is the site itself ("Deutsche Welle" of "Deutsche Welle
    (www.dw.com)")."""
    words = author.casefold().split()
    return bool(words) and publisher.casefold().split()[: len(words)] == words


def first_heading(body: str) -> str | None:
    """The first level-one ATX heading outside code fences."""
    in_fence = False
    for line in body.splitlines():
        if _FENCE.match(line.strip()):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match and len(match.group(1)) == 1:
            return match.group(2).strip()
    return None


def load_markdown(path: Path, data: bytes) -> LoadedDocument:
    meta, body = split_front_matter(decode_text(data))
    sources = {key: "front matter" for key in meta}
    return markdown_document(body, meta, sources, path)
