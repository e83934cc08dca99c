"""The structured Answer as Markdown: the one renderer used by the CLI, the app and the
export.

Text that comes from documents (quotes, titles, publishers) or from a model is shown
literally (`plain`): every mark that could start Markdown, HTML or maths is
backslash-escaped and addresses are broken for autolinkers, so a document cannot plant
links, images, HTML or formatting in a page. Only the answer's own structure (bold part
titles, bullets, citation markers) is Markdown.
"""

from __future__ import annotations

import re

from advisor.answer import Answer, AnswerPart, OptionOnTable, Statement, speaker

_ACTIVE = re.compile(r"[\\`*_{}\[\]()<>#!|~$&^=:\"']")  # may start Markdown, HTML or maths
_AUTOLINK = re.compile(r"\b(https?|ftp|mailto|www)(?=[:.])|@(?=\w)", re.IGNORECASE)
_INVISIBLE = "\u2060"  # word joiner: invisible, and it breaks an address for a linker
_LINE_START = re.compile(r"^(\s*\d*)([-+>.)])")  # a list item or quote if it opens a line


def plain(text: str) -> str:
    """Text shown literally by CommonMark (and Streamlit's maths): whitespace collapsed,
    every mark that could start Markdown, HTML, a link, an image or maths
    backslash-escaped, a leading list or quote marker too, and web and mail addresses
    broken with an invisible space so that no renderer turns them into links."""
    text = _AUTOLINK.sub(lambda m: m.group() + _INVISIBLE, " ".join(text.split()))
    text = _ACTIVE.sub(lambda m: "\\" + m.group(), text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescaped(markdown: str) -> str:
    """Markdown text with its backslash escapes removed: what a reader sees."""
    return _ESCAPED.sub(r"\1", markdown).replace(_INVISIBLE, "")


def render_answer(answer: Answer) -> str:
    """The answer's parts in order, each sentence with its citation markers."""
    if answer.intent == "strategy" and answer.positions:
        return _strategy(answer)
    blocks = []
    for part in answer.parts:
        if part.name == "answer":
            blocks.append(_direct(answer, part))
        elif part.name == "gap":
            blocks.append(f"**Gap:** {plain(part.note)}")
        else:
            blocks.append(_titled(answer, part))
    return "\n\n".join(b for b in blocks if b)


def _marker(numbers: list[int]) -> str:
    return "".join(f" [{n}]" for n in numbers)


def _source_of(answer: Answer, n: int) -> str:
    """Who a cited line is said by, and whose work it reports where that one is cited too
    ("CX Trends Blog, reporting Pega")."""
    citation = answer.citations[n - 1]
    return speaker(citation.kind, citation.publisher, citation.title) + _reporting(answer, n)


def _reporting(answer: Answer, n: int) -> str:
    """ ", reporting Pega" where citation `n` reports the work of another cited source."""
    reports = answer.citations[n - 1].reports if 0 < n <= len(answer.citations) else ""
    return f", reporting {reports}" if reports else ""


def _bullet(answer: Answer, index: int) -> str:
    sentence = answer.sentences[index]
    who = _source_of(answer, sentence.citations[0]) if sentence.citations else ""
    label = f"**{plain(who)}:** " if who else ""
    return f"- {label}{plain(sentence.text)}{_marker(sentence.citations)}"


def _direct(answer: Answer, part: AnswerPart) -> str:
    """One source: prose. Several: one bullet per sentence, labelled with its source."""
    sentences = [answer.sentences[i] for i in part.sentences]
    sources = {_source_of(answer, s.citations[0]) for s in sentences if s.citations}
    if len(sources) <= 1:
        return " ".join(f"{plain(s.text)}{_marker(s.citations)}" for s in sentences)
    return "\n".join(_bullet(answer, i) for i in part.sentences)


def _titled(answer: Answer, part: AnswerPart) -> str:
    title = f"**{plain(part.title)}**\n" if part.title else ""
    return title + "\n".join(_bullet(answer, i) for i in part.sentences)


def _strategy(answer: Answer) -> str:
    of_citation = {c.n: c.doc_id for c in answer.citations}
    # each statement's document (a statement whose citation is not listed, its own)
    documents = {
        of_citation.get(s.citation, f"[{s.citation}]")
        for p in answer.positions
        for s in p.statements
    }
    sources = len(documents)
    # Several voices of one document (a discussion's posts) are one source.
    voices = sum(len(p.statements) for p in answer.positions)
    among = f" ({voices} voices)" if voices > sources else ""
    head = (
        f"**Where the research stands:** {sources} source{'s' * (sources != 1)}{among}, "
        f"{len(answer.positions)} position{'s' * (len(answer.positions) != 1)}."
    )
    # How many sources take each position, and how many of them recommend it rather than
    # report it (a survey finding that the CMO owns CX most often recommends no one).
    table = ["| Position | Sources | Recommending | Cited |", "| --- | --- | --- | --- |"]
    for p in answer.positions:
        cited = _marker([s.citation for s in p.statements]).strip()
        table.append(f"| {plain(p.position)} | {p.sources} | {p.recommending} | {cited} |")
    blocks = [_bottom_line(answer), head, "\n".join(table)]
    for position in answer.positions:
        count = f"{position.sources} source{'s' * (position.sources != 1)}"
        advising = position.recommending
        said = "none recommending" if not advising else f"{advising} recommending"
        if advising == position.sources:
            said = "all recommending" if advising > 1 else "recommending"
        lines = [f"**{plain(position.position)}** ({count}, {said})"]
        lines += [
            f"- **{_said_by(answer, s)}:** {plain(s.text)} [{s.citation}]"
            for s in position.statements
        ]
        blocks.append("\n".join(lines))
    for part in answer.parts:
        if part.name == "organisation":
            blocks.append(_titled(answer, part))
        elif part.name == "options":
            blocks.append(_options(answer, part))
        elif part.name == "gap":
            blocks.append(f"**Gap:** {plain(part.note)}")
    return "\n\n".join(b for b in blocks if b)


def _said_by(answer: Answer, statement: Statement) -> str:
    """A statement's source, whose work it reports where that one is cited too ("CX
    Trends Blog, reporting Pega"), and those that report its work and say the same
    ("Pega, also reported by CX Trends Blog")."""
    also = f", also reported by {', '.join(statement.reported_by)}"
    reporting = _reporting(answer, statement.citation)
    return plain(statement.source + reporting + (also if statement.reported_by else ""))


def _bottom_line(answer: Answer) -> str:
    """'**In short:** Of the 4 research sources ..., 3 favour ... [1] [2] [3], and ...'"""
    if not answer.bottom_line:
        return ""
    said = "".join(
        f"{' ' * bool(k)}{plain(c.text)}{_marker(c.citations)}"
        f"{' ' * c.after.startswith(' ')}{_ours(c.after)}"
        for k, c in enumerate(answer.bottom_line)
    )
    return f"**In short:** {said}"


def _ours(text: str) -> str:
    """Punctuation the answer adds is shown as is; words, literally."""
    return text if text in (".", ",", ";") else plain(text)


def _options(answer: Answer, part: AnswerPart) -> str:
    lines = [f"**{plain(part.title)}**"]
    held = {s.citation: p.position for p in answer.positions for s in p.statements}
    for option in answer.options:
        lines.append(f"- {plain(option.option.text)} [{option.option.citation}]")
        if option.position or option.research_for or option.research_against:
            lines.append(f"  - {_research_sides(option, held)}")  # an option on who owns
    return "\n".join(lines)


def _research_sides(option: OptionOnTable, held: dict[int, str]) -> str:
    """'Research recommending this owner: [4] [5]. Recommending another owner: CEO [1];
    Shared ... [2] [3].'"""
    backing = _marker(option.research_for).strip() or "none in the library"
    others: dict[str, list[int]] = {}
    for n in option.research_against:
        others.setdefault(held.get(n, ""), []).append(n)
    other = "; ".join(f"{plain(label)}{_marker(ns)}".strip() for label, ns in others.items())
    owner = f" ({plain(option.position)})" if option.position else ""
    return (
        f"Research recommending this owner{owner}: {backing}. "
        f"Recommending another owner: {other or 'none'}."
    )
