"""The detected title weighed by what it means (ingest.title_meaning): the heading that
names what the article is about wins over one that only stands like a headline."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from advisor.composition import build_store
from core.settings import Settings
from ingest.document import Headlines, LoadedDocument
from ingest.embedder import Embedder
from ingest.loaders import load_document
from ingest.pipeline import Ingestor
from ingest.title_meaning import MEANING_WEIGHT, settle_title

HEADLINE = "Fix the bill, not the caller: how a utility cut complaints by a third"
CAPTION = "Kirkstall Abbey, Leeds"

# A news page as a browser copies it: menus, a photo's caption over the headline and again
# by the byline under it (the page lays the photo out twice), then the story.
PAGE = f"""Skip to content
Home
News
Business
Weather
Please enter a search term.
{CAPTION}
Business
{HEADLINE}
by: Dana Pryce
Posted: Nov 8, 2023 / 04:43 PM
{CAPTION}
by: Dana Pryce
Posted: Nov 8, 2023 / 04:43 PM
LEEDS — Complaints to Northbridge Water fell by a third in the year to October, after \
the utility traced most of them to billing errors and fixed the errors in its billing \
system rather than answering each caller.
The company said estimated bills had caused two in five complaints in 2022. Replacing \
estimates with meter readings cut repeat calls about bills by half, and complaint \
handling costs fell with them.
“We stopped treating complaints as a service problem and started treating them as a \
billing fault,” the company's customer director said. Complaints about bills are now \
reviewed each month by the finance and service teams together.
The utility's offices stand beside Kirkstall Abbey in Leeds. Regulators had fined the \
utility twice for slow complaint handling. The company expects complaints to fall \
further once the last estimated bills are replaced next year.
"""


def _load(tmp_path: Path, name: str, text: str) -> LoadedDocument:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_document(path, path.read_bytes())


class _Vectors(Embedder):
    """Vectors given per text; records what it was asked to embed."""

    name = "given-vectors"

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self.vectors = vectors
        self.asked: list[str] = []

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.asked.extend(texts)
        return [self.vectors[t] for t in texts]

    def count_tokens(self, text: str) -> int:
        return len(text.split())


def _document(options: tuple[tuple[str, float], ...], source: str = "detected") -> LoadedDocument:
    return LoadedDocument.from_blocks(
        [], options[0][0], {}, {"title": source}, Headlines(options, "the story")
    )


def test_a_heading_that_names_the_story_outweighs_a_slightly_heavier_one_that_does_not() -> None:
    embedder = _Vectors(
        {"the story": [1.0, 0.0], "Label": [0.0, 1.0], "Headline": [0.8, 0.6], "Far": [1.0, 0.0]}
    )
    doc = _document((("Label", 2.0), ("Headline", 1.7), ("Far", 2.0 - MEANING_WEIGHT)))
    # Label: 2.0 + 0.0; Headline: 1.7 + 0.8; Far could not win even with a cosine of 1.
    assert settle_title(doc, embedder).title == "Headline"
    assert "Far" not in embedder.asked


def test_a_heavier_heading_keeps_the_title_when_meaning_does_not_make_up_the_gap() -> None:
    embedder = _Vectors({"the story": [1.0, 0.0], "Label": [0.6, 0.8], "Headline": [0.8, 0.6]})
    doc = _document((("Label", 2.0), ("Headline", 1.7)))  # 2.6 against 2.5
    assert settle_title(doc, embedder).title == "Label"


def test_a_declared_title_or_a_lone_heading_is_never_weighed() -> None:
    embedder = _Vectors({})
    declared = _document((("Label", 2.0), ("Headline", 1.9)), source="front matter")
    assert settle_title(declared, embedder) is declared
    alone = _document((("Label", 2.0),))
    assert settle_title(alone, embedder) is alone
    assert embedder.asked == []


@pytest.mark.integration
def test_a_photo_caption_shown_twice_gives_way_to_the_headline_of_the_story(
    tmp_path: Path, embedder: Embedder
) -> None:
    doc = _load(tmp_path, "page.txt", PAGE)
    assert doc.headlines is not None
    assert {CAPTION, HEADLINE} <= {text for text, _ in doc.headlines.options}
    assert settle_title(doc, embedder).title == HEADLINE
    # A title the file declares stays, whatever the page shows.
    declared = _load(tmp_path, "page.md", f"---\ntitle: Utility complaints\n---\n\n{PAGE}")
    assert settle_title(declared, embedder).title == "Utility complaints"


@pytest.mark.integration
def test_ingest_stores_the_headline_as_the_title(
    tmp_path: Path, settings: Settings, embedder: Embedder
) -> None:
    path = tmp_path / "page.txt"
    path.write_text(PAGE, encoding="utf-8")
    ingestor = Ingestor(settings, build_store(settings, embedder), embedder)
    result = ingestor.ingest_file(path)
    assert result.status == "ingested", result.reason
    assert result.title == HEADLINE


@pytest.mark.integration
def test_the_deck_under_the_headline_is_read_with_it_not_weighed_against_it(
    embedder: Embedder,
) -> None:
    # A benchmark report's page: its deck sums up the text in more of its words than the
    # headline does, and is closer to it in meaning, but it is the headline's deck.
    path = (
        Path(__file__).parent.parent / "evals/corpus/realworld/callowaybirch-voc-benchmark-2024.txt"
    )
    doc = load_document(path, path.read_bytes())
    deck = "Our fifth annual benchmark of customer feedback programmes"
    assert doc.headlines is not None
    assert deck not in {text for text, _ in doc.headlines.options}
    assert settle_title(doc, embedder).title == "The State of Voice of the Customer 2024"


@pytest.mark.integration
def test_a_digest_keeps_its_name_over_its_tagline_and_its_lead_storys_heading(
    embedder: Embedder,
) -> None:
    # An e-mail digest: its name, then the date line and its tagline, an editor's
    # note, and its stories under headings. The opening of its text is about the lead
    # story, so the lead story's heading (under the editor's note) and the tagline (under
    # the name) are both closer to it in meaning than the name is.
    path = (
        Path(__file__).parent.parent
        / "evals/corpus/realworld/pemberfold-older-customers-phone-digest-2024.txt"
    )
    doc = load_document(path, path.read_bytes())
    assert doc.title == "PEMBERFOLD SERVICE DIGEST"
    assert settle_title(doc, embedder).title == "PEMBERFOLD SERVICE DIGEST"


def test_the_headline_under_a_kicker_is_weighed_against_it(tmp_path: Path) -> None:
    """A kicker of two words the text uses ("Estimated bills") over the headline can
    outweigh a headline that words the story its own way; the heading it labels is then
    weighed against it by meaning, not set aside as its deck."""
    kicker, headline = "Estimated bills", "Nobody enjoys phoning about money"
    page = PAGE.replace(f"{CAPTION}\nBusiness\n{HEADLINE}\n", f"{kicker}\n{headline}\n")
    doc = _load(tmp_path, "kicker.txt", page.replace(f"{CAPTION}\nby:", "by:"))
    assert doc.title == kicker  # as the page stands, before the meanings are weighed
    assert doc.headlines is not None
    assert {kicker, headline} <= {text for text, _ in doc.headlines.options}
