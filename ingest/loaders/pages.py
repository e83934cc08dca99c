"""Printed pages: running headers and footers set aside."""

from __future__ import annotations

import re

_PAGE_NUMBER = re.compile(r"^\s*(page\s*)?\d+(\s*(of|/)\s*\d+)?\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


def strip_running_lines(pages: list[str]) -> list[str]:
    """Drop running headers and footers: page-number lines, and lines that recur (digits
    aside) at the top or bottom of at least half the pages of a document of 3+ pages."""
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
    cleaned = []
    for page in lines:
        kept = [
            ln
            for i, ln in enumerate(page)
            if not _PAGE_NUMBER.match(ln)
            and not (
                (i < depth(page) or i >= len(page) - depth(page))
                and _DIGITS.sub("#", ln.strip()) in recurring
            )
        ]
        cleaned.append("\n".join(kept))
    return cleaned
