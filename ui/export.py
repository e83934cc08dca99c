"""An answer with its sources as Markdown, for copying or downloading."""

from __future__ import annotations

from collections.abc import Sequence

from advisor.answer import Answer, Citation, cited_sources
from advisor.render import plain
from ingest.store import DocumentRecord


def source_label(
    numbers: Sequence[int], title: str, kind: str, page: int | None, record: DocumentRecord | None
) -> str:
    """'[2] [5] Title (Publisher, 2020, p. 3)', every part from a document shown literally."""
    who = (record.publisher if record and record.publisher else "") or kind
    when = record.date if record and record.date else ""
    details = ", ".join(x for x in (who, when, f"p. {page}" if page else "") if x)
    cited = " ".join(f"[{n}]" for n in numbers)
    return f"{cited} {plain(f'{title} ({details})')}"


def group_label(group: Sequence[Citation], documents: dict[str, DocumentRecord]) -> str:
    first = group[0]
    numbers = [c.n for c in group]
    return source_label(numbers, first.title, first.kind, first.page, documents.get(first.doc_id))


def quoted(citation: Citation, several: bool) -> str:
    """A quote as a Markdown block quote, led by its number where the source has several."""
    return f"> {f'[{citation.n}] ' if several else ''}{plain(citation.quote)}"


def answer_markdown(answer: Answer, documents: dict[str, DocumentRecord]) -> str:
    lines = [f"## {plain(answer.question)}", "", answer.answer, ""]
    if answer.citations:
        lines += ["### Sources", ""]
        for group in cited_sources(answer.citations):
            lines.append(f"- {group_label(group, documents)}: {plain(group[0].source)}")
            lines += [f"  {quoted(c, len(group) > 1)}" for c in group]
    lines += ["", f"_{answer.model}_"]
    return "\n".join(lines)
