"""How well documents are read, measured on real pages and PDFs (evals/reading/*.yaml).

For every fixture (a page as saved, as pasted text, hard-wrapped as a memo, a PDF) the
document is loaded the way ingest loads it, and these are checked against values a
person wrote down from the rendered page:

- title: the detected title equals the page's headline (case, whitespace, quote and
  dash styles aside); for a document that shows no headline, no invented title (the
  file name is used);
- date: the detected date equals the date the page shows (only where it shows one);
- evidence sentences: every body sentence an answer may show is complete (a capital,
  digit or opening quote first, closing punctuation last, balanced brackets, 5+ words);
- no headline or byline as evidence: no showable unit is the headline, and no short
  unit names the author (a transcript's turn, "Jane Doe: Well, ...", is the person
  speaking and not counted);
- numbered list items: every one an answer may show keeps its number and its lead-in;
- table rows: every one an answer may show is read with its column headers, and a
  header row alone is never evidence;
- wrapped read as the page: of the body sentences read from a page as pasted, the share
  its hard-wrapped forms read the same (no sentence cut at a line end or run into the
  next).

`python -m evals.reading_eval` prints dev and held-out figures side by side.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from advisor.composition import build_embedder
from advisor.verify import showable
from core.settings import Settings
from evals.reading_corpus import SETS, Fixture, Mirror, build_fixtures, load_sources
from ingest.document import LoadedDocument
from ingest.embedder import Embedder
from ingest.errors import IngestError
from ingest.evidence import EvidenceUnit, document_units
from ingest.loaders import load_document
from ingest.title_meaning import settle_title

_OPENERS = "\"'“‘«„([¿¡"
_CLOSERS = re.compile(r"[.!?…][\"'”’»)\]]*$")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "′": "'", "“": '"', "”": '"', "„": '"', "–": "-"})
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+\S")


def normalise(text: str) -> str:
    """Compare titles as a reader would: case, whitespace, quote and dash styles aside."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).replace("—", "-")
    return " ".join(text.split()).strip(" .").casefold()


def complete_sentence(text: str) -> bool:
    """A whole sentence: capital, digit or opening quote first; closing punctuation last;
    brackets balanced; five words or more."""
    text = text.strip()
    if len(text.split()) < 5 or not _CLOSERS.search(text):
        return False
    first = text.lstrip(_OPENERS)[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    return text.count("(") == text.count(")") and text.count("[") == text.count("]")


@dataclass
class FixtureResult:
    fixture: Fixture
    error: str = ""
    title: str = ""
    title_source: str = ""
    date: str = ""
    title_ok: bool | None = None
    date_ok: bool | None = None  # None: the page shows no date
    author: str = ""
    author_ok: bool | None = None  # None: the page names no author
    sentences: int = 0
    incomplete: list[str] = field(default_factory=list)
    masthead_as_evidence: list[str] = field(default_factory=list)
    list_items: int = 0
    list_items_bad: list[str] = field(default_factory=list)
    table_rows: int = 0
    table_rows_bad: list[str] = field(default_factory=list)
    bodies: set[str] = field(default_factory=set)  # body sentences as read, spaces collapsed


@dataclass
class ReadingReport:
    name: str
    results: list[FixtureResult]

    def _share(self, good: int, total: int) -> float:
        return good / total if total else 1.0

    @property
    def documents(self) -> int:
        return len({r.fixture.source.stem for r in self.results})

    @property
    def title_accuracy(self) -> tuple[float, int]:
        judged = [r.title_ok for r in self.results if r.title_ok is not None]
        return self._share(sum(judged), len(judged)), len(judged)

    @property
    def date_accuracy(self) -> tuple[float, int]:
        judged = [r.date_ok for r in self.results if r.date_ok is not None]
        return self._share(sum(judged), len(judged)), len(judged)

    @property
    def author_accuracy(self) -> tuple[float, int]:
        judged = [r.author_ok for r in self.results if r.author_ok is not None]
        return self._share(sum(judged), len(judged)), len(judged)

    def _counted(self, total: str, bad: str) -> tuple[float, int]:
        """Share of good items: `total` counts them, `bad` lists the misses (fields of
        each result)."""
        count = sum(getattr(r, total) for r in self.results)
        misses = sum(len(getattr(r, bad)) for r in self.results)
        return self._share(count - misses, count), count

    @property
    def complete_sentences(self) -> tuple[float, int]:
        return self._counted("sentences", "incomplete")

    @property
    def masthead_evidence(self) -> int:
        return sum(len(r.masthead_as_evidence) for r in self.results)

    @property
    def list_items_ok(self) -> tuple[float, int]:
        return self._counted("list_items", "list_items_bad")

    @property
    def table_rows_ok(self) -> tuple[float, int]:
        return self._counted("table_rows", "table_rows_bad")

    @property
    def wrapped_as_written(self) -> tuple[float, int]:
        """Of the body sentences read from a page as pasted (form `text`), the share its
        hard-wrapped forms read the same: wrapping must not cut or run together what the
        page writes. Counted over each wrapped form, so a sentence counts once a form."""
        pasted = {r.fixture.source.stem: r.bodies for r in self.results if r.fixture.form == "text"}
        same = total = 0
        for r in self.results:
            base = pasted.get(r.fixture.source.stem)
            if base is not None and r.fixture.form in ("wrapped", "wrapped-md"):
                total += len(base)
                same += len(base & r.bodies)
        return self._share(same, total), total

    @property
    def errors(self) -> list[FixtureResult]:
        return [r for r in self.results if r.error]


def judge(fixture: Fixture, document: LoadedDocument) -> FixtureResult:
    """One fixture's document against what the page shows."""
    source = fixture.source
    result = FixtureResult(fixture)
    result.title = document.title
    result.title_source = document.meta_sources.get("title", "")
    result.date = document.meta.get("date", "")
    if source.title is None:
        result.title_ok = result.title_source == "file name"
    else:
        result.title_ok = normalise(document.title) == normalise(source.title)
    if source.date is not None:
        result.date_ok = result.date[: len(source.date)] == source.date
    result.author = document.meta.get("author", "")
    if source.author is not None:
        result.author_ok = normalise(result.author) == normalise(source.author)
    numbered_lines = _numbered_lines(fixture)
    for unit in document_units(document):
        if not showable(unit, document.title, result.author):
            continue
        _judge_unit(result, unit, source.title, source.author, numbered_lines)
    return result


def _numbered_lines(fixture: Fixture) -> dict[str, str] | None:
    """Numbered list items of a text fixture as written ('3. Voice of the customer'):
    their text (number left out, whitespace collapsed) to their number. They are the
    page's own lines that open with a number: a number that wrapping brought to the
    start of a line ("... retired at age" / "43. He says ...") opens no item."""
    if fixture.form not in ("text", "wrapped", "wrapped-md"):
        return None  # not known: a page's or a PDF's items are known by their numbers
    out: dict[str, str] = {}
    written = fixture.written or fixture.path.read_text(encoding="utf-8")
    for line in written.splitlines():
        match = _NUMBERED.match(line)
        if match:
            body = " ".join(line[match.end() - 1 :].split())
            out[body[:40]] = match.group(1)
    return out


def _judge_unit(
    result: FixtureResult,
    unit: EvidenceUnit,
    title: str | None,
    author: str | None,
    numbered: dict[str, str] | None,
) -> None:
    """`numbered`: the numbered items the fixture writes (None where not known)."""
    items = numbered or {}
    quote = " ".join(unit.quote.split())
    if title and normalise(quote) == normalise(title):
        result.masthead_as_evidence.append(quote)
    if author and len(quote.split()) <= 12 and normalise(author) in normalise(quote):
        # A transcript's "Jane Doe: Well, ..." is the person speaking, not a byline.
        turn = normalise(quote.replace("*", "")).startswith(normalise(author) + ":")
        if not turn:
            result.masthead_as_evidence.append(quote)
    if unit.role == "body":
        result.sentences += 1
        result.bodies.add(quote)
        if not complete_sentence(quote):
            result.incomplete.append(quote)
        number = items.get(quote[:40])
        if number is not None:  # a numbered item read as a bare sentence
            result.list_items += 1
            result.list_items_bad.append(quote)
    elif unit.role == "list_item":
        match = _NUMBERED.match(quote)
        number = items.get(quote[match.end() - 1 :][:40]) if match else items.get(quote[:40])
        if match or number is not None:
            result.list_items += 1
            # ... and a number that opens no item of the page ("43. He says ...", where
            # wrapping brought "at age 43." to a line's start) is read as one wrongly.
            invented = match is not None and numbered is not None and number is None
            if match is None or not unit.context.strip() or invented:
                result.list_items_bad.append(quote)
    elif unit.role == "table_row":
        result.table_rows += 1
        if not unit.context.strip() or normalise(unit.context) == normalise(quote):
            result.table_rows_bad.append(quote)


def measure(
    set_name: str, folder: Path, mirror: Mirror | None = None, embedder: Embedder | None = None
) -> ReadingReport:
    """Build the set's fixtures in `folder`, load each and judge it as ingest stores it:
    with `embedder`, the detected title weighed by its meaning too (ingest.title_meaning);
    without, as the reader alone detects it."""
    fixtures = build_fixtures(load_sources(set_name), folder / set_name, mirror)
    results = []
    for fixture in fixtures:
        try:
            document = load_document(fixture.path, fixture.path.read_bytes())
            if embedder is not None:
                document = settle_title(document, embedder)
        except IngestError as err:
            results.append(FixtureResult(fixture, error=str(err)))
            continue
        results.append(judge(fixture, document))
    return ReadingReport(set_name, results)


def _percent(value: tuple[float, int]) -> str:
    return f"{value[0] * 100:.1f}% of {value[1]}"


def summary_rows(reports: Sequence[ReadingReport]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [("measure", *(r.name for r in reports))]
    rows.append(("documents / fixtures", *(f"{r.documents} / {len(r.results)}" for r in reports)))
    rows.append(("titles right", *(_percent(r.title_accuracy) for r in reports)))
    rows.append(("dates right (page shows one)", *(_percent(r.date_accuracy) for r in reports)))
    rows.append(("authors right (page names one)", *(_percent(r.author_accuracy) for r in reports)))
    rows.append(("evidence sentences complete", *(_percent(r.complete_sentences) for r in reports)))
    rows.append(("wrapped read as the page", *(_percent(r.wrapped_as_written) for r in reports)))
    rows.append(("headline/byline as evidence", *(str(r.masthead_evidence) for r in reports)))
    rows.append(("numbered items, number+lead-in", *(_percent(r.list_items_ok) for r in reports)))
    rows.append(("table rows with headers", *(_percent(r.table_rows_ok) for r in reports)))
    rows.append(("fixtures refused", *(str(len(r.errors)) for r in reports)))
    return rows


def _details(report: ReadingReport, limit: int) -> list[str]:
    lines = [f"## {report.name}"]
    for r in report.results:
        name = r.fixture.path.name
        if r.error:
            lines.append(f"refused  {name}: {r.error}")
            continue
        if r.title_ok is False:
            expected = r.fixture.source.title
            lines.append(f"title    {name}: {r.title!r} ({r.title_source}) expected {expected!r}")
        if r.date_ok is False:
            lines.append(f"date     {name}: {r.date!r} expected {r.fixture.source.date!r}")
        if r.author_ok is False:
            lines.append(f"author   {name}: {r.author!r} expected {r.fixture.source.author!r}")
        for text in r.incomplete[:limit]:
            lines.append(f"fragment {name}: {text[:140]!r}")
        for text in r.masthead_as_evidence[:limit]:
            lines.append(f"masthead {name}: {text[:140]!r}")
        for text in r.list_items_bad[:limit]:
            lines.append(f"list     {name}: {text[:140]!r}")
        for text in r.table_rows_bad[:limit]:
            lines.append(f"table    {name}: {text[:140]!r}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.reading_eval", description=__doc__)
    parser.add_argument("--set", choices=SETS, action="append", help="default: all")
    parser.add_argument("--details", action="store_true", help="list every miss")
    parser.add_argument("--limit", type=int, default=5, help="misses shown per fixture")
    parser.add_argument(
        "--reader-only", action="store_true", help="titles as the reader alone detects them"
    )
    args = parser.parse_args(argv)
    embedder = None if args.reader_only else build_embedder(Settings())
    with tempfile.TemporaryDirectory() as tmp:
        reports = [measure(name, Path(tmp), embedder=embedder) for name in args.set or SETS]
    rows = summary_rows(reports)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths)))
        if n == 0:
            print("-|-".join("-" * w for w in widths))
    if args.details:
        for report in reports:
            print()
            print("\n".join(_details(report, args.limit)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
