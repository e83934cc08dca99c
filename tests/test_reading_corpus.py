"""Reading real documents no one on this project wrote: saved web pages (as saved, as
pasted text, hard-wrapped as a memo) and PDFs from public test corpora.

The pages are third-party and are not copied into this repository: the fixtures are
built from local mirrors of the corpora (evals.reading_corpus), and the test is skipped,
saying why, where no mirror is present. The floors below guard what the held-out set
measured when it was first run; they are regression guards, not targets (the targets
and the latest figures are in the README), and the reader is never tuned on this set.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.reading_corpus import SETS, Mirror, MirrorMissing, load_sources
from evals.reading_eval import ReadingReport, complete_sentence, measure, normalise
from ingest.embedder import Embedder

pytestmark = pytest.mark.integration


def _mirror_or_skip() -> Mirror:
    mirror = Mirror.default()
    for repo in {s.repo for name in SETS for s in load_sources(name)}:
        try:
            mirror.git_dir(repo)
        except MirrorMissing as why:
            pytest.skip(f"real-document corpus unavailable: {why}")
    return mirror


@pytest.fixture(scope="module")
def heldout(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> ReadingReport:
    mirror = _mirror_or_skip()
    return measure("heldout", tmp_path_factory.mktemp("reading"), mirror, embedder)


@pytest.mark.parametrize("name", ["heldout", "heldout-news"])
def test_heldout_sets_are_large_enough(name: str) -> None:
    sources = load_sources(name)
    assert len({(s.repo, s.path) for s in sources}) >= 30
    assert sum(1 for s in sources if s.title) >= 30


def test_news_pages_held_out_are_read(tmp_path: Path, embedder: Embedder) -> None:
    """The second held-out set (news and blog pages kept gzipped in their corpus), at
    the floor of its first measurement; titles as ingest stores them."""
    report = measure("heldout-news", tmp_path, _mirror_or_skip(), embedder)
    assert report.documents >= 30 and not report.errors
    assert report.title_accuracy[0] >= 0.85
    assert report.date_accuracy[0] >= 0.75
    assert report.complete_sentences[0] >= 0.98


def test_heldout_documents_are_read(heldout: ReadingReport) -> None:
    assert heldout.documents >= 30
    assert not heldout.errors, [r.error for r in heldout.errors]
    titles, _ = heldout.title_accuracy
    dates, _ = heldout.date_accuracy
    sentences, counted = heldout.complete_sentences
    assert counted > 1000
    assert titles >= 0.70, titles
    assert dates >= 0.55, dates
    assert sentences >= 0.97, sentences
    # Numbered items: a number that wrapping brought to a line's start, read as an item,
    # counts as a miss (97.9% at reader version 100; 90.3% at version 99 by that count).
    lists, _ = heldout.list_items_ok
    tables, _ = heldout.table_rows_ok
    assert lists >= 0.97 and tables >= 0.9
    # Hard-wrapped forms read as the page pasted whole (98.8% at reader version 107,
    # 98.1% before a pasted page's short menu lines stopped hiding its wrapping).
    wrapped, compared = heldout.wrapped_as_written
    assert compared > 1000 and wrapped >= 0.98, wrapped


def test_judging_helpers() -> None:
    assert normalise("Why CX  fails ‘today’ – a view.") == normalise(
        "why cx fails 'today' - a view"
    )
    assert complete_sentence("Most firms put CX with the CMO (2021).")
    assert not complete_sentence("controls 27% (1.35 million, the contact-centre platform) and")
    assert not complete_sentence("Customer Service asked for a seat on the")
    assert not complete_sentence("Four false assumptions about CX")


def test_fixtures_are_built_in_every_form(tmp_path: Path) -> None:
    mirror = _mirror_or_skip()
    from evals.reading_corpus import build_fixtures

    source = next(s for s in load_sources("dev") if "text" in s.forms)
    fixtures = build_fixtures([source], tmp_path, mirror)
    forms = {f.form for f in fixtures}
    assert forms >= {"html", "text", "wrapped", "wrapped-md"}
    wrapped = next(f for f in fixtures if f.form == "wrapped").path.read_text()
    assert max(len(line) for line in wrapped.splitlines() if "\t" not in line) <= 92


def test_a_number_wrapping_brought_to_a_line_s_start_is_no_item_of_the_page(
    tmp_path: Path,
) -> None:
    """The numbered items of a wrapped fixture are the page's own numbered lines; a unit
    read as an item from a number that only wrapping set at a line's start is a miss."""
    from evals.reading_corpus import Fixture, Source
    from evals.reading_eval import judge
    from ingest.document import Block, LoadedDocument

    written = (
        "Take inventory\n\nLeif retired from anesthesiology at age 43. He says the first step "
        "for any aspiring early retiree is to take inventory of their finances.\n"
    )
    path = tmp_path / "page.wrapped.txt"
    path.write_text(
        "Take inventory\n\nLeif retired from anesthesiology at age\n43. He says the first step "
        "for any aspiring early retiree is to take inventory of their finances.\n"
    )
    source = Source("owner/repo", "page.html", ("wrapped",), "Take inventory")
    fixture = Fixture(path, source, "wrapped", written)

    def read(*blocks: Block) -> LoadedDocument:
        return LoadedDocument.from_blocks(list(blocks), "Take inventory", {}, {})

    sentence = "He says the first step for any aspiring early retiree is to take inventory."
    as_item = judge(fixture, read(Block("list_item", f"43. {sentence}", context="Leif retired")))
    assert as_item.list_items == 1 and as_item.list_items_bad
    as_body = judge(fixture, read(Block("body", f"Leif retired at age 43. {sentence}")))
    assert as_body.list_items == 0 and not as_body.list_items_bad
    # The page's own numbered line is an item, and read as one with its lead-in it is good.
    listed = Fixture(path, source, "text", "Steps:\n1. Take inventory of your finances.\n")
    item = judge(
        listed, read(Block("list_item", "1. Take inventory of your finances.", context="Steps:"))
    )
    assert item.list_items == 1 and not item.list_items_bad


def test_wrapped_as_written_compares_each_wrapped_form_with_the_page_as_pasted(
    tmp_path: Path,
) -> None:
    from evals.reading_corpus import Fixture, Source
    from evals.reading_eval import FixtureResult

    source = Source("owner/repo", "page.html", ("text", "wrapped"), "A page")
    other = Source("owner/repo", "other.html", ("wrapped",), "Another page")

    def read(form: str, bodies: set[str], of: Source = source) -> FixtureResult:
        return FixtureResult(Fixture(tmp_path / f"{of.stem}.{form}", of, form), bodies=bodies)

    pasted = {"One whole sentence here.", "Two whole sentences here.", "Three of them."}
    report = ReadingReport(
        "set",
        [
            read("text", pasted),
            read(
                "wrapped",
                {"One whole sentence here.", "Two whole", "sentences here.", "Three of them."},
            ),
            read("wrapped-md", set(pasted)),
            read("wrapped", {"Nothing to compare."}, other),  # no pasted form: not counted
        ],
    )
    assert report.wrapped_as_written == (5 / 6, 6)
