"""Metadata of a document that declares none: the headline, author, date and publisher
as a reader finds them on the page.

The article's text is found first (`article_span`); the headline is the heading above it
that best names what the text is about (`_Page.score`). Author and date come from the
byline, date and name lines nearest the headline, the publisher from a copyright line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

from ingest.document import INVISIBLE, Block, Headlines
from ingest.masthead import (
    byline_author,
    byline_when,
    cited_source,
    copyright_owner,
    copyright_year,
    date_line,
    dated_name,
    dateline_date,
    find_date,
    is_reply_line,
    leading_date,
    mail_header,
    person_name,
    published_date,
    without_leading_date,
    yearless_date,
)
from ingest.sentences import sentence_spans, split_sentences, without_list_marker

_WINDOW = 15  # blocks before the article's text where its headline may stand
_WIDGET_RUN = 3  # lines shown again in the same order that make a widget
_MENU_RUN = 4  # lines shown again in the same order that make a menu
_TABLE_LABEL = 0.3  # less likely the headline: a heading right over a table's header row
_ANNOUNCING_WORDS = 3  # words of a sentence that announces the line under it, at least
_GAP = 8  # blocks without a substantial paragraph that end the article's text
_ARTICLE_PARAGRAPHS, _ARTICLE_WORDS = 3, 150  # the least text taken for an article
_DECK_WORDS = 4  # a headline and the deck under it are phrases of this many words or more
_DECK_BONUS = 0.25
_KICKER = 0.5  # a label of a few words right over a longer heading
_QUOTE_WORDS = 6  # words of a line the text says word for word, for a pull quote
_SHARED_WORDS = 2  # longer words a line's share of words in the text is fully trusted on
_NEAR = 3  # blocks between a headline and its byline or date line
_KICKER_WORDS = 3  # words of a kicker run into a headline, at most
_RUN_IN_WORDS = 10  # words before a headline run on from the line over it, at most
_NOUN_CAPITALS = 0.25  # share of capitalised words within sentences, from which nouns are
_CASE_SAMPLE = 50  # words of running text needed to tell
_LEAD_WORDS = 8  # words of a heading over a list that is a headline, not its lead-in
# A name whose last word runs into a role of capitalised words: "Evan HalperStaff Writer"
# (a surname of three letters or more, then the role; not "Jane McDonald").
_GLUED_ROLE = re.compile(r"^(\S+(?:\s+\S+)*?\s+[A-Z][a-z]{2,})([A-Z][a-z]+(?:\s+[A-Z][a-z]+)+)$")
_HONORIFIC = re.compile(r"^(?:dr|prof|professor|mr|mrs|ms|sir|dame)\.?\s+", re.IGNORECASE)
_ROLE_WORDS = 8  # words after the name of a line that gives a name and a role, at most
_TERMINAL_MARK = re.compile(r"[.!?]$")
_SENTENCE_END = re.compile(r"[.!?:;\u2026][\"”’')\]]*$")
_DASHES = ("\u2014", "\u2013", "-")  # a line that opens on one signs off a quote
_SIGN_OFF = re.compile(r"^[–—-]\s*([^\W\d_][\w.'’ -]{2,60})$")
_SITE_WORDS = 8  # words of a site's or publisher's name at most
_TAG_WORDS = 3  # words of a tag set off a name ("Jane Doe • 2nd"), at most
_LISTED_WORDS = 8  # words of a list item that is a sentence of the text, at least
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_TABLE = frozenset({"table_row", "table_header"})
_ADDRESS = re.compile(r"@|\[at\]|://|www\.|\w\.\w+\.\w")  # an e-mail or web address
_DOMAIN = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}\b")  # a site's address: "example.com"


@dataclass
class Detected:
    title: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    credits: list[int] = field(default_factory=list)  # blocks about the author, not the topic
    headlines: Headlines | None = None  # the headings weighed for the title, where detected

    def applied(self, blocks: list[Block]) -> list[Block]:
        """The blocks with those about the author (an author box's bio) as bylines, and
        the author's own replies under the text as text: in a thread of readers'
        comments, a reply the author signs is the author speaking (its sentences are
        text; its name, role and time lines are a byline)."""
        out = [replace(b, role="byline") if i in self.credits else b for i, b in enumerate(blocks)]
        author = self.meta.get("author", "")
        replying = False
        for i, block in enumerate(out):
            if block.role != "comment":
                replying = False
                continue
            text = block.text.strip()
            if author and text.startswith(author) and len(text.split()) <= _TAG_WORDS + 3:
                replying = True  # "Henrike Thornquist • Author"
            elif is_reply_line(text):
                replying = False
            if replying:
                said = len(sentence_spans(text)) >= 2 or bool(_TERMINAL_MARK.search(text))
                out[i] = replace(block, role="body" if said else "byline")
        return out


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


_EXCERPT_END = ("...", "\u2026")  # a teaser cut short: "... Nachdem der Stadtrat..."
_NAVIGATION = ("\u2190", "\u2192", "\u00ab", "\u00bb", "<", ">")  # "<- Previous post"
_TRAIL_MARKS = ("\u203a", "\u00bb", ">", "\u2192")  # between a breadcrumb trail's steps


def _substantial(block: Block) -> bool:
    """Body text of an article: two sentences of a dozen words or more in all, or one
    long one that ends as a sentence does (a tag cloud's run of names and words does
    not); never an excerpt that ends cut short (a teaser of another article)."""
    text = block.text.rstrip()
    if block.role != "body" or text.endswith(_EXCERPT_END):
        return False
    words = len(text.split())
    if words <= _TRAIL_WORDS and _navigation(text):
        return False  # a breadcrumb trail that ends in the headline ("Home / Diet / ...?")
    if len(sentence_spans(text)) >= 2:
        return words >= 12
    return words >= 25 and bool(_SENTENCE_END.search(text))


_TRAIL_WORDS = 30  # words of a breadcrumb trail at most
_COMPOUND_JOINT = re.compile(r"(?<=[^\W\d_]{4})-(?=[^\W\d_]{4})")
_BYLINE_GAP = 2  # blocks between a byline or date line and the first paragraph under it
_SENTENCE_WORDS = 8  # words of a one-sentence paragraph that is running text, at least


def _sentence(block: Block) -> bool:
    """A paragraph that is one whole sentence of some length."""
    text = block.text.rstrip()
    return (
        block.role == "body"
        and not text.endswith(_EXCERPT_END)
        and len(text.split()) >= _SENTENCE_WORDS
        and bool(_TERMINAL_MARK.search(text.rstrip("\"”’'")))
        and len(sentence_spans(text)) == 1
    )


def _running_text(blocks: list[Block]) -> set[int]:
    """Paragraphs of one sentence each, two or more in a row: running text written a
    sentence to a paragraph, as news and blogs often are, not a teaser's one line."""
    return {
        i
        for i, block in enumerate(blocks)
        if _sentence(block)
        and (
            (i > 0 and _sentence(blocks[i - 1]))
            or (i + 1 < len(blocks) and _sentence(blocks[i + 1]))
        )
    }


_NAMES_WORDS = 24  # words of a line that lists a paper's authors, at most
_SERIES = re.compile(r"\b(?:No|Nr|Number)\.?\s*[A-Z]*-?\d")
_MARKS = tuple("¹²³⁴⁵⁶⁷⁸⁹⁰*†‡§")  # marks that point from a name to a note or affiliation


_UNMARK = str.maketrans("", "", "".join(_MARKS))
_MARK = re.compile("[" + re.escape("".join(_MARKS)) + "]")


def _unmarked(text: str) -> str:
    return text.translate(_UNMARK)


def _listed_text(block: Block) -> bool:
    """A list item that is a sentence of the text, not a menu entry or a link."""
    return block.role == "list_item" and len(block.text.split()) >= _LISTED_WORDS


def _widgets(folded: list[str], run: int = _WIDGET_RUN) -> set[int]:
    """Lines (`folded`, a page's lines as `_fold` gives them) the page shows again as a
    run of `run` in the same order (a row of share buttons over and under the headline, a
    menu in the header and the footer): a widget's, not a headline's, however close to
    the text they stand. A headline shown twice with its label is a run of two."""
    runs: dict[tuple[str, ...], list[int]] = {}
    for i in range(len(folded) - run + 1):
        runs.setdefault(tuple(folded[i : i + run]), []).append(i)
    return {
        k for shown in runs.values() if len(shown) > 1 for i in shown for k in range(i, i + run)
    }


def _repeated(blocks: list[Block], first_too: bool = False) -> set[int]:
    """Paragraphs shown again further down the page (a form's consent text, a
    carousel's slides): only their first showing can be the article's. `first_too`:
    every showing, page furniture a heading under it does not stand under text."""
    seen: dict[str, list[int]] = {}
    for i, block in enumerate(blocks):
        if block.role == "body":
            seen.setdefault(" ".join(block.text.split()), []).append(i)
    skip = 0 if first_too else 1
    return {i for shown in seen.values() if len(shown) > 1 for i in shown[skip:]}


def article_span(blocks: list[Block], running: set[int] | None = None) -> tuple[int, int]:
    """[start, end) of the article's text. Substantial paragraphs form runs, a run
    ending after `_GAP` blocks without one (menus, teasers and footers around an article
    are short lines; a cookie notice is a paragraph or two). The article is the first
    run of three paragraphs and 150 words or more (pages that scroll on into further
    articles show their own first), else the run with the most words. Table rows in
    between do not end a run: a memo's table belongs to its text. One-sentence
    paragraphs two or more in a row are text too. Three or more paragraphs in a row
    each with a date line or byline before and after it are a list of teasers (a
    heading, a lead, a date, again and again), not text. `running`: the blocks that are
    one-sentence paragraphs of running text, where the caller has them."""
    repeated = _repeated(blocks)
    running = _running_text(blocks) if running is None else running
    paragraphs = [
        i
        for i, block in enumerate(blocks)
        if (_substantial(block) or i in running) and i not in repeated
    ]
    teasers = _teasers(blocks, paragraphs)
    # A table is part of the text it stands in: its rows do not count as a gap; nor do
    # list items that are sentences (a menu's items are a few words each), nor the nodes
    # of a chart drawn as a tree (items read under another item).
    steps = [0]
    items: set[str] = set()
    for block in blocks:
        charted = block.role == "list_item" and block.context in items
        steps.append(
            steps[-1] + (block.role not in _TABLE and not _listed_text(block) and not charted)
        )
        if block.role == "list_item":
            items.add(block.text)
    runs: list[tuple[int, int, int, int]] = []  # start, end, words, paragraphs
    start = last = -1
    words = count = whole = 0  # whole: paragraphs substantial on their own

    def close() -> None:
        # One-sentence paragraphs alone make text only three or more in a row (two
        # lines under a donation button do not).
        if start >= 0 and (whole or count >= _ARTICLE_PARAGRAPHS):
            runs.append((start, last + 1, words, count))

    for i in paragraphs:
        if i in teasers:
            continue
        if start < 0 or steps[i] - steps[last] > _GAP:
            close()
            start, words, count, whole = i, 0, 0, 0
        words += len(blocks[i].text.split())
        count += 1
        whole += _substantial(blocks[i])
        last = i
    close()
    if not runs:
        # No run of text: a page that shows its article's first paragraph only (the rest
        # behind a paywall or a "read more" link) has it right under its byline or date.
        lone = [
            i
            for i in paragraphs or [k for k, b in enumerate(blocks) if _sentence(b)]
            if i not in teasers
            and i not in repeated
            and any(b.role == "byline" for b in blocks[max(0, i - _BYLINE_GAP) : i])
        ]
        if not lone:
            return 0, 0
        best = max(lone, key=lambda i: len(blocks[i].text.split()))
        return best, best + 1
    # Where no run is an article's length, the one with a byline or date line by its
    # first paragraph (a story cut short by a paywall: its opening paragraph and its
    # byline), not a longer run elsewhere (a footer's run of links), else the longest.
    bylined = [
        r
        for r in runs
        if any(b.role == "byline" for b in blocks[max(0, r[0] - _NEAR) : r[0] + _NEAR])
    ]
    article = next(
        (r for r in runs if r[3] >= _ARTICLE_PARAGRAPHS and r[2] >= _ARTICLE_WORDS),
        max(bylined or runs, key=lambda r: r[2]),
    )
    return article[0], article[1]


def _teasers(blocks: list[Block], paragraphs: list[int]) -> set[int]:
    """Three or more paragraphs in a row with a date line or byline both before and
    after each (a list of other articles' leads, each with its date), unless they are
    all there is. The article's first paragraph may have its own date line above it,
    but none between it and its second."""
    edges = [-1, *paragraphs, len(blocks)]
    dated = [  # a date line or byline between one paragraph and the next
        any(b.role == "byline" for b in blocks[edges[k] + 1 : edges[k + 1]])
        for k in range(len(edges) - 1)
    ]
    dated[-1] = False  # after the last paragraph: the page's footer
    found: set[int] = set()
    k = 0
    while k < len(paragraphs):
        end = k
        while end < len(paragraphs) and dated[end] and dated[end + 1]:
            end += 1
        if end - k >= _ARTICLE_PARAGRAPHS:
            found.update(paragraphs[k:end])
        k = end + 1
    return found if len(found) < len(paragraphs) else set()


def _fold(text: str) -> str:
    return " ".join(_words(text))


def _tokens(text: str) -> list[str]:
    """The words of a line as written, split at spaces ("Formel-1-Fahrercheck" is one)
    and at the marks between a breadcrumb's steps, which a copy may run into the words
    ("Home»News»The headline"), without the punctuation around them."""
    return [t for t in (w.strip(_EDGE_MARKS).casefold() for w in _STEP_GAP.split(text)) if t]


_STEP_GAP = re.compile(r"[\s\u203a\u00bb\u2192]+")


_EDGE_MARKS = "\"'‘’“”„«»()[]{}.,;:!?*_#|–—-"


def _holds(outer: list[str], inner: list[str]) -> bool:
    """`inner` runs whole inside the longer `outer`."""
    n = len(inner)
    return 0 < n < len(outer) and any(outer[k : k + n] == inner for k in range(len(outer) - n + 1))


def _headline_text(block: Block) -> str:
    """A heading's text without a date that starts it ('Jun 17 The headline') or a
    reference that ends it ('The headline (Acme, 2019)')."""
    text = without_leading_date(_MARKED_HEADING.sub("", block.text.strip("*_ ")).strip("*_ "))
    cited = cited_source(text)
    return cited[0] if cited else text


# The marks of a Markdown heading ("## Title ##"), not a hashtag that opens a headline
# ("#RieslingBirthday Posts gewinnen").
_MARKED_HEADING = re.compile(r"^#+\s+|\s+#+$|^#+$")


def _dating(block: Block) -> bool:
    """A byline or a date line: a line that dates what it stands by, not a name alone."""
    return block.role == "byline" or date_line(block.text.strip("*_ #")) is not None


def _navigation(text: str) -> bool:
    """A link to another page: "<- Older post", "Next post ->", or a breadcrumb trail
    ("Home > 2010 > October > Letters")."""
    trail = sum(text.count(f" {mark} ") for mark in (*_NAVIGATION, "/", "|", "\u203a"))
    # An arrow between two labels is a trail already ("Interviews › Leadership"); a bar
    # or slash may stand in a headline ("Update | Crash victims identified").
    pointed = any(f" {mark} " in text for mark in _TRAIL_MARKS)
    # Guillemets that pair quote words ("«Quoted words»", "Von ... und «ganz normalem
    # Deutsch»", "»Quoted« words"); one alone at an end points to another page.
    quoted = text.count("\u00ab") == text.count("\u00bb") > 0 and len(text) > 2
    pointing = text.startswith(_NAVIGATION) or text.endswith(_NAVIGATION)
    return (pointing and not quoted) or trail >= 2 or pointed


def _labels(text: str) -> bool:
    """A run of labels, as a menu copies ("News & Politics Culture Technology Search"):
    every word capitalised, where a headline in title case still writes its short words
    ("of", "and", "to") or a verb's ending in lower case somewhere."""
    words = [w for w in text.split() if any(ch.isalpha() for ch in w)]
    if text.upper() == text:
        return False  # a headline set in capitals
    return all(w[:1].isupper() or not w[:1].isalpha() for w in words)


_TAGS = 4  # items of a line of tags, at least
_TAG_ITEM_WORDS = 2  # words of a tag, at most


def _tags(text: str) -> bool:
    """A line of a post's tags ("amiga, dogs, floppy, Hunde, Hundeleben, Mesty"): items
    of a word or two, set apart by commas alone, where a headline's list has words
    around it ("Eggs, milk and butter: what ...")."""
    items = [item.strip() for item in text.split(",")]
    return len(items) >= _TAGS and all(
        0 < len(item.split()) <= _TAG_ITEM_WORDS and not re.search(r"[.:;!?()]", item)
        for item in items
    )


def _restated(text: str, other: str) -> bool:
    """Two lines that say the same words in another order ("Cycling in Salzburg" and
    "Salzburg - Cycling"): one title shown twice, not a headline and its deck."""
    return set(_words(text)) == set(_words(other))


def _plain(word: str) -> str:
    """A word without a plural ending, lower case: 'Environments' -> 'environment'."""
    word = word.lower()
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _capitalises_nouns(paragraphs: Iterable[str]) -> bool:
    """Whether the text capitalises its nouns, as German does: a share of the words after
    a sentence's first that English, capitalising names only, does not reach."""
    words = [
        w
        for text in paragraphs
        for sentence in split_sentences(text)
        for w in sentence.split()[1:]
        if w[:1].isalpha()
    ]
    capitals = sum(w[:1].isupper() for w in words)
    return len(words) >= _CASE_SAMPLE and capitals >= _NOUN_CAPITALS * len(words)


class _Page:
    """What the headline is judged against: the article's text and the page around it."""

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self.running = _running_text(blocks)  # one-sentence paragraphs of running text
        self.start, self.end = article_span(blocks, self.running)
        self.repeated = _repeated(blocks, first_too=True)
        folded = [_fold(b.text) for b in blocks]
        self.widgets = _widgets(folded)
        # A menu: four lines or more shown again in the same order (a site's sections in
        # its header and again in a drawer); none of its lines is the headline.
        self.menus = _widgets(folded, _MENU_RUN)
        article = blocks[self.start : self.end]
        self.body_words = {
            w for b in article if b.role in {"body", "list_item"} for w in _words(b.text)
        }
        self.body = " | ".join(_fold(b.text) for b in article if b.role == "body")
        self.body_text = "\n".join(b.text for b in article if b.role == "body")
        # Words the page writes in lower case, as it does common words and not names
        # (an address, "jane.doe@example.com", writes names in lower case too).
        self.lower_words = {
            _plain(w)
            for b in blocks
            if b.role in {"body", "list_item"}
            for token in b.text.split()
            if not _ADDRESS.search(token)
            for w in _WORD.findall(token)
            if w.islower()
        }
        self.shown = [None if b.role == "body" else f for b, f in zip(blocks, folded, strict=True)]

    @cached_property
    def capitalises_nouns(self) -> bool:
        """Whether the article's text capitalises its nouns (read once, when asked)."""
        article = self.blocks[self.start : self.end]
        return _capitalises_nouns(b.text for b in article if b.role == "body")

    def paragraph(self, i: int) -> bool:
        """A paragraph of the article's text, not page furniture shown twice."""
        return _substantial(self.blocks[i]) and i not in self.repeated

    def named(self, text: str) -> bool:
        """A person's name: capitalised words the page never writes in lower case."""
        return person_name(text) and not any(_plain(w) in self.lower_words for w in text.split())

    def people(self, byline: str) -> str:
        """The names a byline lists, up to the first part that is no name ("Jane Doe,
        Principal Analyst, Acme" -> "Jane Doe": the page writes "analyst" in lower
        case)."""
        parts = [self.without_house(part) for part in _byline_parts(byline)]
        if _role_and_house(byline) or _GLUED_ROLE.match(byline.split(",")[0]):
            return parts[0]
        kept = [parts[0]]
        for part in parts[1:]:
            if not self.named(part):
                break
            kept.append(part)
        return ", ".join(kept)

    @cached_property
    def lines(self) -> set[str]:
        """The page's lines other than paragraphs, folded (read once, when asked)."""
        return {_fold(b.text) for b in self.blocks if b.role != "body"}

    def without_house(self, name: str) -> str:
        """A name without the house a copy ran on after it ("Jane Doe Acme Weekly", where
        the page shows "Acme Weekly" as a line of its own)."""
        words = name.split()
        for k in range(2, len(words)):
            if _fold(" ".join(words[k:])) in self.lines and person_name(" ".join(words[:k])):
                return " ".join(words[:k])
        return name

    def dated_under(self, i: int) -> bool:
        """A byline or date line stands right under block `i`; not a quote's sign-off
        ("— Jane Doe (@jdoe) November 3, 2023" under an embedded post)."""
        return any(
            self.dated(b) and not b.text.lstrip().startswith(_DASHES)
            for b in self.blocks[i + 1 : i + 1 + _NEAR]
        )

    def dated_over(self, i: int) -> bool:
        """A byline or date line stands right over block `i`."""
        return any(self.dated(b) for b in self.blocks[max(0, i - _NEAR) : i])

    def date_over(self, i: int) -> bool:
        """A byline or a date line, not a name alone, stands right over block `i`."""
        return any(_dating(b) for b in self.blocks[max(0, i - _NEAR) : i])

    def date_under(self, i: int) -> bool:
        """A byline or a date line, not a name alone, stands right under block `i`."""
        return any(_dating(b) for b in self.blocks[i + 1 : i + 1 + _NEAR])

    def dated(self, block: Block) -> bool:
        """A byline, a date line, or an author's name alone on its line."""
        text = block.text.strip("*_ #")
        return (
            _dating(block)
            or leading_date(text) == len(text)
            or self.named(text)
            or self.names_line(text) is not None
        )

    def names_line(self, text: str) -> str | None:
        """A line that lists authors, as a paper does under its title ("Imogen Farrant¹,
        Teodor Brannock² and Yusra Hadfield¹"): their names, without the marks that point
        to their affiliations; else None."""
        plain = _unmarked(text).strip()
        # Names with marks, or joined by "and" ("Jane Doe, Principal Analyst" is a name
        # and a role; one name without a mark is a name alone on its line).
        if plain == text.strip() and not re.search(r"\band\b|&", plain):
            return None
        parts = [p for p in re.split(r"\s*(?:,|\band\b|&)\s*", plain) if p]
        return plain if all(self.named(p) for p in parts) else None

    def author(self, anchor: int, near: list[int], after: range) -> str | None:
        """The author: a byline near the headline ('By Jane Doe', '12.3.2019 | von Jane
        Doe'); else a name alone on its line just under the headline or beside a date
        line ('Jane Doe' / 'June 8, 2015'), or after the date and time that open a line;
        else a byline in an info box after the article."""
        blocks = self.blocks
        for i in near:
            author = byline_author(blocks[i].text)
            if author:
                return self.people(author)
        # A name on the date line itself ("Jane Doe | 29.07.2006") before a name on a
        # line beside one (a line of tags may stand right over the date line).
        for i in near:
            name = dated_name(blocks[i].text.strip("*_ #"))
            if name and self.named(name):
                return name
        for i in near:
            text = blocks[i].text.strip("*_ #")
            beside = blocks[max(0, i - 1) : i + 2]
            under = 0 < i - anchor <= 2
            if self.named(text) and (under or any(date_line(b.text) for b in beside)):
                return text
            listed = self.names_line(text)
            if under and listed:
                return listed
            led = self.led_name(i)
            if led:
                return led  # "By" on its own line, the name on the next
            name = dated_name(text)
            if name and self.named(name):
                return name
            name = self.name_and_role(text)
            if under and name:
                return name
            name = self.name_and_tag(text)
            if name:
                return name
        # A reporter's sign-off under the text: "– Jane Doe", "Jane Doe, KBS News."
        for i in range(max(0, self.end - 1), min(len(blocks), self.end + _NEAR)):
            text = blocks[i].text.strip()
            signed = _SIGN_OFF.match(text)
            if signed and self.named(signed.group(1)):
                return signed.group(1)
            name, comma, house = text.rstrip(".").partition(",")
            if (
                comma
                and 1 <= len(house.split()) <= _SITE_WORDS
                and not re.search(r"[.!?;:,]", house)
                and all(w[:1].isupper() for w in house.split())  # a house's name
                and self.named(name.strip())
            ):
                return name.strip()
        # A byline in an info box after the article, its lead on a line of its own or not
        # ("Ein Beitrag von:" over "Jane Doe").
        for i in after:
            author = byline_author(blocks[i].text)
            if author:
                return self.people(author)
            text = blocks[i].text.strip("*_ #")
            led = self.led_name(i)
            if led and self.named(led):
                return led
        return None

    def led_name(self, i: int) -> str | None:
        """The name that opens block `i` where a byline's lead on the line over it
        introduces it ("By" over "Jane Doe", "Author:" over "Jane Doe/Agency")."""
        text = self.blocks[i].text.strip("*_ #")
        if i == 0:
            return None
        name = byline_author(f"{self.blocks[i - 1].text.strip()} {text}")
        return name if name and text.startswith(name) else None

    def name_and_role(self, text: str) -> str | None:
        """The name of a line that gives a name, then a role ("Dr Jane Doe, Principal
        Analyst"), else None."""
        name, comma, role = text.partition(",")
        if not comma or len(role.split()) > _ROLE_WORDS or _TERMINAL_MARK.search(text):
            return None  # "Jane Doe, the chair, says ...": a headline that opens on a name
        name = _HONORIFIC.sub("", name).strip()
        return name if self.named(name) else None

    def name_and_tag(self, text: str) -> str | None:
        """The name of a line that sets a short tag off a name with a dot, as a social
        post or a blog shows its author ("Jane Doe • 2nd", "Jane Doe · Follow"), else
        None."""
        name, dot, tag = text.partition(" • ") if " • " in text else text.partition(" · ")
        if not dot or not 1 <= len(tag.split()) <= _TAG_WORDS:
            return None
        name = name.strip()
        return name if self.named(name) else None

    def shared(self, text: str) -> float:
        """The share of a line's longer words that the article's text uses. A site's
        address is one word, used where the text writes the address ("Ads on
        example.com" shares no word with a text that says "example" alone)."""
        words = [w for w in _words(_DOMAIN.sub(" ", text)) if len(w) > 3]
        used = sum(1 for w in words if w in self.body_words)
        for address in _DOMAIN.findall(text):
            words.append(address)
            used += address.lower() in self.body_text.lower()
        return used / len(words) if words else 0.0

    def candidate(self, i: int) -> bool:
        """A heading that may be the headline: a phrase, not a byline or a name."""
        text = _headline_text(self.blocks[i])
        words = [w for w in text.split() if any(ch.isalpha() for ch in w)]  # "| E-Mail" is one
        before = self.blocks[i - 1].text.rstrip() if i > 0 else ""
        # The "Read more" link of a teaser cut short; a longer heading after the last of a
        # list of teasers may be the headline.
        after_excerpt = (
            before.endswith(_EXCERPT_END) and len(before.split()) >= 12 and len(words) < _DECK_WORDS
        )
        # What a sentence of the text announces with its colon ("A look at history
        # shows:" over "We are better than we think."), not a heading of its own; a
        # label's colon ("Search:", a site's "Edition:" over the text) announces none.
        announced = (
            self.start < i <= self.end
            and self.blocks[i - 1].role == "body"
            and before.endswith(":")
            and len(before.split()) >= _ANNOUNCING_WORDS
        )
        # A compound of two words of some length ("Bielersee-Winterhechte") is a phrase,
        # as the two written apart would be; "E-Mail" or "Covid-19" is not.
        parts = len(words) + sum(len(_COMPOUND_JOINT.findall(w)) for w in words)
        return (
            self.blocks[i].role == "heading"
            and i not in self.menus
            and (parts >= 2 or self.crumbed(i))
            and len(words) <= 30
            and not after_excerpt  # the "Read more" link of a teaser
            and not announced
            and not _navigation(text)
            and not self.cut_short(i)
            and (not self.named(text) or self.trail_end(i))  # "Homo Brandenburgensis"
            and not byline_author(text)
            and not self.leads_list(i)
            and not text.startswith(_MARKS)  # "¹ University of ...": an affiliation
            and self.names_line(text) is None  # the authors' names
            and not _SERIES.search(text)  # "Working Paper No. CSR-2024-07": a series label
            and not _tags(text)
        )

    def crumbed(self, i: int) -> bool:
        """A heading that the breadcrumb trail right above it ends with ("Home »
        Unbefriedigt" over "Unbefriedigt"), with its byline or date line right under it:
        the page names it as itself, a headline of one word as much as of more."""
        if i == 0 or not self.date_under(i):
            return False
        trail = self.blocks[i - 1].text
        marks = [m for m in _TRAIL_MARKS if f" {m} " in trail]
        if not marks:
            return False
        last = re.split("|".join(f" {re.escape(m)} " for m in marks), trail)[-1]
        return _fold(last) == _fold(_headline_text(self.blocks[i]))

    def cut_short(self, i: int) -> bool:
        """A heading that ends cut short ("Instagram arbeitet an neuer...") where a
        heading near it says it in full: a breadcrumb's or a teaser's shortened copy."""
        text = self.blocks[i].text.strip("*_ #")
        if not text.endswith(_EXCERPT_END):
            return False
        start = _fold(text.rstrip(".\u2026 "))
        return any(
            k != i
            and self.blocks[k].role == "heading"
            and len(self.blocks[k].text) > len(text)
            and (self.shown[k] or "").startswith(start)  # the heading folded once
            for k in range(max(0, i - _NEAR), min(len(self.blocks), i + 1 + _NEAR))
        )

    def trail_end(self, i: int) -> bool:
        """The heading repeats the last step of a breadcrumb trail right above it (list
        items "1. Home", "2. People", "3. Homo Brandenburgensis"): the page's own title."""
        items = 0
        k = i - 1
        while k >= 0 and self.blocks[k].role == "list_item":
            items += 1
            k -= 1
        if items < 2:
            return False
        last = without_list_marker(self.blocks[i - 1].text)
        return _fold(last) == _fold(_headline_text(self.blocks[i])) or bool(self.trail_part(i))

    def trail_part(self, i: int) -> str:
        """The part of a heading that the breadcrumb trail's last step right above it says,
        where the heading holds a few words more before it, a kicker run into the
        headline ("Holocaust-Gedenktag Erinnerung an die Opfer ..." under the step
        "5. Erinnerung an die Opfer ..."); "" where it does not."""
        if i == 0 or self.blocks[i - 1].role != "list_item":
            return ""
        step = _tokens(without_list_marker(self.blocks[i - 1].text).translate(INVISIBLE))
        shown = _headline_text(self.blocks[i]).translate(INVISIBLE).split()
        extra = len(shown) - len(step)
        if not step or not 1 <= extra <= _KICKER_WORDS or _tokens(" ".join(shown[extra:])) != step:
            return ""
        return " ".join(shown[extra:])

    def title_of(self, i: int) -> str:
        """The title heading `i` gives: its words, less a kicker run into them."""
        return self.trail_part(i) or self.run_in(i) or _headline_text(self.blocks[i])

    def run_in(self, i: int) -> str:
        """The headline of a heading that a kicker runs into, as a copy joins the two
        lines of a heading ("Kind krank Was Arbeitgeber wissen müssen"): where one word
        after the first, and no other, is capitalised though the page writes it in lower
        case ("Was"), not after a mark that ends a phrase or opens a quote, the headline
        starts there; "" where the heading reads as one line."""
        words = _headline_text(self.blocks[i]).split()
        starts = [
            k
            for k in range(1, len(words))
            if words[k][:1].isupper()
            and (w := _WORD.match(words[k])) is not None
            and w.group() == words[k]
            and _plain(w.group()) in self.lower_words
        ]
        # Only where a capital says so: on a page that capitalises its nouns (German) and
        # writes no heading in title case. In English a capital may be a name's ("GE
        # Healthcare in Europe") or title case's ("The Best Refund Tricks of ...").
        if len(starts) != 1 or not self.capitalises_nouns:
            return ""
        k = starts[0]
        after_mark = words[k - 1][-1:] in _EDGE_MARKS or words[k - 1] in _DASHES
        # A kicker is a label of two words or more that ends on a noun or a name
        # ("Thema Verbraucherschutz"), not a clause that runs on ("..., wenn Sie").
        label_end = words[k - 1][:1].isupper()
        if after_mark or not label_end or not 2 <= k <= _RUN_IN_WORDS:
            return ""
        if len(words) - k < _DECK_WORDS - 1:
            return ""
        return " ".join(words[k:])

    def leads_list(self, i: int) -> bool:
        """A heading the list under it is read with ("In this issue", "Key findings"):
        the list's lead-in, not a headline. A long heading that does not end in a colon
        is a headline with its summary points under it."""
        text = self.blocks[i].text
        after = self.blocks[i + 1] if i + 1 < len(self.blocks) else None
        return (
            after is not None
            and after.role == "list_item"
            and after.context == text
            and (len(text.split()) < _LEAD_WORDS or text.rstrip().endswith(":"))
        )

    def reach(self) -> int:
        """The first block of the window before the article's text where its headline
        may stand: `_WINDOW` blocks, not counting the page furniture between a headline
        and its text (list items, such as a "Most popular" list; captions; bylines and
        date lines; a widget's lines, such as share buttons shown over and under it)."""
        counted = 0
        k = self.start
        while k > 0 and counted < _WINDOW:
            k -= 1
            block = self.blocks[k]
            furniture = block.role in ("list_item", "caption") or k in self.widgets
            counted += not (furniture or self.dated(block))
        return k

    def candidates(self) -> list[int]:
        """Headings before the article's text, and those above its second paragraph that
        do not stand right under a paragraph (a site's tagline paragraph may come before
        the headline; a heading under the first paragraph is a sub-heading); else any
        heading."""
        blocks = self.blocks
        substantial = [i for i in range(self.start, self.end) if self.paragraph(i)]
        top = substantial[1] if len(substantial) > 1 else self.end
        window = [
            i
            for i in range(self.reach(), top)
            if i <= self.start or not (self.paragraph(i - 1) or i - 1 in self.running)
        ]
        found = [i for i in window if self.candidate(i)]
        # A heading before the text with its byline or date line under it heads the
        # text: the headings after the text's first paragraph are its sub-headings.
        if any(i < self.start and self.date_under(i) for i in found):
            found = [i for i in found if i <= self.start]
        # A heading before the article with its byline or date line right under it.
        found += [
            i
            for i in range(self.start)
            if i not in window
            and self.candidate(i)
            and any(self.dated(b) for b in blocks[i + 1 : i + 3])
        ]
        # Where no heading found has a byline or date line under or over it, the first
        # heading inside what reads as the text that has one under it: a site's messages
        # ("Thank you for registering", "You have chosen the Swiss edition") may open
        # that text above the story's own headline.
        if found and not any(self.dated_under(i) or self.date_over(i) for i in found):
            found += [
                i
                for i in range(self.start, self.end)
                if blocks[i].role == "heading" and self.date_under(i) and self.candidate(i)
            ][:1]
        return found or [i for i in range(len(self.blocks)) if self.candidate(i)][:_WINDOW]

    def score(self, i: int) -> float:
        """How much a heading looks like the article's headline (`Signals`, weighed)."""
        return self.signals(i).score()

    def under(self, i: int) -> int | None:
        """The block right under block `i`, past bylines, date lines and captions."""
        blocks = self.blocks
        return next(
            (
                k
                for k in range(i + 1, min(len(blocks), i + 1 + _NEAR))
                if not self.dated(blocks[k]) and blocks[k].role != "caption"
            ),
            None,
        )

    def deck_under(self, i: int) -> int | None:
        """The deck under heading `i`, where it heads one: the standfirst heading that
        sums the story up stands right below the headline (a kicker above it is a label
        of a few words)."""
        blocks = self.blocks
        text = _headline_text(blocks[i])
        below = self.under(i)
        over_deck = (
            below is not None
            and len(_words(text)) >= _DECK_WORDS
            and not _labels(text)
            and self.candidate(below)
            and len(_words(blocks[below].text)) >= _DECK_WORDS
            and not _restated(text, blocks[below].text)
        )
        return below if over_deck else None

    def signals(self, i: int) -> Signals:
        """What says a heading is the article's headline: it names what the article is
        about (its longer words recur in the text), is a phrase rather than a label, has
        the byline or date close by (under it, usually), stands right above the text (no
        other heading between them but bylines and dates), and is shown again elsewhere
        on the page (a breadcrumb, a share line); a line the text itself says word for
        word is a pull quote or a summary, not the headline."""
        blocks = self.blocks
        text = _headline_text(blocks[i])
        folded = _fold(text)
        again = any(
            k != i and other is not None and folded in other for k, other in enumerate(self.shown)
        )
        quoted = bool(folded) and folded in self.body
        # The share of its words the text uses, as evidence as strong as the words it
        # rests on: one word in common ("Got a news tip?") says little.
        words = _words(text)
        long_words = len([w for w in words if len(w) > 3])
        shared = self.shared(text) * min(long_words, _SHARED_WORDS) / _SHARED_WORDS
        after = self.dated_under(i)
        before = any(self.dated(b) for b in blocks[max(0, i - _NEAR) : i])
        # Where a widget's line stands, and that it is shown again, say nothing of it.
        widget = i in self.widgets
        # A heading that holds a neighbouring heading and more words besides is a
        # breadcrumb or a kicker run into the headline ("Home Wellness <headline>").
        # Whole words only: "Formel 1" over "Formel-1-Fahrercheck - ..." is a label, not
        # run into it.
        tokens = _tokens(text)
        composite = any(
            k != i
            and blocks[k].role == "heading"
            and len(_words(blocks[k].text)) >= 2
            and not self.cut_short(k)  # its shortened copy, not a kicker
            and _holds(tokens, _tokens(blocks[k].text))
            for k in range(max(0, i - 2), min(len(blocks), i + 3))
        )
        over_deck = self.deck_under(i) is not None
        # A label of a few words right over a longer heading is its kicker ("Company Town"
        # over the story's headline), not the headline.
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        kicker = (
            len(words) < _DECK_WORDS
            and nxt is not None
            and self.candidate(i + 1)
            and len(_words(nxt.text)) >= _DECK_WORDS
        )
        # The deck under a headline: a sentence right under a phrase that heads it.
        above = next(
            (k for k in range(i - 1, max(-1, i - 1 - _NEAR), -1) if not self.dated(blocks[k])),
            None,
        )
        deck = (
            above is not None
            and text.rstrip("*_ ").endswith(".")
            and self.candidate(above)
            and not _TERMINAL_MARK.search(_headline_text(blocks[above]))
            and len(_words(blocks[above].text)) >= _DECK_WORDS
        )
        between = sum(
            1 for b in blocks[i + 1 : self.start] if b.role == "heading" and not self.dated(b)
        )
        return Signals(
            shared=shared,
            words=min(len(text.split()), 8),
            dated_under=after and not widget,
            dated_over=before and not after and not widget,
            shown_again=again and not widget,
            # A few words the text also says ("Reiki und Schamanismus" in "Today it is
            # about Reiki und Schamanismus") are its topic named, not a sentence pulled
            # out of it.
            pull_quote=quoted and len(words) >= _QUOTE_WORDS,
            over_deck=over_deck,
            deck=deck,
            kicker=kicker,
            composite=composite,
            headings_between=min(between, 10),
            # A heading right over a table's header row is the table's label ("Defensive
            # Line" over "Pos | Player | Plays"), more likely than the page's headline.
            table_label=i + 1 < len(blocks) and blocks[i + 1].role == "table_header",
        )


@dataclass(frozen=True)
class Signals:
    """What is known of one heading as the article's headline; `score` weighs it."""

    shared: float  # share of its longer words the text uses, trusted from two such words
    words: int  # its words, up to eight
    dated_under: bool  # a byline or date line right under it
    dated_over: bool  # one right over it, none under it
    shown_again: bool  # the page shows it again (a breadcrumb, a share line)
    pull_quote: bool  # the text says it word for word: a pull quote or a summary
    over_deck: bool  # a deck, a longer heading that sums the story up, right under it
    deck: bool  # a sentence right under a phrase that heads it: the deck
    kicker: bool  # a label of a few words right over a longer heading
    composite: bool  # it holds a neighbouring heading and more: a breadcrumb, a kicker
    headings_between: int  # headings between it and the text, up to ten
    table_label: bool  # right over a table's header row

    def score(self) -> float:
        return (
            self.shared
            + 0.05 * self.words
            + (0.3 if self.dated_under else 0.15 if self.dated_over else 0.0)
            + (0.2 if self.shown_again else 0.0)
            - (0.5 if self.pull_quote else 0.0)
            + (_DECK_BONUS if self.over_deck else 0.0)
            - (_DECK_BONUS if self.deck else 0.0)
            - (_KICKER if self.kicker else 0.0)
            - (0.3 if self.composite else 0.0)
            - 0.05 * self.headings_between
            - (_TABLE_LABEL if self.table_label else 0.0)
        )


def detect(blocks: list[Block], title: str | None = None) -> Detected:
    """Title, author, date and publisher found in the blocks, where they are. A title
    the document declares (a Markdown file's first heading) is the headline that bylines
    and dates are looked for around, when a heading shows it."""
    found = Detected()
    page = _Page(blocks)
    start, end = page.start, page.end
    headline: int | None = None
    candidates = page.candidates()
    if title:
        declared = _fold(title)
        # Among the likely headlines first; else wherever a heading shows it (a page's
        # menus may push the headline past where headlines are looked for).
        # Where it is shown more than once (a list of teasers holds it too), the showing
        # that looks most like the headline.
        shows = [i for i in candidates if _fold(blocks[i].text) == declared] or [
            i for i, b in enumerate(blocks) if b.role == "heading" and _fold(b.text) == declared
        ]
        candidates = [max(shows, key=page.score)] if shows else candidates
    # The heading that repeats a breadcrumb trail's last step is the page's own title.
    candidates = [i for i in candidates if page.trail_end(i)] or candidates
    if candidates:
        headline = _own_showing(page, max(candidates, key=page.score))
        found.title = page.title_of(headline)
        if not title:
            found.headlines = _weighed(page, candidates, headline, found.title)

    # Bylines and date lines: those nearest the headline; else a date line after the
    # article's text (an info box under it). A title the document declares at its top
    # (a Markdown file's first heading) over a page that shows the headline again, a
    # kicker run into it or not, is looked for around the page's own showing.
    if title and headline == 0:
        headline = _page_showing(page, headline, title)
    anchor = headline if headline is not None else start
    # Nearest first; at the same distance the line under the headline, where bylines
    # and dates usually stand, before the one above it (a teaser's date).
    near = sorted(
        range(max(0, anchor - _WINDOW), min(len(blocks), anchor + _WINDOW)),
        key=lambda i: (abs(i - anchor), i < anchor),
    )
    # Past the near window, up to a window after the article's text.
    after = range(max(end, anchor + _WINDOW), min(len(blocks), end + _WINDOW))
    # A full date in the metadata line run together under the headline ("Jane Doe
    # Science 20 January 2020 2 Comments"), as pasted text often has it, counts when no
    # date line stands as close.
    under = range(headline + 1, headline + 1 + _NEAR) if headline is not None else range(0)
    # A date line that says it is the publication date wins over one that does not (a
    # site's "today" at the top of the page), on the article or just after it.
    around = range(max(0, anchor - _WINDOW), min(len(blocks), max(end, anchor) + _WINDOW))
    published = next((d for d in (published_date(blocks[i].text) for i in around) if d), None)
    if published:
        found.meta["date"] = published
    # A full date that opens the headline's own line ("1. Februar 2022 Bundesministerin
    # Raab: ...", a date set in the heading over its words) dates it.
    if headline is not None and "date" not in found.meta:
        heading_date = find_date(blocks[headline].text.strip("*_# "))
        if heading_date is not None and heading_date[1][0] == 0 and len(heading_date[0]) == 10:
            found.meta["date"] = heading_date[0]
    for i in [*near, *after]:
        block = blocks[i]
        when = date_line(block.text)
        if block.role != "byline" and when is None:
            # (a paragraph too, where it opens on the date: "20. April 2017 Jane Doe ...")
            opens = block.role != "body" or leading_date(block.text) > 0
            if i in under and opens and len(block.text.split()) <= 40:
                dated = find_date(block.text)
                when = dated[0] if dated and len(dated[0]) == 10 else None
            if when is None and i in under:
                when = _date_in_pieces(blocks, i)
            if when is None:
                continue
        if when is None and byline_author(block.text):
            dated = find_date(block.text)
            when = dated[0] if dated else byline_when(block.text)
        if when and "date" not in found.meta:
            found.meta["date"] = when
    # A news release's dateline opens its text: "MANCHESTER, 15 June 2022 — ...".
    opening = [b for b in blocks[start:end] if b.role == "body"][:_NEAR]
    when = next((d for d in (dateline_date(b.text) for b in opening) if d), None)
    if when and "date" not in found.meta:
        found.meta["date"] = when
    if "date" not in found.meta and headline is not None:
        shown = _yearless_date(blocks, range(max(0, headline - 1), headline + 1 + _NEAR))
        if shown:
            found.meta["date"] = shown
    # A title that cites its source ("The headline (Acme, 2019)"), as the headline or a
    # heading right by it, says who published it and when.
    who: str | None = None
    if headline is not None:
        for i in range(max(0, headline - 1), min(len(blocks), headline + 1 + _NEAR)):
            cited = blocks[i].role == "heading" and cited_source(blocks[i].text.strip("*_ #"))
            if cited:
                who = cited[1]
                found.meta.setdefault("date", cited[2])
                break
    author = page.author(anchor, near, after) or _boxed_author(page, end)
    if who is not None and page.named(who):  # a person, not a publisher
        author, who = author or who, None
    if who is None and author:  # "By Jane Doe, Principal Analyst, Acme Analytics"
        bylines = (byline_author(blocks[i].text) or "" for i in near)
        full = next((b for b in bylines if b.startswith(author) and _role_and_house(b)), None)
        who = _byline_parts(full)[-1] if full else None
    if who is None and author:  # "Jane Doe • 2nd" / "VP Customer Insight at Acme | ..."
        lines = [i for i in near if blocks[i].text.startswith(author)]
        if lines and lines[0] + 1 < len(blocks):
            who = _house_of_role(blocks[lines[0] + 1].text)
    if author:
        found.meta["author"] = author
        found.credits = author_box(blocks, author, end)
    for block in reversed(blocks):
        if block.role == "boilerplate":
            owner = copyright_owner(block.text)
            if owner:
                found.meta["publisher"] = owner
                break
    if "publisher" not in found.meta and who is not None:
        found.meta["publisher"] = who
    if "publisher" not in found.meta:
        bio = " ".join(blocks[i].text for i in found.credits)
        site = site_name(blocks, anchor) or _employer(blocks, anchor, bio)
        if site:
            found.meta["publisher"] = site
    if "publisher" not in found.meta:
        house = _affiliation(blocks, near) or _labelled_house(page, blocks, under)
        if house:
            found.meta["publisher"] = house
    if "publisher" in found.meta:  # the publisher's "About ..." box says who it is, no finding
        found.credits += about_box(blocks, found.meta["publisher"])
    if "publisher" not in found.meta and found.title:
        named = titled_publisher(found.title, page.body_text)
        if named:
            found.meta["publisher"] = named[0]
            found.meta.setdefault("date", named[1])
    # An e-mail or memo pasted as text is titled by its subject and written by its sender.
    mail = mail_header(b.text for b in blocks)
    if mail is not None:
        found.title = mail[0] or found.title
        found.headlines = None if mail[0] else found.headlines
        if mail[1]:
            found.meta["author"] = mail[1]
    return found


def _yearless_date(blocks: list[Block], around: range) -> str | None:
    """A date line by the headline that leaves out the year ("Posted Nov 19, 6:51 AM"),
    as sites show a date of the year the page was shown in, with the year of the page's
    copyright line ("© 2019 Acme"); None without either."""
    shown = next(
        (d for i in around if i < len(blocks) and (d := yearless_date(blocks[i].text))), None
    )
    if shown is None:
        return None
    year = next((y for b in reversed(blocks) if (y := copyright_year(b.text))), None)
    if year is None:
        return None
    try:
        return dt.date(year, *shown).isoformat()
    except ValueError:
        return None


_LEAD_CHARS = 2000  # the opening of the article's text that headings are judged against


def _weighed(page: _Page, candidates: list[int], headline: int, title: str) -> Headlines:
    """The candidates as titles, each with its weight (the best weight of a heading
    shown more than once), the detected title (`headline`) first; its deck left out."""
    weights: dict[str, float] = {}
    # The heading right under the headline found (past its byline and date) is its deck
    # or tagline, saying what it says at more length: it is read with the headline,
    # never weighed against it. Under a kicker (a label of a few words over a longer
    # heading), the heading is the headline the kicker labels, weighed with the rest.
    deck = None if page.signals(headline).kicker else page.under(headline)
    for i in candidates:
        # A heading under the headline's text is a section's (the text's opening is about
        # its first section): it is not weighed against the headline by meaning.
        if i == deck or any(page.paragraph(k) for k in range(headline + 1, i)):
            continue
        shown = _own_showing(page, i)
        text = page.title_of(shown)
        weights[text] = max(weights.get(text, float("-inf")), page.score(i))
    weights[title] = max(weights.values(), default=0.0)
    ordered = sorted(weights.items(), key=lambda item: (item[0] != title, -item[1]))
    return Headlines(tuple(ordered), page.body_text[:_LEAD_CHARS])


_PIECE_WORDS = 3  # words of a line that holds one piece of a date set on several lines
_CLOCK = re.compile(r"\b[0-2]?\d:[0-5]\d\b")


def _date_in_pieces(blocks: list[Block], i: int) -> str | None:
    """A day's date set on two or three short lines from block `i` on, as some pages lay
    out a date block ("November 20" / "15:23 2019", "17" / "Jan" / "2014"), the time
    of day between the pieces aside; None where the lines do not make one."""
    pieces: list[str] = []
    for block in blocks[i : i + 3]:
        if block.role == "body" or len(block.text.split()) > _PIECE_WORDS:
            break
        pieces.append(block.text.strip())
        if len(pieces) > 1:
            joined = " ".join(_CLOCK.sub(" ", " ".join(pieces)).split())
            found = date_line(joined)
            if found is not None and len(found) == 10:
                return found
    return None


def _page_showing(page: _Page, headline: int, title: str) -> int:
    """The page's own showing of a title declared at the top of the file: where the
    declared heading has no byline or date line by it, the first heading further on that
    holds the title, whole or with a kicker run into it, and has one under it, or else
    the first such heading."""
    blocks = page.blocks
    around = blocks[max(0, headline - _NEAR) : headline + 1 + _NEAR]
    if any(page.dated(b) for b in around):
        return headline
    words = _tokens(title)
    showings = [
        i
        for i in range(headline + 1, len(blocks))
        if blocks[i].role == "heading"
        and (_tokens(blocks[i].text) == words or _holds(_tokens(blocks[i].text), words))
    ]
    dated = [i for i in showings if page.dated_under(i)]
    return (dated or showings or [headline])[0]


def _own_showing(page: _Page, headline: int) -> int:
    """Where the headline is shown more than once as a heading (the article, and a list
    of latest posts beside it), the showing with a byline or date line right under it
    (else right over it) is the article's own: its byline and date are read there."""
    blocks = page.blocks
    shown = _fold(_headline_text(blocks[headline]))
    twins = [
        i for i, b in enumerate(blocks) if b.role == "heading" and _fold(_headline_text(b)) == shown
    ]
    dated = [i for i in twins if page.dated_under(i)]
    if not dated:  # a date line over the headline ("17. Januar 2014 · 02:16")
        dated = [i for i in twins if page.dated_over(i)]
    return headline if not dated or headline in dated else dated[0]


_TITLED = re.compile(
    r"(?P<who>[A-Z][^\s:;,.!?]*(?:\s+(?:[A-Z&/]|and\s)[^\s:;,.!?]*){0,7})\s+(?P<year>(?:19|20)\d\d)\b"
)


def titled_publisher(title: str, body: str) -> tuple[str, str] | None:
    """The publisher and year a report's title opens with ('Gartner 2019 Customer
    Experience Management Survey' -> ('Gartner', '2019')), when the text credits that
    name with the work ("Gartner's 2019 survey", "according to Gartner")."""
    match = _TITLED.match(title)
    if match is None:
        return None
    who = match["who"]
    name = re.escape(who)
    credit = rf"{name}['’]s\b|\baccording to (?:the )?{name}\b"
    return (who, match["year"]) if re.search(credit, body) else None


_ROLE_AT_HOUSE = re.compile(
    r"^(?:[\w&/,.'’-]+\s+){1,6}at\s+(?P<house>[A-Z][\w.'’-]*(?:\s+(?:&|of|and|[A-Z][\w.'’-]*))*)$"
)


_LABEL_SEPARATOR = re.compile(r"\s+[·|•]\s+")
_NAME_JOINERS = frozenset({"&", "and", "of", "for", "the"})


def _labelled_house(page: _Page, blocks: list[Block], under: range) -> str | None:
    """The publisher a line of labels under the headline names among them ("Research
    note · Saltmarsh & Deane Research · Knowledge base"): its one label that is a name of
    two words or more, each capitalised, and no person's."""
    for i in under:
        if i >= len(blocks) or blocks[i].role == "body":
            continue
        labels = _LABEL_SEPARATOR.split(blocks[i].text.strip())
        names = [label for label in labels if _house_name(page, label)]
        if len(labels) > 1 and len(names) == 1:
            return names[0]
    return None


def _house_name(page: _Page, label: str) -> bool:
    words = label.split()
    return (
        2 <= len(words) <= _SITE_WORDS
        and words[0][0].isupper()
        and all(w[0].isupper() or w in _NAME_JOINERS for w in words)
        and not page.named(label)
        and byline_author(label) is None
        and date_line(label) is None
        and not _navigation(label)
    )


def _affiliation(blocks: list[Block], near: list[int]) -> str | None:
    """The first authors' institution of a paper: the line a mark on their names points
    to ("Imogen Farrant¹, ..." / "¹ University of Carnmouth, Centre for Service
    Research")."""
    for i in sorted(near):
        text = blocks[i].text.strip()
        marks = _MARK.findall(text)
        if not marks or text.startswith(_MARKS) or len(text.split()) > _NAMES_WORDS:
            continue
        for block in blocks[i + 1 : i + 1 + _NEAR]:
            line = block.text.strip()
            if line.startswith(marks[0]):
                return _unmarked(line).strip() or None
    return None


def _house_of_role(line: str) -> str | None:
    """The organisation of a role line under an author's name ("VP Customer Insight at
    Quintrell & Moss | Keynote speaker"), else None."""
    match = _ROLE_AT_HOUSE.match(line.split("|")[0].strip())
    return match.group("house") if match else None


def _byline_parts(byline: str) -> list[str]:
    """'Jane Doe, Principal Analyst, Acme' -> ['Jane Doe', 'Principal Analyst', 'Acme'];
    a role run into the name, as copied text joins a page's spans ('Jane DoeStaff
    Writer'), is a part of its own."""
    parts = re.split(r"\s*,\s*", byline)
    glued = _GLUED_ROLE.match(parts[0])
    return [glued.group(1), glued.group(2), *parts[1:]] if glued else parts


def _role_and_house(byline: str) -> bool:
    """A byline of a name, a role and an organisation ("Jane Doe, Principal Analyst,
    Acme Analytics"): three parts or more, not a list of authors ("A, B and C")."""
    return byline.count(",") >= 2 and not re.search(r"\band\b|&", byline)


def _boxed_author(page: _Page, end: int) -> str | None:
    """The author an author box at the end of the article's text names: a person's name
    alone on its line, then a paragraph that opens with it."""
    for i in range(max(0, _closing(page.blocks, end) - 1), len(page.blocks)):
        name = page.blocks[i].text.strip("*_ #")
        if page.named(name) and author_box(page.blocks[i : i + 3], name):
            return name
    return None


def _closing(blocks: list[Block], end: int) -> int:
    """Where the article's last paragraph stands: an author box closes the text."""
    return next((i for i in range(end - 1, -1, -1) if _substantial(blocks[i])), end)


def author_box(blocks: list[Block], author: str, end: int | None = None) -> list[int]:
    """The bio in an author box: a paragraph that opens with the author's name ("Jane
    Doe is a reporter who ..."), under the name alone on its line or as the article's
    last paragraph or after it; never a transcript's turn ("Jane Doe: Well, ...").
    `end`: where the article's text ends, when the caller has found it."""
    name = _fold(author)
    # A full name: one word could be anyone's ("Stadler", "Redaktion").
    if len(name.split()) >= 2:
        last = _closing(blocks, article_span(blocks)[1] if end is None else end)
    else:
        last = len(blocks)

    def opens_with_name(k: int) -> bool:
        text = blocks[k].text.lstrip("*_ ")
        if blocks[k].role != "body" or not _fold(text).startswith(f"{name} "):
            return False
        return text.startswith(author) and not text[len(author) :].lstrip("*_ ").startswith(":")

    found = [k for k in range(last, len(blocks)) if opens_with_name(k)]
    for i, block in enumerate(blocks):
        if _fold(block.text) != name:
            continue
        for k in range(i + 1, min(len(blocks), i + 3)):
            if blocks[k].role == "body" and _fold(blocks[k].text).startswith(f"{name} "):
                if opens_with_name(k) and k not in found:
                    found.append(k)
                break
    return sorted(found)


def about_box(blocks: list[Block], name: str) -> list[int]:
    """The paragraphs under a heading "About <name>", up to the next heading."""
    found: list[int] = []
    under = False
    for i, block in enumerate(blocks):
        if block.role == "heading":
            under = _fold(block.text.strip("*_ #")) == _fold(f"About {name}")
        elif under and block.role == "body":
            found.append(i)
    return found


def _employer(blocks: list[Block], headline: int, bio: str) -> str | None:
    """The masthead name above the headline that the author's bio names as where the
    author works ("Marisol Cheng is a principal analyst at Crossbar Insights")."""
    if not bio:
        return None
    for block in blocks[:headline]:
        name = block.text.strip("*_ #")
        size = len(name.split())
        plain = 1 <= size <= _SITE_WORDS and not _navigation(name) and not date_line(name)
        if plain and re.search(rf"\b(?:at|of|for|with|joined)\s+{re.escape(name)}\b", bio):
            return name
    return None


def site_name(blocks: list[Block], headline: int) -> str | None:
    """The publisher a page names without a copyright line: its name in the masthead
    above the headline ("HALVORSEN & REID ADVISORY") or in an "About ..." heading that a
    paragraph further down opens with, saying who it is ("Halvorsen & Reid Advisory is an
    independent consultancy."), as that paragraph writes it."""
    # A closing paragraph set aside as boilerplate ("... is an independent consultancy.
    # This brief may be shared internally.") says who published the page as well.
    about = [b.text.strip() for b in blocks[headline + 1 :] if b.role in ("body", "boilerplate")]
    # The masthead above the headline, or a heading "About <name>" further down (a news
    # release's boilerplate).
    named = [*blocks[:headline]]
    # ... or the first part of a byline under the headline ("Ashby Lantern Partners,
    # Research Brief 21-09, September 2021").
    named += [
        replace(b, text=re.split(r"\s*[,·|]\s*", b.text.strip())[0])
        for b in blocks[headline + 1 : headline + 1 + _NEAR]
        if b.role == "byline"
    ]
    named += [
        replace(b, text=b.text.strip("*_ #")[6:])
        for b in blocks[headline + 1 :]
        if b.role == "heading" and b.text.strip("*_ #").startswith("About ")
    ]
    for block in named:
        name = block.text.strip("*_ #")
        size = len(name.split())
        if not 2 <= size <= _SITE_WORDS or _navigation(name) or date_line(name):
            continue
        for text in about:
            head = text.split()[:size]
            if len(text.split()) > size and _fold(" ".join(head)) == _fold(name):
                return " ".join(head)
    return None
