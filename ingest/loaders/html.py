"""HTML: the main text (navigation, banners and footers removed) via trafilatura."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.document import LoadedDocument
from ingest.loaders.decoding import decode_text
from ingest.loaders.html_headline import page_headline
from ingest.loaders.inline_marks import page_text
from ingest.loaders.markdown import markdown_document
from ingest.masthead import byline_author, find_date

if TYPE_CHECKING:
    from lxml.html import HtmlElement


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
    body = page_text(body) if body else body
    tree = _parse(html)  # read once: declared metadata, the <h1>, and the fallback text
    meta = _declared_meta(tree)
    meta_obj = trafilatura.extract_metadata(html)
    if meta_obj is not None:
        guessed = {
            "title": meta_obj.title,
            "author": meta_obj.author,
            "date": meta_obj.date,
            "url": meta_obj.url,
            "publisher": meta_obj.sitename,
        }
        if re.search(r"https?:|www\.", meta.get("author", "")):
            del meta["author"]  # a profile link or the site's address, not a person
        for key, value in guessed.items():
            if value and key not in meta:
                meta[key] = str(value)
    # An author declared as the page shows the byline ("Von Vanessa Franke"): the name.
    if author := meta.pop("author", ""):
        meta["author"] = byline_author(author) or author
    sources = {key: "html meta" for key in meta}
    headline = page_headline(tree, meta.get("publisher", ""))
    if headline:
        meta["title"], sources["title"] = headline, "detected"
    # A declared date the page never shows (a first-published stamp over a story that
    # shows only its update) yields to the one full date the page shows, if it shows one;
    # where it shows several, to the one read by the headline (its byline or date line).
    declared = meta.get("date", "")
    unshown = False
    if tree is not None and _ISO_DAY.fullmatch(declared):
        days = _days_shown(tree, timed=True)
        unshown = bool(days) and not days & {declared, _swapped(declared)}
        # A stamp in another time zone than the page's: the day it shows, next to it.
        beside = sorted(days & _next_to(declared))
        if unshown and (len(days) == 1 or len(beside) == 1):
            meta["date"], sources["date"] = (beside or sorted(days))[0], "detected"
            unshown = False
    if body and body.strip():
        if unshown:
            undated = {k: v for k, v in meta.items() if k != "date"}
            document = markdown_document(body, undated, sources, path)
            if document.text.strip() and document.meta.get("date"):
                return document
        document = markdown_document(body, meta, sources, path)
        if document.text.strip():
            return document
    # No article text found (none at all, or only a photo's caption): the page's own text.
    body = _fallback_text(tree)  # last: it prunes the tree
    return markdown_document(body, meta, sources, path)


def _parse(html: str) -> HtmlElement | None:
    import lxml.html

    try:
        return lxml.html.fromstring(html)
    except Exception:
        return None


_META_NAMES = {
    "author": ("author", "article:author"),
    "publisher": ("publisher", "og:site_name"),
    "date": ("date", "article:published_time", "datepublished", "dc.date"),
    "title": ("og:title", "dc.title"),
}


def _declared_meta(tree: HtmlElement | None) -> dict[str, str]:
    """Metadata the page declares itself in <meta> tags, taken as written."""
    if tree is None:
        return {}
    declared: dict[str, str] = {}
    for tag in tree.xpath("//meta[@content]"):
        name = (tag.get("name") or tag.get("property") or tag.get("itemprop") or "").strip()
        name = name.lower()
        content = " ".join(tag.get("content", "").split())
        for key, names in _META_NAMES.items():
            if name in names and content and key not in declared:
                declared[key] = _shown_day(tree, content) if key == "date" else content
    return declared


# A time stamp in universal time, or with no zone ("2019-11-20T04:26:47Z", "2019-11-19
# 02:24:00"): the page's readers may live a day behind or ahead of it.
_UNIVERSAL = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]00:?00)?$")
_SKIPPED = frozenset({"script", "style", "noscript", "template", "head"})
_ISO_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def _shown_day(tree: HtmlElement, stamp: str) -> str:
    """The day of a declared date; for a time stamp in universal time, the day next to it
    that the page shows instead, when it shows that day and never the stamp's own (a
    story stamped "2019-11-20T04:26:47Z" that New York readers see dated Nov. 19)."""
    day = _day(stamp)
    if not _UNIVERSAL.match(stamp.strip()):
        return day
    shown = _days_shown(tree)
    if day in shown:
        return day
    stamped = date.fromisoformat(day)
    beside = [
        str(d)
        for d in (stamped - timedelta(days=1), stamped + timedelta(days=1))
        if str(d) in shown
    ]
    return beside[0] if len(beside) == 1 else day


def _days_shown(tree: HtmlElement, timed: bool = False) -> set[str]:
    """Every full date written in the page's visible text; `timed`: and the day of
    every <time> element it shows however briefly ("Jun 17" for 2019-06-17)."""
    days: set[str] = set()
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in _SKIPPED:
            continue
        stamp = element.get("datetime", "") if timed and element.tag == "time" else ""
        if stamp and element.text_content().strip() and _ISO_DAY.match(stamp):
            days.add(stamp[:10])
        for text in (element.text, element.tail if element.getparent() is not None else None):
            shown = _written_day(text) if text and any(ch.isdigit() for ch in text) else None
            if shown:
                days.add(shown)
    return days


def _next_to(day: str) -> set[str]:
    """The days before and after an ISO day."""
    from datetime import date, timedelta

    try:
        at = date.fromisoformat(day)
    except ValueError:
        return set()
    return {(at + timedelta(days=n)).isoformat() for n in (-1, 1)}


def _swapped(day: str) -> str:
    """The same digits read the other way round ("2023-11-08" -> "2023-08-11"), as a
    date written "11/08/23" may be read."""
    year, month, dd = day.split("-")
    return f"{year}-{dd}-{month}" if int(dd) <= 12 else day


def _written_day(text: str) -> str | None:
    """The first full date written in `text` ("November 19, 2019, 07:47 PM EST" ->
    "2019-11-19"); None where there is none, or only a month and a year."""
    found = find_date(text)
    return found[0] if found and len(found[0]) == len("2019-11-19") else None


def _day(stamp: str) -> str:
    """The day of a declared date ('2019-06-01T11:09:12+00:00' -> '2019-06-01', '2022-1-26'
    -> '2022-01-26', 'November 19, 2019, 07:47 PM EST' -> '2019-11-19'); a stamp that is no
    full date stays as it is."""
    found = re.match(r"(\d{4})-(\d\d?)-(\d\d?)(?:[T ]|$)", stamp)
    if found:  # "2022-1-26T14:32:06+02:00", as some publishing tools write it, too
        try:
            return date(*(int(part) for part in found.groups())).isoformat()
        except ValueError:
            return stamp
    return _written_day(stamp) or stamp


def _fallback_text(tree: HtmlElement | None) -> str:
    """Visible text of the page without script/style/nav/header/footer elements (they
    are dropped from `tree`)."""
    if tree is None:
        return ""
    for bad in tree.xpath("//script|//style|//nav|//header|//footer|//aside|//noscript"):
        bad.drop_tree()
    return "\n\n".join(t.strip() for t in tree.itertext() if t.strip())
