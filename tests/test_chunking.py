"""Chunking is pure: sizes, offsets, headings, pages and sentence boundaries."""

from __future__ import annotations

import itertools

import pytest

from ingest.chunking import chunk_document, embedding_text, word_count
from ingest.document import Block, LoadedDocument

SENTENCE = "Customer experience needs a clear owner with budget authority and a mandate."


def _doc(parts: list[tuple[str, int | None, str | None]]) -> LoadedDocument:
    return LoadedDocument.from_blocks(
        [Block("body", text, page, heading) for text, page, heading in parts], title="Doc"
    )


def test_chunks_fit_and_map_back_to_the_text() -> None:
    body = " ".join([SENTENCE] * 40)
    doc = _doc([("## Owner\n" + body, 3, "Owner"), ("Short second section.", 4, "Next")])
    chunks = chunk_document(doc, chunk_size=50, chunk_overlap=10)
    assert len(chunks) > 3
    for chunk in chunks:
        assert word_count(chunk.text) <= 50
        assert doc.text[chunk.start : chunk.end] == chunk.text
    assert [c.index for c in chunks] == list(range(len(chunks)))
    assert chunks[-1].heading == "Next" and chunks[-1].page == 4
    assert {c.page for c in chunks[:-1]} == {3}


def test_splits_fall_on_sentence_boundaries() -> None:
    doc = _doc([(" ".join([SENTENCE] * 30), None, None)])
    for chunk in chunk_document(doc, chunk_size=40, chunk_overlap=0):
        assert chunk.text.startswith("Customer")
        assert chunk.text.endswith("mandate.")


def test_paragraphs_are_preferred_over_sentences() -> None:
    para_a = " ".join(["Alpha sentence number one is here."] * 5)
    para_b = " ".join(["Beta sentence number two is here."] * 5)
    doc = _doc([(para_a + "\n\n" + para_b, None, None)])
    chunks = chunk_document(doc, chunk_size=40, chunk_overlap=0)
    assert [c.text for c in chunks] == [para_a, para_b]


def test_chunks_never_cross_sections() -> None:
    doc = _doc([("First section text.", 1, "A"), ("Second section text.", 2, "B")])
    chunks = chunk_document(doc, chunk_size=100, chunk_overlap=0)
    assert [(c.text, c.heading, c.page) for c in chunks] == [
        ("First section text.", "A", 1),
        ("Second section text.", "B", 2),
    ]


def test_overlap_repeats_context() -> None:
    doc = _doc([(" ".join(f"Sentence {i} ends here." for i in range(60)), None, None)])
    chunks = chunk_document(doc, chunk_size=30, chunk_overlap=10)
    for a, b in itertools.pairwise(chunks):
        assert b.start < a.end  # overlapping spans


def test_invalid_sizes_are_refused() -> None:
    with pytest.raises(ValueError):
        chunk_document(_doc([("text", None, None)]), chunk_size=10, chunk_overlap=10)


def test_embedding_text_carries_title_and_heading() -> None:
    doc = _doc([("Body text.", None, "Findings")])
    chunk = chunk_document(doc, chunk_size=20, chunk_overlap=0)[0]
    assert embedding_text(chunk, "Study") == "Study > Findings\nBody text."


def test_a_day_written_as_an_ordinal_does_not_end_a_sentence() -> None:
    """German writes a day with a full stop ("am 22. August 2015"); a sentence that ends
    on a number before one that opens on a month's name is still two."""
    from ingest.sentences import split_sentences

    one = "Das Seminar findet am 22. August 2015 in Oberhausen statt."
    assert split_sentences(one) == [one]
    ranged = "Ich gebe das Seminar am 22.-23. Mai im Institut."
    assert split_sentences(ranged) == [ranged]
    assert split_sentences("Churn fell to 5. March was worse.") == [
        "Churn fell to 5.",
        "March was worse.",
    ]


def test_a_names_initials_do_not_end_a_sentence() -> None:
    """A name's initials in a row ("J. D. Power", "E. T. A. Hoffmann") stay in their
    sentence; one capital letter alone with its full stop ends one ("Option B.")."""
    from ingest.sentences import split_sentences

    one = "J. D. Power found that scores rose where E. T. A. Hoffmann had said they would."
    assert split_sentences(one) == [one]
    assert split_sentences("She favours Option B. Marketing runs it.") == [
        "She favours Option B.",
        "Marketing runs it.",
    ]


def test_a_closing_quote_or_bracket_stays_with_its_sentence() -> None:
    """A quoted sentence keeps the quote mark that closes it: cut before it, the answer
    would show '... told us: “This is it.' and the next sentence would lose nothing but
    the reader would see an open quote. A question in quotes is still a question."""
    from advisor.verify import statement_problem
    from ingest.evidence import asks
    from ingest.sentences import split_sentences

    text = (
        "The CMO told the panel: “We own the journey.” Nobody disagreed. "
        '"Won\'t a warning prompt more calls?" Briefly, sometimes. '
        "She wrote ‘yes.’ It passed."
    )
    assert split_sentences(text) == [
        "The CMO told the panel: “We own the journey.”",
        "Nobody disagreed.",
        '"Won\'t a warning prompt more calls?"',
        "Briefly, sometimes.",
        "She wrote ‘yes.’",
        "It passed.",
    ]
    assert asks('"Won\'t a warning prompt more calls?"')
    assert statement_problem('"Won\'t a warning prompt more calls for the centre?"')
    # A statement that ends on a quoted question still states.
    asked = 'Every leader should first ask "why is this customer contacting us at all?"'
    assert not asks(asked) and not statement_problem(asked)
