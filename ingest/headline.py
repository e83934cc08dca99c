"""Metadata of a document that declares none: the headline, author, date and publisher
as a reader finds them on the page.

The article's text is found first (`article_span`); the headline is the heading before
it that best names what the text is about (`_headline_score`). Author and date come from
the byline and date lines nearest the headline, the publisher from a copyright line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.document import Block
from ingest.masthead import byline_author, copyright_owner, date_line, find_date, person_name
from ingest.sentences import sentence_spans

_WINDOW = 15  # blocks before the article's text where its headline may stand
_GAP = 8  # blocks without a substantial paragraph that end the article's text
_ARTICLE_PARAGRAPHS, _ARTICLE_WORDS = 3, 150  # the least text taken for an article
_NEAR = 3  # blocks between a headline and its byline or date line
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


@dataclass
class Detected:
    title: str | None = None
    meta: dict[str, str] = field(default_factory=dict)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _substantial(block: Block) -> bool:
    """Body text of an article: two sentences, or one long one."""
    return block.role == "body" and (
        len(sentence_spans(block.text)) >= 2 or len(block.text.split()) >= 25
    )


def article_span(blocks: list[Block]) -> tuple[int, int]:
    """[start, end) of the article's text. Substantial paragraphs form runs, a run
    ending after `_GAP` blocks without one (menus, teasers and footers around an article
    are short lines; a cookie notice is a paragraph or two). The article is the first
    run of three paragraphs and 150 words or more (pages that scroll on into further
    articles show their own first), else the run with the most words."""
    runs: list[tuple[int, int, int, int]] = []  # start, end, words, paragraphs
    start = last = -1
    words = paragraphs = 0
    for i, block in enumerate(blocks):
        if not _substantial(block):
            continue
        if start < 0 or i - last > _GAP:
            if start >= 0:
                runs.append((start, last + 1, words, paragraphs))
            start, words, paragraphs = i, 0, 0
        words += len(block.text.split())
        paragraphs += 1
        last = i
    if start >= 0:
        runs.append((start, last + 1, words, paragraphs))
    if not runs:
        return 0, 0
    article = next(
        (r for r in runs if r[3] >= _ARTICLE_PARAGRAPHS and r[2] >= _ARTICLE_WORDS),
        max(runs, key=lambda r: r[2]),
    )
    return article[0], article[1]


def _dated(block: Block) -> bool:
    return block.role == "byline" or date_line(block.text) is not None


def _fold(text: str) -> str:
    return " ".join(_words(text))


def _headline_score(
    blocks: list[Block],
    i: int,
    body_words: set[str],
    start: int,
    body: str,
    shown: list[str | None],
) -> float:
    """How much a heading looks like the article's headline: it names what the article
    is about (its longer words recur in the text), is a phrase rather than a label, has
    the byline or date close by (under it, usually), stands near the text, and is shown
    again elsewhere on the page (a breadcrumb, a share line); a line the text itself
    says word for word is a pull quote or a summary, not the headline. `shown` holds
    each block's folded text, None for body text."""
    folded = _fold(blocks[i].text)
    again = any(k != i and other is not None and folded in other for k, other in enumerate(shown))
    quoted = bool(folded) and folded in body
    words = [w for w in _words(blocks[i].text) if len(w) > 3]
    shared = sum(1 for w in words if w in body_words) / len(words) if words else 0.0
    length = min(len(blocks[i].text.split()), 8) * 0.05
    after = any(_dated(b) for b in blocks[i + 1 : i + 1 + _NEAR])
    before = any(_dated(b) for b in blocks[max(0, i - _NEAR) : i])
    byline = 0.3 if after else 0.15 if before else 0.0
    repeated = 0.2 if again else 0.0
    pull_quote = 0.5 if quoted else 0.0
    return shared + length + byline + repeated - pull_quote - 0.01 * (start - i)


def _candidate(block: Block, lower_words: set[str]) -> bool:
    """A heading that may be the headline: a phrase, not a byline or a person's name.
    A title-case line looks like a name ("Managing Python Environments"); it is one only
    if the text never uses its words in lower case, as it does common words."""
    text = block.text.strip("*_ #")
    named = person_name(text) and not any(w.lower() in lower_words for w in text.split())
    words = [w for w in text.split() if any(ch.isalpha() for ch in w)]  # "| E-Mail" is one
    return (
        block.role == "heading" and 2 <= len(words) <= 30 and not named and not byline_author(text)
    )


def detect(blocks: list[Block]) -> Detected:
    """Title, author, date and publisher found in the blocks, where they are."""
    found = Detected()
    start, end = article_span(blocks)
    body_words = {
        w for b in blocks[start:end] if b.role in {"body", "list_item"} for w in _words(b.text)
    }
    window = range(max(0, start - _WINDOW), start)
    lower_words = {
        w
        for b in blocks[start:end]
        if b.role == "body"
        for w in _WORD.findall(b.text)
        if w.islower()
    }
    candidates = [i for i in window if _candidate(blocks[i], lower_words)]
    if not candidates:  # no headline before the text: one inside it, else anywhere
        candidates = [i for i, b in enumerate(blocks) if _candidate(b, lower_words)][:_WINDOW]
    headline: int | None = None
    if candidates:
        body = " | ".join(_fold(b.text) for b in blocks[start:end] if b.role == "body")
        shown = [None if b.role == "body" else _fold(b.text) for b in blocks]
        headline = max(
            candidates,
            key=lambda i: _headline_score(blocks, i, body_words, start, body, shown),
        )
        found.title = blocks[headline].text.strip("*_ #")

    # Bylines and date lines: those nearest the headline; else a date line after the
    # article's text (an info box under it).
    anchor = headline if headline is not None else start
    near = sorted(
        range(max(0, anchor - _WINDOW), min(len(blocks), anchor + _WINDOW)),
        key=lambda i: abs(i - anchor),
    )
    after = range(end, min(len(blocks), end + _WINDOW)) if end > anchor + _WINDOW else range(0)
    for i in [*near, *after]:
        block = blocks[i]
        when = date_line(block.text)
        if block.role != "byline" and when is None:
            continue
        author = byline_author(block.text)
        if author and "author" not in found.meta and i in near:
            found.meta["author"] = author
        if when is None and author:
            dated = find_date(block.text)
            when = dated[0] if dated else None
        if when and "date" not in found.meta:
            found.meta["date"] = when
    for block in reversed(blocks):
        if block.role == "boilerplate":
            owner = copyright_owner(block.text)
            if owner:
                found.meta["publisher"] = owner
                break
    return found
