"""An answer with its sources as Markdown, for copying or downloading."""

from __future__ import annotations

from advisor.answer import Answer
from advisor.render import plain
from ingest.store import DocumentRecord


def source_label(
    n: int, title: str, kind: str, page: int | None, record: DocumentRecord | None
) -> str:
    """'[2] Title (Publisher, 2020, p. 3)', every part from a document shown literally."""
    who = (record.publisher if record and record.publisher else "") or kind
    when = record.date if record and record.date else ""
    details = ", ".join(x for x in (who, when, f"p. {page}" if page else "") if x)
    return f"[{n}] {plain(f'{title} ({details})')}"


def answer_markdown(answer: Answer, documents: dict[str, DocumentRecord]) -> str:
    lines = [f"## {plain(answer.question)}", "", answer.answer, ""]
    if answer.citations:
        lines += ["### Sources", ""]
        for c in answer.citations:
            label = source_label(c.n, c.title, c.kind, c.page, documents.get(c.doc_id))
            lines += [f"- {label}: {plain(c.source)}", f"  > {plain(c.quote)}"]
    lines += ["", f"_{answer.model}_"]
    return "\n".join(lines)
