"""Unit tests of the answer path's parts: question reading, roles, evidence selection
features, the positions map, rendering and the eval metrics that judge them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from advisor.advice import advises
from advisor.answer import (
    Answer,
    AnswerPart,
    AnswerSentence,
    Citation,
    OptionOnTable,
    Position,
    Statement,
    Timings,
    speaker,
)
from advisor.compose import AnswerBuilder, Line, Section
from advisor.passages import Passage
from advisor.positions import (
    MAX_SOURCES,
    OTHER,
    PositionsMap,
    Stance,
    is_option,
    map_positions,
    option_owner,
    stance_position,
)
from advisor.question import Question
from advisor.render import plain, render_answer, unescaped
from advisor.roles import SHARED, position_of, roles_in
from advisor.selection import Acronyms, Candidate, fits, stem
from evals.metrics import facts_in_first, is_complete_sentence
from ingest.evidence import EvidenceUnit
from ingest.layout import LaidOutBlock


def test_question_intent_answer_type_and_focus() -> None:
    fact = Question.read("How many complaints did we get last quarter?")
    assert fact.intent == "fact" and fact.answer_type == "figure" and fact.own_org
    assert fact.focus == {"complaint", "quarter"}  # 'get' and 'last' carry no topic
    named = Question.read("How many employees does Acme Research have in 2021?")
    assert named.named == ("Acme Research", "2021") and named.focus == {"employee"}
    assert Question.read("When did the CMO take over?").answer_type == "time"
    assert Question.read("Which function runs the contact centres?").answer_type == "owner"
    for strategic in (
        "Who should own CX here?",
        "Should we appoint a Chief Customer Officer?",
        "Where do the sources disagree on CX ownership?",
        "Is a CX council worth having, or is it a talking shop?",
        "What do the studies say about CX councils?",
    ):
        assert Question.read(strategic).intent == "strategy", strategic
    # A position on something named is about it: its words stay in the focus.
    assert "officer" in Question.read("Should we appoint a Chief Customer Officer?").focus
    # A name put forward to be checked ("Is IT the most ...?") is no name the answer's
    # source must hold: a source naming another as the most common answers it.
    assert "IT" not in Question.read("Is IT the most common owner of CX?").named
    assert "Acme" in Question.read("Is Acme's NPS the highest in the sector?").named
    # What one named source advises is a fact about it, not a map of positions; what a
    # role advises is still contested.
    assert Question.read("What does McorpCX recommend the CIO do?").intent == "fact"
    assert Question.read("What does the CFO recommend?").intent == "strategy"
    # So do the words of a job title asked about in a fact question: it names no firm.
    cost = Question.read("What would a Chief Customer Officer cost us per year?")
    assert cost.named == ("Chief Customer Officer",)
    assert {"chief", "customer", "officer"} <= cost.focus
    assert "acme" not in Question.read("What would Acme Research cost us?").focus


def test_roles_named_and_negated() -> None:
    assert roles_in("The CEO must own CX.") == ("CEO",)
    assert roles_in("IT should not own CX, but the CMO should.") == ("CMO / marketing",)
    assert roles_in("The CMO, not IT, should own CX.") == ("CMO / marketing",)
    assert roles_in("Research does not argue that IT should own CX.") == ()
    assert roles_in("IT and marketing should lead CX together.")[0] == SHARED
    # A view the sentence sets its own against is not its position, shared or not.
    assert roles_in("Unlike reports that want the CIO to co-own CX, we back the COO.") == (
        "COO / customer operations",
    )
    assert roles_in("This view differs from studies that favour a joint council.") == ()
    assert roles_in("In contrast to Acme, the CFO should own CX.") == ("CFO / finance",)
    # A negated comparison denies what it compares, not the standard it compares it with.
    assert position_of("Units run by one function did no better than those with councils.") == (
        SHARED
    )
    assert roles_in("The CMO rather than IT should own CX.") == ("CMO / marketing",)
    # Owning denied later in the role's own clause; a role another role is preferred to
    # keeps what the sentence says of the first.
    helper = "It gives steps for a CIO who wants to help without claiming ownership of CX."
    assert roles_in(helper) == ()
    assert roles_in("The CIO is not the owner of CX.") == ()
    assert roles_in("The CMO and not IT should own CX.") == ("CMO / marketing",)
    assert position_of("IT should lead, not own, the CX platforms.") == "CIO / IT"
    # Two roles set out as alternatives take neither's side, unless one is advised.
    assert position_of("Other functions, such as IT or customer service, see it apart.") == ""
    assert position_of("Either the CMO or the CIO should own CX.") != ""
    assert position_of("A chief customer officer should own CX end to end.").startswith("CCO")
    assert position_of("Customer experience has an ownership problem.") == ""
    # Roles set side by side, none of them said to be the owner: the contest, no side.
    contest = "Marketing, IT and the COO each lay claim to the customer."
    assert len(roles_in(contest)) >= 3 and position_of(contest) == ""
    assert position_of("Marketing, IT and the COO should run CX together.") == SHARED
    assert position_of("The COO should own CX, with marketing and IT as partners.") != ""
    # Unless it ranks the first it names above the others: that one is its finding.
    ranked = "The CMO is named most often, but the CIO and the Chief Digital Officer are close."
    assert position_of(ranked) == "CMO / marketing"
    assert position_of("Marketing, IT and digital teams are most often in conflict.") == ""


def test_a_sentence_that_points_back_states_the_position_it_points_back_to() -> None:
    earlier = "The report holds that a business executive with revenue targets should own CX."
    pointing = _candidate(
        "This differs from studies that want IT to co-lead CX.", "a", context=earlier
    )
    assert not pointing.stands_alone
    stance = Stance(pointing, stance_position(pointing))
    assert stance.position == "A business leader as CX champion" and stance.recommends
    # One that takes a position of its own keeps it.
    own = _candidate("It follows that the COO should own CX.", "b", context=earlier)
    assert stance_position(own) == "COO / customer operations"
    # A sentence that stands alone is read alone, whatever stands before it.
    alone = _candidate("Studies differ on who should own CX.", "c", context=earlier)
    assert stance_position(alone) == ""


def _unit(text: str, role: str = "body", context: str = "") -> EvidenceUnit:
    return EvidenceUnit(0, len(text), role, text, context)  # type: ignore[arg-type]


def _passage(doc: str, kind: str = "research", text: str = "") -> Passage:
    return Passage(doc, doc, text, f"Title {doc}", f"/{doc}.md", kind, 0.5, publisher=doc)


def _candidate(text: str, doc: str, kind: str = "research", **unit: str) -> Candidate:
    return Candidate(_unit(text, **unit), _passage(doc, kind, text), 0.6, 0.5, True, True)


def test_figure_must_sit_next_to_what_it_counts() -> None:
    question = Question.read("How many complaints did we get last quarter?")
    assert fits(question, "Northwind received 18,640 complaints in Q3 2026.")
    assert not fits(question, "Complaints rose after the July price rise of 4.9% on most plans.")
    assert not fits(question, "What drove complaints: 1. Price rise. The bill layout changed.")
    quarter = Question.read("How many complaints did we get in Q3 2026?")
    assert not fits(quarter, "Customer sentiment weakened in Q3 2026.")  # "Q3" is no count
    year = Question.read("How many complaints in 2026?")
    assert not fits(year, "Complaints were the topic of the 2026 review.")


def test_a_numbered_paragraphs_number_is_no_figure() -> None:
    question = Question.read("How many agents does Brightmere Water have on its specialist line?")
    assert not fits(question, "3.3 Brightmere Water shows that this is achievable.")
    assert not fits(question, "4.1.2 Brightmere Water agents answer within three minutes.")
    assert fits(question, "3.3 Brightmere Water has 26 agents on its specialist line.")


def test_how_many_x_is_answered_by_a_count_of_x_or_a_share() -> None:
    """A figure that counts something else is no answer to "how many X"; in other words
    than X, only a share of them is."""
    users = Question.read("How many monthly active users does the Northwind app have?")
    assert not fits(users, "Customers reach us through the app, 48 retail stores and chat.")
    assert fits(users, "The Northwind app had 1.2 million monthly active users in June.")
    firms = Question.read("How many B2B companies have reached the embedded stage?")
    assert fits(firms, "Only 2% of organisations have reached the embedded stage.")


def test_what_ranks_first_answers_a_question_about_the_top() -> None:
    question = Question.read("Which channel do customers rate as having the biggest impact?")
    assert question.top and not Question.read("Which channel do customers use?").top
    assert fits(question, "According to the survey, chat comes first, ahead of email.")
    assert fits(
        question,
        "The channels ranked: 1. Chat",
    )
    assert not fits(question, "Customers ranked eleven channels by their impact.")
    # "biggest" of something else is not an answer about impact.
    assert not fits(question, "Most say that staffing is the biggest service challenge.")
    assert fits(question, "Chat has the biggest impact, the survey finds.")
    first = Question.read("Who do companies turn to first when they fix their CRM?")
    assert first.top and first.answer_type == "owner"
    assert fits(first, "Most turn first to their internal IT team.")


def test_question_form_read_past_quotes_and_for_agreement_and_options() -> None:
    quoted = Question.read('Does the answer to "who owns CX" depend on who you ask?')
    assert quoted.intent == "fact"  # the quoted question is mentioned, not asked
    assert Question.read("How often does the CMO own CX? Do the surveys agree?").intent == (
        "strategy"
    )
    assert Question.read("Which options for CX ownership go to the board?").intent == ("strategy")
    # a figure asked first is what is asked, advice being part of what it counts
    counted = "How many firms did the lab study before recommending that firms survey less?"
    assert Question.read(counted).intent == "fact"
    assert Question.read("What share of firms recommend a CCO?").intent == "fact"
    # the figure recommended is asked for: each source's figure answers it, answer-first
    assert Question.read("How often should we survey customers?").intent == "fact"
    assert Question.read("Above what size should finance co-write a business case?").intent == (
        "fact"
    )
    assert Question.read("Should we survey customers less often?").intent == "strategy"


def test_figures_for_a_count_a_sum_and_a_year() -> None:
    count = Question.read("How many complaints did we get last quarter?")
    assert not fits(count, "Complaints per 1,000 subscribers rose in the quarter.")
    assert fits(count, "We received 18,640 complaints, 15% more than before.")
    spend = Question.read("How much are we spending on customer experience?")
    assert not fits(spend, "Marketing spends EUR 7.9 million on the loyalty programme.")
    assert fits(spend, "We will spend EUR 48.0 million on customer experience in 2026.")


def test_how_much_of_a_whole_is_answered_by_a_share_or_a_sum() -> None:
    pooled = Question.read("How much of total CX spending should a council hold centrally?")
    assert pooled.intent == "fact" and pooled.share
    assert fits(pooled, "Pool 10 to 15% of total CX spending, held centrally by the council.")
    traced = Question.read("How much of their CX spending can finance teams trace to a benefit?")
    assert fits(traced, "Finance could trace only $1.9 million of that CX spending to a benefit.")
    assert not fits(traced, "Finance teams at 120 firms were asked to trace CX spending.")


def test_the_size_of_a_change_is_said_of_a_change() -> None:
    fell = Question.read("In the survey, how much did repeat contacts fall where marketing led?")
    assert fell.change
    sample = "The survey covered 380 heads of customer service at contact centres with 100 agents."
    assert not fits(fell, sample)  # figures, but of the sample, not of a change
    assert fits(fell, "Where marketing led, repeat contacts fell by 6%.")
    assert fits(fell, "Repeat contacts: down 13.5% where marketing led.")
    raised = Question.read("By how much did we raise prices?")
    assert raised.change and fits(raised, "The price adjustment of 4.9% took effect in July.")
    assert not Question.read("How many repeat contacts did we get?").change
    climbed = Question.read("What did its response rate climb to after the cap?")
    assert climbed.change and not fits(climbed, "Invitations: 1,390,000; Customers: 486,000.")
    assert fits(climbed, "Its response rate rose from 7.2% to 19.5% after the cap.")
    # The size of a change is said of what changed, however many words name it
    spend = Question.read("How much will goodwill spend go up without approval?")
    long_subject = "At the centres, goodwill spend per 1,000 handled contacts rose by only 6%."
    assert fits(spend, long_subject)
    # ... in its own clause, not of what an earlier clause names
    assert not fits(spend, "Where goodwill spend was capped, repeat calls rose by 6%.")


def test_a_compound_meets_its_words_written_apart_and_back() -> None:
    from advisor.selection import stems

    asked = Question.read("What share of delivery-tracking chats do bots finish alone?")
    assert fits(asked, "Requests settled without a person, by type: Delivery tracking: 67%")
    assert not fits(asked, "Requests settled without a person, by type: Billing disputes: 4%")
    words = {stem(w) for w in ("delivery-tracking", "delivery", "tracking")}
    assert words <= stems("Delivery tracking rose.")
    assert {"first", "contact"} <= stems("first-contact resolution")
    assert {stem("second"), stem("quarter")} <= stems("Relationship NPS (Q2 2026: +17)")


def test_which_countries_is_answered_by_a_country_named() -> None:
    asked = Question.read("Which countries did the survey cover?")
    assert asked.answer_type == "country" and "countrie" not in asked.focus
    assert fits(asked, "We surveyed 318 leaders in the United Kingdom, Ireland and Australia.")
    assert not fits(asked, "We surveyed 318 leaders at banks, insurers and energy suppliers.")
    assert Question.read("How many countries did the survey cover?").answer_type == "figure"


def test_acronyms_defined_in_documents_cover_their_words() -> None:
    acronyms = Acronyms.defined_in(
        ["We study customer experience (CX) and the voice of the customer (VoC)."]
    )
    assert {stem("customer"), stem("experience")} <= acronyms.expand("CX matters")
    assert "cx" in acronyms.expand("Customer experience matters")
    assert "voc" in acronyms.expand("the voice of the customer")
    assert Acronyms.defined_in(["Our office (HQ) is new."]).expansions == {}


def test_acronyms_that_documents_use_and_write_out_cover_their_words() -> None:
    """Two documents that use "CX" and write "customer experience" define it between
    them; one alone does not, nor does a run that spells two acronyms in use or holds
    another's run, nor a heading in capitals."""
    a = "CX is hard. Customer experience needs an owner, and customer experience pays."
    b = "Our CX team grew. We measure customer experience each month with NPS."
    acronyms = Acronyms.defined_in([a, b])
    assert {stem("customer"), stem("experience")} <= acronyms.expand("CX matters")
    assert "cx" in acronyms.expand("Customer experience should be owned by the CEO.")
    assert acronyms.written_out("Who should own CX here?") == (
        "Who should own CX (customer experience) here?"
    )
    assert acronyms.written_out("Who owns customer experience (CX)?") == (
        "Who owns customer experience (CX)?"
    )
    assert Acronyms.defined_in([a]).expansions == {}
    # "chief experience officer" spells both the CEO and the CXO the documents name.
    c = "The CEO and the CXO met. The chief experience officer reports to the board."
    d = "Our CXO and CEO disagree. A chief experience officer leads the review."
    assert Acronyms.defined_in([c, d]).expansions == {}
    # "customer experience owner" holds what "CX" stands for: it is not the CEO.
    e = "The CEO asked. CX matters: the customer experience owner and customer experience."
    f = "CX and the CEO: a customer experience owner sets customer experience targets."
    assert set(Acronyms.defined_in([e, f]).expansions) == {"cx"}
    # Capitals among capitals are a heading's words, not an acronym.
    g = "CASE STUDY ONE\nWe study complaint analysis and send complaint alerts."
    assert Acronyms.defined_in([g, g.replace("ONE", "TWO")]).expansions == {}


def test_options_are_found_by_document_structure() -> None:
    lead = "Three options will be put to the board:"
    assert is_option(_candidate("Option A: the CMO owns CX.", "notes", "internal"))
    listed = _candidate("The CMO owns CX.", "notes", "internal", role="list_item", context=lead)
    assert is_option(listed)
    assert not is_option(
        _candidate("The CMO owns CX.", "notes", "internal", role="list_item", context="Members:")
    )


def test_a_listed_options_owner_is_read_from_the_item_not_its_lead_in() -> None:
    """ "Two options will be put to the board:" over "the CMO becomes the accountable
    owner of CX": the board is where the options go, not an owner one proposes."""
    lead = "Two options will be put to the board:"
    item = _candidate(
        "Option A: the CMO becomes the accountable owner of CX.", "notes", "internal",
        role="list_item", context=lead,
    )  # fmt: skip
    (option,) = map_positions([], [item], ownership=True).options
    assert option.position == "CMO / marketing"


def test_the_source_backing_an_options_owner_is_kept_among_those_shown() -> None:
    """More sources recommend an owner than the map shows: the one that recommends the
    owner an internal option proposes is kept, however far down its sentence ranks, so
    the option is not shown as backed by no research."""
    roles = ["the CEO", "the CFO", "the COO", "the CMO", "the CIO", "a CX council",
             "the chief digital officer", "a business CX champion",
             "a C-level sponsor"]  # fmt: skip
    research = [
        replace(_candidate(f"CX should be owned by {role}.", f"r{n}"), similarity=0.9 - n / 100)
        for n, role in enumerate(roles)
    ]
    cco = replace(
        _candidate("A chief customer officer should own CX end to end.", "cco"), similarity=0.5
    )
    option = _candidate("Option B: a new Chief Customer Officer owns CX.", "notes", "internal")
    pmap = map_positions([*research, cco], [option], ownership=True)
    assert len(pmap.stances) == MAX_SOURCES
    assert "cco" in {s.candidate.passage.doc_id for s in pmap.stances}
    (b,) = pmap.options
    assert [s.candidate.passage.doc_id for s in b.backed_by] == ["cco"]
    # With no option proposing it, the lowest-ranked source is the one left out.
    plain = map_positions([*research, cco], [], ownership=True)
    assert "cco" not in {s.candidate.passage.doc_id for s in plain.stances}


def _published(candidate: Candidate, publisher: str, title: str) -> Candidate:
    passage = replace(candidate.passage, publisher=publisher, title=title)
    return replace(candidate, passage=passage)


def test_a_report_of_a_sources_work_that_says_the_same_is_that_source_again() -> None:
    """A blog's recap of a study, in the study's words, is not a second source for its
    position: it is taken into the study's line, and the next source is shown in its
    place. A report that says otherwise, or of a source not read, stands as its own."""
    study = _published(
        _candidate("Acme recommends that a CX champion should sit in the business.", "s"),
        "Acme",
        "Acme Global CX Study 2020",
    )
    recap = _published(
        _candidate("The recap says that a CX champion should sit in the business.", "r"),
        "CX Trends Blog",
        "Acme Global CX Study recap: the case for a business champion",
    )
    others = [
        _candidate(f"CX should be owned by {role}.", f"o{n}")
        for n, role in enumerate(
            ["the CEO", "the CFO", "the COO", "the CMO", "the CIO", "a CX council"]
        )
    ]
    lowest = replace(_candidate("The chief customer officer should own CX.", "low"), similarity=0.4)
    pmap = map_positions([recap, study, *others, lowest], [], ownership=True)
    docs = [s.candidate.passage.doc_id for s in pmap.stances]
    assert "r" not in docs and "s" in docs and "low" in docs
    (champion,) = [s for s in pmap.stances if s.candidate.passage.doc_id == "s"]
    assert champion.reported_by == ("CX Trends Blog",)
    # The publisher's own second document is not a report of its work.
    own = _published(recap, "Acme", "Acme Global CX Study recap")
    assert len(map_positions([own, study], [], ownership=True).stances) == 2
    # A recap that puts another owner first is a second view, shown as its own.
    other = _published(
        _candidate("The recap says that the CIO should own CX.", "r"),
        "CX Trends Blog",
        recap.passage.title,
    )
    assert len(map_positions([other, study], [], ownership=True).stances) == 2
    # Named in its sentence, not its title: "Acme found ..." is Acme's finding again.
    found = _published(
        _candidate("Acme found that a CX champion should sit in the business.", "f"),
        "Blog",
        "Notes",
    )
    (only,) = map_positions([found, study], [], ownership=True).stances
    assert only.reported_by == ("Blog",)
    # With the study not read, the recap is the source shown.
    (alone,) = map_positions([recap], [], ownership=True).stances
    assert alone.candidate.passage.doc_id == "r" and alone.reported_by == ()


def test_a_report_that_says_the_same_as_its_source_is_folded_by_meaning_too() -> None:
    """Off ownership, "the same" is said in meaning: the recap close to the study's
    sentence is taken into it; one far from it stands apart."""
    study = _published(
        _candidate("Firms should cap surveys at one invitation a quarter.", "s"), "Acme", "Acme"
    )
    recap = _published(
        _candidate("The recap says firms should cap surveys at one a quarter.", "r"),
        "Blog",
        "Acme survey study recap",
    )
    apart = _published(
        _candidate("The recap says survey response rates fell to 7%.", "a"), "Blog", "Acme recap"
    )
    alike = {"s": (1.0, 0.0), "r": (0.9, 0.436), "a": (0.0, 1.0)}

    def vectors(texts: Sequence[str]) -> list[tuple[float, float]]:
        by_text = {c.reading: alike[c.passage.doc_id] for c in (study, recap, apart)}
        return [by_text[t] for t in texts]

    pmap = map_positions([recap, apart, study], [], vectors=vectors)
    assert sorted(s.candidate.passage.doc_id for s in pmap.stances) == ["a", "s"]
    (kept,) = [s for s in pmap.stances if s.candidate.passage.doc_id == "s"]
    assert kept.reported_by == ("Blog",) and kept.position == "Recommendation of Acme"


def test_an_option_proposes_the_owner_its_name_and_first_sentence_give() -> None:
    """What an option goes on to say of other functions (what IT keeps, whom the new
    owner reports to) is detail, not the owner it proposes."""
    marketing = (
        "2. **Option B - Marketing-led CX.** The CMO becomes accountable for CX. IT embeds "
        "a product team in Marketing; the CIO keeps security and the core systems."
    )
    cco = (
        "1. **Option A - Chief Customer Officer.** Appoint a CCO reporting to the CEO. "
        "The CCO and the CIO co-chair a CX technology board."
    )
    assert option_owner(marketing) == "CMO / marketing"
    assert option_owner(cco) == "CCO / CXO, a dedicated customer executive"
    assert option_owner("Option C: keep things as they are.") == ""
    assert position_of(marketing) == ""  # read whole, it names rival roles and no owner


def test_a_sentence_that_describes_its_own_document_takes_no_position() -> None:
    """A sentence such as "This source is useful when a leader asks whether marketing should
    own CX" says what the document is for; the same source's own recommendation is its position, and
    a source that only describes itself takes none."""
    research = [
        _candidate("This source is useful when a leader asks how much the CIO should own.", "r1"),
        _candidate("The CIO should own the CX platforms.", "r1"),
        _candidate("The survey asked how CX ownership is arranged at marketing teams.", "r2"),
        _candidate(
            "It does not argue for IT, and it does not argue for the CMO.",
            "r3",
            context="This Gartner survey sits between the other sources in this collection.",
        ),
        _candidate("The survey found that the CEO owns CX at a quarter of companies.", "r4"),
        # How the source is to be cited or read is no position, though it names marketers.
        _candidate("All figures in this note should be attributed to a survey of marketers.", "r5"),
        _candidate("Its results should therefore be read as the marketing perspective.", "r6"),
        # Nor is a sentence that speaks of citing it.
        _candidate("When you cite this note, present the CIO view as one firm's argument.", "r7"),
        _candidate("Cite this article as: Lee, J. (2021). The CMO and CX ownership.", "r8"),
    ]
    pmap = map_positions(research, [], ownership=True)
    said_by = {s.candidate.passage.doc_id: s.candidate.reading for s in pmap.stances}
    assert said_by == {
        "r1": "The CIO should own the CX platforms.",
        "r4": "The survey found that the CEO owns CX at a quarter of companies.",
    }


def test_positions_map_groups_sources_and_weighs_options() -> None:
    research = [
        _candidate("The CEO must own customer experience.", "r1"),
        _candidate("Every CX programme needs the CEO as its owner.", "r2"),
        _candidate("Marketing should own CX and its budget.", "r3"),
        _candidate("Someone has to be accountable for CX.", "r4"),  # no role named
        _candidate("The CMO owns CX at 36% of firms.", "r5"),  # a finding, no advice
    ]
    internal = [
        _candidate("Option A: the CMO becomes the owner of CX.", "m1", "internal"),
        _candidate("The CMO holds 52% of the CX budget today.", "m2", "internal"),
        _candidate("The CFO would review the budget in 2027.", "m2", "internal"),
    ]
    pmap = map_positions(research, internal, ownership=True)
    groups = dict(pmap.groups())
    assert [g for g, _ in pmap.groups()] == ["CEO", "CMO / marketing", OTHER]
    assert len(groups["CEO"]) == 2 and len(groups["CMO / marketing"]) == 2
    assert [c.reading for c in pmap.today] == ["The CMO holds 52% of the CX budget today."]
    (option,) = pmap.options
    assert option.position == "CMO / marketing"
    # Research recommending the option's owner backs it; a finding of how things are
    # does not.
    assert [s.candidate.passage.doc_id for s in option.backed_by] == ["r3"]
    assert {s.candidate.passage.doc_id for s in option.other_owner} == {"r1", "r2"}


def test_positions_on_a_question_not_about_ownership_group_what_the_sources_say() -> None:
    """'Should we survey after every contact?': a source naming a role takes no position
    on ownership; sources that say the same thing form one position, under the first."""
    research = [
        _candidate("Firms should cap surveys at one invitation per customer a quarter.", "r1"),
        _candidate("Most companies should stop surveying after every transaction.", "r2"),
        _candidate("The CMO owns the survey programme at 40% of firms.", "r3"),
        _candidate("Survey response rates fell from 13% to 7% in four years.", "r4"),
    ]
    far = Candidate(_unit("Customers like fast answers."), _passage("r5"), 0.3, 0.5, True, True)
    alike = {"r1": (1.0, 0.0, 0.0), "r2": (0.8, 0.0, 0.6), "r3": (0.0, 1.0, 0.0)}
    alike["r4"] = (0.0, 0.0, 1.0)  # close to r2 (0.6), not to r1 (0.0): its own position

    def vectors(texts: Sequence[str]) -> list[tuple[float, float, float]]:
        by_text = {c.reading: alike[c.passage.doc_id] for c in research}
        return [by_text[t] for t in texts]

    pmap = map_positions([*research, far], [], vectors=vectors)
    groups = dict(pmap.groups())
    assert list(groups) == ["Recommendation of r1", "Finding of r3", "Finding of r4"]
    # Best placed: a recommendation; a role named is detail on a question not of ownership.
    assert pmap.stances[0].candidate.passage.doc_id == "r1"
    assert [s.candidate.passage.doc_id for s in groups["Recommendation of r1"]] == ["r1", "r2"]
    assert "r5" not in {s.candidate.passage.doc_id for s in pmap.stances}  # not close enough


def test_off_ownership_a_sources_position_is_not_its_sentence_that_names_a_role() -> None:
    """'Should complex contacts come back in-house?': of a source's two recommendations,
    the one that names who should choose a partner does not win for its role."""
    on_it = _candidate("Firms should keep their most complex contacts in-house.", "r1")
    on_roles = Candidate(
        _unit("The head of customer operations should own partner selection."),
        _passage("r1"),
        0.58,  # a little less close: the role it names put it first before
        0.5,
        True,
        True,
    )
    pmap = map_positions([on_roles, on_it], [], advice_first=True)
    assert [s.candidate.reading for s in pmap.stances] == [on_it.reading]
    owners = map_positions([on_roles, on_it], [], ownership=True, advice_first=True)
    assert [s.candidate.reading for s in owners.stances] == [on_roles.reading]


def test_each_voice_of_a_discussion_takes_its_own_position() -> None:
    """A forum thread is one source of several voices: each post's author has a position
    of their own, labelled by name; what none of them says (the page's list of links)
    takes none."""
    from dataclasses import replace

    def said_by(text: str, who: str) -> Candidate:
        candidate = _candidate(text, "thread")
        return replace(candidate, passage=replace(candidate.passage, speaker=who))

    research = [
        said_by("Agents should have a standing refund limit of 100 pounds.", "Jane Doe, Lab"),
        said_by("Removing the approval step would raise fraud.", "John Roe, Finance"),
        _candidate("Related discussions: refund limits and fraud benchmarks", "thread"),
        _candidate("Firms should cap refunds at one a quarter per customer.", "r2"),
    ]
    pmap = map_positions(research, [])
    who = [(s.candidate.passage.doc_id, s.candidate.passage.speaker) for s in pmap.stances]
    assert sorted(who) == [("r2", ""), ("thread", "Jane Doe, Lab"), ("thread", "John Roe, Finance")]
    assert "Recommendation of Jane Doe (thread)" in dict(pmap.groups())


def test_on_who_should_own_cx_a_source_speaks_through_a_sentence_naming_an_owner() -> None:
    """A sentence about a source's own method or how to cite it takes no position on
    ownership; the roles of ordinary company structure group what the sources say."""
    from advisor.positions import about_ownership

    research = [
        _candidate("All figures in this note should be attributed to the 2019 survey.", "r1"),
        _candidate("The CFO should own the CX investment case.", "r1"),
        _candidate("Complaints oversight should sit with the chief risk officer.", "r2"),
        _candidate("The customer success team should own the post-sale experience.", "r3"),
        _candidate("Product-led journey teams should own each key journey.", "r4"),
        _candidate("We surveyed 310 leaders in 2021.", "r5"),
        # A question the source reports asking is no position on it.
        _candidate("The survey asked leaders which teams own CX in their firms.", "r6"),
        _candidate("This note sums up where the study stands on who should own CX.", "r7"),
    ]
    assert about_ownership(Question.read("Who should own CX here?"))
    assert about_ownership(Question.read("Is marketing the natural home for CX?"))
    assert not about_ownership(Question.read("Should we replace NPS with customer effort?"))
    # Speaking of owning is asking about ownership, with no role named.
    assert about_ownership(Question.read("What options for CX ownership are on the table?"))
    # A role the question says should not own is still a question of who owns what.
    assert about_ownership(Question.read("How should a CIO take part in CX without owning it?"))
    # A role named only where something comes from or goes, with no word of being in
    # charge, is not put forward as an owner; one put forward or put in charge is.
    assert not about_ownership(
        Question.read("Should we move billing calls back in-house from our call centres?")
    )
    assert not about_ownership(
        Question.read("Should we survey customers after each call to the contact centre?")
    )
    assert about_ownership(Question.read("Should we put the COO in charge of complaints?"))
    assert about_ownership(Question.read("Is a CX council worth having for us?"))
    assert about_ownership(Question.read("Should we move the CX budget from marketing to IT?"))
    assert about_ownership(Question.read("Should the CX team sit in marketing or operations?"))
    pmap = map_positions(research, [], ownership=True)
    said = {s.candidate.passage.doc_id: (s.position, s.candidate.reading) for s in pmap.stances}
    assert said["r1"] == ("CFO / finance", "The CFO should own the CX investment case.")
    assert all(s.recommends for s in pmap.stances)
    assert not Stance(_candidate("The CMO owns CX at 36% of firms.", "x"), "CMO").recommends
    asked = "For years, the argument about who should own CX has been about marketing."
    assert not Stance(_candidate(asked, "x"), "CMO").recommends
    assert said["r2"][0] == "CRO / risk and compliance"
    assert said["r3"][0] == "Customer success"
    assert said["r4"][0] == "Product / journey teams"
    assert "r5" not in said  # its method is no position
    assert "r6" not in said and "r7" not in said
    from advisor.roles import roles_in

    assert roles_in("finance owns the budget lines") == ("CFO / finance",)
    assert roles_in("Finance should not design journeys or pick tools.") == ()
    assert "r5" in {s.candidate.passage.doc_id for s in map_positions(research, []).stances}


def test_organisation_today_leaves_out_sentences_that_lean_on_one_not_shown() -> None:
    said = "He said the CMO holds the CX budget and the COO runs service."
    leaning = _candidate(said, "n1", "internal")
    plain = _candidate(
        "The COO runs customer service and the CMO holds the CX budget.", "b1", "internal"
    )
    assert [c.reading for c in map_positions([], [leaning, plain]).today] == [plain.reading]
    # With nothing else to say who does what, it is still shown.
    assert [c.reading for c in map_positions([], [leaning]).today] == [leaning.reading]


def test_organisation_today_is_not_read_from_a_section_about_the_document() -> None:
    """Under "Purpose of this memo" a sentence says why the memo was written ("The CEO
    asked for it ahead of the council meeting"), not how the organisation is set up."""
    from dataclasses import replace

    purpose = _candidate("The CEO asked for it ahead of the CX Council meeting.", "m", "internal")
    purpose = replace(purpose, passage=replace(purpose.passage, section="Purpose of this memo"))
    setup = _candidate("The COO runs customer service.", "m2", "internal")
    setup = replace(setup, passage=replace(setup.passage, section="Executive Committee"))
    assert [c.reading for c in map_positions([], [purpose, setup]).today] == [setup.reading]


def test_organisation_today_gives_a_figure_once_in_its_fullest_statement() -> None:
    """A share stated in the budget and again in meeting notes is one fact: the sentence
    that says it with more (its amount, every role) is shown, the other is not. A
    sentence with the same share of another role is another fact."""
    notes = _candidate("Marketing already holds 52% of the CX budget.", "n1", "internal")
    budget = _candidate(
        "Marketing and Digital report to the CMO and hold EUR 24.96 million, or 52% of "
        "the total CX budget.",
        "b1",
        "internal",
    )
    other = _candidate("IT holds 52% of the platform budget.", "b2", "internal")
    for internal in ([notes, budget, other], [budget, notes, other]):
        today = [c.reading for c in map_positions([], internal).today]
        assert notes.reading not in today and budget.reading in today, today
        assert other.reading in today
    # Without a figure, two sentences naming the same roles are not one fact.
    runs = _candidate("The COO runs customer service.", "s1", "internal")
    leads = _candidate("The COO leads the contact centres.", "s2", "internal")
    assert len(map_positions([], [runs, leads]).today) == 2


def test_plain_text_cannot_plant_markdown_html_or_maths() -> None:
    hostile = "![x](http://127.0.0.1:9999/b.png) <img src=x> [link](http://e.x) $5 and $6 *b*"
    shown = plain(hostile)
    assert not re.search(r"(?<!\\)[!\[\]()<>*$:]", shown)  # every active mark escaped
    assert "\\$5" in shown
    assert plain("1. Voice of the customer").startswith("1\\.")
    assert plain("- not a bullet").startswith("\\-")
    # No renderer may turn an address into a link; a reader still sees it unchanged.
    linked = plain("see http://127.0.0.1:9/b.png, www.example.org and a@example.org")
    assert "http:" not in linked and "www." not in linked and "a@e" not in linked
    assert unescaped(linked) == "see http://127.0.0.1:9/b.png, www.example.org and a@example.org"


def _strategy_answer(question: str, **parts: Any) -> Answer:
    return Answer(
        question=question, answer="", abstained=False, model="none", intent="strategy", **parts
    )


def test_strategy_answer_renders_positions_with_counts_and_citations() -> None:
    answer = _strategy_answer(
        "Who should own CX?",
        citations=[
            Citation(n=1, doc_id="a", title="A", source="a.md", kind="research", quote="q1"),
            Citation(n=2, doc_id="b", title="B", source="b.md", kind="research", quote="q2"),
        ],
        sentences=[
            AnswerSentence(text="The CEO must own CX.", citations=[1], supported=True),
            AnswerSentence(text="The CEO sponsors CX at 40%.", citations=[2], supported=True),
        ],
        parts=[AnswerPart(name="positions", title="CEO", sentences=[0, 1])],
        positions=[
            Position(
                position="CEO",
                sources=2,
                statements=[
                    Statement(text="The CEO must own CX.", citation=1, source="Pub A"),
                    Statement(text="The CEO sponsors CX at 40%.", citation=2, source="Pub B"),
                ],
                recommending=1,
            )
        ],
    )
    text = render_answer(answer)
    assert text.startswith("**Where the research stands:** 2 sources, 1 position.")
    assert "| Position | Sources | Recommending | Cited |" in text
    assert "| CEO | 2 | 1 | [1] [2] |" in text
    assert "**CEO** (2 sources, 1 recommending)\n- **Pub A:** The CEO must own CX. [1]" in text
    reported = answer.positions[0].statements[0].model_copy(update={"reported_by": ["Blog"]})
    answer.positions[0].statements[0] = reported
    assert "- **Pub A, also reported by Blog:** The CEO must own CX. [1]" in render_answer(answer)


def test_voices_of_one_source_are_counted_as_one_source() -> None:
    """Two posts of one forum thread that take different positions: one source, two
    voices, two positions."""
    said = ["Agents should have a limit.", "It would raise fraud."]
    answer = _strategy_answer(
        "Should agents approve their own refunds?",
        citations=[
            Citation(n=n, doc_id="t", title="T", source="t.txt", kind="research", quote=text)
            for n, text in enumerate(said, 1)
        ],
        sentences=[
            AnswerSentence(text=t, citations=[n], supported=True) for n, t in enumerate(said, 1)
        ],
        parts=[AnswerPart(name="positions", title="", sentences=[0, 1])],
        positions=[
            Position(
                position=f"Position {n}",
                sources=1,
                statements=[Statement(text=text, citation=n, source=f"Voice {n} (Forum)")],
            )
            for n, text in enumerate(said, 1)
        ],
    )
    text = render_answer(answer)
    assert text.startswith("**Where the research stands:** 1 source (2 voices), 2 positions.")


def test_complete_sentences_and_facts_first() -> None:
    assert is_complete_sentence("Pega found that 64% of firms (n=5,000) lack a sponsor.")
    assert not is_complete_sentence("Its members are Marketing, Customer Service, Claims")
    assert not is_complete_sentence("(0.75 million, integration and data platform work).")
    assert not is_complete_sentence("Customer Service asked for a seat on the")
    assert not is_complete_sentence("Four false assumptions.")
    shown = ["Churn rose to 1.3% in Q3.", "It was 1.1% in Q2.", "The target is 1.0%."]
    assert facts_in_first(shown, [["1.3%"]], 2)
    assert not facts_in_first(shown, [["1.0%"]], 2)


def test_a_research_line_is_said_by_its_publisher_else_its_title_without_subtitle() -> None:
    study = "Acme CX Study 2020: four false narratives and the case for change"
    assert speaker("research", "Acme", study) == "Acme"
    assert speaker("research", "", study) == "Acme CX Study 2020"
    # a colon that does not set off a subtitle of two words or more stays
    assert speaker("research", "", "Wanted: a CX owner") == "Wanted: a CX owner"
    assert speaker("research", "", "Acme study: results") == "Acme study: results"
    # the organisation's own documents are said by their title, subtitle and all
    assert speaker("internal", "Northwind", "Budget 2026: CX lines") == "Budget 2026: CX lines"


def test_stance_groups_put_other_views_last() -> None:
    other = Stance(_candidate("CX is hard.", "x"), "")
    ceo = Stance(_candidate("The CEO must own CX.", "y"), "CEO")
    assert [g for g, _ in PositionsMap((other, ceo), (), ()).groups()] == ["CEO", OTHER]


def test_a_figure_stated_for_another_year_does_not_answer_for_the_asked_year() -> None:
    from advisor.selection import EvidenceRanker
    from tests.conftest import HashEmbedder

    text = (
        "Over 35% of organisations lacked a CXO in 2017. "
        "By 2019 only 11% of organisations lacked a CXO. "
        "Only 10% of organisations lacked a CCO."
    )
    passage = Passage("c", "d", text, "CXO survey", "/s.md", "research", 0.6, date="2019")
    ranker = EvidenceRanker(HashEmbedder(), lambda text: dict.fromkeys(text.split(), 1.0))
    question = Question.read("How many organisations lacked a CXO in 2019?")
    grounded = {c.unit.quote: c.grounded for c in ranker.rank(question, [passage])}
    assert grounded["Over 35% of organisations lacked a CXO in 2017."] is False
    assert grounded["By 2019 only 11% of organisations lacked a CXO."] is True
    assert grounded["Only 10% of organisations lacked a CCO."] is True  # the document's year


def test_a_year_in_a_column_header_dates_no_event() -> None:
    question = Question.read("When did the CX Office start?")
    row = "| CX Office | 1.44 |"  # read under the header "| Department | Budget 2026 |"
    reading = "Department: CX Office; Budget 2026: 1.44."
    assert not fits(question, reading, row)
    assert fits(
        question, "The CX Office started in March 2024.", "The CX Office started in March 2024."
    )


def test_a_sentence_read_with_a_line_shown_does_not_repeat_it() -> None:
    """A sentence that points back is shown with the sentence before it; when another
    line shows that sentence, the two are said together, as one sentence citing both."""
    passage = _passage("acme", "vendor")
    lead = "Acme sells a contact-centre platform to insurers."
    claim = "It claims that first-contact resolution improves by 8 points."
    caveat = "These figures come from its own customers and were not verified."
    other = "Insurers answer most calls within two minutes."
    builder = AnswerBuilder(Question.read("What does Acme claim?"), "What does Acme claim?")
    first = Line(f"{lead} {claim}", passage, claim, 1.0, lead)
    lines = [
        first,
        Line(other, _passage("r"), other),
        Line(f"{claim} {caveat}", passage, caveat, 1.0, claim),
    ]
    builder.add(Section("answer", lines))
    elsewhere = Line(f"{claim} {caveat}", _passage("other"), caveat, 1.0, claim)
    builder.add(Section("research", [Line(other, passage, other), elsewhere]))
    answer = builder.build(model="none", retrieved=[], timings=Timings())
    said = [(s.text, s.citations) for s in answer.sentences]
    # Said together after the line that shows what it points back to, citing both.
    assert said[0] == (f"{lead} {claim} {caveat}", [1, 2])
    assert said[1] == (other, [3])
    assert answer.citations[1].quote == caveat and answer.citations[1].context == claim
    assert said[3] == (f"{claim} {caveat}", [5])  # read with a sentence not shown before it
    assert answer.answer.count("first-contact resolution") == 2
    assert [p.sentences for p in answer.parts] == [[0, 1], [2, 3]]


def test_a_node_read_under_another_follows_it_as_an_item_its_lead_in() -> None:
    """A chart's node shown with its parent, which ends no sentence, is joined to it as an
    item to its lead-in ("CFO - Helena Moreau: Head of FP&A - ..."), not run on."""
    passage = _passage("org", "chart")
    parent, child = "CFO - Helena Moreau", "Head of FP&A - Tomás Ferreira"
    question = Question.read("Who is our Chief Financial Officer?")
    builder = AnswerBuilder(question, question.text)
    lines = [
        Line(f"CEO - Daniel Okafor: {parent}", passage, parent, 1.0, "CEO - Daniel Okafor"),
        Line(f"{parent}: {child}", passage, child, 1.0, parent),
    ]
    builder.add(Section("answer", lines))
    answer = builder.build(model="none", retrieved=[], timings=Timings())
    said = [(s.text, s.citations) for s in answer.sentences]
    assert said == [(f"CEO - Daniel Okafor: {parent}: {child}", [1, 2])]


def test_a_recap_cited_beside_the_study_it_reports_is_labelled_as_reporting_it() -> None:
    """A fact answered by a study and by a blog's recap of it that gives another figure:
    the recap's line says whose work it reports, so its 71% reads as the recap's account
    of the study's 81%, not as a second study."""
    study = replace(_passage("s"), publisher="Acme", title="Acme Global CX Study 2020")
    recap = replace(_passage("r"), publisher="CX Trends Blog", title="Acme CX Study recap")
    other = replace(_passage("o"), publisher="Brightwater", title="Working paper")
    said = {
        "s": "Acme reports that 81% say people issues are the biggest challenge.",
        "r": "The recap reports that 71% say people issues are the biggest challenge.",
        "o": "People issues hold back two in three CX programmes.",
    }
    question = Question.read("What share say people issues are the biggest challenge?")
    builder = AnswerBuilder(question, question.text)
    lines = [Line(said[p.doc_id], p, said[p.doc_id]) for p in (study, recap, other)]
    builder.add(Section("answer", lines))
    answer = builder.build(model="none", retrieved=[], timings=Timings())
    assert [c.reports for c in answer.citations] == ["", "Acme", ""]
    assert "- **CX Trends Blog, reporting Acme:** The recap reports that 71%" in answer.answer
    assert "- **Acme:** Acme reports" in answer.answer
    # Cited without the study, the recap is labelled by its own publisher alone.
    alone = AnswerBuilder(question, question.text)
    alone.add(Section("answer", [lines[1], lines[2]]))
    assert [
        c.reports for c in alone.build(model="none", retrieved=[], timings=Timings()).citations
    ] == ["", ""]


def test_an_answer_shows_a_bold_label_without_its_markers() -> None:
    item = _candidate(
        "**CRM:** an on-premise CRM, installed in 2011.",
        "roadmap",
        "internal",
        role="list_item",
        context="Current landscape:",
    )
    assert item.shown == "Current landscape: CRM: an on-premise CRM, installed in 2011."
    assert item.unit.quote.startswith("**CRM:**")  # the citation quotes the file as it is


def test_the_head_of_a_ranking_given_in_order_ranks_first() -> None:
    question = Question.read("Which obstacle do CX leaders rank first?")
    assert fits(question, "In the survey's ranking, the obstacles are, in order: skills, budget.")
    assert fits(question, "The obstacles were ranked as follows: skills, budget and data.")
    assert not fits(question, "The obstacles are skills, budget and data, in no order.")
    # A ranking of something else is no answer about obstacles.
    assert not fits(question, "Its ranking of channels is, in order: chat, email, phone.")


def test_a_possessive_is_the_name_it_belongs_to() -> None:
    from advisor.lexical import tokens

    assert tokens("Pega's research and Gartner’s survey") == [
        "pega",
        "research",
        "gartner",
        "survey",
    ]
    assert "pega" not in Question.read("What does Pega's study rank first?").focus


def test_a_question_about_a_place_in_a_ranking_is_answered_by_that_place() -> None:
    third = Question.read("Which technology comes in at number three in the list?")
    assert third.place == 3 and not third.top and "three" not in third.focus
    assert Question.read("What ranks second among the obstacles?").place == 2
    assert Question.read("Which channel is the 4th most used?").place == 4
    assert Question.read("How many technologies are on the list?").place == 0
    assert fits(third, "Multichannel customer service comes third.")
    assert fits(third, "The technologies ranked: 3. Multichannel customer service")
    assert not fits(third, "Voice of the customer comes first.")
    assert not fits(third, "The technologies ranked: 1. Voice of the customer")


def test_a_share_said_in_words_is_a_figure() -> None:
    question = Question.read("How often does marketing control the CX budget?")
    assert fits(question, "Marketing controls the CX budget about half the time.")
    assert fits(question, "Marketing's control of the budget is up from about a third.")
    assert fits(question, "Almost two thirds of marketing teams control the budget.")
    assert not fits(question, "Marketing controls the budget in the second half of 2026.")
    assert not fits(question, "Marketing hired a third party to run the budget.")


def test_a_doubled_consonant_before_an_ending_is_one() -> None:
    assert stem("planned") == stem("planning") == stem("plan") == "plan"
    assert stem("staffed") == "staff" and stem("called") == "call"
    question = Question.read("How many organisations plan to spend more on CX technology?")
    assert fits(question, "Almost two thirds of respondents planned to raise their spending.")


def test_a_name_in_most_of_the_library_tells_no_passage_apart() -> None:
    """ "CX" in a CX library names nothing in particular: a row that happens to say it
    gets no edge over the row the question is about."""
    from advisor.selection import EvidenceRanker
    from tests.conftest import HashEmbedder

    header = "Funding model | Programmes cut in 2023"
    text = f"{header}\nCX-owned annual budget | 47%\nDepartmental budgets | 52%\n"
    layout = [
        LaidOutBlock(0, len(header), "table_header", ""),
        LaidOutBlock(len(header) + 1, len(header) + 30, "table_row", header),
        LaidOutBlock(len(header) + 31, len(text) - 1, "table_row", header),
    ]
    passage = Passage(
        "c", "d", text, "Funding study", "/s.txt", "research", 0.6, layout=tuple(layout)
    )
    question = Question.read("When CX is paid from departments' budgets, how often was it cut?")

    for common, names in ((0.9, 0.0), (0.1, 1.0)):
        ranker = EvidenceRanker(
            HashEmbedder(),
            lambda t: dict.fromkeys(t.split(), 1.0),
            term_shares=lambda t, share=common: {"cx": share},
        )
        named = {c.unit.quote: c.names for c in ranker.rank(question, [passage])}
        assert named["CX-owned annual budget | 47%"] == names


def test_advice_held_back_is_no_advice() -> None:
    assert advises("Agents should hold a standing goodwill limit.")
    assert advises("We do not recommend a limit above GBP 200.")  # advice against
    held_back = "The code points the same way, though it stops short of recommending a limit."
    assert not advises(held_back)
    assert not advises("The board approved the scheme without requiring a business case.")


def test_a_question_read_before_a_finding_is_no_advice() -> None:
    # An FAQ's question heading is read with the sentence that answers it.
    asked = "Should agents be paid on customer scores? Where pay was personal, turnover was 87%."
    assert not advises(asked)
    assert advises("Should agents be paid on customer scores? We think they should not.")
    assert advises("Agents should be paid on team scores, not on their own.")


def test_on_should_we_a_sources_position_is_its_advice_before_a_closer_finding() -> None:
    """Asked whether to do something, a source is quoted where it says what to do, though
    a sentence reporting what it found scores closer."""
    from dataclasses import replace

    closer = _candidate("Only 29% of agents may give goodwill without approval.", "d")
    closer = replace(closer, similarity=0.9)
    advice = _candidate("Every agent should hold a standing goodwill limit.", "d")
    pmap = map_positions([closer, advice], [], advice_first=True)
    assert [s.candidate.reading for s in pmap.stances] == [advice.reading]
    assert pmap.stances[0].recommends
    pmap = map_positions([closer, advice], [], advice_first=False)
    assert [s.candidate.reading for s in pmap.stances] == [closer.reading]


def test_a_sources_position_is_where_it_says_who_should_own_before_a_closer_report() -> None:
    """Asked who should own CX, a source is quoted where it says who should, though a
    sentence about what IT does there scores closer; asked for a figure, its closest
    sentence stays."""
    from dataclasses import replace

    closer = _candidate("As the champion's partner, IT helps to evaluate software.", "p")
    closer = replace(closer, similarity=0.9)
    advice = _candidate("Pega recommends that a CX champion should sit in the business.", "p")
    pmap = map_positions([closer, advice], [], ownership=True, advice_first=True)
    assert [s.candidate.reading for s in pmap.stances] == [advice.reading]
    assert [s.position for s in pmap.stances] == ["A business leader as CX champion"]
    pmap = map_positions([closer, advice], [], ownership=True, advice_first=False)
    assert [s.candidate.reading for s in pmap.stances] == [closer.reading]


def test_who_should_own_is_said_of_a_role_not_asked_or_weighed() -> None:
    from advisor.roles import recommends_owner

    assert recommends_owner("Pega recommends that a CX champion should sit in the business.")
    assert recommends_owner("Customer experience should be owned by the chief executive.")
    assert recommends_owner(
        "CX should be owned by the executive who runs customer operations, whether COO or not."
    )
    assert recommends_owner("The executive best placed to own CX is the chief digital officer.")
    assert not recommends_owner("IT should not own CX.")
    assert not recommends_owner(
        "This source is useful when a leader asks whether marketing should own CX."
    )
    assert not recommends_owner(
        "When the advisor cites this note, it should present the view as McorpCX's."
    )
    assert not recommends_owner("As the champion's partner, IT helps to evaluate software.")
    assert not recommends_owner(
        "Two executives have to give up some freedom, and a CEO has to hold both to account."
    )


def test_sources_that_say_who_should_own_are_kept_before_findings_when_many_speak() -> None:
    """More sources than a map shows: those that recommend an owner make the cut before
    a closer-scoring finding of how things are; shown in order of how on point they are."""
    from dataclasses import replace

    from advisor.positions import MAX_SOURCES

    findings = [
        replace(
            _candidate(f"Marketing owns CX at {10 + i}% of the firms surveyed.", f"f{i}"),
            similarity=0.9,
        )
        for i in range(MAX_SOURCES)
    ]
    advice = _candidate("Pega recommends that a CX champion should sit in the business.", "p")
    pmap = map_positions([*findings, advice], [], ownership=True, advice_first=True)
    shown = [s.candidate.passage.doc_id for s in pmap.stances]
    assert len(shown) == MAX_SOURCES and "p" in shown
    assert shown[-1] == "p"  # the least on point, though kept


def test_a_finding_of_who_owns_names_a_role_and_what_it_holds() -> None:
    from advisor.positions import names_an_owner

    assert names_an_owner("Marketing holds total ownership of CX in 45% of businesses.")
    assert names_an_owner("The CMO is the most common owner, and the CIO runs the platforms.")
    assert not names_an_owner("The survey asked 800 respondents which roles matter.")
    assert not names_an_owner("CX budgets grew by 12% in 2019.")


def test_a_chief_digital_officer_is_a_role_of_its_own_not_it() -> None:
    """A source that recommends the chief digital officer is not grouped with those for
    the CIO; a sentence setting marketing, IT and digital leaders side by side takes no
    one's side."""
    assert position_of("The executive best placed to own CX is the chief digital officer.") == (
        "CDO / digital"
    )
    assert roles_in("Our CDO and our CIO disagree.") == ("CDO / digital", "CIO / IT")
    assert (
        position_of(
            "A marketing leader, an IT leader and a digital leader are each likely to see "
            "their own function as the natural owner."
        )
        == ""
    )


def test_an_option_on_something_else_than_an_owner_is_shown_without_owner_sides() -> None:
    statement = Statement(text="Gamma says chat needs help content first.", citation=1, source="G")
    answer = _strategy_answer(
        "Should we launch a chatbot?",
        citations=[
            Citation(n=n, doc_id=d, title=d, source=f"{d}.md", kind=k, quote=f"q{n}")
            for n, d, k in [(1, "g", "research"), (2, "m", "internal"), (3, "m", "internal")]
        ],
        sentences=[
            AnswerSentence(text=statement.text, citations=[1], supported=True),
            AnswerSentence(text="Option A: a chatbot in May.", citations=[2], supported=True),
            AnswerSentence(text="Option B: the CMO owns chat.", citations=[3], supported=True),
        ],
        parts=[
            AnswerPart(name="positions", title="Recommendation of G", sentences=[0]),
            AnswerPart(name="options", title="Options on the table", sentences=[1, 2]),
        ],
        positions=[Position(position="Recommendation of G", sources=1, statements=[statement])],
        options=[
            OptionOnTable(
                option=Statement(text="Option A: a chatbot in May.", citation=2, source="M"),
                position="",
            ),
            OptionOnTable(
                option=Statement(text="Option B: the CMO owns chat.", citation=3, source="M"),
                position="CMO / marketing",
            ),
        ],
    )
    lines = unescaped(render_answer(answer)).splitlines()
    first = lines.index("- Option A: a chatbot in May. [2]")
    assert lines[first + 1] == "- Option B: the CMO owns chat. [3]"
    assert lines[first + 2].startswith("  - Research recommending this owner (CMO / marketing)")
