"""A web page's text as its reader sees it, from the Markdown its extractor writes.

The extractor marks bold and italic text with asterisks, code with backticks and
underlined or raised text with inline tags ("<u>", "<sup>"), and it escapes every
character a Markdown renderer could misread ("1\\." at a line's start, "\\[", "\\_"). None
of that is on the page: shown in an answer it reads "**Four models fail**" or
"\\[These were\\] 12 pages". Here the marks are dropped and the escapes undone; what
structures the text (headings, list markers, table rows, fenced code) is kept.
"""

from __future__ import annotations

import re
import string

_FENCE = re.compile(r"^\s*(```|~~~)")
# A line's block marker: a heading, a quote, a bullet or a number (kept as written).
_BLOCK_MARK = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-+*]\s+|\d{1,9}[.)]\s+)?")
_TAG = re.compile(r"</?(?:u|sup|sub)>")
_PUNCTUATION = frozenset(string.punctuation)


def page_text(markdown: str) -> str:
    """`markdown` without emphasis, code and inline-tag marks, its escapes undone;
    fenced code is left as written."""
    lines: list[str] = []
    fenced = False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            lines.append(line)
        else:
            lines.append(line if fenced else _plain_line(line))
    return "\n".join(lines)


def _plain_line(line: str) -> str:
    mark = _BLOCK_MARK.match(line)
    head = mark.group() if mark else ""
    table = line.lstrip().startswith("|")
    return head + _plain(line[len(head) :], table)


def _plain(text: str, table: bool) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in _PUNCTUATION:
            # A table keeps its escaped bars: they are a cell's text, not its edge.
            out.append(text[i : i + 2] if table and text[i + 1] == "|" else text[i + 1])
            i += 2
        elif ch == "`":
            run = len(text[i:]) - len(text[i:].lstrip("`"))
            close = text.find("`" * run, i + run)
            if close < 0:
                out.append(text[i : i + run])
                i += run
                continue
            out.append(text[i + run : close])  # code is shown as written, without its ticks
            i = close + run
        elif ch == "*":
            i += 1  # emphasis: the page shows its text, not its stars
        elif ch == "<" and (tag := _TAG.match(text, i)):
            i = tag.end()
        else:
            out.append(ch)
            i += 1
    return "".join(out)
