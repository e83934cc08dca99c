"""Read lines of text (plain text, Markdown, a PDF page) into typed blocks.

1. Lines are grouped by their form: blank lines end a paragraph; headings (`#`, or a line
   underlined with `===`/`---`), list items (`-`, `*`, `•`, `1.`, `2)`), table rows
   (`| a | b |`, or cells separated by tabs) and code fences have their own groups.
2. Paragraphs are reflowed: a line break is joined when the line was wrapped (it does not
   end a sentence and the next word would not have fitted on it, judged against the
   document's own wrap width) or when the next line carries on in lower case. A break
   that the writer made on purpose (a heading over its text, a short last line) stays.
3. Each block gets a role. A short line without closing punctuation standing alone is a
   heading; masthead lines (bylines, date lines, credits, reading times) and short
   "Label: value" lines are described by their role and never become evidence; a list
   item carries the sentence that leads into its list, a table row its header row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import islice, takewhile

from ingest.document import INVISIBLE, TEXT_ROLES, Block, BlockRole
from ingest.evidence import FIGURE_TOKEN, column_starts, spaced_cells, table_cells
from ingest.masthead import (
    byline_author,
    date_line,
    find_date,
    is_contact,
    is_credit,
    is_read_time,
    is_relative_time,
    is_reply_line,
    names_month,
    post_headers,
)
from ingest.sentences import sentence_spans
from ingest.tree_lines import tree_nodes

_ATX = re.compile(r"^\s{0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
# A list item's marker: a bullet, a number ("1.", "1)", a keycap "1️⃣"), or an arrow or
# emoji used as a bullet ("👉", "✅", "➡️").
_LIST = re.compile(
    r"^(?P<indent>\s*)(?P<marker>[-*+•▪◦●‣]|\d{1,3}[.)]|\d{1,2}\ufe0f?\u20e3"
    r"|[\u2190-\u21ff\u25b6\u25ba\u2600-\u27bf\u2b05-\u2b07\u2b50\U0001f300-\U0001faff]\ufe0f?)"
    r"\s*(?<=\s|\u20e3)(?=\S)"
)


def _list_item(line: str) -> re.Match[str] | None:
    """The list marker a line opens with; a day's number before its month and year
    ("17. Januar 2014 · 02:16") opens a date line, not a numbered item."""
    item = _LIST.match(line)
    if item and item.group("marker")[:1].isdigit():
        dated = find_date(line.strip())
        if dated is not None and dated[1][0] == 0:
            return None
    return item


_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_TERMINAL = re.compile(r"[.!?:;…][\"'”’)\]*_]*$")
_CONTINUES = re.compile(r"^[a-z(,;%€$£–-]")
# What goes on with a sentence cut by a page break: lower case or a figure ("164 in ...").
_CONTINUES_AFTER_BREAK = re.compile(r"^[a-z0-9(,;%€$£–-]")
_FIELD = re.compile(r"^[*_]{0,2}[A-Z][\w /&().-]{0,30}?[*_]{0,2}:[*_]{0,2}\s+\S")
_MAX_HEADING_WORDS = 16
# Abbreviations a title-case line may end on: a weekday's, a firm's form ("& Co.").
_ABBREVIATED_END = re.compile(
    r"(?:^|\s)(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun|Co|Corp|Inc|Ltd|Jr|Sr)\.$"
)
_TITLE_CASE_SHARE = 0.6  # of a line's words of four letters or more, capitalised
_MAX_UNPUNCTUATED_HEADING_WORDS = 24
_CAPTION_WORDS = 60  # a caption with its credit, at most
_CREDITED = re.compile(r"\(([^()]{2,60})\)$")
_GLUED = re.compile(r"[a-z]{2}[.!?](?=[A-Z][a-z])")  # "Austria.Jane": two sentences run together
_CLOSING_QUOTES = "\"'”’»"
_LEAD_IN_WORDS = 40  # a paragraph of two sentences this short leads into its list whole
_FOOTNOTE = re.compile(r"^\s*\[\^[^\]\s]{1,12}\]:\s+(?=\S)")  # a Markdown footnote
# A note under a rule line, as reports set their footnotes: "2 Of the 538 companies ..."
_NOTE_UNDER_RULE = re.compile(r"^\s*(?:\d{1,2}|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,2})\s+(?=[\"“‘'(]?[A-Z])")
# A word broken at a line's end: letters and a hyphen ("cen-"), not a dash (" - ").
_BROKEN = re.compile(r"(?:^|\s)([^\W\d_]+)-$")
_WORDS = re.compile(r"[^\W\d_]+")
_PUNCTUATION = ".,;:!?\"'()[]”’“‘"
_SUBTITLE_WORDS = 6  # a clause after a colon this long is a subtitle, not a field's value
# A copyright line: "© 2019 Example Media", "Copyright 2019 ...", "All rights reserved".
_RIGHTS = re.compile(
    r"©|\ball rights reserved\b|^\(c\)\s|^copyright\s+(?:\(c\)|(?:19|20)\d\d)", re.IGNORECASE
)


@dataclass
class _Group:
    kind: str  # text | list | table | heading | code
    lines: list[str] = field(default_factory=list)
    marker: str = ""
    header_rows: int = 0


def wrap_width(lines: Sequence[str], proportional: bool = False) -> int | None:
    """The width a hard-wrapped text was wrapped at, or None when it was not wrapped.

    Wrapped text has many lines just under one width: that width is taken as the 90th
    percentile of line lengths, and the text counts as wrapped when at least three
    lines and a fifth of its lines reach 70% of it. Text in a fixed-width font (not
    `proportional`, as a PDF's lines are) that fails this may still be wrapped where its
    short lines outnumber its wrapped ones (a pasted page's menus and buttons): weighed
    by its lines of `_WRAPPED_FLOOR` characters or more alone, it is wrapped when they
    pass the same test, no more than a few of them run past the width (a word too long
    to break, a web address), and the width is `_NARROWEST_WRAP` columns or more.
    """
    width = _wrapped_at(sorted(len(ln.rstrip()) for ln in lines if ln.strip()))
    if width is not None or proportional:
        return width
    long = sorted(n for ln in lines if (n := len(ln.rstrip())) >= _WRAPPED_FLOOR)
    width = _wrapped_at(long)
    if width is None or width < _NARROWEST_WRAP:
        return None
    beyond = sum(1 for n in long if n > _PAST_WIDTH * width)
    return width if beyond <= max(2, 0.05 * len(long)) else None


def _wrapped_at(lengths: Sequence[int]) -> int | None:
    """The 90th percentile of sorted line lengths, where at least three lines and a fifth
    of them reach 70% of it; else None."""
    if len(lengths) < 4:
        return None
    width = lengths[min(len(lengths) - 1, int(len(lengths) * 0.9))]
    if width > 200 or width < 30:
        return None
    near = sum(1 for n in lengths if n >= 0.7 * width)
    return width if near >= 3 and near >= len(lengths) / 5 else None


_WRAPPED_FLOOR = 40  # characters of a line weighed, where short lines hide the wrapping
# Fixed-width text is wrapped at 60 columns or more (72 and 80 in mail and Markdown):
# lines all of one shorter length are verse or a list, written line by line.
_NARROWEST_WRAP = 60
_PAST_WIDTH = 1.1  # a line this much longer than the width was not wrapped at it


_BYLINE_WORDS = 8  # words of a byline at most, when it could be a wrapped line
# Words a byline set one part to a line goes on after: "By" / "Jane Doe" / "and" / ...
_BYLINE_JOINS = frozenset("by von par por da and & und et y e".split())


def _first_word(line: str) -> str:
    """The first word as a wrapper sees it: a no-break space does not end a word."""
    parts = re.split(r"[ \t]+", line.strip(" \t"), maxsplit=1)
    return parts[0]


def joins(
    previous: str, line: str, width: int | None, slack: float = 0.0, last: str | None = None
) -> bool:
    """Whether the break between two lines of one paragraph was made by wrapping.
    `previous`: the paragraph so far; `last`: its last line as the file has it, when
    lines were joined already (the width test is about that line alone)."""
    last = (previous if last is None else last).rstrip()
    previous, line = previous.rstrip(), line.strip()
    if not previous or not line:
        return False
    # A byline set one part to a line: "By" / "Jane Doe" / "and" / "John Roe".
    if previous.split()[-1].lower() in _BYLINE_JOINS and byline_author(f"{previous} {line}"):
        return True
    if line.lower() in _BYLINE_JOINS and byline_author(previous):
        return True
    values = _values_line(last)
    if values and values == _values_line(line):
        return False  # the next row of a table ("of which agents 880 880"), whatever its case
    ends = bool(_TERMINAL.search(previous))
    # A byline or a date line stands on its own; a long line in lower case after one
    # that does not end a sentence goes on with it ("... its figures are forecasts" /
    # "by Gartner and Forrester, and they should be quoted as such ..."), where a byline
    # is a name and little more ("geschrieben von Jane Doe").
    stands = not line[:1].islower() or ends or len(line.split()) <= _BYLINE_WORDS
    if stands and (byline_author(line) or (date_line(line) and not line[:1].islower())):
        return False
    if not ends and _CONTINUES.match(line):
        return True
    if width is None:
        return False
    full = len(last) + 1 + len(_first_word(line)) > width * (1 - slack)
    return full


def _cells(line: str) -> int:
    """Cells of a table row written with pipes ('a | b | c', '| a | b |') or tabs."""
    if _PIPE_ROW.match(line) or " | " in line:
        return len([c for c in line.strip().strip("|").split("|")])
    return len([c for c in line.split("\t") if c.strip()]) if "\t" in line.strip() else 0


def _table_line(line: str, markdown: bool) -> bool:
    """A row of a table written with pipes or tabs; in Markdown, a line that opens with a
    tab or four spaces is code, not a row."""
    code = markdown and line.startswith(("\t", "    "))
    return bool(_PIPE_ROW.match(line)) or (not code and _cells(line) >= 2)


def group_lines(
    lines: Sequence[str], markdown: bool, width: int | None = None, slack: float = 0.0
) -> list[_Group]:
    """Lines grouped into paragraphs, headings, list items, tables and code. `width`:
    the width the text was wrapped at, if it was (a list item's wrapped lines then
    stay with it even without an indent)."""
    groups: list[_Group] = []
    current: _Group | None = None
    in_fence = False
    notes = False  # under a rule line, until a blank line: footnotes

    def flush() -> None:
        nonlocal current
        if current is not None and current.lines:
            if current.kind == "table" and len(current.lines) == 1 and not current.header_rows:
                current.kind = "text"  # one row of cells is a line of text
            groups.append(current)
        current = None

    following = [""] * len(lines)  # the next line with text after each line
    upcoming = ""
    for n in range(len(lines) - 1, -1, -1):
        following[n] = upcoming
        if lines[n].strip():
            upcoming = lines[n]
    for n, raw in enumerate(lines):
        line = raw.rstrip()
        if _FENCE.match(line):
            if in_fence:
                in_fence = False
                flush()
            else:
                flush()
                in_fence = True
                current = _Group("code")
            continue
        if in_fence:
            assert current is not None
            current.lines.append(line)
            continue
        if not line.strip():
            if current is not None and current.kind == "table" and _PIPE_ROW.match(following[n]):
                continue  # rows written a blank line apart are still one table
            flush()
            notes = False
            continue
        atx = _ATX.match(line)
        if atx:
            flush()
            groups.append(_Group("heading", [atx.group(2).strip()]))
            continue
        if (
            _SETEXT.match(line)
            and current is not None
            and current.kind == "text"
            and len(current.lines) == 1
        ):
            current.kind = "heading"
            flush()
            continue
        if _RULE.match(line):
            flush()
            notes = True
            continue
        # Columns aligned with spaces make a table when the next line has them too (or
        # the table is under way): one such line inside a paragraph is text. Two columns
        # count when a second column starts where the next (or the last) row's does.
        in_table = current is not None and current.kind == "table"
        aligned = not markdown and bool(spaced_cells(line))
        paired = (
            not markdown
            and not _list_item(line)
            and bool(
                column_starts(line)
                & column_starts(current.lines[-1] if in_table and current else following[n])
            )
        )
        if (
            _table_line(line, markdown)
            or paired
            or (aligned and (in_table or bool(spaced_cells(following[n]))))
            or (in_table and _PIPE_SEPARATOR.match(line))
        ):
            if current is None or current.kind != "table":
                flush()
                current = _Group("table")
            if _PIPE_SEPARATOR.match(line):
                # The first rule ends the header rows; a rule under the last row (as
                # some converters write one) ends nothing.
                current.header_rows = current.header_rows or len(current.lines)
            else:
                current.lines.append(line)
            continue
        note = _FOOTNOTE.match(line) or (_NOTE_UNDER_RULE.match(line) if notes else None)
        if note:  # "[^3]: Among the 21 firms ...": the note's text is a paragraph
            flush()
            current = _Group("text", [line[note.end() :]])
            continue
        item = _list_item(line)
        if item and current is not None and current.kind == "text":
            # A number that opens a wrapped line of an unfinished sentence goes on with
            # it ("... rose from 38 to" / "64. New agents need ..."): a list does not
            # open in the middle of a sentence.
            # Nor does the day of a month that ends the line before ("... said on Nov." /
            # "8. “I like ..."), however its full stop reads.
            last = current.lines[-1]
            unfinished = not _TERMINAL.search(last.rstrip()) and not _values_line(last)
            marker = item.group("marker")
            number = _item_number_of(marker)
            dated = number is not None and number <= 31 and names_month(last.split()[-1])
            if ((unfinished and _numbered(marker)) or dated) and joins(last, line, width):
                item = None
        if item:
            flush()
            current = _Group("list", [line[item.end() :]], marker=item.group("marker"))
            continue
        if current is not None and current.kind == "list":
            indented = line[:1].isspace()
            if indented or joins(current.lines[-1], line, width, slack):
                current.lines.append(line)
                continue
            flush()
        if current is None or current.kind != "text":
            flush()
            current = _Group("text")
        current.lines.append(line)
    flush()
    return groups


def _reflow(
    lines: list[str], width: int | None, slack: float, words: frozenset[str] = frozenset()
) -> list[str]:
    """Join wrapped lines; a deliberate break starts a new piece. A word broken with a
    hyphen at a line's end ("cen-" / "tral") is joined whole where the document writes it
    so elsewhere (`words`, in lower case), else it keeps its hyphen ("customer-facing")."""
    out: list[str] = []
    last = ""
    for line in lines:
        stripped = " ".join(line.split())
        joined = bool(out) and joins(out[-1], line, width, slack, last)
        last = line
        if joined:
            broken = _BROKEN.search(out[-1])
            if broken and stripped[:1].islower():
                rest = stripped.split(maxsplit=1)[0]
                whole = f"{broken.group(1)}{rest}".lower().strip(_PUNCTUATION)
                cut = broken.end() - 1 if whole in words else broken.end()
                out[-1] = f"{out[-1][:cut]}{stripped}"
            else:
                out[-1] = f"{out[-1]} {stripped}"
        else:
            out.append(stripped)
    return out


def vocabulary(lines: Sequence[str]) -> frozenset[str]:
    """The words of a text in lower case, when one of its lines ends with a word broken by
    a hyphen (else none are needed)."""
    if not any(_BROKEN.search(ln.rstrip()) for ln in lines):
        return frozenset()
    return frozenset(w.lower() for ln in lines for w in _WORDS.findall(ln))


def _field_like(text: str) -> bool:
    """'Label: value' of a memo's header or a fact box; not a headline with its subtitle
    after a colon ("Governing CX: why a council with decision rights beats one owner"),
    whose second part is a clause in lower case, longer than a field's value."""
    match = _FIELD.match(text)
    if not match or len(text.split()) > 14 or text.rstrip().endswith("."):
        return False
    value = text[match.end() - 1 :].split()
    return not (value[0][:1].islower() and len(value) >= _SUBTITLE_WORDS)


def _title_case(text: str) -> bool:
    """Most of the line's longer words start with a capital, as a headline's do."""
    long = [w for w in text.split() if len(w.strip(".,:;!?&-")) >= 4]
    capitalised = [w for w in long if w[:1].isupper()]
    return len(long) >= 3 and len(capitalised) >= _TITLE_CASE_SHARE * len(long)


def _heading_length(text: str) -> bool:
    """As short as a heading of any kind is."""
    return len(text.split()) <= _MAX_HEADING_WORDS and len(text) <= 150


def _single_role(text: str, in_fields: bool = False) -> BlockRole | None:
    """The role of a short stand-alone line, or None for body text. `in_fields`: the
    line stands in a run of "Label: value" lines (a memo's header, a fact box)."""
    words = text.split()
    if byline_author(text) or date_line(text) or is_read_time(text) or is_relative_time(text):
        return "byline"
    if is_credit(text) and not _TERMINAL.search(text.rstrip(")")):
        return "caption"
    # A caption that ends with its credit: "... (Photo: Getty Images)", "... Foto: Jane Doe".
    if len(words) <= _CAPTION_WORDS:
        credited = _CREDITED.search(text)
        spans = sentence_spans(text)
        last = text[spans[-1][0] :] if len(spans) > 1 else ""
        # A credit run on after the caption's full stop, the space between lost in a
        # copy ("... in Braunau, Austria.Jane Doe / Reuters file").
        glued = [*_GLUED.finditer(text)]
        tail = text[glued[-1].end() :] if glued else ""
        if (
            (credited and is_credit(credited.group(1)))
            or (last and is_credit(last))
            or (tail and is_credit(tail))
        ):
            return "caption"
    if (len(words) <= 20 and _RIGHTS.search(text)) or is_contact(text):
        return "boilerplate"
    if in_fields and _field_like(text):
        return "field"
    stripped = text.rstrip("*_ ")
    # A full stop after an abbreviation ("... Alert Tues.", "... & Co.") need not end a
    # sentence: a line in title case that ends so closes with no mark.
    abbreviated = bool(_ABBREVIATED_END.search(stripped)) and _title_case(stripped)
    if not _TERMINAL.search(stripped) or abbreviated:
        # A line with no closing mark: a headline, however long news writes it.
        if _heading_length(text) or (
            len(words) <= _MAX_UNPUNCTUATED_HEADING_WORDS
            and len(text) <= 220
            and len(sentence_spans(stripped)) == 1
            and stripped.count(":") <= 1  # "Present: ... Notes: ...": a memo's fields
        ):
            return "heading"
    elif _heading_length(text):
        # One exclamation or question, its closing quote or bracket after the mark ('...
        # "We got her!"', '... (or is it?)').
        spoken = stripped.rstrip(_CLOSING_QUOTES + ")]")
        worded = any(ch.isalpha() for ch in spoken)  # not "[...]", a cut marked
        if (
            worded
            and spoken.endswith(("?", "!", "…", "..."))
            and len(sentence_spans(stripped)) == 1
        ):
            return "heading"
    return None


def _item_number_of(marker: str) -> int | None:
    """The number of a numbered item's marker ("2." or "2)"); None for a bullet."""
    digits = marker.rstrip(".)")
    return int(digits) if digits.isdecimal() else None


def _numbered(marker: str) -> bool:
    return marker[:1].isdigit()


def lead_in(blocks: list[Block], heading: str | None) -> str:
    """What a list starting now is read with: the last sentence of the body block just
    before it (the whole block when it is two short sentences: a question, then "Ranked
    by share:"), else the heading of its section."""
    if blocks and blocks[-1].role == "body":
        text = blocks[-1].text
        spans = sentence_spans(text)
        if len(spans) == 2 and len(text.split()) <= _LEAD_IN_WORDS:
            return text  # "We asked agents why they escalate. Ranked by share:" says both
        if spans:
            return text[spans[-1][0] : spans[-1][1]]
        return text
    return heading or ""


def read_lines(
    lines: Sequence[str],
    *,
    markdown: bool = False,
    page: int | None = None,
    section: str | None = None,
    slack: float = 0.0,
    chrome: Sequence[bool] | None = None,
    words: frozenset[str] | None = None,
) -> list[Block]:
    """Blocks of `lines` in reading order. Lines flagged in `chrome` (menus, banners)
    become boilerplate blocks. `slack` widens the wrap test for proportional fonts.
    `words`: the whole document's words, for a page read on its own (see `vocabulary`)."""
    kept: list[str] = []
    blocks: list[Block] = []
    heading = section
    chrome_blocks: list[tuple[int, str]] = []
    # Lines that lead into page chrome ("Our sites around the globe:" over a menu): what
    # follows the chrome is not their list.
    severed: set[str] = set()
    for i, line in enumerate(lines):
        if chrome is not None and chrome[i]:
            chrome_blocks.append((int(any(ln.strip() for ln in kept)), line.strip()))
            if kept and kept[-1].strip() and not chrome[i - 1]:
                severed.add(" ".join(kept[-1].split()))
            kept.append("")
        else:
            # A line of nothing but zero-width spaces (a page's empty paragraph) is blank.
            kept.append(line if line.translate(INVISIBLE).strip() else "")
    width = wrap_width(
        [ln for ln in kept if not _list_item(ln) and not _table_line(ln, markdown)],
        proportional=slack > 0,
    )
    groups = group_lines(kept, markdown, width, slack)
    words = vocabulary(kept) if words is None else words
    in_list: str | None = None  # the lead-in of the list being read
    # The last numbered item's number and lead-in: an item that follows on from it after
    # a paragraph of its own ("1. We Doctor ..." / its description / "2. iCarbonX ...")
    # is of the same list.
    numbered: tuple[int, str] | None = None
    for group in groups:
        if group.kind != "list":
            in_list = None
        if group.kind == "heading":
            numbered = None
            heading = " ".join(group.lines[0].split())
            blocks.append(Block("heading", heading, page, heading))
        elif group.kind == "code":
            nodes = tree_nodes(group.lines)
            if nodes is None:
                blocks.append(Block("boilerplate", "\n".join(group.lines), page, heading))
                continue
            # A chart drawn as a tree: each node is an item read under its parent, a
            # root under what leads into the chart.
            root_lead = lead_in(blocks, heading)
            for node in nodes:
                lead = root_lead if node.parent is None else nodes[node.parent].text
                blocks.append(Block("list_item", node.text, page, heading, lead))
        elif group.kind == "table":
            rows = [" ".join(r.split()) if "|" in r else r.strip() for r in group.lines]
            # A byline set out in fields ("Text & Fotos: Jane Doe | 0 | 337") is the
            # page's masthead, not a row; and so is the one line of fields beside it
            # ("PUBLISHED: November 19, 2019 | UPDATED: ..."): one row is no table.
            meta = [bool(byline_author(r)) for r in rows]
            data = [r for r, m in zip(rows, meta) if not m]
            if any(meta) and len(data) == 1:
                meta, data = [True] * len(rows), []
            read = iter(_table_roles(data, group.header_rows))
            for row, is_meta in zip(rows, meta):
                role, header = _MASTHEAD_ROW if is_meta else next(read)
                blocks.append(Block(role, row, page, heading, header))
        elif group.kind == "list":
            number = _item_number_of(group.marker)
            if in_list is None and numbered and number == numbered[0] + 1:
                in_list = numbered[1]
            if in_list is None:
                in_list = lead_in(blocks, heading)
            numbered = (number, in_list) if number is not None else None
            text = " ".join(_reflow(group.lines, None, slack, words))
            if _numbered(group.marker):
                text = f"{group.marker} {text}"
            # An item of a page's info list may be its byline or contact details.
            item: BlockRole = "list_item"
            if byline_author(text):
                item = "byline"
            elif is_contact(text):
                item = "boilerplate"
            blocks.append(Block(item, text, page, heading, in_list if item == "list_item" else ""))
        else:
            bare_list: str | None = None  # lead-in of bare items, one a line
            pieces = _reflow(group.lines, width, slack, words)
            # The pieces of one paragraph as the file writes it, with no blank line
            # between them (a PDF's lines are set by its layout, not written so).
            one_paragraph = not slack
            for n, piece in enumerate(pieces):
                continues = one_paragraph and n > 0
                neighbours = pieces[max(0, n - 1) : n] + pieces[n + 1 : n + 2]
                role = _single_role(piece, any(_field_like(p) for p in neighbours)) or "body"
                if role == "heading" and bare_list is None and blocks:
                    last = blocks[-1]
                    if (
                        last.role == "body"
                        and last.text.endswith(":")
                        and last.page == page
                        and not (n == 0 and any(last.text.endswith(t) for t in severed))
                    ):
                        bare_list = lead_in(blocks, heading)
                if role == "heading" and bare_list is not None:
                    blocks.append(
                        Block("list_item", piece, page, heading, bare_list, continues=continues)
                    )
                    continue
                bare_list = None
                if role == "heading":
                    heading = piece.strip("*_ ")
                blocks.append(Block(role, piece, page, heading, continues=continues))
    blocks = _headline_over_byline(_numbered_headings(_aligned_tables(blocks)))
    blocks = _sections(_answers(_comment_thread(_data_series(_references(blocks)))), section)
    blocks = _posts(blocks)
    leading = [Block("boilerplate", t, page, section) for pos, t in chrome_blocks if t and pos == 0]
    trailing = [Block("boilerplate", t, page, section) for pos, t in chrome_blocks if t and pos]
    return leading + blocks + trailing


_FIGURE = re.compile(rf"^{FIGURE_TOKEN}[,;]?$")  # a value, as a list runs on: "4.1%,"


_MASTHEAD_ROW: tuple[BlockRole, str] = ("byline", "")


def _table_roles(rows: list[str], header_rows: int) -> list[tuple[BlockRole, str]]:
    """Each row's role in its table, with the header row it is read with (rows only)."""
    # A first row with one filled cell over a wider table is its caption: it heads the
    # table, but the column names are the row below it.
    cells = [[c for c in table_cells(r) if c] for r in rows]
    wide = max((len(table_cells(r)) for r in rows), default=0) >= 2
    captions = 0
    while wide and captions < len(rows) - 2 and len(cells[captions]) <= 1:
        captions += 1
    header_rows = max(header_rows or 1, captions + 1)
    header = " ".join(rows[captions:header_rows]) if len(rows) > header_rows else ""
    # The header row shown again (a sticky header copied twice, or repeated after a page
    # break) is the header, not a row of data.
    heads = {tuple(cells[i]) for i in range(captions, header_rows)} if header else set()
    roles: list[tuple[BlockRole, str]] = []
    for i in range(len(rows)):
        again = i >= header_rows and tuple(cells[i]) in heads
        role: BlockRole = "table_header" if header and (i < header_rows or again) else "table_row"
        roles.append((role, header if role == "table_row" else ""))
    return roles


_ROW_WORDS = 25  # words of a table's row, at most
_PERIOD_LABEL = re.compile(r"^(?:(?:19|20)\d\d|[QH][1-4]|FY\d{2,4})$")


def _is_figure(token: str) -> bool:
    return bool(_FIGURE.match(token)) and not _PERIOD_LABEL.match(token.strip("(),"))


def _figures(text: str) -> int:
    """Tokens holding a figure, years and period labels (Q3, FY26) aside."""
    return sum(1 for t in text.split() if _is_figure(t))


def _row_like(block: Block) -> bool:
    text = block.text
    return (
        block.role in {"heading", "body"}
        and len(text.split()) <= _ROW_WORDS
        and not _TERMINAL.search(text)
        and (_figures(text) >= 2 or (_figures(text) == 0 and len(text.split()) <= 12))
    )


def _trailing_values(text: str) -> int:
    """The figures among a line's last tokens, up to its first word of four letters or
    more (dashes for empty cells and short units stand among them: "6 min 20 s")."""
    values = 0
    for word in reversed(text.split()):
        if _is_figure(word):
            values += 1
        elif len(word) > 3:
            break
    return values


def _values_line(text: str) -> int:
    """A table's row of values as a line of its own: short, no sentence's end, a label
    and then two or more figures, the last one ending it. Its number of values, else 0."""
    words = text.split()
    if not words or len(words) > _ROW_WORDS or not _is_figure(words[-1]):
        return 0
    values = _trailing_values(text)
    return values if values >= 2 and not _TERMINAL.search(text.rstrip()) else 0


def _value_row(block: Block) -> bool:
    """A row of values: a short line whose label comes first and whose last tokens,
    two or more of them figures, are all values (figures, dashes for empty cells,
    short units: "6 min 20 s")."""
    return _row_like(block) and _trailing_values(block.text) >= 2


def _aligned_tables(blocks: list[Block]) -> list[Block]:
    """Rows of a table whose columns were aligned with spaces (as PDF text comes out):
    two or more consecutive rows of values. The line before
    them is their header when it has fewer figures than a row (column names, periods)."""
    out = list(blocks)
    i = 0
    while i < len(out):
        j = i
        while j < len(out) and _value_row(out[j]):
            j += 1
        if j - i >= 2:
            header = ""
            before = out[i - 1] if i > 0 else None
            if before is not None and _row_like(before) and _figures(before.text) < 2:
                header = before.text
                out[i - 1] = replace(before, role="table_header")
            for k in range(i, j):
                out[k] = replace(out[k], role="table_row", context=header)
            i = j
        else:
            i += 1
    return out


def _item_number(block: Block) -> int | None:
    """The number of a numbered list item ("4. Themen" -> 4), else None."""
    found = re.match(r"(\d{1,3}[.)])\s", block.text) if block.role == "list_item" else None
    return _item_number_of(found.group(1)) if found else None


def _numbered_headings(blocks: list[Block]) -> list[Block]:
    """A numbered item standing alone between paragraphs ('2. Contact volumes') is a
    numbered section heading, not a list."""
    out = list(blocks)
    numbers = [_item_number(b) for b in out]
    for i, block in enumerate(out):
        number = numbers[i]
        if number is None:
            continue
        before = numbers[i - 1] if i > 0 else None
        after = numbers[i + 1] if i + 1 < len(out) else None
        # Nor is an item whose number follows no item next to it ("15. Forum on rural
        # life" under a breadcrumb numbered 1 to 4): a heading that opens on a number.
        alone = (
            (i == 0 or out[i - 1].role != "list_item")
            and (i + 1 >= len(out) or out[i + 1].role != "list_item")
        ) or (
            before not in (None, number, number - 1)
            and after not in (number, number + 1)
            and not (after is None and i + 1 < len(out) and out[i + 1].role == "list_item")
        )
        words = block.text.split()
        if alone and len(words) <= 12 and not _TERMINAL.search(block.text):
            out[i] = replace(block, role="heading", context="")
    return out


def _headline_over_byline(blocks: list[Block]) -> list[Block]:
    """A short line right above the byline that names the author, before any paragraph
    of text, is the headline even when it is written as sentences ("In B2B software,
    customer success should own the customer experience. All of it." / "By Jane Doe")."""
    for i, block in enumerate(blocks[:-1]):
        if (
            block.role == "body"
            and len(sentence_spans(block.text)) >= 2
            and len(block.text.split()) > 25
        ):
            break  # the text has begun
        # The bylines and date lines right under it ("31 Oct 2019" / "Posted by Jane Doe").
        under = takewhile(lambda b: b.role == "byline", islice(blocks, i + 1, None))
        # A list item too: a "Trending:" menu's items run on into the headline under them.
        if (
            block.role in {"body", "list_item"}
            and _heading_length(block.text)
            and any(byline_author(b.text) for b in under)
        ):
            out = list(blocks)
            out[i] = replace(block, role="heading", context="")
            return out
    return blocks


# The heading of a list of works cited: its entries are citations of other works, not
# what the document says.
_REFERENCES = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:references|bibliography|works cited|literature cited|"
    r"reference list|literatur|literaturverzeichnis|bibliographie|références)$",
    re.IGNORECASE,
)
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)


def _references(blocks: list[Block]) -> list[Block]:
    """The entries under a "References" heading, up to the next heading (a page number
    aside), are set aside as boilerplate."""
    out = list(blocks)
    inside = False
    for i, block in enumerate(blocks):
        if block.role == "heading":
            text = block.text.strip("*_# ")
            if _REFERENCES.match(text):
                inside = True
            elif not _PAGE_NUMBER.match(text):
                inside = False
        elif inside and block.role in ("body", "list_item"):
            out[i] = replace(block, role="boilerplate", context="")
    return out


# A line that opens a page's comment thread: a count of comments ("64 comments",
# "Comments (3)", "3 responses").
_THREAD = re.compile(
    r"\b\d[\d,.]*\s*k?\s+(?:comments?|replies|responses)\b|\bcomments?\s*[(\[]\d+[)\]]",
    re.IGNORECASE,
)
_THREAD_AFTER = 3  # paragraphs of text before a comment count that opens a thread
_FIRST_REPLY = 8  # blocks from the count to the first comment's "Reply" line, at most


def _comment_thread(blocks: list[Block]) -> list[Block]:
    """Readers' comments under an article are not what it says: from a line that opens
    the thread (a count of comments after the article's first paragraphs), when the first
    comment's "Reply" line follows it closely, every block but metadata is a comment."""
    paragraphs = 0
    for i, block in enumerate(blocks):
        if block.role == "body" and len(block.text.split()) >= 12:
            paragraphs += 1
        short = len(block.text.split()) <= 10
        if paragraphs < _THREAD_AFTER or not short or not _THREAD.search(block.text):
            continue
        first = blocks[i + 1 : i + 1 + _FIRST_REPLY]
        if not any(b.role != "body" and is_reply_line(b.text) for b in first):
            continue
        kept = {"caption", "byline", "boilerplate"}
        return [
            *blocks[:i],
            *(b if b.role in kept else replace(b, role="comment", context="") for b in blocks[i:]),
        ]
    return blocks


# A data series written out on one line, as a chart's data or alt text gives it:
# "Chart data: Marketing 34%, IT 22%, Finance 8%" (an optional label, then "name value"
# pairs); each pair is read as an item under the chart's caption.
_SERIES_LABEL = re.compile(r"^[^:,\d]{1,40}:\s+")
_SERIES_ITEM = re.compile(
    r"^(?:[^\W\d]|(?:19|20)\d\d\b)[^,;:]{0,60}?\s[-–]?\s?[$€£]?\d[\d.,]*\s?(?:%|[a-z]{0,3})$"
)
# An image's description in brackets, as a page copied as text gives it: "[Image alt
# text: A bar chart ...]", "[Photo: ...]".
_ALT_TEXT = re.compile(r"^\[(?:image|alt|photo|picture|chart|graphic|video)\b[^\]]*\]$", re.I)
_SERIES_ITEMS = 3  # pairs of a line that make it a data series, at least


def _data_series(blocks: list[Block]) -> list[Block]:
    """A line of three or more "name value" pairs is a list of them, each an item read
    with the caption (the heading) it stands under; an image's description in brackets
    is a caption."""
    out: list[Block] = []
    heading = ""  # the caption or heading the line stands under
    for block in blocks:
        if block.role in {"body", "heading"} and _ALT_TEXT.match(block.text.strip()):
            out.append(replace(block, role="caption"))
            continue
        label = _SERIES_LABEL.match(block.text)
        body = block.text[label.end() :] if label else block.text
        items = [item.strip() for item in body.rstrip(".").split(",")]
        if (
            block.role not in {"body", "heading"}
            or len(items) < _SERIES_ITEMS
            or not all(_SERIES_ITEM.match(item) for item in items)
        ):
            out.append(block)
            heading = block.text.strip("*_ ") if block.role == "heading" else heading
            continue
        caption = heading or (label.group(0).rstrip(": ") if label else "")
        out.extend(replace(block, role="list_item", text=item, context=caption) for item in items)
    return out


def _answers(blocks: list[Block]) -> list[Block]:
    """A paragraph right after one that ends on a question (an interviewer's, or an
    audience member's read out) answers it: the question is kept as its context, as an
    FAQ's question heading is for the paragraph under it."""
    out = list(blocks)
    for i in range(1, len(out)):
        before, block = out[i - 1], out[i]
        if before.role != "body" or block.role != "body":
            continue
        spans = sentence_spans(before.text)
        last = before.text[spans[-1][0] : spans[-1][1]] if spans else ""
        if last.rstrip("\"'”’)").endswith("?"):
            out[i] = replace(block, context=" ".join(last.split()))
    return out


def _posts(blocks: list[Block]) -> list[Block]:
    """A discussion's posts (two or more, see `post_headers`): each post's header is its
    byline, and the post under it, up to the next header or heading, is said by its
    author, whom its section names (who says what, in a forum thread); the action line
    between posts ("Upvote · Reply") is page chrome."""
    starts = (i for i, b in enumerate(blocks) if b.role in {"heading", "body", "byline"})
    headers = post_headers([b.text for b in blocks], starts)
    if not headers:
        return blocks
    out = list(blocks)
    voice: str | None = None
    i = 0
    while i < len(out):
        if i in headers:
            end, voice = headers[i]
            for k in range(i, end + 1):
                out[k] = replace(out[k], role="byline", context="")
            i = end + 1
            continue
        block = out[i]
        if voice is not None:
            if is_reply_line(block.text) and block.role in {"heading", "body"}:
                out[i] = replace(block, role="boilerplate", context="")
            elif block.role == "heading":
                voice = None  # a heading of the page's own ends the thread
            elif block.role in TEXT_ROLES:
                out[i] = replace(block, section=voice, speaker=voice)
        i += 1
    return out


def _sections(blocks: list[Block], section: str | None) -> list[Block]:
    """Each block under the nearest heading before it."""
    out = []
    for block in blocks:
        if block.role == "heading":
            section = block.text.strip("*_ ")
        out.append(replace(block, section=section))
    return out


def carry_paragraph(before: list[Block], page: list[Block]) -> tuple[list[Block], list[Block]]:
    """A paragraph cut by a page break: the last paragraph of the pages before, ending in
    the middle of a sentence ("... rose to 212, from"), goes on with the first paragraph
    of the next page ("164 in Q2 2026."). Returns both, the cut paragraph whole and the
    page without its first part."""
    i = next((k for k in range(len(before) - 1, -1, -1) if before[k].role != "boilerplate"), -1)
    j = next((k for k, b in enumerate(page) if b.role != "boilerplate"), -1)
    if i < 0 or j < 0 or before[i].role != "body" or page[j].role != "body":
        return before, page
    cut, rest = before[i], page[j]
    if _TERMINAL.search(cut.text.rstrip()) or not _CONTINUES_AFTER_BREAK.match(rest.text):
        return before, page
    whole = replace(cut, text=f"{cut.text.rstrip()} {rest.text.lstrip()}")
    return [*before[:i], whole, *before[i + 1 :]], [*page[:j], *page[j + 1 :]]


def carry_context(before: list[Block], page: list[Block]) -> list[Block]:
    """Rows at the top of a page that carry on a table from the page before get that
    table's header row; list items that carry on its list get that list's lead-in (a
    numbered one where its number follows on: "2." after "1.", not a new list's "1.")."""
    last = next((b for b in reversed(before) if b.role != "boilerplate"), None)
    if last is None or last.role not in ("table_row", "list_item") or not last.context:
        return page
    out = list(page)
    number = _item_number(last)
    carried = False
    for i, block in enumerate(out):
        if block.role == "boilerplate":
            continue
        if block.role != last.role or block.context:
            break
        if not carried and number is not None and _item_number(block) != number + 1:
            break  # a list of its own, not the one the page before ends with
        carried = True
        out[i] = replace(block, context=last.context)
    return out
