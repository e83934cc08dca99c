"""The loader output: extracted text split into sections that keep page and heading."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    """A contiguous span of the document text with its page and nearest heading."""

    text: str
    start: int
    page: int | None = None
    heading: str | None = None


@dataclass
class LoadedDocument:
    """Text extracted from one file; `sections` tile `text` (offsets index into it)."""

    text: str
    sections: list[Section]
    title: str
    meta: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_parts(
        cls,
        parts: list[tuple[str, int | None, str | None]],
        title: str,
        meta: dict[str, str] | None = None,
    ) -> LoadedDocument:
        """Join (text, page, heading) parts with blank lines, recording each offset."""
        sections: list[Section] = []
        pieces: list[str] = []
        offset = 0
        for text, page, heading in parts:
            text = text.strip()
            if not text:
                continue
            if pieces:
                pieces.append("\n\n")
                offset += 2
            sections.append(Section(text=text, start=offset, page=page, heading=heading))
            pieces.append(text)
            offset += len(text)
        return cls(text="".join(pieces), sections=sections, title=title, meta=meta or {})
