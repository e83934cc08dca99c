"""The direct answer: the answering sentence first, then what adds to it."""

from __future__ import annotations

from dataclasses import replace

from advisor.answer_first import answer_first
from advisor.answerability import is_relevant
from advisor.passages import Passage
from advisor.question import Question
from advisor.selection import Candidate, EvidenceRanker, fits, stem
from ingest.embedder import Embedder
from ingest.evidence import EvidenceUnit

PASSAGE = Passage("c1", "d1", "", "Global study", "/docs/study.md", "research", 0.7)


def candidate(text: str, similarity: float, coverage: float, names: float = 0.0) -> Candidate:
    unit = EvidenceUnit(0, len(text), "body", text)
    return Candidate(unit, PASSAGE, similarity, coverage, True, True, names)


def test_a_part_of_the_question_left_out_is_answered_before_closer_figures() -> None:
    question = Question.read("How many practitioners and countries did the Acme study cover?")
    first = candidate("The Acme study surveyed 5,000 CX practitioners.", 0.63, 0.6, 1.0)
    close = [
        candidate("The Acme study finds that 64% of firms have no CX sponsor.", 0.65, 0.35, 1.0),
        candidate("Acme reports that 65% of firms want to change their CX tools.", 0.6, 0.35, 1.0),
    ]
    # Scores well below the others (it does not name Acme), but answers "countries".
    countries = candidate("The respondents were spread across 12 countries.", 0.56, 0.6)
    chosen = answer_first(question, [first, *close, countries])
    assert [c.unit.quote for c in chosen[:2]] == [first.unit.quote, countries.unit.quote]


def test_a_sentence_on_what_its_own_document_is_for_answers_nothing() -> None:
    question = Question.read("Is marketing the most common owner of CX?")
    useful = "This source is useful when a leader asks whether marketing should own CX."
    meta = candidate(useful, 0.8, 1.0)
    going_on = replace(
        candidate("It shows that marketing owns CX in a large minority of firms.", 0.75, 1.0),
        unit=EvidenceUnit(
            0, 61, "body", "It shows that marketing owns CX in a large minority of firms.", useful
        ),
    )
    finding = candidate("Marketing owns CX at 36% of the companies surveyed.", 0.6, 1.0)
    chosen = answer_first(question, [meta, going_on, finding])
    assert [c.unit.quote for c in chosen] == [finding.unit.quote]


def test_asked_what_someone_did_the_sentences_that_say_that_act_answer() -> None:
    question = Question.read("What did the works council decide in May?")
    assert question.act == {"decide"}
    met = candidate("The works council met on 12 May 2026 in the boardroom.", 0.8, 0.5)
    sent = candidate("The minutes of the May works council were sent on 14 May.", 0.78, 0.5)
    decided = candidate("The works council decided to replace the CRM vendor.", 0.6, 1.0)
    decisions = candidate("Its decisions also set up a billing task force.", 0.55, 1.0)
    chosen = answer_first(question, [met, sent, decided, decisions])
    assert [c.unit.quote for c in chosen] == [decided.unit.quote, decisions.unit.quote]
    # Not asked what someone did, the closest sentences answer as before.
    asked = Question.read("When did the works council meet in May?")
    assert not asked.act
    assert answer_first(asked, [met, sent, decided, decisions])[0].unit.quote == met.unit.quote


def test_asked_for_a_figure_a_word_of_the_question_alone_adds_nothing() -> None:
    question = Question.read("If agents may refund without approval, how much will refunds go up?")
    assert question.answer_type == "figure"
    first = candidate("Refunds jumped 40% in the first month.", 0.7, 0.6)
    settled = candidate("Refunds per 1,000 calls then rose by only 6%.", 0.68, 0.6)
    # Holds "approval" and "agents", which the first leaves out, but gives no figure.
    queue = replace(
        candidate("Supervisors say agents wait for approval in a long queue.", 0.69, 0.7),
        fits=False,
    )
    chosen = answer_first(question, [first, queue, settled])
    assert [c.unit.quote for c in chosen[:2]] == [first.unit.quote, settled.unit.quote]


def test_asked_what_is_our_account_of_it_answers_before_a_proposal() -> None:
    internal = replace(PASSAGE, kind="internal", title="Council notes")
    proposal = replace(
        candidate("Under the proposal, the COO would chair the CX council.", 0.8, 1.0),
        passage=internal,
    )
    today = replace(
        candidate("The CX council is chaired by the CMO, Dana Reyes.", 0.7, 1.0), passage=internal
    )
    question = Question.read("Who chairs the CX council?")
    assert answer_first(question, [proposal, today])[0].unit.quote == today.unit.quote
    # Asked what would be, the proposal answers first.
    supposed = Question.read("Who would chair the CX council under the proposal?")
    assert answer_first(supposed, [proposal, today])[0].unit.quote == proposal.unit.quote
    # A study's "could" or "would" reports what was, not a proposal: it keeps its place.
    study = candidate("Only 27% of councils could assign work to a department.", 0.8, 1.0)
    found = candidate("Most councils have a chair from marketing.", 0.7, 1.0)
    asked = Question.read("How many CX councils can assign work?")
    assert answer_first(asked, [study, found])[0].unit.quote == study.unit.quote


def test_asked_for_the_whole_a_row_that_is_one_part_of_a_total_is_no_answer() -> None:
    header = "Channel | Complaints Q3 | Share"
    rows = ["Phone | 6,000 | 60%", "Chat | 2,500 | 25%", "Email | 1,500 | 15%"]
    whole = "All channels | 10,000 | 100%"

    def row(text: str, similarity: float) -> Candidate:
        unit = EvidenceUnit(0, len(text), "table_row", text, header)
        return Candidate(unit, PASSAGE, similarity, 1.0, True, True)

    phone, chat, email, total = (row(t, 0.7 - i / 100) for i, t in enumerate([*rows, whole]))
    question = Question.read("How many complaints did we receive in Q3?")
    chosen = answer_first(question, [phone, chat, email, total])
    assert chosen[0].unit.quote == whole  # the sum of the others, whatever it is called
    # A question that names a row asks for that part.
    named = Question.read("How many complaints came in by chat in Q3?")
    closest = replace(chat, similarity=0.75)  # it holds "chat": closest to that question
    assert answer_first(named, [phone, closest, email, total])[0].unit.quote == chat.unit.quote
    # Without every row the sum cannot be checked: no row is taken for a part.
    assert answer_first(question, [phone, chat, total])[0].unit.quote == phone.unit.quote
    # A word of the table's subject in a row's label does not name that row: "CX budget"
    # under "Share of CX budget" does not ask for the "CX Office" row.
    budget = "Department | Budget 2026 (EUR million) | Share of CX budget"
    cells = ["CX Office | 1.44 | 3%", "Marketing | 20.16 | 42%", "IT | 26.40 | 55%"]
    lines = [*cells, "Total | 48.00 | 100%"]
    table = [
        Candidate(
            EvidenceUnit(0, len(t), "table_row", t, budget), PASSAGE, 0.7 - i / 100, 1, True, True
        )
        for i, t in enumerate(lines)
    ]
    asked = Question.read("What is our CX budget for 2026?")
    assert answer_first(asked, table)[0].unit.quote == "Total | 48.00 | 100%"
    # A row named as the question names it ("IT", which no stem holds) is asked for.
    of_it = Question.read("How much of our CX budget sits with IT?")
    closest = [replace(c, similarity=0.8) if c.unit.quote.startswith("IT") else c for c in table]
    assert answer_first(of_it, closest)[0].unit.quote == "IT | 26.40 | 55%"


def test_without_a_part_left_out_the_closest_sentences_follow() -> None:
    question = Question.read("How many practitioners did the Acme study survey?")
    first = candidate("The Acme study surveyed 5,000 CX practitioners.", 0.7, 0.8, 1.0)
    near = candidate("Practitioners in the Acme study numbered 5,000 in all.", 0.66, 0.8, 1.0)
    far = candidate("The respondents were spread across 12 countries.", 0.4, 0.2)
    chosen = answer_first(question, [first, near, far])
    assert [c.unit.quote for c in chosen] == [first.unit.quote, near.unit.quote]


def test_the_top_of_a_ranking_of_what_is_asked_comes_before_the_top_of_another() -> None:
    question = Question.read("Which CX technologies matter most?")
    top = Passage("c3", "d3", "", "Top CX technologies", "/t.md", "research", 0.7, section="")
    tech = replace(top, chunk_id="c4", section="The top CX technologies")
    helpers = replace(top, chunk_id="c5", section="Where organisations turn for help")

    def said(text: str, passage: Passage, similarity: float) -> Candidate:
        unit = EvidenceUnit(0, len(text), "body", text)
        return Candidate(unit, passage, similarity, 0.5, fits(question, text), True, 0.0)

    turn = said("According to Gartner, 52% turn first to internal IT.", helpers, 0.55)
    voice = said("According to the ranking, voice of the customer comes first.", tech, 0.5)
    chosen = answer_first(question, [turn, voice])
    assert [c.unit.quote for c in chosen] == [voice.unit.quote]


def test_who_acts_most_is_answered_by_the_top_of_a_ranking_by_that_act() -> None:
    question = Question.read("Who controls most CX technology spending?")
    assert question.top and question.ranked_by == {"control"}
    assert not Question.read("Who is most likely to own CX?").ranked_by
    # ... and so does "which <noun>" where "most" heads what the act is on
    which = Question.read("Which function controls most CX technology spending?")
    assert which.top and which.ranked_by == {"control"}
    assert not Question.read("Which technologies matter most?").ranked_by
    assert not Question.read("Which function is most often the owner?").ranked_by
    # All under one section about CX technology; only one ranking is by control.
    tech = Passage("c6", "d6", "", "Study", "/t.md", "research", 0.7, section="CX technology")

    def said(text: str, similarity: float) -> Candidate:
        unit = EvidenceUnit(0, len(text), "body", text)
        return Candidate(unit, tech, similarity, 0.5, fits(question, text), True, 0.0)

    turn = said("According to Gartner, 52% turn first to internal IT.", 0.55)
    sixth = said("IT comes only sixth in control of CX technology spending.", 0.6)
    first = said("Marketing comes first in control of CX technology spending.", 0.5)
    chosen = answer_first(question, [sixth, turn, first])
    assert chosen[0].unit.quote == first.unit.quote
    assert turn.unit.quote not in [c.unit.quote for c in chosen]


def test_the_top_of_a_ranking_comes_with_what_ranks_second_after_it() -> None:
    question = Question.read("Which CX technologies matter most?")
    first = "According to the ranking, voice of the customer comes first."
    second = "Business process management comes second."
    text = f"{first} {second} The list has 11 items."
    passage = replace(PASSAGE, text=text, section="The top CX technologies")
    start = len(first) + 1
    units = [
        EvidenceUnit(0, len(first), "body", first),
        EvidenceUnit(start, start + len(second), "body", second),
    ]
    # The second place scores far below the first, as "second" is no word of the question.
    ranked = [
        Candidate(u, passage, similarity, 0.5, fits(question, u.quote), True, 0.0)
        for u, similarity in zip(units, (0.5, 0.2))
    ]
    chosen = answer_first(question, ranked)
    assert [c.unit.quote for c in chosen] == [first, second]


def test_a_sentence_shown_as_the_lead_in_of_the_answer_is_not_shown_again() -> None:
    question = Question.read("What do respondents say stops digital projects most often?")
    asked = "We asked what most often stops digital projects."
    answer = EvidenceUnit(0, 10, "body", "The answers were, in order: data, budgets.", asked)
    lead_in = EvidenceUnit(0, 10, "body", asked)
    ranked = [
        Candidate(answer, PASSAGE, 0.6, 0.8, True, True, 0.0),
        Candidate(lead_in, PASSAGE, 0.55, 0.8, True, True, 0.0),
    ]
    chosen = answer_first(question, ranked)
    assert [c.unit.quote for c in chosen] == [answer.quote]


def row(quote: str, similarity: float, coverage: float) -> Candidate:
    unit = EvidenceUnit(0, len(quote), "table_row", quote, context="Channel | Q3 2026")
    return Candidate(unit, PASSAGE, similarity, coverage, True, True, 0.0)


def test_a_figure_said_in_a_sentence_goes_before_the_table_row_giving_it() -> None:
    question = Question.read("How many complaints did we receive in Q3?")
    total = row("Total | 18,640", 0.72, 1.0)
    sentence = candidate("We received 18,640 complaints in Q3, against 16,210 in Q2.", 0.66, 1.0)
    # Rows of the table alike, none of them asked about: none is picked to follow.
    chat = row("Chat | 3,360", 0.72, 1.0)
    calls = row("Call centre | 10,250", 0.72, 1.0)
    # Another document's sentence giving the same two figures says the same again.
    again = candidate("The team handled 18,640 complaints in Q3, and 16,210 in Q2.", 0.65, 1.0)
    chosen = answer_first(question, [total, chat, calls, sentence, again])
    assert [c.unit.quote for c in chosen] == [sentence.unit.quote]
    # The row asked about answers first, and a sentence giving another figure follows.
    asked = Question.read("How many complaints came through chat in Q3?")
    chosen = answer_first(asked, [chat, total, calls, sentence])
    assert [c.unit.quote for c in chosen][:2] == [chat.unit.quote, sentence.unit.quote]
    # A table's "48.00" and a sentence's "48.0" are one figure.
    budget = Question.read("What is our CX budget for 2026?")
    whole = row("Total | 48.00", 0.72, 1.0)
    said = candidate("The CX budget is EUR 48.0 million in 2026.", 0.68, 1.0)
    assert answer_first(budget, [whole, said])[0].unit.quote == said.unit.quote


def test_how_many_is_answered_by_a_part_of_what_was_counted_before() -> None:
    question = Question.read("How many managers did the study interview at length?")
    assert fits(question, "We then interviewed 24 of them at length about their work.")
    assert not fits(question, "The interviews ran for 24 weeks in all.")
    assert not fits(question, "Most of them were interviewed in 2019 of all years.")
    # ... or of a number counted before: "9 of the 42", not of a year.
    assert fits(question, "By then 9 of the 42 had been interviewed at length.")
    assert not fits(question, "By then 9 of the 2019 cohort had been interviewed.")


def test_a_passage_of_a_named_publisher_needs_only_to_be_somewhat_close() -> None:
    study = Passage(
        "c2",
        "d2",
        "We followed 95 listed companies from 2015 to 2021.",
        "The CEO's job",
        "/docs/paper.txt",
        "research",
        0.25,
        publisher="Brightwater Institute",
    )
    question = "How many companies did the Brightwater paper follow?"
    assert is_relevant(study, question, ("Brightwater Institute",))
    assert not is_relevant(study, question)
    far = Passage(
        "c3",
        "d2",
        "Cookie settings.",
        "The CEO's job",
        "/docs/paper.txt",
        "research",
        0.1,
        publisher="Brightwater Institute",
    )
    assert not is_relevant(far, question, ("Brightwater Institute",))


def test_a_sentence_that_goes_on_with_the_asked_figure_comes_with_the_answer() -> None:
    """ "This is up from about a third" holds the earlier figure asked for, but names
    nothing of the question: it comes right after the sentence it goes on from."""
    question = Question.read("How often does marketing control the CX budget, and before?")
    half = "According to Gartner, marketing controls the CX budget about half the time."
    sequel = EvidenceUnit(
        0, 10, "body", "Gartner reports that this is up from about a third.", half
    )
    first = candidate(half, 0.64, 0.6)
    other = candidate("Marketing leads the CX budget review every year in 62% of firms.", 0.62, 0.5)
    before = Candidate(sequel, PASSAGE, 0.6, 0.0, False, True)
    chosen = answer_first(question, [first, other, before])
    assert [c.unit.quote for c in chosen[:2]] == [half, sequel.quote]
    # Without the kind of answer asked for (no figure), it is not added.
    plain = EvidenceUnit(0, 10, "body", "Gartner reports that this is a change.", half)
    chosen = answer_first(
        question, [first, other, Candidate(plain, PASSAGE, 0.6, 0.0, False, True)]
    )
    assert plain.quote not in [c.unit.quote for c in chosen]


def test_a_sentence_points_back_after_who_says_it() -> None:
    from ingest.evidence import points_back

    assert points_back("Gartner reports that this is up from about a third.")
    assert points_back("The survey found that they were late.")
    assert not points_back("Gartner reports that marketing leads.")
    assert points_back("On the other side, marketing holds the CX budget in half of firms.")
    assert points_back("However, IT rarely owns it.")
    assert not points_back("Howard Jones leads CX at Acme.")
    # "IT" in capitals is the function, not the pronoun.
    assert not points_back("IT holds 24%, Customer Operations holds 18% and Sales holds 6%.")
    assert not points_back("Gartner reports that IT ranks sixth.")
    assert points_back("It holds 24% of the budget.")


def test_a_ranking_given_after_the_sentence_that_introduces_it_comes_with_it() -> None:
    question = Question.read("What comes out on top as the main obstacle to digital projects?")
    text = (
        "We asked every respondent what most often stops digital projects. "
        "The obstacles were, in order: fragmented data, budgets and skills."
    )
    passage = Passage("c9", "d9", text, "Survey", "/docs/survey.txt", "research", 0.7)
    cut = text.index(" The obstacles") + 1

    def unit_at(start: int, end: int, similarity: float, coverage: float) -> Candidate:
        unit = EvidenceUnit(start, end, "body", text[start:end].strip())
        return Candidate(unit, passage, similarity, coverage, fits(question, unit.quote), True)

    intro = unit_at(0, cut - 1, 0.6, 0.6)
    ranking = unit_at(cut, len(text), 0.44, 0.1)  # too far to be read on its own
    other = candidate("Budgets are the biggest obstacle to CX in retail firms.", 0.5, 0.5)
    chosen = answer_first(question, [intro, other, ranking])
    assert [c.unit.quote for c in chosen[:2]] == [intro.unit.quote, ranking.unit.quote]


def test_how_many_people_is_answered_by_a_count_of_persons_by_any_name() -> None:
    people = Question.read("How many people answered the survey on journey teams?")
    assert people.counted == {"people"}
    assert fits(people, "In 2021 we surveyed 310 product and CX leaders on journey teams.")
    assert not fits(people, "29% of the companies in our survey now run journey teams.")
    staffed = Question.read("How many people work in our contact centres?")
    assert not fits(staffed, "The annual running budget of the contact centres is EUR 81 million.")
    assert fits(staffed, "The two contact centres employ 1,050 people.")
    # A sum of money is never a count of what is counted.
    retailers = Question.read("How many retailers did the Halden study cover?")
    assert not fits(retailers, "It put the cost of replacing a worker in retail at $13,500.")
    assert not fits(retailers, "It put the cost of replacing a worker in retail at EUR 13,500.")
    assert fits(retailers, "The Halden study covered 120 retailers in four countries.")
    # The plural heads what is counted, whatever verb follows; a share of customers is no
    # count of the consumers who took part.
    consumers = Question.read("How many consumers took part in the 2022 census?")
    assert consumers.counted == {"consumer"}
    assert not fits(consumers, "The 2022 census: 62% of customers want a human for complaints.")
    programmes = Question.read("How many NPS programmes did Stellmark audit in 2022?")
    assert programmes.counted_head == "programme"
    audit = (
        "Stellmark, which audits survey programmes, reported in 2022 that 1 in 6 NPS "
        "responses it reviewed showed signs of coaching."
    )
    assert not fits(programmes, audit)
    assert fits(programmes, "Stellmark audited 140 NPS programmes in 2022.")
    both = Question.read("How many practitioners and countries did the study cover?")
    assert both.counted == {"practitioner", "countrie"}
    firms = Question.read("How many organisations plan to spend more on CX?")
    assert firms.counted == {"organisation"}  # "plan to": the verb ends what is counted


def test_a_code_that_starts_with_a_number_is_named() -> None:
    from advisor.specifics import specifics, unmatched_specifics

    question = "What churn did we see among our 5G business customers last year?"
    assert specifics(question) == ["5G"]
    assert specifics("Are customers 4x more likely to churn?") == []  # a multiple
    assert specifics("How many of 10 firms do it?") == []
    churn = Passage(
        "c", "d", "Monthly mobile churn rose to 1.3%.", "NPS report", "/r", "internal", 0.7
    )
    assert unmatched_specifics(question, [churn]) == ["5G"]


def test_a_compound_of_acronyms_names_each_of_them() -> None:
    from advisor.specifics import specifics

    assert specifics("Which habit sets the best CMO-CIO pairs apart?") == ["CMO", "CIO"]
    assert specifics("How did Coca-Cola do?") == ["Coca-Cola"]


def test_a_possessive_ends_the_name_it_belongs_to() -> None:
    from advisor.specifics import specifics

    assert specifics("Where did Sablewick's Net Promoter Score end up?") == [
        "Sablewick",
        "Net Promoter Score",
    ]
    assert specifics("What did Acme Research find?") == ["Acme Research"]
    assert specifics("What did the Saltmarsh & Deane survey cover?") == ["Saltmarsh & Deane"]
    assert specifics("Do IT & Marketing agree?") == ["IT", "Marketing"]


def test_a_term_is_found_written_out_by_its_initials_or_as_its_people() -> None:
    from advisor.specifics import mentioned

    assert mentioned("FCR", "First-contact resolution fell to 65% in the quarter.")
    assert mentioned("VoC", "The voice of the customer team sits in finance.")
    assert mentioned("Net Promoter Score", "Relationship NPS fell to +14.")
    assert mentioned("British", "Episerver questioned 100 UK marketers.")
    assert mentioned("Q2", "Complaints rose in the second quarter.")
    assert not mentioned("FCR", "Complaints rose in the second quarter.")
    assert not mentioned("IT", "information technology")  # two letters: as written only
    assert not mentioned("Net Promoter Score", "The NPA approved it.")


def test_an_acronym_is_looked_up_as_the_library_writes_it_out() -> None:
    from advisor.specifics import written_out

    library = (
        "First-contact resolution fell to 65%. Voice first contact resolution is 68%.\n"
        "We track first-contact resolution weekly. Forms complete rapidly on mobile.\n"
        "For customer reasons, for customer reasons."
    )
    assert written_out("FCR", library) == "first-contact resolution"
    assert written_out("AHT", library) == ""  # never written out
    assert written_out("FCR", "First-contact resolution fell.") == ""  # once is no usage
    assert written_out("Churn", library) == ""  # a word, not an acronym


def test_how_many_months_asks_for_a_span() -> None:
    from advisor.selection import fits

    asked = Question.read("How many months did the bank run both metrics in parallel?")
    assert asked.answer_type == "duration"
    assert fits(asked, "We ran both in parallel for about seven months.")
    assert Question.read("How many customers left?").answer_type == "figure"


def test_an_ordinal_time_is_no_place_in_a_ranking() -> None:
    assert Question.read("What was our NPS in the second quarter?").place == 0
    assert Question.read("Which technology ranks second?").place == 2


def test_when_asks_for_a_time_only_as_a_question_word() -> None:
    for asked in (
        "When did the bank cap its surveys?",
        "The bank capped its surveys, but when did it start?",
        # a comma after it closes no clause: "when should" asks when
        "When should IT be brought into decisions about customer-facing tools, says Acme?",
    ):
        assert Question.read(asked).answer_type == "time"
    # after a noun it says which time; the question asks what happened then
    question = "What happened to the bank's response rate over the period when it capped surveys?"
    assert Question.read(question).answer_type != "time"


def test_a_share_of_a_population_is_a_share_of_what_its_clause_says() -> None:
    question = Question.read("What share of firms say nobody owns the customer after signature?")
    share = (
        "The headline findings: 63% of companies say no single team is accountable for the "
        "customer experience between contract signature and renewal."
    )
    assert fits(question, share)
    # A figure that is no share, as far from what the question is about, does not.
    assert not fits(
        question, "We surveyed 430 companies in two months, asking teams about the customer."
    )


def test_most_with_an_adverb_ranks_first() -> None:
    from advisor.selection import EvidenceRanker
    from tests.conftest import HashEmbedder

    question = Question.read("What did the companies most often blame for losing customers?")
    assert question.top
    text = (
        "Poor onboarding was the most frequently cited cause of churn. "
        "Poor onboarding was one cause of churn at some of the companies."
    )
    passage = Passage("c", "d", text, "Benchmark", "/b.txt", "research", 0.6)
    ranker = EvidenceRanker(HashEmbedder(), lambda t: dict.fromkeys(t.split(), 1.0))
    loosely = {c.unit.quote: c.loosely for c in ranker.rank(question, [passage])}
    assert loosely == {
        "Poor onboarding was the most frequently cited cause of churn.": True,
        "Poor onboarding was one cause of churn at some of the companies.": False,
    }


def test_a_role_asked_for_is_not_answered_by_a_person() -> None:
    role = Question.read("Which executive role does the analyst want over both experiences?")
    assert role.role
    assert not fits(role, "We spoke to Anjali Verhoeven, the principal analyst.")
    assert fits(
        role, "One executive should own both, and we call that person a chief experience officer."
    )
    # The role asked comes before a "when" that opens a clause.
    clause = Question.read("In Acme's view, which role should decide when a firm picks a vendor?")
    assert clause.answer_type == "owner" and clause.role
    person = Question.read("Who leads the study at Kestrel?")
    assert not person.role and fits(person, "We spoke to Anjali Verhoeven, the principal analyst.")


def test_who_holds_a_title_is_the_name_set_by_that_title() -> None:
    question = Question.read("Who is our Chief Financial Officer?")
    assert question.answer_type == "owner"
    assert fits(question, "Role: Chief Financial Officer; Name: Helena Moreau; Areas: Finance.")
    assert fits(question, "CEO - Daniel Okafor: CFO - Helena Moreau")  # by its initials
    assert fits(question, "Helena Moreau, our Chief Financial Officer, signed the budget.")
    # A name further from the title holds another title; a list of titles names nobody.
    delegate = "Attendees: Tomás Ferreira, Head of FP&A (delegate of the Chief Financial Officer)"
    assert not fits(question, delegate)
    assert not fits(question, "Its members are the CMO, the CIO and a delegate of the CFO.")


def _ranked_under(
    question: Question, lead: tuple[str, str], items: tuple[str, list[str]], tail: str = ""
) -> dict[str, Candidate]:
    """The units of one passage ranked for the question: a lead-in (its role and text),
    the items read under it (their role and texts), then an optional closing paragraph."""
    from advisor.selection import EvidenceRanker
    from ingest.layout import LaidOutBlock
    from tests.conftest import HashEmbedder

    (lead_role, head), (item_role, texts) = lead, items
    text = "\n".join([head, *texts, *([tail] if tail else [])])
    layout, at = [LaidOutBlock(0, len(head), lead_role, "")], len(head) + 1
    for item in texts:
        layout.append(LaidOutBlock(at, at + len(item), item_role, head))
        at += len(item) + 1
    if tail:
        layout.append(LaidOutBlock(at, len(text), "body", ""))
    passage = Passage("c", "d", text, "Deck", "/d.txt", "research", 0.6, layout=tuple(layout))
    ranker = EvidenceRanker(HashEmbedder(), lambda t: dict.fromkeys(t.split(), 1.0))
    return {c.unit.quote: c for c in ranker.rank(question, [passage])}


def test_the_item_with_the_highest_share_ranks_first_and_a_compound_does_not() -> None:
    question = Question.read("Which request do bots most often finish on their own?")
    lead = "Requests bots finish on their own:"
    items = ["- Delivery tracking: 67%", "- Password resets: 78%", "- Refund requests: 20%"]
    tail = "Bots-first firms saw satisfaction fall by 4 points."
    ranked = _ranked_under(question, ("body", lead), ("list_item", items), tail)
    assert [q for q, c in ranked.items() if c.loosely] == ["- Password resets: 78%"]
    # It answers as fully as an item numbered 1 would: it is said to rank first.
    assert [q for q, c in ranked.items() if c.fits] == ["- Password resets: 78%"]
    assert not ranked["Bots-first firms saw satisfaction fall by 4 points."].fits
    # A row of the whole beside the items is no item: "Total: 100%" ranks nothing.
    totalled = [*items, "- Total: 100%"]
    ranked = _ranked_under(question, ("body", lead), ("list_item", totalled), tail)
    assert [q for q, c in ranked.items() if c.loosely] == ["- Password resets: 78%"]


def test_who_should_do_something_is_answered_by_a_job_below_the_executives() -> None:
    question = Question.read("According to Thornquist, who ought to call an unhappy customer?")
    assert question.answer_type == "owner"
    assert fits(question, "The call comes from a team leader in the area that caused it.")
    assert fits(question, "The head of complaints should call back within a day.")
    assert not fits(question, "The call should come within 48 hours of the survey.")


def test_how_much_something_costs_is_answered_by_a_sum_of_money() -> None:
    paid = Question.read("How much was Sablewick Energy paying its survey vendor each year?")
    assert paid.amount
    assert fits(paid, "Annual fees paid to Sablewick Energy's survey vendor fell to £235,000.")
    assert fits(paid, "Sablewick Energy pays its vendor 14 euros per survey.")
    assert not fits(paid, "Sablewick Energy sent 1,390,000 survey invitations a year.")
    quicker = Question.read("How much quicker did retention improve at firms that pay on a mix?")
    assert not quicker.amount  # a difference, not a sum of money
    # The size of a change is a share as often as a sum: "by 4.9%".
    raised = Question.read("By how much did we raise prices in the annual price adjustment?")
    assert not raised.amount
    assert fits(raised, "The annual price adjustment of 4.9% took effect on 1 July 2026.")
    assert not Question.read("How much did we cut the complaints budget?").amount


def test_most_after_a_verb_asks_what_ranks_first_most_before_a_noun_counts() -> None:
    assert Question.read("Which kind of problem do consumers most want a heads-up about?").top
    assert Question.read("Which channel do customers use most?").top
    assert not Question.read("Which problems do most companies face?").top
    assert not Question.read("Which of these do most of our customers use?").top


def test_where_something_ranks_is_answered_by_its_place() -> None:
    question = Question.read(
        "Where does IT rank among the functions that control CX technology spending?"
    )
    assert question.answer_type == "rank"
    assert fits(question, "IT comes only sixth in control of CX technology spending.")
    assert fits(question, "3. IT (14% of CX technology spending)")
    assert not fits(question, "Internal IT is still the most common port of call.")
    assert Question.read("Where is our head office?").answer_type != "rank"


def test_the_highest_share_of_a_table_is_read_in_the_column_the_question_asks_about() -> None:
    question = Question.read(
        "In which sector did warning customers cut inbound contacts by the largest margin?"
    )
    header = "| Sector | Firms notifying customers | Fall in inbound contacts when warned |"
    rows = ["| Utilities | 38% | 41% |", "| Banking | 21% | 44% |", "| Travel | 12% | 29% |"]
    ranked = _ranked_under(question, ("table_header", header), ("table_row", rows))
    # Utilities lead the first column of shares; the question asks about the second.
    assert [q for q, c in ranked.items() if c.loosely] == ["| Banking | 21% | 44% |"]


def test_a_row_under_a_header_that_names_a_currency_gives_a_sum_of_money() -> None:
    question = Question.read("How much does the CX Office spend in 2026?")
    assert question.amount
    header = "| Department | Budget 2026 (EUR million) | Share of CX budget |"
    rows = ["| CX Office | 1.44 | 3% |", "| Marketing | 20.16 | 42% |"]
    ranked = _ranked_under(question, ("table_header", header), ("table_row", rows))
    assert ranked["| CX Office | 1.44 | 3% |"].usable
    # Without the currency in its header, a row's figure is no sum of money.
    plain = "| Department | Headcount 2026 | Share of staff |"
    ranked = _ranked_under(question, ("table_header", plain), ("table_row", rows))
    assert not ranked["| CX Office | 1.44 | 3% |"].usable


def test_how_much_likelier_is_answered_by_a_multiple() -> None:
    question = Question.read(
        "How much likelier are hub-and-spoke companies to hit their CX targets than the rest?"
    )
    assert question.multiple and question.answer_type == "figure"
    assert fits(question, "Federated firms were 2.3 times as likely to meet their CX targets.")
    assert fits(question, "Assist-first firms were 2.6x more likely to report a rise in CSAT.")
    assert not fits(question, "Across 538 companies, the firms that met their CX targets had hubs.")
    assert not Question.read("How many companies hit their CX targets?").multiple


def test_what_something_costs_is_answered_by_money_it_is_said_to_cost() -> None:
    charge = Question.read("What does Quorra charge for the effort module it added?")
    assert charge.answer_type == "figure" and charge.amount
    assert not fits(charge, "Quorra added a ready-made effort module to its platform this year.")
    assert fits(charge, "Quorra charges EUR 12,000 a year for the effort module.")
    team = Question.read("What does it cost each year to keep a permanent journey team?")
    assert fits(team, "A journey team of ten people costs, at the median, $1.4 million a year.")
    cco = Question.read("What would a Chief Customer Officer cost us per year?")
    assert fits(cco, "He put the cost of a CCO role at about EUR 0.45 million a year.")


def test_what_nps_a_firm_achieves_is_answered_by_a_figure() -> None:
    question = Question.read("What NPS do our competitors achieve?")
    assert question.answer_type == "figure"
    assert not fits(question, "High-effort customers were far likelier to switch to a competitor.")
    assert fits(question, "Our nearest competitor reports an NPS of 31 for 2025.")


def test_only_item_one_of_a_numbered_ranking_ranks_first() -> None:
    question = Question.read("What's the biggest thing stopping companies from acting on feedback?")
    lead = "The top five, ranked by share of respondents:"
    assert fits(question, f"{lead} 1. No budget line attached to insights - 49%")
    assert not fits(question, f"{lead} 2. Unclear ownership of fixes - 41%")


def test_how_long_should_we_expect_asks_for_a_span_not_positions() -> None:
    question = Question.read(
        "If we move complaints under Risk, how long should we expect it to take?"
    )
    assert question.intent == "fact" and question.answer_type == "duration"
    assert Question.read("Who should own complaints here?").intent == "strategy"


def test_why_most_often_asks_for_the_reason_that_ranks_first() -> None:
    question = Question.read("Why do agents most often have to pass a case up?")
    assert question.top
    lead = "We asked agents why they last escalated a case. Ranked by share:"
    assert fits(question, f"{lead} 1. Refunds above the agent's limit - 38%")
    assert not fits(question, "We also asked agents why they last had to escalate a case.")


def test_a_figure_of_a_firm_named_in_passing_must_be_given_of_it() -> None:
    from advisor.selection import EvidenceRanker
    from tests.conftest import HashEmbedder

    question = Question.read("How many firms use Tessaly Systems' module for complaints?")
    text = (
        "Nearly half of firms still place complaints under the contact centre. The vendor "
        "Tessaly Systems now offers a module that maps complaint codes onto risk categories."
    )
    passage = Passage("c", "d", text, "Who should own complaints?", "/d.md", "research", 0.6)
    ranker = EvidenceRanker(
        HashEmbedder(), lambda t: dict.fromkeys(t.split(), 1.0), lambda doc_id: text
    )
    ranked = {c.unit.quote: c for c in ranker.rank(question, [passage])}
    assert not ranked["Nearly half of firms still place complaints under the contact centre."].fits


def test_a_figure_of_a_firm_named_in_passing_may_be_given_through_its_pronoun() -> None:
    """A sentence that says "its customers" is about the firm its paragraph named, however
    many sentences before; one in another paragraph is not."""

    question = Question.read(
        "After Halberd Gas set up its register, how many of its customers still had to "
        "repeat their needs?"
    )
    answer = "The share of its customers who had to repeat their needs fell from 58% to 21%."
    first = f"Halberd Gas shows that this can be done. It set up a register in 2022. {answer}"
    other = "Across the sector, 62% of customers who had told a provider had to repeat them."
    ranked = _ranked_in_paragraphs(question, first, other)
    assert ranked[answer].fits
    assert not ranked[other].fits


def test_how_many_of_a_whole_is_answered_by_a_share_of_it() -> None:
    question = Question.read("How many of its registered customers still had to repeat themselves?")
    assert question.part
    assert fits(
        question,
        "The share of its registered customers who had to repeat their circumstances fell "
        "from 61% to 19% within two years.",
    )
    asked = Question.read("How many registered customers had to repeat themselves?")
    assert not asked.part


def test_people_and_staff_head_what_is_counted() -> None:
    question = Question.read("How many people staff Acme Water's line for older customers?")
    assert question.counted == {"people"}
    assert not fits(question, "The share of its older customers who call fell to 19%.")
    assert Question.read("How many support staff members are there?").counted_head == "member"


def test_a_fact_question_embeds_only_units_that_hold_its_words() -> None:
    """Closeness alone never addresses a fact question, so a unit with none of its words
    is not embedded; one naming what it names is, to say what the library lacks."""
    from advisor.selection import EvidenceRanker
    from tests.conftest import HashEmbedder

    class Counting(HashEmbedder):
        def __init__(self) -> None:
            super().__init__()
            self.embedded: list[str] = []

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            self.embedded.extend(texts)
            return super().embed_documents(texts)

    text = (
        "Churn at Acme fell to 9% in 2025. Acme opened two new offices in Leeds. "
        "The weather in the spring was mild across the region."
    )
    passage = Passage("c", "d", text, "Annual review", "/r.txt", "research", 0.6)
    embedder = Counting()
    ranker = EvidenceRanker(embedder, lambda t: dict.fromkeys(t.lower().split(), 1.0))
    ranked = ranker.rank(Question.read("What was churn at Acme in 2025?"), [passage])
    quotes = {c.unit.quote for c in ranked}
    assert "Churn at Acme fell to 9% in 2025." in quotes
    assert "Acme opened two new offices in Leeds." in quotes  # names Acme
    assert not any("weather" in t for t in embedder.embedded)
    # Asked again, the units it has embedded lately are not embedded again.
    embedder.embedded.clear()
    again = ranker.rank(Question.read("How much did churn at Acme fall in 2025?"), [passage])
    assert {c.unit.quote for c in again} == quotes
    assert not any("Churn at Acme fell" in t for t in embedder.embedded)


def test_a_deadline_is_answered_by_the_date_something_is_due_by() -> None:
    question = Question.read("By when does the ombudsman want comments on its draft rules?")
    assert question.answer_type == "time" and question.deadline
    assert fits(question, "Please send your comments by 3 March 2026 using the online form.")
    assert fits(question, "The consultation closes on 30 August 2024.")
    assert fits(question, "By 3 March 2026 the ombudsman wants every comment in.")
    assert not fits(question, "Firms with fewer customers comply six months after the rest.")
    # A date the rules start from is not the date comments are due by.
    assert not fits(question, "Smaller firms comply with the draft rules from 1 April 2026.")
    asked = Question.read("What is the deadline for comments on the ombudsman's draft rules?")
    assert asked.answer_type == "time" and asked.deadline


def test_how_common_something_is_asks_for_a_figure() -> None:
    question = Question.read("How common is it for the complaints team to report to risk?")
    assert question.answer_type == "figure"
    assert fits(question, "Only 13% of firms have the complaints team reporting to risk.")
    assert not fits(question, "We recommend that the complaints team reports to risk.")


def test_a_number_written_as_a_word_meets_its_digits() -> None:
    assert stem("seventy") == stem("70") and stem("twelve") == "12"


def test_a_verb_in_ise_or_ize_meets_its_root() -> None:
    assert stem("centralised") == stem("centralized") == stem("centralisation") == "central"
    assert stem("organisation") == stem("organised")


def test_the_forms_of_a_word_meet_at_one_stem() -> None:
    """ "companies" and "company", "approval" and "approve", "estimated" and "estimate"
    are one word to a question; a doer and its role still meet their act."""
    assert stem("companies") == stem("company")
    assert stem("approval") == stem("approve") == stem("approved")
    assert stem("estimated") == stem("estimate")
    assert stem("bonuses") == stem("bonus")
    assert stem("owner") == stem("ownership") == stem("owns") == "own"
    assert stem("customer") != stem("company")
    # a verb in -de and its noun in -sion
    assert stem("decide") == stem("decided") == stem("decisions") == stem("decision")
    assert stem("include") == stem("inclusion") and stem("provide") == stem("provision")
    assert stem("period") == stem("periods") != stem("perio")


def test_a_question_meets_its_answer_in_another_form_of_its_words() -> None:
    text = (
        "Goodwill is approved by a manager at 62% of each company we studied. "
        "Goodwill spending was mild across the region this spring."
    )
    ranked = _by_quote("What share of companies need approval for goodwill?", text, "research")
    approved = ranked["Goodwill is approved by a manager at 62% of each company we studied."]
    mild = ranked["Goodwill spending was mild across the region this spring."]
    assert approved.coverage > mild.coverage > 0


def test_what_they_mostly_want_asks_what_ranks_first() -> None:
    question = Question.read("What are callers mostly hoping to get from a callback?")
    assert question.top
    assert fits(
        question, "What callers want from a callback: 1\ufe0f\u20e3 A fix for the problem (58%)"
    )
    assert not fits(question, "What callers want from a callback: 2\ufe0f\u20e3 An apology (39%)")


def test_a_figure_for_a_year_is_one_the_sentence_gives_for_that_year() -> None:
    """'Acme's 2025 review' names the year of a review; the churn it gives is for 2023."""
    text = (
        "According to Acme's 2025 review, churn stood at 14% in 2023. "
        "By 2025 churn at Acme had fallen to 9%."
    )
    passage = Passage("c", "d", text, "Annual review", "/r.txt", "research", 0.6)
    ranked = _ranker().rank(Question.read("What was churn at Acme in 2025?"), [passage])
    usable = {c.unit.quote for c in ranked if c.usable}
    assert usable == {"By 2025 churn at Acme had fallen to 9%."}


def test_a_place_is_named_by_any_of_its_common_forms() -> None:
    from advisor.specifics import mentioned

    assert mentioned("UK", "Country: United Kingdom; Sector: Energy")
    assert mentioned("United States", "the US market") and mentioned("US", "U.S. firms")
    assert not mentioned("US", "Tell us what you think.")


def test_how_many_people_work_somewhere_is_held_by_its_employee_count() -> None:
    """A table row giving a function's employees holds "people" for the ranker."""
    text = (
        "Function: Customer Operations; Employees: 1,350. "
        "The weather at the Leeds office was mild across the region this spring."
    )
    ranked = _by_quote("How many people work in Customer Operations?", text, "internal")
    assert ranked["Function: Customer Operations; Employees: 1,350."].coverage > 0


def _by_quote(question: str, text: str, kind: str) -> dict[str, Candidate]:
    """The ranked units of one passage of `text`, by their quote."""
    passage = Passage("c", "d", text, "A document", "/d.txt", kind, 0.6)
    return {c.unit.quote: c for c in _ranker().rank(Question.read(question), [passage])}


def _ranker() -> EvidenceRanker:
    """A ranker over hashed vectors, every word weighing the same."""
    from tests.conftest import HashEmbedder

    return EvidenceRanker(HashEmbedder(), lambda t: dict.fromkeys(t.lower().split(), 1.0))


def test_a_share_is_answered_by_a_part_of_a_whole_not_a_sum_or_a_count() -> None:
    question = Question.read("What proportion of large firms run their contact centres in-house?")
    assert question.answer_type == "figure" and question.share
    assert fits(question, "Of the firms we surveyed, 38% run their contact centres in-house.")
    assert fits(question, "About a third of large firms run their contact centres in-house.")
    assert fits(question, "Only 1 in 5 large firms still runs its contact centres in-house.")
    assert not fits(question, "In-house contact centres cost large firms EUR 4.2 million a year.")
    assert not fits(question, "We spoke to 420 large firms that run contact centres in-house.")
    assert not Question.read("How many large firms run their contact centres in-house?").share


def test_what_a_measure_rose_or_fell_to_asks_for_a_figure() -> None:
    rose = Question.read(
        "After the bank cut its survey invitations, what did its response rate climb to?"
    )
    assert rose.answer_type == "figure"
    fell = Question.read("What has the abandonment rate fallen to since the new IVR went live?")
    assert fell.answer_type == "figure"
    assert Question.read("What did the bank change in its IVR?").answer_type == "any"


def test_what_a_named_source_recommends_is_answered_by_its_own_recommendation() -> None:
    from dataclasses import replace

    question = replace(
        Question.read("In Harlow's view, which role ought to choose the outsourcing partner?"),
        intent="fact",  # one named source's position is a fact about that source
    )
    assert question.advice
    text = (
        "The report was written by Harlow's head of service research, Mina Patel. "
        "We recommend that the head of customer operations chooses the outsourcing partner."
    )
    release = Passage("c", "d", text, "Outsourcing costs more", "/r.txt", "research", 0.6)
    release = replace(release, publisher="Harlow Research")
    ranked = _ranker().rank(question, [release])
    assert ranked[0].unit.quote.startswith("We recommend")
    assert ranked[0].advises and not ranked[1].advises
    # Asked what is, not what ought to be, the sentence naming the source still leads.
    asked = Question.read("Which role at Harlow wrote the outsourcing report?")
    assert not asked.advice
    assert _ranker().rank(asked, [release])[0].unit.quote.startswith("The report")


def test_a_number_of_top_items_is_not_the_first_one() -> None:
    question = Question.read("What's the number one reason for avoidable calls?")
    assert question.top
    assert not fits(question, "Pull your top 20 call reasons and tag each one as avoidable or not.")
    assert not fits(question, "Our top three reasons for avoidable calls change every month.")
    assert fits(question, "Order status chasing was the top reason for avoidable calls.")
    # "the first time" says when, it ranks nothing
    assert not Question.read("How much of our contact is due to errors the first time?").top


def test_what_named_measure_asks_for_a_figure() -> None:
    renewal = Question.read("What renewal rate did the study find for business clients?")
    assert renewal.answer_type == "figure"
    score = Question.read("What customer satisfaction score did the bank report in 2025?")
    assert score.answer_type == "figure"
    assert Question.read("What did the study find about renewal?").answer_type == "any"


def test_a_figure_of_a_firm_with_its_own_section_comes_from_that_section() -> None:
    def passage(chunk: str, section: str, text: str, title: str = "Answers first") -> Passage:
        return Passage(chunk, "d", text, title, "/r.docx", "research", 0.6, section=section)

    case = passage(
        "c1",
        "Harbour Bank",
        "Harbour Bank took the opposite route. Harbour Bank launched a bot in 2021.",
    )
    advice = passage("c2", "Recommendations", "Fund one editor for every 400 live help articles.")
    question = Question.read("How many help articles does Harbour Bank have?")
    ranked = {c.unit.quote: c for c in _ranker().rank(question, [case, advice])}
    # A figure in another section is not one of Harbour Bank's, however many times the
    # document names the bank.
    assert not ranked[advice.text].fits
    # In a document about the bank as a whole, every section speaks of it.
    titled = [replace_title(p, "Harbour Bank: annual review") for p in (case, advice)]
    ranked = {c.unit.quote: c for c in _ranker().rank(question, titled)}
    assert ranked[advice.text].fits


def replace_title(passage: Passage, title: str) -> Passage:
    from dataclasses import replace

    return replace(passage, title=title)


def test_a_figure_in_a_named_publishers_own_document_is_its_figure() -> None:
    from dataclasses import replace

    text = (
        "The Service Index 2023 shows what warning customers first is worth. "
        "Only 23% of companies say they tell customers about a known problem in most cases."
    )
    own = replace(
        Passage("c", "d", text, "Warn customers first", "/w.html", "research", 0.6),
        publisher="Harbour Research",
    )
    question = Question.read("What share of firms does Harbour say warn customers in most cases?")
    ranked = {c.unit.quote: c for c in _ranker().rank(question, [own])}
    # Only its publisher's name says Harbour, and the document is Harbour's own.
    assert ranked[text.split(". ")[1]].fits
    retold = replace(
        own, text=text.replace("The Service", "The Harbour Service"), publisher="Other Media"
    )
    ranked = {c.unit.quote: c for c in _ranker().rank(question, [retold])}
    assert not ranked[text.split(". ")[1]].fits  # retold by another: only where it says so


def test_a_sum_of_money_answers_what_it_costs_under_the_heading_that_names_it() -> None:
    from advisor.selection import EvidenceRanker
    from tests.conftest import HashEmbedder

    question = Question.read("When is the CRM replaced; follow-up: How much will it cost?")
    assert question.amount
    budget = "Budget: EUR 16.8 million in total."
    assert fits(question, budget, section="1. CRM replacement (Project Compass)")
    assert not fits(question, budget, section="2. Customer data platform")
    assert not fits(question, "Budget: 40 new agents in total.", section="1. CRM replacement")
    text = f"The current CRM will be replaced with a cloud CRM. {budget}"
    passage = Passage(
        "c", "d", text, "IT roadmap", "/r.md", "internal", 0.6, section="1. CRM replacement"
    )
    ranker = EvidenceRanker(HashEmbedder(), lambda t: dict.fromkeys(t.split(), 1.0))
    ranked = {c.unit.quote: c for c in ranker.rank(question, [passage])}
    assert ranked[budget].usable and ranked[budget].fits
    assert not ranked["The current CRM will be replaced with a cloud CRM."].usable


def test_a_figure_in_an_items_lead_in_is_not_the_items_own() -> None:
    question = Question.read("How many people work in Marcus Lindqvist's IT organisation?")
    parent = "CIO - Marcus Lindqvist (IT; 420 people)"
    child = "Head of Digital Platforms (app and web back end)"
    assert fits(question, f"CEO - Daniel Okafor: {parent}", parent)
    assert not fits(question, f"{parent}: {child}", child)
    assert fits(
        question, f"{parent}: Head of Platforms (80 people)", "Head of Platforms (80 people)"
    )


def test_a_sentence_naming_the_index_and_its_countries_answers_which_countries() -> None:
    from advisor.selection import EvidenceRanker
    from tests.conftest import HashEmbedder

    question = Question.read("Which countries does the Acme Service Index cover?")
    assert question.answer_type == "country"
    text = (
        "The Acme Service Index is based on a survey of 426 companies in the United "
        "States, Brazil and India. The Acme Service Index rose by four points."
    )
    passage = Passage("c", "d", text, "Index 2023", "/i.html", "research", 0.6)
    ranker = EvidenceRanker(HashEmbedder(), lambda t: dict.fromkeys(t.split(), 1.0))
    named = {c.unit.quote[:30]: c.all_named for c in ranker.rank(question, [passage])}
    assert named == {
        "The Acme Service Index is base": True,
        "The Acme Service Index rose by": False,
    }


def test_how_much_a_spend_goes_up_asks_for_a_change_not_a_sum() -> None:
    assert Question.read("How much did we spend on customer experience in 2025?").amount
    assert not Question.read("How much will our goodwill spend go up?").amount
    assert not Question.read("How much did our contact-centre costs rise last year?").amount


def test_how_far_asks_for_a_figure_and_an_age_is_none() -> None:
    """A question "how far" complaints dropped asks for a figure; "members aged 65 and over" says
    who is counted, so neither its 65 nor its words stand between a figure and what it
    counts."""
    question = Question.read(
        "After the society brought back its phone line for older members, how far did "
        "their complaints drop?"
    )
    assert question.answer_type == "figure" and "far" not in question.focus
    assert not fits(question, "Complaints from members aged 65 and over rose sharply.")
    assert fits(
        question,
        "In the months that followed, complaints from members aged 65 and over fell by 42%.",
    )


def test_a_sentence_that_goes_on_about_the_topic_through_a_pronoun_answers_with_its_figure() -> (
    None
):
    """ "It launched a chatbot in 2021 ... After 14 months the company withdrew it.": the
    second sentence gives how long the chatbot ran, through "it"; a duration in the next
    paragraph, which says nothing of the chatbot, does not."""

    question = Question.read("How long did the generative chatbot run before it was pulled?")
    answer = "After 14 months the company withdrew it."
    first = f"It launched a generative chatbot in 2021 to handle contacts. {answer}"
    other = "The review took 6 months and it was published in May."
    ranked = _ranked_in_paragraphs(question, first, other)
    assert ranked[answer].fits and ranked[answer].addresses
    assert not (other in ranked and ranked[other].addresses)


def test_a_figure_in_a_relative_clause_is_said_of_what_the_clause_hangs_on() -> None:
    question = Question.read("How big is the typical experience budget?")
    assert fits(
        question,
        "And the experience budget, which in the median combined company came to 3.1% of "
        "operating costs.",
    )
    assert not fits(question, "The budget was set by the board, which met 4 times a year.")


def _ranked_in_paragraphs(question: Question, first: str, other: str) -> dict[str, Candidate]:
    """The units of a passage of two paragraphs, ranked for the question, by quote."""
    from advisor.selection import EvidenceRanker
    from ingest.layout import LaidOutBlock
    from tests.conftest import HashEmbedder

    text = f"{first}\n\n{other}"
    layout = (LaidOutBlock(0, len(first), "body"), LaidOutBlock(len(first) + 2, len(text), "body"))
    passage = Passage("c", "d", text, "Report", "/d.md", "research", 0.6, layout=layout)
    ranker = EvidenceRanker(
        HashEmbedder(), lambda t: dict.fromkeys(t.split(), 1.0), lambda doc_id: text
    )
    return {c.unit.quote: c for c in ranker.rank(question, [passage])}


def test_a_figure_after_the_case_a_sentence_opens_on_is_said_of_its_own_clause() -> None:
    """ "When a call is answered within 60 seconds, CSAT on voice is 80%": 80% is a share
    of satisfied customers, not of calls answered within a minute; a row that gives the
    share of calls answered so is the answer."""
    question = Question.read("What share of our calls do we answer within a minute?")
    assert not fits(question, "When a call is answered within 60 seconds, CSAT on voice is 80%.")
    assert fits(question, "Measure: Calls answered within 60 seconds; Q3 2026: 41%; Q2 2026: 58%.")
    assert fits(question, "When demand peaks, 41% of calls are answered within a minute.")


def test_a_share_written_with_hyphens_is_a_share() -> None:
    question = Question.read("What share of variable pay should go on customer measures?")
    assert fits(question, "Customer measures should make up one-fifth of variable pay.")
    assert fits(question, "Customer measures make up two-thirds of variable pay at most firms.")


def test_the_first_person_of_a_report_speaks_of_its_publishers_own_work() -> None:
    """ "How many companies took part in Harbour's Benchmark?" is answered by "we surveyed
    430 companies" in a report that names "this year's Harbour Benchmark" once."""
    from advisor.selection import EvidenceRanker
    from tests.conftest import HashEmbedder

    question = Question.read("How many software companies took part in Harbour's Pulse Benchmark?")
    answer = "In 2021 we surveyed 430 software companies across Europe."
    text = f"This year's Harbour Pulse Benchmark says so. {answer}"
    passage = Passage(
        "c", "d", text, "Own the journey", "/d.md", "research", 0.6, publisher="Harbour Research"
    )
    ranker = EvidenceRanker(
        HashEmbedder(), lambda t: dict.fromkeys(t.split(), 1.0), lambda doc_id: text
    )
    ranked = {c.unit.quote: c for c in ranker.rank(question, [passage])}
    assert ranked[answer].fits
    other = replace(passage, publisher="Lantern Partners")
    ranked = {c.unit.quote: c for c in ranker.rank(question, [other])}
    assert not ranked[answer].fits  # another house's benchmark, named once: not of it


def test_a_share_named_as_what_its_clause_is_about_is_a_share_of_all_it_names() -> None:
    question = Question.read(
        "After the cap, what share of responses came from customers who had complained recently?"
    )
    named = (
        "The sample also became more representative: the share of responses from customers "
        "who had complained in the previous 90 days rose from 12% to 21%."
    )
    assert fits(question, named)
    # A share that comes before the noun that names it, or one said of something else in
    # another clause, is not read so.
    assert not fits(
        question,
        "The share of responses from customers who had complained is one measure; "
        "over those years the other firm's rate fell from 12% to 9%.",
    )


def test_a_share_of_what_shares_one_common_word_with_the_question_is_not_its_answer() -> None:
    question = Question.read(
        "How many of the firms that insourced began with support for vulnerable customers?"
    )
    other = (
        "The share of its registered customers who had to repeat their circumstances fell "
        "from 61% to 19% within two years."
    )
    assert not fits(question, other)


def test_words_said_only_as_an_example_are_the_question_s_examples() -> None:
    question = Question.read("Should frontline bonuses be tied to customer scores such as NPS?")
    assert question.examples == {"nps"} and "nps" in question.focus
    question = Question.read("Should IT lead our CX decisions, for example on the new CRM?")
    assert question.examples == {"new", "crm"}
    # a word said outside the example as well is the question's own
    question = Question.read("Which NPS results count, e.g. the NPS of the app?")
    assert "nps" not in question.examples
    assert not Question.read("What's the staff turnover like at outsourced centres?").examples


def test_a_length_of_time_is_no_count_of_what_is_asked_for() -> None:
    """ "monthly" meets "months", but "within six months" counts no monthly active users."""
    question = Question.read("How many monthly active users does the app have?")
    assert not fits(question, "Its customers cut handle time by 11% within six months of launch.")
    assert fits(question, "The app had 2.1 million monthly active users in June.")
    rollout = Question.read("How many months did the rollout take?")
    assert fits(rollout, "The rollout of the new app took six months.")


def test_a_figure_written_with_its_sign_is_a_score_not_a_count() -> None:
    question = Question.read("How many stores do we run?")
    assert not fits(question, "Nadia noted that retail stores scored +41 and asked for more.")
    assert not fits(question, "Retail stores: -3 points against the quarter before.")
    assert fits(question, "Customers reach us through the app and 48 retail stores.")
    assert fits(question, "Head of Retail - Nadia Kowalski (48 stores)")


def test_a_figure_asked_in_other_words_is_still_given_in_figures() -> None:
    """Nothing holds the budget asked for: a close sentence without a figure is no answer
    to it, while one that holds a figure may be (its words may be other words for the
    question's)."""
    question = Question.read("What is our budget for drone delivery?")
    wordy = replace(
        candidate("IT sees itself as the delivery partner for the business.", 0.5, 0.5),
        fits=False,
    )
    assert wordy.usable and answer_first(question, [wordy]) == []
    figure = replace(
        candidate("The delivery programme is funded with EUR 2 million.", 0.45, 0.5), fits=False
    )
    assert answer_first(question, [wordy, figure]) == [figure]


def test_a_contested_question_weighs_what_a_sentence_holds_of_its_telling_words() -> None:
    """ "Should frontline bonuses be tied to customer scores?": "customer" stands in every
    document, so it tells nothing; a sentence on the scores alone holds a small part of
    what the rest weigh, one on bonuses and scores the larger part."""
    from advisor.selection import EvidenceRanker
    from tests.conftest import HashEmbedder

    question = Question.read("Should frontline bonuses be tied to customer scores?")
    scores = "Retail stores scored +41 with customers in the quarter."
    bonuses = "Frontline bonuses tied to customer scores lifted service at three firms."
    common = "Customer research matters to every firm."
    text = f"{scores} {bonuses} {common}"
    passage = Passage("c", "d", text, "Pay and service", "/d.md", "research", 0.6)
    ranker = EvidenceRanker(
        HashEmbedder(),
        lambda t: dict.fromkeys(t.lower().split(), 1.0),
        lambda doc_id: text,
        lambda t: {w: 0.9 if w == "customer" else 0.1 for w in t.lower().split()},
    )
    ranked = {c.unit.quote: c for c in ranker.rank(question, [passage])}
    assert 0 < ranked[scores].told < 0.5 and ranked[scores].telling
    assert ranked[bonuses].told == 1.0
    assert ranked[common].told == 0 and not ranked[common].telling


def test_a_table_row_counts_what_its_label_names() -> None:
    """The label of a sub-row stands right by its figures as written, however far its
    reading with the headers and the row above sets them apart."""
    question = Question.read("How many agents work in our contact centres?")
    reading = (
        "Item: Contact-centre employees, of which agents; End of Q3 2026: 880; End of Q2 2026: 880."
    )
    assert fits(question, reading, "of which agents 880 880")
    assert not fits(question, reading.replace("880", "-"), "of which agents - -")


def test_how_many_staff_is_answered_by_the_people_a_firm_employs() -> None:
    question = Question.read("How many staff work in our two contact centres?")
    assert fits(
        question, "Within Customer Operations, the two contact centres employ 1,050 people."
    )
    assert fits(question, "About 38 IT staff will work on these programmes.")
    # persons that are not said to be employed are not its staff
    assert not fits(question, "The two contact centres took calls from 1,050 people a day.")


def test_how_many_people_a_firm_employs_is_answered_by_its_employees() -> None:
    """The reverse: "how many people does it employ" is answered by its count of
    employees; a count of employees answers no other count of people."""
    question = Question.read("Roughly how many people does Northwind Mobile employ?")
    assert fits(question, "The company has about 4,200 employees.")
    assert fits(question, "The two contact centres employ 1,050 people.")
    other = Question.read("How many people called the service line in May?")
    assert not fits(other, "The company has about 4,200 employees.")


def test_the_level_a_change_reaches_counts_what_its_subject_names() -> None:
    """ "X rose to 212" counts X, however many words the subject X takes."""
    question = Question.read("How many escalations went to the regulator's dispute scheme in Q3?")
    reached = "Escalations to the telecom regulator's dispute scheme rose to 212, from 164 in Q2."
    assert fits(question, reached)
    assert fits(question, reached.replace("rose to", "fell by 2% to"))
    # a rate or a sum of money it reaches counts nothing
    assert not fits(
        question, "Escalations to the telecom regulator's dispute scheme rose to 14.8%."
    )
    assert not fits(
        question, "Escalations to the regulator's dispute scheme rose to EUR 212 million."
    )
    # ... nor does a level something else reaches
    assert not fits(question, "Calls to the telecom regulator's dispute scheme rose to 212 a day.")


def test_a_counted_word_the_passages_never_use_is_read_as_the_word_they_use(
    embedder: Embedder,
) -> None:
    ranker = EvidenceRanker(embedder, lambda t: dict.fromkeys(t.lower().split(), 1.0))
    texts = ["Customers reach us through 48 retail stores.", "We have 4,200 employees."]
    assert ranker.same_thing("shops", texts) == "stores"
    assert ranker.same_thing("workers", texts) == "employees"
    # No word of the passages names the same thing, or they use the word itself.
    assert ranker.same_thing("users", texts) is None
    assert ranker.same_thing("stores", texts) is None
    # A word the passages use, but count nothing by, is still read as the one they count.
    talking = [*texts, "Is the council just a talking shop?"]
    assert ranker.same_thing("shops", talking) == "stores"


def test_how_many_is_not_answered_by_sums_of_money_when_nothing_fits() -> None:
    question = Question.read("How many monthly active users does our app have?")
    money = candidate("Digital spends EUR 0.46 million on user research for the app.", 0.6, 0.8)
    money = replace(money, fits=fits(question, money.unit.judged))
    assert not money.fits
    assert answer_first(question, [money]) == []
    # A sum of money asked for is still answered by one.
    spend = Question.read("How much is spent on user research?")
    assert answer_first(spend, [replace(money, fits=False)]) != []


def _body(question: Question, text: str, passage: Passage, similarity: float) -> Candidate:
    """A body sentence of `passage` as ranked for `question`, coverage aside."""
    unit = EvidenceUnit(0, len(text), "body", text)
    return Candidate(unit, passage, similarity, 0.5, fits(question, text), True, 0.0)


def test_a_sentence_on_what_its_own_document_is_for_does_not_follow_the_answer() -> None:
    question = Question.read("Who controls most CX technology spending?")
    study = Passage("c7", "d7", "", "Study", "/t.md", "research", 0.7, section="CX spending")

    first = _body(
        question, "Marketing comes first in control of CX technology spending.", study, 0.6
    )
    meta = _body(
        question, "This source is most useful for questions about budget control.", study, 0.6
    )
    more = _body(question, "IT comes only sixth in control of CX technology spending.", study, 0.5)
    chosen = answer_first(question, [first, meta, more])
    assert [c.unit.quote for c in chosen] == [first.unit.quote, more.unit.quote]


def test_a_sentence_that_shares_only_the_time_asked_about_does_not_follow_the_answer() -> None:
    question = Question.read("How many complaints did we receive in Q3 2026?")
    report = Passage("c9", "d9", "", "Report", "/r.md", "internal", 0.7, section="Complaints")

    first = _body(question, "Northwind Mobile received 18,640 complaints in Q3 2026.", report, 0.7)
    mood = _body(question, "Customer sentiment weakened in Q3 2026.", report, 0.65)
    share = _body(
        question, "Billing and call-centre handling account for 63% of all complaints.", report, 0.6
    )
    chosen = answer_first(question, [first, mood, share])
    assert [c.unit.quote for c in chosen] == [first.unit.quote, share.unit.quote]
    # A further sentence about what is asked stays, with or without a figure.
    more = _body(question, "Most complaints in Q3 2026 were about billing errors.", report, 0.65)
    chosen = answer_first(question, [first, mood, more])
    assert [c.unit.quote for c in chosen] == [first.unit.quote, more.unit.quote]


def test_a_count_given_as_an_addition_does_not_answer_before_the_count_it_adds_to() -> None:
    question = Question.read("How many agents work in our contact centres?")
    memo = Passage("c10", "d10", "", "Org memo", "/m.md", "internal", 0.7, section="People")

    further = _body(
        question, "The outsourced partner provides a further 320 agents to the centres.", memo, 0.55
    )
    total = _body(question, "The contact centres have 880 agents of their own.", memo, 0.5)
    chosen = answer_first(question, [further, total])
    assert [c.unit.quote for c in chosen] == [total.unit.quote, further.unit.quote]


def test_a_document_titled_by_what_is_asked_answers_first_among_sentences_alike() -> None:
    question = Question.read("What is our NPS?")
    report = Passage("c11", "d11", "", "NPS and Complaints Report", "/r.md", "internal", 0.7)
    notes = replace(report, chunk_id="c12", doc_id="d12", title="Council meeting notes")

    aside = _body(question, "Aisha Rahman argued that the call centre NPS is -12.", notes, 0.49)
    headline = _body(question, "Relationship NPS fell to +14, down from +17.", report, 0.48)
    assert answer_first(question, [aside, headline])[0] is headline
    # Far apart, the closer sentence still answers first.
    assert answer_first(question, [replace(aside, similarity=0.6), headline])[0].passage is notes
    # Only a figure: asked who presented the report, its own lines are no better answer.
    who = Question.read("Who presented the NPS and Complaints Report?")
    presented = _body(who, "Jonas Weber presented the NPS and Complaints Report.", notes, 0.5)
    next_one = _body(who, "Next report: NPS and Complaints Report, by Jonas Weber.", report, 0.49)
    assert answer_first(who, [presented, next_one])[0] is presented


def test_a_further_sentence_about_what_is_asked_in_another_form_of_its_word_follows() -> None:
    question = Question.read("Roughly how many people does Northwind Mobile employ?")
    memo = Passage("c13", "d13", "", "Org memo", "/m.md", "internal", 0.7, section="People")

    first = _body(question, "The two contact centres employ 1,050 people.", memo, 0.6)
    most = _body(question, "Most employees of the company work in Customer Operations.", memo, 0.55)
    assert not most.fits  # kept for what it is about: "employees" is a form of "employ"
    chosen = answer_first(question, [first, most])
    assert [c.unit.quote for c in chosen] == [first.unit.quote, most.unit.quote]


def test_a_breakdowns_row_does_not_answer_for_the_whole() -> None:
    """ "What was our NPS in Q3 2026?" asks for the whole: a row of the table by channel
    ("Channel: Chat") answers for one channel, however close it scores, so the sentence
    giving the whole comes first. A question that names the row is answered by it."""
    header = "Channel | NPS Q3 2026 | NPS Q2 2026 | Change"
    rows = [
        replace(
            candidate(row, 0.62, 1.0),
            unit=EvidenceUnit(0, len(row), "table_row", row, header),
        )
        for row in ("Chat | +4 | +9 | −5", "Web | +18 | +20 | −2")
    ]
    whole = candidate("Relationship NPS fell to +14, down from +17 in Q2 2026.", 0.6, 0.5)
    question = Question.read("What was our NPS in Q3 2026?")
    assert answer_first(question, [*rows, whole])[0] is whole
    chat = Question.read("What was our chat NPS in Q3 2026?")
    assert answer_first(chat, [*rows, whole])[0] is rows[0]


def test_how_did_it_change_asks_for_a_change_in_what_it_names() -> None:
    """ "How did our NPS change?" is answered by a sentence that says NPS fell: "change"
    is the form of the answer, not a word it must hold."""
    asked = Question.read("How did our NPS change in Q3?")
    assert asked.change and "change" not in asked.focus
    assert Question.read("How has our churn developed since 2024?").focus == {"churn"}
    # A change named as a thing is still what the question is about.
    assert "changed" in Question.read("What changed in our CX budget?").focus


def test_a_sentence_naming_another_documents_title_defers_to_that_document() -> None:
    """ "Jonas Weber presented the Q3 2026 NPS and Complaints Report." is about the report,
    whose own sentence says what it reports: the report answers "How did our NPS change
    in Q3?", and the notes' line does not follow it. Asked about the report itself, the
    notes' line answers (see the test above)."""
    question = Question.read("How did our NPS change in Q3?")
    report = Passage(
        "c21", "d21", "", "NPS and Complaints Report – Q3 2026", "/r.md", "internal", 0.7
    )
    notes = replace(report, chunk_id="c22", doc_id="d22", title="Council meeting notes")
    presented = _body(
        question, "Jonas Weber presented the Q3 2026 NPS and Complaints Report.", notes, 0.7
    )
    fell = _body(question, "Relationship NPS fell to +14 in Q3, down from +17.", report, 0.55)
    assert [c.passage.doc_id for c in answer_first(question, [presented, fell])] == ["d21"]


def test_how_did_it_change_is_answered_by_what_changed_and_by_how_much() -> None:
    """Asked how something changed, a sentence that gives a figure and says it changed
    answers before a closer one that says only that it changed."""
    question = Question.read("How did our complaints change in Q3?")
    report = Passage("c23", "d23", "", "Quarterly report", "/q.md", "internal", 0.7)
    weakened = _body(
        question, "Customer sentiment and complaints weakened in Q3 2026.", report, 0.7
    )
    rose = _body(question, "Complaints rose by 15.0% to 18,640 in Q3 2026.", report, 0.6)
    assert answer_first(question, [weakened, rose])[0] is rose


def test_with_no_focus_word_a_further_sentence_holds_what_the_question_names() -> None:
    """ "How did our NPS change in Q3?" has no focus word left: NPS is what it is about,
    so a close sentence on complaints in Q3 does not follow the NPS answer; one on NPS
    does."""
    question = Question.read("How did our NPS change in Q3?")
    assert not question.focus
    report = Passage("c25", "d25", "", "Quarterly report", "/q.md", "internal", 0.7)
    first = _body(question, "Relationship NPS fell to +14 in Q3, down from +17.", report, 0.7)
    complaints = _body(question, "Billing drove 63% of all complaints in Q3 2026.", report, 0.68)
    channels = _body(question, "Transactional NPS rose to +32 in the app in Q3.", report, 0.6)
    chosen = answer_first(question, [first, complaints, channels])
    assert [c.unit.quote for c in chosen] == [first.unit.quote, channels.unit.quote]


def test_asked_for_a_figure_an_agenda_entry_adds_nothing() -> None:
    """An agenda's entry names a topic and gives no figure of it ("1. Q3 2026 NPS and
    complaints results" after the NPS itself); a listed finding with a figure adds."""
    question = Question.read("What was our NPS in Q3 2026?")
    first = candidate("Overall relationship NPS was +14 in Q3 2026 (Q2 2026: +17).", 0.8, 1.0)

    def item(text: str, lead: str, similarity: float) -> Candidate:
        unit = EvidenceUnit(0, len(text), "list_item", text, lead)
        return replace(candidate(text, similarity, 1.0), unit=unit)

    agenda = item("1. Q3 2026 NPS and complaints results", "Agenda:", 0.78)
    target = item("NPS target for 2026: +20", "Key figures for Q3 2026:", 0.7)
    chosen = answer_first(question, [first, agenda, target])
    assert [c.unit.quote for c in chosen] == [first.unit.quote, target.unit.quote]
