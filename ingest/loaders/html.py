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
    meta_obj = trafilatura.extract_metadata(html)
    meta: dict[str, str] = {}
    title = None
    if meta_obj is not None:
        title = meta_obj.title
        for key in ("author", "date", "url"):
            value = getattr(meta_obj, key, None)
            if value:
                meta[key] = str(value)
        if meta_obj.sitename:
            meta["publisher"] = str(meta_obj.sitename)
    title = title or first_heading(body) or path.stem
    return LoadedDocument.from_parts(markdown_sections(body), title=title, meta=meta)


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
