"""The citation check with the real embedder: parsing, keeping, re-citing, flagging."""

from __future__ import annotations

import pytest

from advisor.passages import Passage
from advisor.verify import SupportChecker, parse_citations, showable
from ingest.embedder import Embedder
from ingest.evidence import EvidenceUnit


def passage(n: int, text: str, kind: str = "research") -> Passage:
    return Passage(f"c{n}", f"d{n}", text, f"Doc {n}", f"/docs/{n}.md", kind, 0.6)


PASSAGES = [
    passage(1, "Pega reports that 65% of businesses want to evolve their CX technology."),
    passage(
        2,
        "According to Gartner, marketing controls the most CX technology spending. "
        "Customer service comes second and sales third.",
    ),
    passage(
        3,
        "Relationship NPS fell to +14. The call centre is the weakest channel, with an NPS of -12.",
    ),
]


@pytest.fixture(scope="module")
def checker(embedder: Embedder) -> SupportChecker:
    return SupportChecker(embedder)


def test_parse_citations() -> None:
    assert parse_citations("IT owns CX [2].") == ("IT owns CX.", [2])
    assert parse_citations("A claim [1, 3][4] here") == ("A claim here", [1, 3, 4])
    assert parse_citations("No markers.") == ("No markers.", [])


def test_correct_citation_is_kept_with_a_verbatim_quote(checker: SupportChecker) -> None:
    [result] = checker.check(
        "Marketing controls the most CX technology spending, according to Gartner. [2]", PASSAGES
    )
    assert result.supported and result.passage == 1 and not result.recited
    assert result.support is not None and result.support.quote in PASSAGES[1].text


def test_wrong_citation_is_recited(checker: SupportChecker) -> None:
    [result] = checker.check(
        "Pega reports that 65% of businesses want to evolve their CX technology. [3]", PASSAGES
    )
    assert result.supported and result.recited and result.passage == 0


def test_missing_citation_is_recited(checker: SupportChecker) -> None:
    [result] = checker.check("The call centre is the weakest channel with an NPS of -12.", PASSAGES)
    assert result.supported and result.passage == 2


def test_unsupported_sentence_is_flagged(checker: SupportChecker) -> None:
    [result] = checker.check("Customers in Norway prefer paper invoices to apps. [1]", PASSAGES)
    assert not result.supported
    assert result.reason == "no passage supports it"


def test_every_number_must_be_in_the_cited_passage(checker: SupportChecker) -> None:
    results = checker.check(
        "Pega reports that 81% of businesses want to evolve their CX technology. [1] "
        "Pega reports that 65% of businesses want to evolve their CX technology. [1]",
        PASSAGES,
    )
    assert [r.supported for r in results] == [False, True]
    assert results[0].reason == "a number is not in the cited passage"


def test_acronyms_must_be_in_the_cited_passage(checker: SupportChecker) -> None:
    [result] = checker.check(
        "According to Gartner, the CIO controls the most CX technology spending. [2]", PASSAGES
    )
    assert not result.supported


def test_a_speakers_short_remark_is_no_statement() -> None:
    """A transcript's turn is judged on what the speaker says: "Good question, Hannah."
    after a time mark and a name is three words, not six; a turn that states something
    is evidence."""

    def body(text: str) -> EvidenceUnit:
        return EvidenceUnit(0, len(text), "body", text)

    assert not showable(body("[00:22:19] Joel Osei: Good question, Hannah."))
    assert not showable(body("Amara Lindqvist: Mostly NPS, as you would expect."[:33] + "."))
    said = "[00:22:35] Joel Osei: We ran both in parallel for about seven months."
    assert showable(body(said))
    # A label that is no speaker keeps its words: "Key finding: 64% lack a sponsor."
    assert showable(body("Key finding: most firms have no sponsor."))


def test_questions_headings_and_fragments_are_not_claims(checker: SupportChecker) -> None:
    results = checker.check("## Who owns CX?\nWho owns CX? [2]\nMarketing. [2]", PASSAGES)
    assert [r.supported for r in results] == [False, False]
    assert {r.reason for r in results} <= {"not a statement", "too short to check"}


def test_a_label_with_a_name_and_the_title_said_again_are_not_evidence() -> None:
    # A bullet under a one-word label: "Advertisement: Nathaniel Johnstone-Whitfield".
    name = EvidenceUnit(0, 29, "list_item", "Nathaniel Johnstone-Whitfield", "Advertisement:")
    assert not showable(name)
    item = EvidenceUnit(0, 40, "list_item", "1. Voice of the customer platforms", "Ranked first:")
    assert showable(item)
    # A headline run into the first paragraph splits off as a sentence of its own.
    headline = EvidenceUnit(0, 33, "body", "Refunds within a day are now live!")
    assert showable(headline)
    assert not showable(headline, title="Refunds within a day are now live")
    assert showable(headline, title="What we shipped in May")


def test_what_the_document_s_own_author_is_is_not_a_finding() -> None:
    """The box about who wrote a page ("Dennis Tölle ist Partner der Kanzlei ...") says
    what its author is, not what the page finds; what the author did, their findings and
    their turns in a discussion are still evidence."""
    author = "Mark Roe; Dennis Tölle"

    def body(text: str) -> EvidenceUnit:
        return EvidenceUnit(0, len(text), "body", text)

    assert not showable(body("Dennis Tölle ist Partner der Kanzlei Tölle Wagenknecht."), "", author)
    assert not showable(
        body("Mark Roe is a senior analyst who covers customer service."), "", author
    )
    assert showable(body("Mark Roe is a senior analyst who covers customer service."))
    assert showable(body("Mark Roe presented the survey to the council in May."), "", author)
    assert showable(body("Mark Roe's survey found that most firms have no sponsor."), "", author)
    assert showable(body("Jane Doe is a senior analyst who covers customer service."), "", author)


def test_a_short_sentence_is_not_lent_length_by_the_one_it_is_shown_with() -> None:
    before = "Companies where the chief executive chaired the review stood out."
    short = EvidenceUnit(0, 14, "body", "It fell by 4%.", before)
    assert short.reading.startswith(before)  # shown with it ...
    assert not showable(short)  # ... but judged on its own words
    # Nor by the question it answers, which it is judged with for what it is about.
    answer = EvidenceUnit(0, 20, "body", "Marketing, mostly.", "So we asked who pays for it.")
    assert answer.judged.startswith("So we asked") and not showable(answer)


JOINT = [
    passage(4, "Acme Research found that 64% of organisations have no C-level CX sponsor."),
    passage(5, "Beta Surveys found that 41% of organisations have no C-level CX sponsor."),
]


def test_a_sentence_citing_two_passages_is_judged_against_both(
    checker: SupportChecker,
) -> None:
    """A sentence that sets two sources side by side, neither of which says all of it,
    is supported by the two quotes together, and keeps both citations; one that gives a
    figure neither says, or cites a passage that adds nothing to it, is not."""
    library = [*PASSAGES, *JOINT]
    [both] = checker.check(
        "Acme Research found that 64% of organisations have no C-level CX sponsor, "
        "while Beta Surveys found 41%. [4][5]",
        library,
    )
    assert both.supported and not both.recited
    assert {both.passage, *(j for j, _ in both.joint)} == {3, 4}
    quotes = [both.support.quote if both.support else "", *(s.quote for _, s in both.joint)]
    assert sorted(quotes) == sorted(p.text for p in JOINT)
    [invented] = checker.check(
        "Acme Research found that 64% of organisations have no C-level CX sponsor, "
        "while Beta Surveys found 45%. [4][5]",
        library,
    )
    assert not invented.supported
    [padded] = checker.check(
        "Acme Research and Beta Surveys found that 64% of organisations have no C-level CX "
        "sponsor. [4][2]",
        library,
    )
    assert not padded.joint  # the Gartner passage gives none of it
    # One passage that supports it alone is its citation, as before.
    [alone] = checker.check(
        "Acme Research found that 64% of organisations have no C-level CX sponsor. [4][5]",
        library,
    )
    assert alone.supported and alone.passage == 3 and not alone.joint


def test_a_numbered_item_without_its_lead_in_and_a_trail_step_are_no_evidence() -> None:
    """A numbered item is shown with what it counts or not at all ("3. <a headline>" of a
    "Most read" box has no lead-in); a breadcrumb trail's step ("1. Home /") never."""

    def item(text: str, lead: str = "") -> EvidenceUnit:
        return EvidenceUnit(0, len(text), "list_item", text, lead)

    headline = "3. Sweden drops its investigation into the allegation against him"
    assert not showable(item(headline))
    assert showable(item(headline, "The stories read most this week were these:"))
    assert not showable(item("1. Startseite /", "Register to leave a comment on this site"))
    assert showable(item("Refunds above the agent's limit", "Escalations had three causes:"))


def test_a_byline_set_as_a_list_is_no_evidence() -> None:
    """A page that sets its byline as a label over a list ("Ein Beitrag von:" / "Jane
    Doe") names its author, no finding; a list of people with what they did stays."""

    def item(text: str, lead: str) -> EvidenceUnit:
        return EvidenceUnit(0, len(text), "list_item", text, lead)

    assert not showable(item("Alexandra Ilina", "Ein Beitrag von:"))
    assert not showable(item("Jane Doe", "Written by:"))
    assert showable(item("Jane Doe (COO)", "Attendees of the council meeting:"))
    assert showable(item("Jane Doe", "The council's new chair, from January, is:"))
