"""The bottom line of an answer on who should own something, counted from its map."""

from __future__ import annotations

from advisor.advice import advises
from advisor.answer import Answer, Clause, OptionOnTable, Position, Statement
from advisor.bottom_line import bottom_line
from advisor.positions import OTHER
from advisor.render import render_answer, unescaped
from advisor.roles import SHARED, position_of


def _position(label: str, recommending: list[bool], first: int) -> Position:
    statements = [
        Statement(text=f"Line {k}.", citation=first + k, source=f"Pub {first + k}", recommends=r)
        for k, r in enumerate(recommending)
    ]
    return Position(
        position=label,
        sources=len(statements),
        statements=statements,
        recommending=sum(recommending),
    )


def _option(text: str, owner: str, citation: int) -> OptionOnTable:
    return OptionOnTable(
        option=Statement(text=text, citation=citation, source="Council notes"), position=owner
    )


def _rendered(clauses: list[Clause], positions: list[Position] | None = None) -> str:
    answer = Answer(
        question="Who should own CX here?",
        answer="",
        abstained=False,
        model="none",
        intent="strategy",
        positions=positions or [_position("CEO", [False], 99)],
        bottom_line=clauses,
    )
    return unescaped(render_answer(answer))


def _said(clauses: list[Clause]) -> str:
    return _rendered(clauses).split("\n\n")[0]


def test_the_bottom_line_counts_recommending_sources_and_weighs_the_options() -> None:
    positions = [
        _position(SHARED, [True, True, False], 1),
        _position("CMO / marketing", [False, False], 4),
        _position("A business leader as CX champion", [True], 6),
        _position(OTHER, [True], 7),
    ]
    options = [
        _option("Option A: the CMO owns CX.", "CMO / marketing", 8),
        _option("Option B: a new CCO.", "CCO / CXO, a dedicated customer executive", 9),
        _option("Option C: a council with budget authority.", SHARED, 10),
        _option("Every journey gets an owner by June.", "", 11),  # proposes no owner
    ]
    said = _said(bottom_line(positions, options))
    assert said == (
        "**In short:** Of the 3 research sources here that recommend an owner, 2 favour "
        "shared ownership or council [1] [2], and 1 a business leader as CX champion [6]. "
        "Option C [10] proposes shared ownership or council, which 2 of them recommend; "
        "no research source here recommends the owner that Option A [8] or Option B [9] "
        "propose."
    )
    # The reports of who owns CX today (no one recommending) and other views count for
    # no owner; an option without a label of its own is "the option".
    only_reports = [_position("CMO / marketing", [False, False], 1), _position(SHARED, [False], 3)]
    unlabelled = [_option("The CMO would own CX from January.", "CMO / marketing", 4)]
    said = _said(bottom_line(only_reports, unlabelled))
    assert said == (
        "**In short:** None of the 3 research sources here recommends an owner; they "
        "report who owns it, CMO / marketing in 2 of them [1] [2]."
    )
    one = [_position("CEO", [True], 1), _position(SHARED, [False], 2)]
    said = _said(bottom_line(one, unlabelled))
    assert said == (
        "**In short:** The one research source here that recommends an owner favours CEO "
        "[1]. No research source here recommends the owner that the option [4] proposes."
    )
    assert bottom_line([_position(OTHER, [True], 1)], options) == []


def test_a_strategy_answer_opens_on_its_bottom_line() -> None:
    positions = [_position("CEO", [True, True], 1)]
    text = _rendered(bottom_line(positions, []), positions)
    assert text.startswith(
        "**In short:** Both research sources here that recommend an owner favour CEO [1] [2]."
        "\n\n**Where the research stands:** 2 sources, 1 position."
    )


def test_a_condition_a_sentence_opens_with_is_no_position() -> None:
    conditional = (
        "If the CX owner sits in marketing and the platforms sit with the CIO, the two "
        "need a working arrangement."
    )
    assert position_of(conditional) == ""
    assert position_of("If budgets are pooled, the CEO should own CX.") == "CEO"
    assert position_of("The CMO should own CX, if budgets allow.") == "CMO / marketing"


def test_advice_declined_with_rather_than_is_no_advice() -> None:
    assert not advises("The survey records ownership rather than recommending an owner.")
    assert not advises("It reports who leads, instead of advising who should.")
    assert advises("Pega recommends a business champion rather than IT.")


def test_sources_that_each_favour_another_owner_are_said_to() -> None:
    positions = [
        _position("CEO", [True], 1),
        _position("C-level sponsor", [True], 2),
        _position("Customer success", [True], 3),
    ]
    assert _said(bottom_line(positions, [])) == (
        "**In short:** The 3 research sources here that recommend an owner each favour a "
        "different one: CEO [1], C-level sponsor [2], and customer success [3]."
    )


def test_a_list_of_rivals_in_a_condition_is_still_no_position() -> None:
    rivals = (
        "When the CMO, the CIO and a digital leader each argue for their own function, the "
        "pattern suggests a common bias."
    )
    assert position_of(rivals) == ""
