"""The headline of a saved web page as the page shows it.

Pages declare titles in several places: the article's own headline (schema.org
`headline`, in JSON-LD or microdata), the sharing title (`og:title`, `twitter:title`)
and the window title (`<title>`, usually with the site's name). The headline a reader
sees is an `<h1>` or `<h2>`. The shown heading that says what a declared title says is
the headline; the article's declared headline is trusted first, since sharing and window
titles are often worded for search or belong to the site.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ingest.masthead import byline_author, without_leading_date

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_SEPARATOR = re.compile(r"\s+[|–—:»›-]{1,2}\s+")
_WORDS = re.compile(r"[^\W_]+")
_SLUG = re.compile(r"^[\w]+(?:[-_][\w]+)+$")  # "adac-kindersitztest-herbst-2018"
_MATCH = 0.5  # word overlap (Jaccard) at which a heading says what a title says


def _word_set(text: str) -> set[str]:
    return {w.casefold() for w in _WORDS.findall(text)}


def _overlap(a: str, b: str) -> float:
    x, y = _word_set(a), _word_set(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def _text(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _json_headlines(tree: HtmlElement) -> Iterator[str]:
    """`headline` values of the page's JSON-LD blocks."""

    def walk(node: object) -> Iterator[str]:
        if isinstance(node, dict):
            value = node.get("headline")
            if isinstance(value, str):
                yield value
            for child in node.values():
                yield from walk(child)
        elif isinstance(node, list):
            for child in node:
                yield from walk(child)

    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            yield from walk(json.loads(script.text_content()))
        except ValueError:
            continue


def declared_titles(tree: HtmlElement) -> tuple[list[str], list[str]]:
    """(the article's declared headline, the page's other declared titles), in the
    order they are trusted; slugs ('my-post-title') are not titles. Only the first
    declared headline is the article's: later ones belong to teasers of other posts."""
    headlines = [*_json_headlines(tree)]
    headlines += [m.get("content", "") for m in tree.xpath('//*[@itemprop="headline"][@content]')]
    article = headlines[:1]
    other = [
        m.get("content", "")
        for m in tree.xpath("//meta[@content]")
        if (m.get("property") or m.get("name") or "").lower() in {"og:title", "twitter:title"}
    ]
    other += [_text(t) for t in tree.iter("title")][:1]

    def clean(titles: list[str]) -> list[str]:
        # A title escaped twice ("DLP&#8217;s", a publishing tool's JSON) says its
        # characters once unescaped.
        out = [" ".join(html.unescape(t).split()) for t in titles]
        return [t for t in dict.fromkeys(out) if t and not _SLUG.match(t)]

    return clean(article), clean(other)


def without_site_name(
    title: str, site: str, branding: frozenset[frozenset[str]] = frozenset()
) -> str:
    """'Headline | Site' -> 'Headline': parts that are the site's name (or a short
    heading the page brands itself with) are cut from either end, and a short label
    after a longer headline from the end."""
    site_words = _word_set(site)

    def is_site(part: str) -> bool:
        words = _word_set(part)
        return not words or bool(site_words and words <= site_words) or words in branding

    spans, start = [], 0
    for match in _SEPARATOR.finditer(title):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(title)))
    first, last = 0, len(spans) - 1
    while first < last and is_site(title[spans[first][0] : spans[first][1]]):
        first += 1
    while first < last:
        tail = title[spans[last][0] : spans[last][1]]
        head_words = len(title[spans[first][0] : spans[last - 1][1]].split())
        tail_words = _word_set(tail)
        head = title[spans[first][0] : spans[last - 1][1]]
        label = len(tail_words) <= 3 and head_words > len(tail_words)
        if is_site(tail) or (label and head.count("(") <= head.count(")")):
            last -= 1
        else:
            break
    return title[spans[first][0] : spans[last][1]].strip()


# An element a page hides from sight or from screen readers ("visually-hidden", "sr-only",
# aria-hidden): holding only a mark, it joins two parts of a heading that the page sets
# apart on screen.
_HIDDEN_CLASS = re.compile(r"hidden|sr-only|screen-?reader", re.IGNORECASE)
_EDGE_MARKS = " |–—:»›·•-"  # marks that set a heading's parts apart
_MARKS_ONLY = re.compile(rf"^[\s{re.escape(_EDGE_MARKS)}]+$")


def _hidden_mark(element: HtmlElement) -> bool:
    hidden = element.get("aria-hidden") == "true" or bool(
        _HIDDEN_CLASS.search(element.get("class") or "")
    )
    return hidden and bool(_MARKS_ONLY.match(element.text_content() or ""))


def _without_kicker(element: HtmlElement) -> str:
    """A heading's text after a kicker that the page sets above it: a shorter first part
    joined to the headline by a hidden mark ("<span>Klimaschutz</span><span
    class="visually-hidden">: </span><span>Bohren, bis es heiß wird</span>"), which a
    screen reader reads as one line and the eye sees as two."""
    whole = _text(element)
    for child in element:
        if not isinstance(child.tag, str) or not _hidden_mark(child):
            continue
        after = [child.tail or ""]
        after += [s.text_content() + (s.tail or "") for s in child.itersiblings()]
        headline = " ".join("".join(after).split())
        kicker = whole[: len(whole) - len(headline)] if whole.endswith(headline) else ""
        kicker = kicker.rstrip(_EDGE_MARKS)
        if kicker and headline and len(kicker.split()) < len(headline.split()):
            return headline
        return whole
    return whole


def _shown(element: HtmlElement) -> str:
    """A heading's text without a kicker set above it or a date that opens it ('Jun 17 The
    headline')."""
    return without_leading_date(_without_kicker(element))


def page_headline(tree: HtmlElement | None, site: str) -> str | None:
    """The headline the page shows: the <h1>/<h2> that says what the article's declared
    headline says; else an <h1>, then an <h2>, that says what another declared title
    says, or a part of it that every declared title says; else the page's only <h1>
    unless it is the site's name, or shares no word with the declared title that the
    page shows as a line of its own; else the declared title without the site's name."""
    if tree is None:
        return None
    article, other = declared_titles(tree)
    declared = article + other
    # The page's headings outside a breadcrumb trail and other than a link home, each
    # tested once.
    headings = {
        tag: [e for e in tree.iter(tag) if not (_home_link(e) or _in_trail(e))]
        for tag in ("h1", "h2")
    }
    shown = {
        tag: [t for t in map(_shown, elements) if 2 <= len(t.split()) <= 30]
        for tag, elements in headings.items()
    }

    def everywhere(part: str) -> bool:
        words = _word_set(part)
        return all(words <= _word_set(t) for t in declared)

    parts = [p for t in declared for p in _SEPARATOR.split(t)]
    common = [p for p in parts if everywhere(p)]
    decoration = [p for p in parts if not everywhere(p)] + ([site] if site else [])

    def best(headings: list[str], titles: list[str]) -> str | None:
        scored = [(max((_overlap(h, t) for t in titles), default=0.0), h) for h in headings]
        top = max(scored, default=(0.0, ""))
        return top[1] if top[0] >= _MATCH else None

    # The last step of a breadcrumb trail may be the page's own headline, set in its
    # <h1>: one that says word for word what the article's declared headline says,
    # where no heading outside the trail says a declared title word for word (a page
    # may declare the headline it shows under the trail as another title).
    def said(titles: list[str]) -> set[str]:
        return {" ".join(t.split()).casefold() for t in titles}

    trail = [_shown(e) for tag in ("h1", "h2") for e in tree.iter(tag) if _in_trail(e)]
    # (a heading says it with its kicker too: "Düsseldorf: Tote Tauben ...")
    whole = [_text(e) for elements in headings.values() for e in elements]
    outside = said(shown["h1"] + shown["h2"] + whole) & said(declared)
    found = next((t for t in trail if not outside and said([t]) <= said(article)), None)
    found = found or best(shown["h1"] + shown["h2"], article)
    found = found or best(shown["h1"], other + common) or best(shown["h2"], other + common)
    if found:
        return _declared_part(tree, found, [*declared, *parts]) or found
    h1s = [_shown(e) for e in tree.iter("h1")]

    def brands(heading: str) -> bool:
        """The site's name: a part of a declared title that not every one says."""
        words = _word_set(heading)
        inside = [words <= _word_set(t) for t in declared]
        partial = any(inside) and not all(inside)
        return partial or any(_overlap(heading, p) >= _MATCH for p in decoration)

    branding = frozenset(frozenset(_word_set(h)) for h in h1s if brands(h))
    title = without_site_name(declared[0], site, branding) if declared else ""
    lone = len(h1s) == 1 and h1s == shown["h1"] and frozenset(_word_set(h1s[0])) not in branding
    # A lone <h1> that shares no word with the declared title, where the page shows
    # that title as a line of its own, heads something else (a log-in dialog's "Log In").
    if lone and (not title or _overlap(h1s[0], title) > 0 or not _shows(tree, title)):
        return h1s[0]
    return _shown_part(tree, title) or title or None


def _home_link(heading: HtmlElement) -> bool:
    """A heading that is only a link to the site's home page: the site's name over
    every page ("<h1><a href="https://example.org/">Four Years Remaining</a></h1>")."""
    links = heading.xpath(".//a[@href]")
    if len(links) != 1 or _text(links[0]) != _text(heading):
        return False
    href = links[0].get("href", "").strip()
    parsed = urlsplit(href)
    return bool(href) and parsed.path in ("", "/") and not parsed.query and not parsed.fragment


def _in_trail(heading: HtmlElement) -> bool:
    """A heading set as a step of a breadcrumb trail: inside a <nav>, or an item of a list
    whose other items are links ("Home > Liebe > <h1>...</h1>"); the page's headline
    stands apart from it."""
    item = None
    for parent in heading.iterancestors():
        if parent.tag == "nav":
            return True
        if parent.tag == "li" and item is None:
            item = parent
    if item is None or item.getparent() is None:
        return False
    others = [li for li in item.getparent() if li is not item and li.tag == "li"]
    return len(others) >= 2 and all(li.xpath(".//a[@href]") for li in others)


def _declared_part(tree: HtmlElement, heading: str, titles: list[str]) -> str | None:
    """The part of a heading that a declared title says, where the heading holds more
    in an element of its own: a kicker before the headline ("<span>Immobilienkrise
    </span>Rene Benko-Firma ...") or a subtitle after it, which the page sets apart; or a byline
    run on after it in the heading's own text ("... top post - by Jane Doe April 21,
    2022"), past a separator."""
    for title in titles:
        run_on = _SEPARATOR.match(heading, len(title)) if heading.startswith(title) else None
        if run_on and byline_author(heading[run_on.end() :]):
            return title
    for element in (e for tag in ("h1", "h2") for e in tree.iter(tag)):
        if _shown(element) != heading:
            continue
        children = [c for c in element if isinstance(c.tag, str) and _text(c)]
        if not children:
            return None
        first, last = children[0], children[-1]
        rest: list[str] = []
        if not (element.text or "").strip():  # the heading opens with an element
            rest.append(heading[len(_text(first)) :] if heading.startswith(_text(first)) else "")
        if not (last.tail or "").strip():  # and ends with one
            cut = _text(last)
            rest.append(heading[: -len(cut)] if heading.endswith(cut) else "")
        # What is left says what a declared title says, or says it closer than the
        # whole heading does ("<span>Thema Verbraucherschutz</span> Mehr Transparenz bei
        # Preisanpassungen" under "BMJV | Transparenz bei Preisanpassungen").
        whole = max((_overlap(heading, t) for t in titles), default=0.0)
        for part in (" ".join(r.split()).strip(_EDGE_MARKS) for r in rest):
            if len(part.split()) < 2:
                continue
            closest = max((_overlap(part, t) for t in titles), default=0.0)
            if closest == 1.0 or (closest >= _MATCH and closest > whole):
                return part
        return None
    return None


def _shown_part(tree: HtmlElement, title: str) -> str | None:
    """The part of a declared 'Site - Headline' title that the page shows as a line of
    its own, where it does not show the whole title: the longest such part."""
    parts = [p.strip() for p in _SEPARATOR.split(title)]
    if len(parts) < 2:
        return None
    lines = _lines(tree)  # the page read once for the title and each of its parts
    if " ".join(title.split()) in lines:
        return None
    shown = [p for p in parts if p and " ".join(p.split()) in lines]
    return max(shown, key=lambda p: len(p.split()), default=None)


def _shows(tree: HtmlElement, title: str) -> bool:
    """Whether an element in the page's body holds just this text."""
    return " ".join(title.split()) in _lines(tree)


def _lines(tree: HtmlElement) -> set[str]:
    """The texts of the page's body elements that hold no other element."""
    return {_text(e) for e in tree.xpath("//body//*[not(*)]")}
