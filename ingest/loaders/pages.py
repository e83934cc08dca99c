"""Printed pages: running headers and footers set aside, and the owner their copyright
line names."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ingest.document import Block
from ingest.masthead import copyright_owner
from ingest.reading import carry_context, carry_paragraph, vocabulary

# Reads one page's lines: (lines, page number, the whole document's words) -> blocks.
PageReader = Callable[[list[str], int, frozenset[str]], list[Block]]

_PAGE_NUMBER = re.compile(r"^\s*(page\s*)?\d+(\s*(of|/)\s*\d+)?\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Pages:
    """Pages without their running lines, and the running lines set aside (one of each)."""

    texts: list[str]
    running: list[str]

    @property
    def owner(self) -> str | None:
        """Who a running copyright line ("© 2024 Acme Research Ltd") names."""
        return next((o for o in map(copyright_owner, self.running) if o), None)

    def blocks(self, read: PageReader) -> list[Block]:
        """Each page read on its own, numbered from 1, against the words of the whole
        document (a word broken over a page's last line); a sentence cut by a page break is
        read whole, a table that runs onto the next page keeps its header and a list its
        lead-in."""
        pages = [text.splitlines() for text in self.texts]
        words = vocabulary([line for lines in pages for line in lines])
        blocks: list[Block] = []
        for number, lines in enumerate(pages, start=1):
            blocks, page = carry_paragraph(blocks, read(lines, number, words))
            blocks.extend(carry_context(blocks, page))
        return blocks


def strip_running_lines(pages: list[str]) -> list[str]:
    """Drop running headers and footers: page-number lines, and lines that recur (digits
    aside) at the top or bottom of at least half the pages of a document of 3+ pages."""
    return read_pages(pages).texts


def read_pages(pages: list[str]) -> Pages:
    """`strip_running_lines`, keeping what was set aside."""
    lines = [text.splitlines() for text in pages]

    def depth(page: list[str]) -> int:
        return 2 if len(page) > 4 else 1

    edges: dict[str, int] = {}
    for page in lines:
        d = depth(page)
        for line in {ln.strip() for ln in page[:d] + page[-d:] if ln.strip()}:
            key = _DIGITS.sub("#", line)
            edges[key] = edges.get(key, 0) + 1
    recurring = {k for k, n in edges.items() if len(pages) >= 3 and n >= len(pages) / 2}
    cleaned: list[str] = []
    running: dict[str, str] = {}
    for page in lines:
        kept = []
        d = depth(page)
        for i, ln in enumerate(page):
            key = _DIGITS.sub("#", ln.strip())
            edge = i < d or i >= len(page) - d
            if edge and key in recurring:
                running.setdefault(key, ln.strip())
            elif not _PAGE_NUMBER.match(ln):
                kept.append(ln)
        cleaned.append("\n".join(kept))
    return Pages(cleaned, list(running.values()))
