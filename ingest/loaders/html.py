"""HTML: the main text (navigation, banners and footers removed) via trafilatura."""

from __future__ import annotations

from pathlib import Path

from ingest.document import LoadedDocument
from ingest.loaders.decoding import decode_text
from ingest.loaders.markdown import first_heading, markdown_sections


def load_html(path: Path, data: bytes) -> LoadedDocument:
    import logging

    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    html = decode_text(data)
    body = trafilatura.extract(
        html,
        output_format="markdown",
        include_formatting=True,
        include_tables=True,
        include_comments=False,
        include_links=False,
        include_images=False,
        favor_recall=True,
        deduplicate=False,
    )
    if not body or not body.strip():
        body = _fallback_text(html)
    meta = _declared_meta(html)
    title = meta.pop("title", None)
    meta_obj = trafilatura.extract_metadata(html)
    if meta_obj is not None:
        title = title or meta_obj.title
        guessed = {"author": meta_obj.author, "date": meta_obj.date, "url": meta_obj.url}
        guessed["publisher"] = meta_obj.sitename
        for key, value in guessed.items():
            if value and key not in meta:
                meta[key] = str(value)
    title = title or first_heading(body) or path.stem
    return LoadedDocument.from_parts(markdown_sections(body), title=title, meta=meta)


_META_NAMES = {
    "author": ("author", "article:author"),
    "publisher": ("publisher", "og:site_name"),
    "date": ("date", "article:published_time", "dc.date"),
    "title": ("og:title", "dc.title"),
}


def _declared_meta(html: str) -> dict[str, str]:
    """Metadata the page declares itself in <meta> tags, taken as written."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except Exception:
        return {}
    declared: dict[str, str] = {}
    for tag in tree.xpath("//meta[@content]"):
        name = (tag.get("name") or tag.get("property") or "").strip().lower()
        content = " ".join(tag.get("content", "").split())
        for key, names in _META_NAMES.items():
            if name in names and content and key not in declared:
                declared[key] = content
    return declared


def _fallback_text(html: str) -> str:
    """Visible text of the page without script/style/nav/header/footer elements."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except Exception:
        return ""
    for bad in tree.xpath("//script|//style|//nav|//header|//footer|//aside|//noscript"):
        bad.drop_tree()
    return "\n\n".join(t.strip() for t in tree.itertext() if t.strip())
