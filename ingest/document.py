"""The loader output: a document read as typed blocks, and the text assembled from them.

A loader turns a file into `Block`s, each with a role: a heading, a body paragraph, a list
item, a table row (or its header row), a caption or credit, a byline/date/share line, or
navigation and boilerplate. Hard-wrapped lines inside a paragraph are already joined, so
a block's text is its paragraph on one line, verbatim to the file up to whitespace.

`LoadedDocument.from_blocks` lays the kept blocks out as the document text (one block a
line; a blank line between paragraphs) and groups them into sections under their
heading and page; chunks never cross a section. Captions, bylines and boilerplate stay
in `blocks` for the ingest report but are left out of the text.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal, get_args

# Bumped whenever reading changes what is stored for a file: a document read by an older
# reader is read again on its next ingest even though its bytes are unchanged.
READER_VERSION = 136
# The byline and date lines kept with a document as its front, at most this many characters.
FRONT_MAX = 400

BlockRole = Literal[
    "heading",
    "body",
    "list_item",
    "table_row",
    "table_header",
    "field",
    "caption",
    "byline",
    "boilerplate",
    "comment",
]
BLOCK_ROLES: tuple[BlockRole, ...] = get_args(BlockRole)  # stored by index: append only
# Roles whose text may be quoted as evidence (list items and table rows together with
# their context: the lead-in sentence, the column headers).
EVIDENCE_ROLES: frozenset[str] = frozenset({"body", "list_item", "table_row"})
# Roles kept in the document text (searchable, chunked); the others are metadata.
TEXT_ROLES: frozenset[str] = frozenset(
    {"heading", "body", "list_item", "table_row", "table_header", "field"}
)
# Blocks of these roles that follow each other form one group (a list, a table) and
# are laid out on consecutive lines.
_GROUPED: dict[str, str] = {
    "list_item": "list",
    "table_row": "table",
    "table_header": "table",
    "field": "fields",
}

MetaSource = Literal[
    "front matter", "html meta", "pdf info", "docx properties", "detected", "file name", "edited"
]
META_SOURCES: tuple[MetaSource, ...] = get_args(MetaSource)


@dataclass(frozen=True)
class Block:
    """One unit of the document as written.

    `context` is what the block must be read with: for a list item, the sentence that
    leads into the list; for a table row, the header row. `start` is the block's offset
    in the document text, or -1 for a block left out of it (caption, byline,
    boilerplate). `continues`: the file writes the block in one paragraph with the block
    before it (no blank line between), though it is read as a block of its own (a
    Markdown paragraph's lines that are not wrapped); it is laid out on the next line,
    so that what withholds a paragraph (an instruction in it) withholds the file's
    whole paragraph. `speaker`: who says the block, where the document gives its parts
    to several people (a discussion's posts: "Jane Doe, Head of Research, Acme"), else "".
    """

    role: BlockRole
    text: str
    page: int | None = None
    section: str | None = None
    context: str = ""
    start: int = -1
    continues: bool = False
    speaker: str = ""

    @property
    def end(self) -> int:
        return self.start + len(self.text) if self.start >= 0 else -1

    @property
    def is_evidence(self) -> bool:
        return self.role in EVIDENCE_ROLES


@dataclass(frozen=True)
class Section:
    """A contiguous span of the document text with its page and nearest heading, and
    who says it where the document gives its parts to several people."""

    text: str
    start: int
    page: int | None = None
    heading: str | None = None
    speaker: str = ""


@dataclass(frozen=True)
class Headlines:
    """The headings that may be a document's headline, as detection weighed them (best
    first; the detected title is the first), and the opening of the article's text they
    name. Kept with the document so that ingest can also weigh what each one means
    against that text (`ingest.title_meaning`), which needs the embedder the reader
    does not load."""

    options: tuple[tuple[str, float], ...]  # (heading as the title would read, weight)
    lead: str


# Soft hyphens and zero-width characters: they only say where a line may break.
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


@dataclass
class LoadedDocument:
    """Text extracted from one file; `sections` tile `text` (offsets index into it) and
    every block with `start >= 0` occurs in `text` at its offset.

    `meta` holds publisher, author, date, url and kind where found; `meta_sources` says
    where each field of `meta` and the title came from (front matter, html meta, ...).
    """

    text: str
    sections: list[Section]
    title: str
    meta: dict[str, str] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    meta_sources: dict[str, str] = field(default_factory=dict)
    headlines: Headlines | None = None  # where the title was detected among headings

    def __post_init__(self) -> None:
        # A title is shown and compared as read: without soft hyphens and zero-width
        # characters, which only say where a line may break.
        self.title = self.title.translate(INVISIBLE)

    @classmethod
    def from_blocks(
        cls,
        blocks: list[Block],
        title: str,
        meta: dict[str, str] | None = None,
        meta_sources: dict[str, str] | None = None,
        headlines: Headlines | None = None,
    ) -> LoadedDocument:
        """Lay out the kept blocks as text, one a line, and record their offsets: a blank
        line between paragraphs, none inside a group (a list, a table) or between the
        blocks of one paragraph as the file writes it."""
        pieces: list[str] = []
        placed: list[Block] = []
        # the sections' extents: start, end, page, heading, speaker
        spans: list[tuple[int, int, int | None, str | None, str]] = []
        offset = 0
        previous: Block | None = None
        section_start = 0
        section_key: tuple[int | None, str | None, str] | None = None
        current: list[Block] = []  # the blocks of the open section
        # Every block since the last one laid out is written in its paragraph.
        unbroken = False

        def close_section(end: int) -> None:
            if section_key is not None and end > section_start:
                spans.append((section_start, end, *section_key))

        for block in blocks:
            text = block.text.strip()
            unbroken = unbroken and block.continues
            if block.role not in TEXT_ROLES or not text:
                placed.append(replace(block, text=text, start=-1))
                continue
            key = (block.page, block.section, block.speaker)
            if key != section_key:
                # A section of headings alone is kept with the next one, so no chunk
                # is a bare heading.
                bare = section_key is not None and all(b.role == "heading" for b in current)
                if not bare:
                    close_section(offset)
                if pieces:
                    pieces.append("\n\n")
                    offset += 2
                section_key = key
                if not bare:
                    section_start, current = offset, []
            elif previous is not None:
                same_group = _GROUPED.get(block.role) is not None and _GROUPED.get(
                    block.role
                ) == _GROUPED.get(previous.role)
                separator = "\n" if same_group or unbroken else "\n\n"
                pieces.append(separator)
                offset += len(separator)
            placed.append(replace(block, text=text, start=offset))
            current.append(block)
            pieces.append(text)
            offset += len(text)
            previous = block
            unbroken = True
        close_section(offset)
        full = "".join(pieces)
        return cls(
            text=full,
            sections=[
                Section(full[a:b], a, page, heading, who) for a, b, page, heading, who in spans
            ],
            title=title,
            meta=dict(meta or {}),
            blocks=placed,
            meta_sources=dict(meta_sources or {}),
            headlines=headlines,
        )

    @property
    def front(self) -> str:
        """The byline and date lines over the article's first paragraph, left out of the
        text as metadata, as written ("Ashby Lantern Partners, Research Brief 21-09,
        September 2021 · Prepared by ..."): what the document says of itself there (a
        series label, an issue number) it still names."""
        lines: list[str] = []
        for block in self.blocks:
            if block.role == "body":
                break
            if block.role == "byline" and block.start < 0 and block.text:
                lines.append(" ".join(block.text.split()))
        return " · ".join(lines)[:FRONT_MAX]

    def blocks_in(self, start: int, end: int) -> list[Block]:
        """The text blocks that overlap [start, end) of the document text, found by
        bisection: text blocks are laid out in order and never overlap."""
        placed, ends = self._placed
        out: list[Block] = []
        for block in placed[bisect_right(ends, start) :]:
            if block.start >= end:
                break
            out.append(block)
        return out

    @cached_property
    def _placed(self) -> tuple[list[Block], list[int]]:
        """The text blocks in document order, and their end offsets."""
        placed = [b for b in self.blocks if b.start >= 0]
        return placed, [b.end for b in placed]
