"""Evidence units: what in a text may be quoted as a finding, read the way it was written.

- a body paragraph gives its sentences, one that points back ("Their complaints fell
  by 19%.") or answers a question ("What stops them? ...") read with the sentence
  before it, and judged after the question heading over it (an FAQ's);
- a list item gives itself, number included, read with the sentence that leads into the
  list ("The top technologies are: 1. Voice of the customer");
- a table row gives itself, read with its column headers ("Region: North; Churn 2026:
  3.8%").

Headings, header rows alone, captions, bylines, labels and boilerplate give nothing.
`quote` is always a verbatim span of the text; `context` is verbatim from the same
document; `reading` is what a reader (and the citation check) sees: context and quote
together.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.document import BlockRole, LoadedDocument
from ingest.layout import LaidOutBlock
from ingest.sentences import sentence_spans

_CELL_SPLIT = re.compile(r"\s*\|\s*|\t+")
# "IT" in capitals is information technology, not a pronoun ("IT holds 24% of the budget").
_BACK = r"(?-i:(?!IT\b))(it|its|this|these|that|those|they|their|them|he|she|his|her)\b"
_POINTS_BACK = re.compile(
    rf"^\W*{_BACK}"
    # or after who says it: "Gartner reports that this is up from a third."
    rf"|^\W*(?:[\w'’-]+\s+){{1,3}}(?:reports?|says?|said|finds?|found|notes?|adds?|argues?|"
    rf"claims?|estimates?)\s+that\s+{_BACK}"
    # or on a connective that weighs it against what came before: "On the other side, ..."
    r"|^\W*(?:on the other (?:side|hand)|by contrast|in contrast|however|even so|instead|"
    r"as a result|therefore|similarly|likewise|meanwhile)\b"
    # or on a share of something it does not name: "Just 12% went on fixing the causes."
    r"|^\W*(?:(?:just|only|another|a further|some|about|around|nearly|almost)\s+)?"
    r"\d[\d.,]*\s?(?:%|per ?cent|percent)(?!\s+of\b)",
    re.IGNORECASE,
)


_ASKS = re.compile(  # the sentence is the question: "So we asked what ...", "I asked them why ..."
    r"^\W*(?:\w+\s+){0,3}(?:asked|ask|asking|wondered)\s+(?:\w+\s+){0,3}?"
    r"(?:what|which|who|whom|how|why|whether|where|when)\b",
    re.IGNORECASE,
)


# "those people issues", "these firms", "such programmes": things the sentence before
# named ("this survey" is more often the document itself than the sentence before).
_DEMONSTRATIVE = re.compile(r"\b(?:these|those|such)\s+([^\W\d_][\w-]*)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w-]*")


def refers_back(sentence: str, before: str) -> bool:
    """Leans on the sentence before it: opens on a word that points back (`points_back`),
    or speaks of "these"/"those"/"such" things that sentence names ("In Pega's ranking,
    those people issues are ..." after "81% say 'people issues' are the biggest
    challenge")."""
    if points_back(sentence):
        return True
    things = {_singular(m.group(1).lower()) for m in _DEMONSTRATIVE.finditer(sentence)}
    things -= _FUNCTION_WORDS
    if not things:  # most sentences: no "these"/"those" thing at all
        return False
    return any(_singular(w) in things for w in _WORD.findall(before.lower()))


# Words after "those" that make it a pronoun ("those that kept a hub", "those with ...").
_FUNCTION_WORDS = frozenset(
    "that which who whom whose with without in of at on for to from by into about as than "
    "is are was were be been have has had and or but not the a an".split()
)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def asks(sentence: str) -> bool:
    """A question, asked ("Who owns it?") or reported ("So we asked what stops them."):
    the sentence after it answers it and is read and judged with it."""
    return is_question(sentence) or bool(_ASKS.match(sentence))


# A sentence that is all one quoted question: '"Won't a warning prompt more calls?"'.
_QUOTED_QUESTION = re.compile(r"^\s*[\"“‘'«„].*\?[\"”’'»]$", re.DOTALL)


def is_question(sentence: str) -> bool:
    """Asks rather than states: it ends on a question mark, or it is one quoted question
    (a statement that ends on a quoted one, '... asked "why?"', still states)."""
    text = sentence.rstrip()
    return text.endswith("?") or bool(_QUOTED_QUESTION.match(text))


def points_back(sentence: str) -> bool:
    """Opens on a word that points back to a sentence before it ("It ...", "Their ...",
    "Gartner reports that this ...", "On the other side, ..."), or on a share of what
    the sentence before it names ("Just 12% went on ...")."""
    return bool(_POINTS_BACK.match(sentence))


@dataclass(frozen=True)
class EvidenceUnit:
    start: int
    end: int
    role: BlockRole
    quote: str
    context: str = ""
    asked: str = ""  # the question heading over its paragraph (an FAQ's), if any
    # The row a table's sub-row belongs to ("Contact-centre employees 1,050 1,050" over
    # "of which agents 880 880"), if any.
    within: str = ""

    @property
    def judged(self) -> str:
        """What the unit says itself, judged against a question: a body sentence without
        the sentence it is read with, unless that sentence is the question it answers
        ("So we asked what stops them. The answer at the top was ..."), and after the
        question heading its paragraph answers; a list item or table row as it is
        read."""
        if self.role != "body":
            return self.reading
        said = self.reading if self.context and asks(self.context) else self.quote
        return f"{self.asked} {said}" if self.asked else said

    @property
    def label(self) -> str:
        """What a table row is about, its first cell; "" for any other unit."""
        return row_label(self.context, self.quote, self.within) if self.role == "table_row" else ""

    @property
    def reading(self) -> str:
        if not self.context:
            return self.quote
        if self.role == "table_row":
            return table_reading(self.context, self.quote, self.within)
        return lead_reading(self.context, self.quote)


def read_with(quote: str, context: str) -> str:
    """A cited quote as it is read, given the context a citation keeps: a table row
    with its header row, a list item after its lead-in."""
    if not context:
        return quote
    if len(table_cells(context)) >= 2 and len(table_cells(context)) == len(table_cells(quote)):
        return table_reading(context, quote)
    if _columns_by_values(context, quote) is not None:  # a header whose cells lost their spaces
        return table_reading(context, quote)
    return lead_reading(context, quote)


def lead_reading(lead: str, item: str) -> str:
    """A list item after its lead-in; a heading as lead-in gets a colon ("What drove
    complaints: 1. Price rise.")."""
    lead = lead.strip()
    ends = (":", ".", "!", "?", "…", ";", "—", "-", '"', "”", "’")
    joint = " " if lead.endswith(ends) else ": "
    return f"{lead}{joint}{item}"


# Columns aligned with spaces, as plain-text e-mails and reports write tables: runs of two
# or more spaces, never after the punctuation that ends a sentence or a clause (some
# writers put two spaces after a full stop).
_SPACED = re.compile(r"(?<![.!?:;,])\s{2,}(?=\S)")


def spaced_cells(row: str, least: int = 3) -> list[str]:
    """The cells of a row whose columns are aligned with spaces, when it has `least` or
    more ('Departmental budgets   36%   52%' -> three cells), else []."""
    text = row.strip()
    if "|" in text or "\t" in text:
        return []
    cells = _SPACED.split(text)
    return cells if len(cells) >= least else []


_COLUMN_GAP = re.compile(r"(?<![.!?:;,]) {2,}(?=\S)")


def column_starts(line: str) -> set[int]:
    """Where the cells after the first of a line aligned with spaces start (runs of two
    or more plain spaces after a first cell that holds a letter or a digit)."""
    text = line.rstrip()
    return {
        m.end() for m in _COLUMN_GAP.finditer(text) if any(ch.isalnum() for ch in text[: m.start()])
    }


def table_cells(row: str) -> list[str]:
    """'| North | 4.1% |' or 'North | 4.1%', tab-separated or aligned with spaces ->
    ['North', '4.1%']."""
    text = row.strip()
    if "|" in text:
        text = text.strip("|")
    return spaced_cells(text, 2) or [cell.strip() for cell in _CELL_SPLIT.split(text)]


# A value in a table cell: a number with its sign, currency, unit or percent ("65%",
# "286,000", "+9.2%", "(0.75)"; "EUR 1.2m" reads as two tokens, the second one a value).
FIGURE_TOKEN = r"[(\[]?[-+−~]?[$€£¥]?\d[\d.,]*(?:%|[kmbKMB]n?)?[)\]]?"
# ... ending a row whose cells lost the spaces between them (a PDF's aligned table).
_VALUE = re.compile(rf"^{FIGURE_TOKEN}$")
# A column that names a period: "Q3 2026", "H1 2025", "FY26", "2025".
_PERIOD = re.compile(r"^(?:(?:Q[1-4]|H[12])\s(?:19|20)\d\d|FY\s?\d{2,4}|(?:19|20)\d\d)$")


def _columns_by_values(header: str, row: str) -> tuple[list[str], list[str]] | None:
    """Names and cells of a row whose cells are set apart by single spaces (a PDF's
    aligned table: "Channel Q3 2026 Q2 2026" over "All channels 65% 68%"): the row's
    trailing values are its cells, one for each trailing column name of the header that
    is a period ("Q3 2026"; the last may be a single word, "Change"), and what comes
    before them is the label and its column's name. None when they do not pair up so."""
    words = row.split()
    values: list[str] = []
    while len(words) > 1 and _VALUE.match(words[-1]):
        values.insert(0, words.pop())
    heads = header.split()
    names: list[str] = []
    while len(names) < len(values) and len(heads) > 1:
        pair = " ".join(heads[-2:])
        if _PERIOD.match(pair) and len(heads) > 2:
            names.insert(0, pair)
            del heads[-2:]
        elif _PERIOD.match(heads[-1]) or (not names and heads[-1][:1].isupper()):
            names.insert(0, heads.pop())  # a period, or one word after the periods
        else:
            names = []  # not periods alone: perhaps periods named with the same words
            break
    if not values or len(names) != len(values) or not any(_PERIOD.match(n) for n in names):
        named = _named_periods(header, len(values)) if values else None
        if named is None:
            return None
        label, names = named
        return [label, *names], [" ".join(words), *values]
    return [" ".join(heads), *names], [" ".join(words), *values]


def _named_periods(header: str, count: int) -> tuple[str, list[str]] | None:
    """A header whose columns name one measure at several periods with the same words
    ("Item End of Q3 2026 End of Q2 2026", "Contact reason Share Q3 2026 Share Q2 2026"),
    the last column perhaps another ("... Change (points)"): the first column's name and
    the `count` column names after it, or None when the header is not written so."""
    words = header.split()
    spans: list[tuple[int, int]] = []  # where each period stands among the words
    i = 0
    while i < len(words):
        width = 2 if i + 1 < len(words) and _PERIOD.match(" ".join(words[i : i + 2])) else 1
        if width == 2 or _PERIOD.match(words[i]):
            spans.append((i, i + width))
        i += width
    if len(spans) < 2:
        return None
    same = words[spans[0][1] : spans[1][0]]  # the words each period is named with
    if any(words[b:c] != same for (_, b), (c, _) in itertools.pairwise(spans)):
        return None
    lead = words[: spans[0][0]]
    if same and lead[-len(same) :] != same:
        return None
    label = lead[: len(lead) - len(same)]
    names = [" ".join(words[a - len(same) : b]) for a, b in spans]
    if spans[-1][1] < len(words):
        names.append(" ".join(words[spans[-1][1] :]))
    return (" ".join(label), names) if label and len(names) == count else None


def table_reading(header: str, row: str, within: str = "") -> str:
    """A row read with its headers: 'Region: North; Churn 2025: 4.1%; Churn 2026: 3.8%';
    a sub-row with the label of the row it belongs to (`within`): 'Item: Contact-centre
    employees, of which agents; End of Q3 2026: 880; ...'."""
    names, cells = _columns(header, row)
    if len(names) != len(cells):
        return f"{header.strip()} — {row.strip()}"
    cells = _labelled(names, cells, header, within)
    pairs = [f"{n}: {c}" if n else c for n, c in zip(names, cells) if c]
    return "; ".join(pairs) + "."


def _labelled(names: list[str], cells: list[str], header: str, within: str) -> list[str]:
    """A sub-row's cells, its label given with the label of the row it belongs to."""
    if within and cells:
        parent = _columns(header, within)[1]
        if len(parent) == len(names) and parent[0]:
            return [f"{parent[0]}, {cells[0]}", *cells[1:]]
    return cells


def row_label(header: str, row: str, within: str = "") -> str:
    """What a table row is about: its first cell as it is read ("Call centre"; a sub-row's
    with its parent's: "Contact-centre employees, of which agents"); "" for none."""
    names, cells = _columns(header, row) if header else ([], table_cells(row))
    if header and len(names) == len(cells):
        cells = _labelled(names, cells, header, within)
    return cells[0] if cells else ""


def _columns(header: str, row: str) -> tuple[list[str], list[str]]:
    """The column names and the cells of a row, paired where they can be."""
    names, cells = table_cells(header), table_cells(row)
    paired = _columns_by_values(header, row) if len(names) != len(cells) or len(names) < 2 else None
    return paired if paired is not None else (names, cells)


def units_in(text: str, layout: Sequence[LaidOutBlock] | None) -> list[EvidenceUnit]:
    """Evidence units of `text`; without a layout (text stored before blocks were
    recorded) every line is read as body text, as before."""
    if layout is None:
        return [EvidenceUnit(a, b, "body", text[a:b]) for a, b in sentence_spans(text)]
    units: list[EvidenceUnit] = []
    asked = ""  # a heading that asks what the paragraph under it answers (an FAQ's)
    parent: LaidOutBlock | None = None  # the table row a sub-row below it belongs to
    for block in layout:
        if not block.is_evidence:
            asked = ""
            if block.role == "heading":
                heading = " ".join(text[block.start : block.end].split())
                asked = heading if heading.endswith("?") else ""
            continue
        piece = text[block.start : block.end]
        question, asked = asked, ""  # only the paragraph right under it answers it
        if block.role == "body" and block.context:
            question = block.context  # the question the paragraph before it ends on
        if block.role == "body":
            parent = None
            before = ""
            for a, b in sentence_spans(piece):
                start = block.start + a
                quote = text[start : block.start + b]
                # A sentence that points back ("Their complaints fell by 19%.") or answers
                # the question before it is read with that sentence, as a reader reads it.
                context = before if before and (refers_back(quote, before) or asks(before)) else ""
                units.append(EvidenceUnit(start, block.start + b, "body", quote, context, question))
                before = quote
            continue
        lead = len(piece) - len(piece.lstrip())
        quote = piece.strip()
        if not quote:
            continue
        start = block.start + lead
        within = ""
        if block.role == "table_row":
            # A row whose label goes on in lower case ("of which agents") is part of the
            # last row above it in the same table that opens its own label.
            if quote[:1].islower() and parent is not None and parent.context == block.context:
                within = text[parent.start : parent.end].strip()
            elif not quote[:1].islower():
                parent = block
        else:
            parent = None
        units.append(
            EvidenceUnit(start, start + len(quote), block.role, quote, block.context, within=within)
        )
    return units


def document_units(document: LoadedDocument) -> list[EvidenceUnit]:
    """Evidence units of a whole loaded document."""
    layout = [
        LaidOutBlock(b.start, b.end, b.role, b.context) for b in document.blocks if b.start >= 0
    ]
    return units_in(document.text, layout)
