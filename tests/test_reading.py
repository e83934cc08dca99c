"""Documents read as written: reflowed paragraphs, block roles, lists with their number
and lead-in, table rows with their headers, and metadata found on the page."""

from __future__ import annotations

from pathlib import Path

from ingest.document import INVISIBLE, LoadedDocument
from ingest.evidence import EvidenceUnit, document_units, row_label, table_reading
from ingest.loaders import load_document
from ingest.masthead import (
    byline_author,
    date_line,
    find_date,
    is_credit,
    is_relative_time,
    mail_header,
)
from tests.factories import make_docx, make_pdf

MEMO = """\
Customer Experience Council: status and proposal
By Dana Whitfield
17th Sep 2019

The council met on 12 September to review who runs customer experience today. Its
members are Marketing, Customer Service, Claims and IT, and it reports to the chief
operating officer every quarter. Customer Service asked for a seat on the
steering group, which the chair accepted.

The CX technology budget is 5 million. Marketing controls 27% (1.35 million, the
contact-centre platform) and IT controls 15% (0.75 million, integration and data
platform work).

The options put to the executive team are:

1. Appoint a chief customer officer who reports to the CEO and owns the CX budget.
2. Keep the council and give it a budget line of its own.
3. Move CX under the CIO, who already runs the data platform.

Churn by region:

Region\tChurn 2025\tChurn 2026
North\t4.1%\t3.8%
South\t5.2%\t5.6%

Photo: Getty Images
"""


STAFFING = """\
The contact centres kept their headcount plan through the quarter, and the partner
kept the same number of agents on the contract as in the quarter before it.

Item End of Q3 2026 End of Q2 2026
Contact-centre employees 1,050 1,050
of which agents 880 880
of which team leaders 95 95
Open agent vacancies 64 38
"""


def _load(tmp_path: Path, name: str, text: str) -> LoadedDocument:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_document(path, path.read_bytes())


def _units(doc: LoadedDocument) -> list[EvidenceUnit]:
    return document_units(doc)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_hard_wrapped_memo_reads_as_paragraphs(tmp_path: Path) -> None:
    doc = _load(tmp_path, "memo.txt", MEMO)
    units = _units(doc)
    quotes = [u.quote for u in units]
    # Sentences cut by the wrap are whole again, and quoted verbatim from the stored text.
    assert (
        "Its members are Marketing, Customer Service, Claims and IT, and it reports to the "
        "chief operating officer every quarter." in quotes
    )
    assert (
        "Marketing controls 27% (1.35 million, the contact-centre platform) and IT controls "
        "15% (0.75 million, integration and data platform work)." in quotes
    )
    for unit in units:
        assert doc.text[unit.start : unit.end] == unit.quote
        assert _flat(unit.quote) in _flat(MEMO)
    assert not any(
        q.startswith("Customer Service asked for a seat on the") and not q.endswith(".")
        for q in quotes
    )


def test_a_wrapped_line_that_opens_like_a_byline_goes_on_with_its_sentence(
    tmp_path: Path,
) -> None:
    text = (
        "The article gives no survey data on who owns CX in practice. Its figures are forecasts\n"
        "by Gartner and Forrester, and they should be quoted as such rather than as measured\n"
        "spending. The article recommends no job title for the person who leads CX work.\n"
    )
    quotes = [u.quote for u in _units(_load(tmp_path, "note.txt", text))]
    assert (
        "Its figures are forecasts by Gartner and Forrester, and they should be quoted as "
        "such rather than as measured spending." in quotes
    )


def test_a_wrapped_line_is_judged_alone_and_a_no_break_space_joins_words(
    tmp_path: Path,
) -> None:
    # A list of headlines, one to a line, wrapped at 60 columns: the second line of a
    # wrapped headline is short, so the next headline starts a line of its own (the
    # width test is about the line the file has, not the paragraph joined so far).
    # "Nigel\u00a0\u00a0Ambersley," is one word to a wrapper, so "known as" ends a full line.
    text = (
        "Padding line one that is long enough to set the wrap width.\n"
        "Padding line two that is long enough to set the wrap width.\n"
        "Padding line three, long enough to set the wrap width too.\n"
        "\n"
        "California power shutoff: utility to cut electricity to 150K\n"
        "customers\n"
        "Roberts reportedly was suggested to play Harriet Tubman\n"
        "\n"
        "They are: Heather Grant, 33, and a man known\n"
        "Nigel\u00a0\u00a0Ambersley, whose address was not obtained.\n"
    )
    doc = _load(tmp_path, "wrapped.txt", text)
    pieces = [_flat(b.text) for b in doc.blocks]
    assert "California power shutoff: utility to cut electricity to 150K customers" in pieces
    assert "Roberts reportedly was suggested to play Harriet Tubman" in pieces
    assert (
        "They are: Heather Grant, 33, and a man known Nigel Ambersley, whose "
        "address was not obtained." in pieces
    )


def test_memo_metadata_and_roles(tmp_path: Path) -> None:
    doc = _load(tmp_path, "memo.txt", MEMO)
    assert doc.title == "Customer Experience Council: status and proposal"
    assert doc.meta["author"] == "Dana Whitfield"
    assert doc.meta["date"] == "2019-09-17"
    assert doc.meta_sources["title"] == "detected" and doc.meta_sources["date"] == "detected"
    roles = {b.text: b.role for b in doc.blocks}
    assert roles["By Dana Whitfield"] == "byline"
    assert roles["17th Sep 2019"] == "byline"
    assert roles["Photo: Getty Images"] == "caption"
    evidence = " ".join(u.quote for u in _units(doc))
    for not_evidence in ("Dana Whitfield", "Getty", "Customer Experience Council: status"):
        assert not_evidence not in evidence


def test_numbered_items_keep_number_and_lead_in(tmp_path: Path) -> None:
    doc = _load(tmp_path, "memo.txt", MEMO)
    items = [u for u in _units(doc) if u.role == "list_item"]
    assert [u.quote[:2] for u in items] == ["1.", "2.", "3."]
    for item in items:
        assert item.context == "The options put to the executive team are:"
        assert item.reading.startswith("The options put to the executive team are: ")
    assert "3. Move CX under the CIO, who already runs the data platform." in [
        u.quote for u in items
    ]


def test_table_rows_are_read_with_their_headers(tmp_path: Path) -> None:
    doc = _load(tmp_path, "memo.txt", MEMO)
    rows = [u for u in _units(doc) if u.role == "table_row"]
    assert [_flat(r.quote) for r in rows] == ["North 4.1% 3.8%", "South 5.2% 5.6%"]
    north = rows[0]
    assert north.reading == "Region: North; Churn 2025: 4.1%; Churn 2026: 3.8%."
    # The header row alone is never evidence.
    assert not any(u.quote.startswith("Region") for u in _units(doc))
    assert table_reading("| Region | Churn |", "| North | 4.1% |") == "Region: North; Churn: 4.1%."


def test_a_header_row_shown_twice_is_not_a_row_of_data(tmp_path: Path) -> None:
    """A page's sticky header copied twice (or a header repeated after a page break):
    the copy is the header again, never evidence, and the rows under it keep it."""
    text = (
        "Snap counts\n\nHere is how the defensive line played on Sunday against the "
        "visitors, with every snap counted by our reporters in the press box.\n\n"
        "Pos\tPlayer\tPlays\tShare\nPos\tPlayer\tPlays\tShare\n"
        "DL\tJane Roe\t63\t85%\nDL\tJohn Roe\t57\t77%\n\n"
        "The line had its best game of the season, and the coach said so afterwards.\n"
    )
    doc = _load(tmp_path, "snaps.txt", text)
    rows = [u for u in _units(doc) if u.role == "table_row"]
    assert [_flat(r.quote) for r in rows] == ["DL Jane Roe 63 85%", "DL John Roe 57 77%"]
    assert rows[0].reading == "Pos: DL; Player: Jane Roe; Plays: 63; Share: 85%."
    assert not any(u.quote.startswith("Pos") for u in _units(doc))


def test_a_table_caption_row_is_not_its_column_names(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Budget</title></head><body><article><h1>Budget 2026</h1>"
        "<p>This page sets out the CX budget for 2026 by department, as agreed in February."
        " It is reviewed by the CX Council every quarter and updated after each review.</p>"
        "<table><caption>CX budget by department (EUR million)</caption>"
        "<thead><tr><th>Department</th><th>Budget 2026</th><th>Share</th></tr></thead>"
        "<tbody><tr><td>IT</td><td>11.52</td><td>24%</td></tr>"
        "<tr><td>Marketing</td><td>20.16</td><td>42%</td></tr></tbody></table>"
        "<p>The total is EUR 48.0 million, an increase on the year before of about nine"
        " per cent, most of it for the new CRM.</p></article></body></html>"
    )
    doc = _load(tmp_path, "budget.html", html)
    row = next(u for u in _units(doc) if u.role == "table_row" and "IT" in u.quote)
    assert row.reading == "Department: IT; Budget 2026: 11.52; Share: 24%."


def test_markdown_pipe_table_and_wrapped_list(tmp_path: Path) -> None:
    text = (
        "# Vendor scan\n\nThe technologies ranked by the panel, most important first, were:\n\n"
        "1. voice of the customer platforms, ranked first by most of the\n"
        "   respondents in every region\n"
        "2. journey analytics\n\n"
        "| Region | NPS 2025 | NPS 2026 |\n| --- | --- | --- |\n| North | 31 | 35 |\n"
    )
    doc = _load(tmp_path, "scan.md", text)
    units = _units(doc)
    first = next(u for u in units if u.role == "list_item")
    assert first.quote == (
        "1. voice of the customer platforms, ranked first by most of the respondents in "
        "every region"
    )
    assert first.context.startswith("The technologies ranked by the panel")
    row = next(u for u in units if u.role == "table_row")
    assert row.reading == "Region: North; NPS 2025: 31; NPS 2026: 35."
    assert doc.title == "Vendor scan"


def test_a_table_pasted_with_tabs_into_markdown_keeps_its_header(tmp_path: Path) -> None:
    """A table copied from a page into a Markdown note keeps the tabs between its cells:
    its rows are read with their column names, as in a text file; a line that opens with
    a tab is still code."""
    text = (
        "# Child seats\n\nThe results of the test, by model, are set out below.\n\n"
        "Model\tPrice\tGrade\nSafe 2\t370 EUR\t1.7\nCabriofix\t140 EUR\t2.5\n\n"
        "\tcode\tnot\ta table\n\tstill\tcode\there\n"
    )
    doc = _load(tmp_path, "seats.md", text)
    rows = [u for u in _units(doc) if u.role == "table_row"]
    assert [r.reading for r in rows] == [
        "Model: Safe 2; Price: 370 EUR; Grade: 1.7.",
        "Model: Cabriofix; Price: 140 EUR; Grade: 2.5.",
    ]


def test_docx_numbered_list_and_table_headers(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "review.docx",
        [
            ("h1", "Service review"),
            ("p", "Three channels carry most contacts, as the table shows."),
            ("table", "Channel|Share 2025\nPhone|48%\nChat|31%"),
        ],
    )
    doc = load_document(path, path.read_bytes())
    rows = [u for u in _units(doc) if u.role == "table_row"]
    assert [r.reading for r in rows] == [
        "Channel: Phone; Share 2025: 48%.",
        "Channel: Chat; Share 2025: 31%.",
    ]
    assert not any(u.quote.startswith("Channel") for u in _units(doc))


def test_pdf_wrapped_lines_join_and_keep_their_page(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "report.pdf",
        [
            "Introduction.",
            "Most firms say the chief marketing officer should own the customer\n"
            "experience, while a third put it with the chief executive officer\n"
            "and a tenth with IT.",
        ],
    )
    doc = load_document(path, path.read_bytes())
    units = _units(doc)
    quote = next(u for u in units if u.quote.startswith("Most firms"))
    assert quote.quote.endswith("a tenth with IT.")
    block = next(b for b in doc.blocks if b.start <= quote.start < max(b.end, b.start + 1))
    assert block.page == 2


def test_a_sentence_cut_by_a_page_break_is_read_whole(tmp_path: Path) -> None:
    cut = (
        "The average time to resolve a complaint rose to 6.4 working days, from 4.9 working\n"
        "days in the quarter before, against a target of 5 working days. Escalations to the\n"
        "telecom regulator's dispute scheme rose to 212, from"
    )
    path = make_pdf(
        tmp_path / "review.pdf",
        [
            f"Complaints\n{cut}",
            "164 in the quarter before. Most of them were about billing.\n\nThe next review is\n"
            "in January.",
        ],
    )
    doc = load_document(path, path.read_bytes())
    quotes = [u.quote for u in _units(doc)]
    assert (
        "Escalations to the telecom regulator's dispute scheme rose to 212, from 164 in the "
        in (" ".join(quotes))
    )
    assert not any(q.startswith("164") for q in quotes)
    block = next(b for b in doc.blocks if "Escalations" in b.text)
    assert block.page == 1 and block.text.endswith("Most of them were about billing.")
    # A page that opens on a sentence of its own starts a paragraph of its own.
    path = make_pdf(tmp_path / "two.pdf", [f"Complaints\n{cut} 164.", "Next page is here."])
    assert any(
        u.quote == "Next page is here." for u in _units(load_document(path, path.read_bytes()))
    )


def test_a_number_that_wrapping_brought_to_a_line_s_start_opens_no_item(tmp_path: Path) -> None:
    text = (
        "The headcount plan did not change in the third quarter, but the number of open agent\n"
        "vacancies for the contact centres in the north, the south and the east rose from 38 to\n"
        "64. New agents need six weeks of training before they take calls, so vacancies that\n"
        "are filled in September will only add capacity in November of this year at the earliest.\n"
        "\n"
        "Customer Service makes three requests to the executive team for the coming quarter:\n"
        "1. Approval of 60 additional partner agents from December.\n"
        "2. A seat in the decisions on CRM requirements.\n"
    )
    doc = _load(tmp_path, "memo.txt", text)
    quotes = [u.quote for u in _units(doc)]
    assert quotes[0].startswith("The headcount plan did not change in the third quarter")
    assert " ".join(quotes[0].split()).endswith("rose from 38 to 64.")
    assert not any(q.startswith("64.") for q in quotes)
    items = [b for b in doc.blocks if b.role == "list_item"]
    assert [b.text[:2] for b in items] == ["1.", "2."]


def test_a_day_of_the_month_that_wrapping_brought_to_a_line_s_start_opens_no_item(
    tmp_path: Path,
) -> None:
    """A month's name ends a wrapped line and its day opens the next ("... said on Nov." /
    "8. ..."): the day goes on with the paragraph, whatever its full stop; a list after a
    sentence that ends on a full stop still opens."""
    lines = [
        "The talks between the two trade delegations went on for most of the autumn, and both",
        "sides kept their tariffs in place while they met in Geneva and in Singapore, said aides.",
        "“We are taking in a great deal of money from the new tariffs,” the minister said on Nov.",
        "8. “We like our situation very much, and they want to make a deal far more than we do.”",
        "The talks resume in the spring, two officials said after the meeting ended on Friday.",
    ]
    text = (
        "\n".join(lines) + "\n\n"
        "The council agreed on the steps for the coming quarter, in the order set out below.\n"
        "1. Approval of 60 additional partner agents from December.\n"
        "2. A seat in the decisions on CRM requirements.\n"
    )
    doc = _load(tmp_path, "memo.txt", text)
    items = [b.text[:2] for b in doc.blocks if b.role == "list_item"]
    assert items == ["1.", "2."]
    body = next(b for b in doc.blocks if b.text.startswith("The talks between"))
    assert body.role == "body" and "Nov. 8. “We like" in " ".join(body.text.split())


def test_numbered_items_with_a_paragraph_under_each_keep_the_list_s_lead_in(
    tmp_path: Path,
) -> None:
    """Each numbered item followed by a paragraph of its own, one a line as a page is
    pasted: an item whose number follows on from the last one's is of the same list and
    keeps its lead-in, not the last sentence of the paragraph above it; one whose number
    does not follow on starts a list of its own."""
    text = (
        "Where the three vendors stand\n\n"
        "The review compared three platforms on price, support and the time to go live.\n\n"
        "The platforms we shortlisted, in order of preference:\n\n"
        "1. Northwind Desk was the fastest to learn, at EUR 1.2M over three years.\n"
        "Its support team answered every test ticket within the hour.\n"
        "2. Harbour CX is the cheapest of the three, at EUR 0.9M over three years.\n"
        "Its reporting needs a separate licence, which the price leaves out.\n"
        "3. Bluegate has the widest set of integrations, at EUR 1.4M over three years.\n"
        "It also takes the longest to go live, at about nine months.\n\n"
        "Our verdict rests on the first two.\n\n"
        "7. The budget owner signs off in December.\n"
    )
    units = [u for u in _units(_load(tmp_path, "review.txt", text)) if u.role == "list_item"]
    leads = {u.quote[:2]: u.context for u in units}
    lead = "The platforms we shortlisted, in order of preference:"
    assert leads["2."] == lead and leads["3."] == lead
    assert leads["7."] == "Our verdict rests on the first two."


def test_items_numbered_with_dingbats_are_read(tmp_path: Path) -> None:
    """Items numbered with circled digits ("❶") are list items like bullets; their
    numerals are no decimal numbers to count on from."""
    text = (
        "Three things we changed in the billing journey this year:\n\n"
        "❶ Bills now show every charge in plain words.\n"
        "❷ Refunds are paid within five working days.\n"
    )
    items = [b for b in _load(tmp_path, "notes.txt", text).blocks if b.role == "list_item"]
    assert [b.text[:1] for b in items] == ["❶", "❷"]
    assert all(b.context.startswith("Three things") for b in items)


def test_rows_of_values_stay_rows_whatever_the_case_of_their_label(tmp_path: Path) -> None:
    text = STAFFING
    rows = [b for b in _load(tmp_path, "staffing.txt", text).blocks if b.role == "table_row"]
    assert [b.text for b in rows] == [
        "Contact-centre employees 1,050 1,050",
        "of which agents 880 880",
        "of which team leaders 95 95",
        "Open agent vacancies 64 38",
    ]
    assert {b.context for b in rows} == {"Item End of Q3 2026 End of Q2 2026"}
    # A wrapped line of prose that ends on figures goes on with the next as before.
    prose = _load(
        tmp_path,
        "cites.txt",
        "The court cites its earlier rulings for the care a user of a work owes = WRP\n"
        "1992, 160 and for the duty to check the rights first GRUR 2009, 864 Tz. 22\n"
        "=WRP 2009, 1143 as the sources for this finding of the court in the case.\n",
    )
    assert len([b for b in prose.blocks if b.role == "body"]) == 1


def test_masthead_lines() -> None:
    assert find_date("Published 20th Feb 2023 | 5 min read") == ("2023-02-20", (10, 23))
    assert date_line("Updated: March 3, 2021 10:15 am") == "2021-03-03"
    assert date_line("The council met on 12 September 2019 to review who runs CX today.") is None
    assert byline_author("Written by Jane Doe | 12 May 2021") == "Jane Doe"
    assert byline_author("von Jane Doe Veröffentlicht am 1. Mai 2019") == "Jane Doe"
    assert byline_author("By the end of the year most firms had a CX lead.") is None
    assert is_credit("istock/Getty Images Plus")
    assert not is_credit("Most firms credit their CX gains to better data.")
    assert is_credit("Foto: Jane Doe | flickr | CC BY 2.0")  # "Foto" in many languages
    assert is_credit("Jane Doe, CC BY-SA 4.0")  # a Creative Commons licence
    # "Photo" labels a credit where it opens it or stands before a colon, slash or "by";
    # elsewhere it is a headline's noun.
    assert is_credit("Photo by Jane Doe") and is_credit("(AP Photo/Jane Doe)")
    assert is_credit("Titelbild: Jane Doe/ABACA/picture-alliance")
    assert not is_credit("Actress Jane Doe Is Looking Stunning In New Photos")
    assert not is_credit("So viel verdienen Paparazzi an einem Heidi-Foto")
    # German "Bild" (picture) the same way: a gallery's caption with its credit.
    assert is_credit("2/5 Er verlor die Kontrolle über das Auto. (Bild: Kantonspolizei Aargau)")
    assert not is_credit("Das Bild der Woche zeigt die Stadt im Regen")


def test_title_is_never_a_credit_byline_or_sub_heading(tmp_path: Path) -> None:
    page = (
        "Menu\nHome\nInsights\nContact\n\n"
        "Credit: istock/PeopleImages\n\n"
        "Why CX ownership fails without IT\n\n"
        "Four false assumptions about CX\n\n"
        "Managing Director, Example Consulting\n"
        "By Sam Carter\n\n"
        "Customer experience programmes stall when IT is brought in late. Firms that "
        "pair a business owner with IT from the start report faster delivery.\n\n"
        "Ownership of customer experience is often split between marketing and service. "
        "IT is asked to deliver tools without a say in the priorities.\n\n"
        "Firms that give IT a seat on the CX council avoid most of these problems, and "
        "their CX programmes deliver on time more often.\n"
    )
    doc = _load(tmp_path, "page.txt", page)
    assert doc.title == "Why CX ownership fails without IT"
    assert doc.meta["author"] == "Sam Carter"


def test_a_sentence_that_points_back_is_read_with_the_one_before(tmp_path: Path) -> None:
    text = (
        "Companies where the chief executive chaired a monthly review stood out. "
        "Their complaint volumes fell by 19% over the two years of the study.\n\n"
        "Their rivals were studied in another paper that is not part of this one.\n"
    )
    units = {u.quote: u for u in _units(_load(tmp_path, "paper.txt", text))}
    complaints = units["Their complaint volumes fell by 19% over the two years of the study."]
    assert complaints.context.startswith("Companies where the chief executive chaired")
    assert complaints.reading == f"{complaints.context} {complaints.quote}"
    assert complaints.judged == complaints.quote  # judged on its own words
    # Nothing before it in its paragraph: read as it stands.
    rivals = units["Their rivals were studied in another paper that is not part of this one."]
    assert rivals.context == "" and rivals.reading == rivals.quote
    first = units["Companies where the chief executive chaired a monthly review stood out."]
    assert first.context == ""


def test_a_sentence_about_these_things_named_before_is_read_with_that_sentence(
    tmp_path: Path,
) -> None:
    """'In the ranking, those people issues are ...' speaks of what the sentence before
    named; shown alone it would answer "what is the biggest obstacle?" with a list that
    leaves out what the list is of. "This survey" (the document's own, more often than
    not) is not read with the sentence that named a survey."""
    text = (
        'The study reports that 81% of respondents say "people issues" are the biggest '
        "challenge. In the study's ranking, those people issues are, in order: lack of "
        "skills, lack of sponsorship and lack of adoption. The survey ran in twelve "
        "countries last spring. For this survey, every answer was weighted by country size. "
        "We found that growth came from one habit. The leaders were those that reviewed "
        "complaints weekly.\n"
    )
    units = {u.quote: u for u in _units(_load(tmp_path, "study.txt", text))}
    ranking = next(u for q, u in units.items() if q.startswith("In the study's ranking"))
    assert ranking.context.startswith("The study reports that 81%")
    assert ranking.reading == f"{ranking.context} {ranking.quote}"
    weighted = next(u for q, u in units.items() if q.startswith("For this survey"))
    assert weighted.context == ""
    # "those that ..." is a pronoun, not "those <things>" of the sentence before.
    assert units["The leaders were those that reviewed complaints weekly."].context == ""


def test_a_headline_with_a_subtitle_after_its_colon_is_not_a_memo_field(
    tmp_path: Path,
) -> None:
    brief = (
        "NORTHFIELD ADVISORY\nResearch Brief 2021-03\n"
        "Governing refunds: why one owner with a budget beats a committee of five\n"
        "Authors: Ana Ruiz and Tom Berg\nPublished: March 2021\n\n"
        "Most retailers that argue about refunds are asking the wrong question. In our work "
        "with mid-size firms we see refunds handled well where one executive owns them.\n\n"
        "We studied 120 retailers between 2019 and 2021 and interviewed two executives at "
        "each of them about how refunds are decided and paid.\n\n"
        "Retailers with one owner paid refunds in two days on average, against nine days "
        "where a committee decided. Their customers also complained less often.\n"
    )
    doc = _load(tmp_path, "brief.txt", brief)
    assert doc.title == "Governing refunds: why one owner with a budget beats a committee of five"
    roles = {b.text: b.role for b in doc.blocks}
    assert roles["Authors: Ana Ruiz and Tom Berg"] in {"field", "byline"}


def test_columns_aligned_with_spaces_are_a_table(tmp_path: Path) -> None:
    text = (
        "Funding varies a great deal between the companies in the study, as the table shows.\n\n"
        "Funding model            Share of firms   Programmes cut in 2023   Median payback\n"
        "CFO-governed portfolio   23%              8%                       15 months\n"
        "Departmental budgets     36%              52%                      33 months\n\n"
        "One sentence with two spaces after a colon:  it stays a sentence,  as it was.\n"
    )
    units = _units(_load(tmp_path, "report.txt", text))
    rows = [u for u in units if u.role == "table_row"]
    assert [r.reading for r in rows][1] == (
        "Funding model: Departmental budgets; Share of firms: 36%; "
        "Programmes cut in 2023: 52%; Median payback: 33 months."
    )
    assert any(u.role == "body" and u.quote.startswith("One sentence") for u in units)


def test_a_sentence_that_answers_a_question_is_read_and_judged_with_it(tmp_path: Path) -> None:
    text = (
        "Most of them already say they work together. So we asked what actually stops "
        "them joining up. The answer at the top of the list was separate budgets, named "
        "by 58% of respondents.\n\n"
        "The survey of 640 employers asked who owns each experience and how it is measured. "
        "We spoke to the study's lead author about the results in detail.\n"
    )
    units = {u.quote: u for u in _units(_load(tmp_path, "interview.txt", text))}
    answer = units[
        "The answer at the top of the list was separate budgets, named by 58% of respondents."
    ]
    assert answer.context == "So we asked what actually stops them joining up."
    assert answer.judged == answer.reading
    # A survey that asked something, said in passing, is not a question put to the reader.
    spoke = units["We spoke to the study's lead author about the results in detail."]
    assert spoke.context == "" and spoke.judged == spoke.quote


def test_an_faq_answer_is_judged_after_its_question_heading(tmp_path: Path) -> None:
    text = (
        "Bonus questions answered\n\n"
        "How many companies tie executive bonuses to customer measures?\n"
        "Most of them. In our sample, 60% of companies link some executive pay to a "
        "customer metric.\n\nWhat else did we find?\n\nThe study ran for five years "
        "in four countries and twelve sectors.\n"
    )
    units = {u.quote: u for u in _units(_load(tmp_path, "faq.txt", text))}
    share = units["In our sample, 60% of companies link some executive pay to a customer metric."]
    assert share.judged.startswith("How many companies tie executive bonuses")
    assert share.reading == share.quote  # shown as it is


def test_two_columns_aligned_with_spaces_are_a_table(tmp_path: Path) -> None:
    """A two-column table, as pdftotext prints one: the second column starts at the same
    place on every row. Words two spaces apart in a sentence are not a column."""
    text = (
        "Table 1. Operating model in use, share of companies (n = 538)\n"
        "    Operating model                 Share of companies\n"
        "    Centralised                     41%\n"
        "    Federated (hub-and-spoke)       26%\n\n"
        "The centralised model  remains the most common in financial services today.\n"
        "Supervisors expect  consistent treatment, which pushes firms to concentrate it.\n"
    )
    units = _units(_load(tmp_path, "report.txt", text))
    rows = [u.reading for u in units if u.role == "table_row"]
    assert rows == [
        "Operating model: Centralised; Share of companies: 41%.",
        "Operating model: Federated (hub-and-spoke); Share of companies: 26%.",
    ]
    assert sum(1 for u in units if u.role == "body") == 2


def test_a_word_broken_at_a_line_end_is_joined_whole(tmp_path: Path) -> None:
    """'cen-' / 'tral' is one word where the document writes it whole elsewhere; a
    compound broken at its hyphen keeps it."""
    text = (
        "Most large companies still run customer experience from a single cen-\n"
        "tral department, and they use customer-\n"
        "facing teams to carry out what that central department decides for them all.\n"
        "A central team can set standards without owning the journeys themselves, which\n"
        "is the point of the federated model that this report argues for throughout.\n"
    )
    doc = _load(tmp_path, "report.txt", text)
    body = " ".join(u.quote for u in _units(doc))
    assert "from a single central department" in body
    assert "customer-facing teams" in body


def test_pages_with_form_feeds_drop_running_lines_and_keep_page_numbers(tmp_path: Path) -> None:
    """Text from pdftotext: pages split by form feeds, a running header and footer on
    each page."""
    pages = [
        "Acme Research | CX Operating Models 2024 | page {n}\n"
        "{body}\n"
        "www.acme-research.example        (c) 2024 Acme Research Ltd\n"
    ]
    bodies = [
        "CX Operating Models 2024\n\nSmall hubs, strong spokes\n\nPublished 18 June 2024\n\n"
        "Most firms still run customer experience from one central department today.",
        "We surveyed 538 senior leaders responsible for customer experience in five countries.",
        "Federated firms were 2.3 times as likely as centralised firms to meet their targets.",
    ]
    text = "\f".join(pages[0].format(n=n, body=b) for n, b in enumerate(bodies, start=1))
    doc = _load(tmp_path, "report.txt", text)
    assert doc.title in {"CX Operating Models 2024", "Small hubs, strong spokes"}
    assert not any("page" in b.text or "Acme Research Ltd" in b.text for b in doc.blocks)
    pages_of = {b.text: b.page for b in doc.blocks}
    assert (
        pages_of[
            "Federated firms were 2.3 times as likely as centralised firms to meet their targets."
        ]
        == 3
    )


def test_readers_comments_under_a_post_are_not_evidence(tmp_path: Path) -> None:
    text = (
        "From: Jane Okafor <jane@northfield.example>\n"
        "Subject: Fix the cause #41: stop paying to deflect calls you caused\n"
        "Date: Tuesday, 9 April 2024 at 07:02\n\n"
        f"{MEMO.split(chr(10) + chr(10))[1]}\n\n"
        "Root-cause fixes paid back in a median of 5 months across the firms we surveyed.\n\n"
        "At the median firm, 58% of the improvement budget went on deflection projects.\n\n"
        "👍 318 · 64 comments · 22 reposts\n\n"
        "Sam Lee · CX Director · 2d\n\n"
        "We did the root-cause thing last year and payback was more like 9 months for us.\n\n"
        "Like · Reply · 9 reactions\n"
    )
    doc = _load(tmp_path, "post.txt", text)
    assert doc.title == "Fix the cause #41: stop paying to deflect calls you caused"
    assert doc.meta.get("author") == "Jane Okafor"
    quotes = [u.quote for u in _units(doc)]
    assert any("paid back in a median of 5 months" in q for q in quotes)
    assert not any("9 months" in q for q in quotes)
    assert any(b.role == "comment" and "9 months" in b.text for b in doc.blocks)


def test_a_memo_headed_by_its_title_is_written_by_its_sender(tmp_path: Path) -> None:
    text = (
        "Executive structure and customer experience responsibilities\n\n"
        "To: Executive Committee, members of the CX Council\n"
        "From: Elin Haugen, Chief of Staff to the CEO\n"
        "Date: 15 September 2026\n\n"
        f"{MEMO.split(chr(10) + chr(10))[1]}\n"
    )
    doc = _load(tmp_path, "memo.txt", text)
    assert doc.title == "Executive structure and customer experience responsibilities"
    assert doc.meta.get("author") == "Elin Haugen"
    assert doc.meta.get("date") == "2026-09-15"
    # A "From:" line alone, with no other header field, is no memo's header.
    assert mail_header(["Quotes of the week", "From: Elin Haugen", "Well said."]) is None
    assert mail_header(["From: Elin Haugen", "Date: 15 September 2026"]) == ("", "Elin Haugen")


def test_an_item_numbered_with_a_keycap_keeps_its_number(tmp_path: Path) -> None:
    text = (
        "What drives the calls? Ranked by share of failure-demand contacts, the causes are:\n\n"
        "1\ufe0f\u20e3 Status chasing (27%)\n2\ufe0f\u20e3 Billing errors (21%)\n"
    )
    items = [u for u in _units(_load(tmp_path, "post.txt", text)) if u.role == "list_item"]
    assert items[0].quote == "1\ufe0f\u20e3 Status chasing (27%)"
    assert items[0].context.startswith("What drives the calls?") or "Ranked" in items[0].reading


def test_an_arrow_or_emoji_bullet_marks_a_list_item(tmp_path: Path) -> None:
    """'👉 Root-cause fixes ...' is an item of a list, quotable without its bullet (not a
    sentence that opens on a symbol)."""
    text = (
        "Why am I so sure?\n\n"
        "\U0001f449 Root-cause fixes paid back in a median of 5 months across the firms.\n\n"
        "\u27a1\ufe0f Deflection projects took 16 months to pay back at the median firm.\n"
    )
    items = [u for u in _units(_load(tmp_path, "post.txt", text)) if u.role == "list_item"]
    assert [u.quote for u in items] == [
        "Root-cause fixes paid back in a median of 5 months across the firms.",
        "Deflection projects took 16 months to pay back at the median firm.",
    ]


def test_a_turn_after_a_question_is_judged_with_it(tmp_path: Path) -> None:
    """A transcript: the audience question ends one speaker's turn, the answer is the
    next turn; the question stays with the answer even where a chunk starts at it."""
    text = (
        "[00:21:58] Host: Let's go to the audience. First one's from Hannah, and it's for "
        'Joel. She asks: "How long did you run NPS and the effort score side by side?"\n\n'
        "[00:22:19] Joel: Good question, Hannah. We ran both in parallel for about seven "
        "months. The board wanted to see a full peak season first.\n\n"
        "[00:23:02] Host: Thank you. That is all the time we have for questions today.\n"
    )
    doc = _load(tmp_path, "webinar.txt", text)
    units = {u.quote: u for u in _units(doc)}
    answer = units["We ran both in parallel for about seven months."]
    assert "How long did you run NPS and the effort score" in answer.judged
    assert answer.reading == answer.quote  # shown as it is
    closing = units["That is all the time we have for questions today."]
    assert closing.judged == closing.quote


def test_a_share_of_what_the_sentence_before_names_is_read_with_it(tmp_path: Path) -> None:
    text = (
        "At the median firm, 58% of the service improvement budget went on deflection and "
        "automation. Just 12% went on fixing the root causes of contact. 31% of firms "
        "had no budget line for it at all.\n"
    )
    units = {u.quote: u for u in _units(_load(tmp_path, "post.txt", text))}
    share = units["Just 12% went on fixing the root causes of contact."]
    assert share.reading.startswith("At the median firm, 58% of the service improvement")
    named = units["31% of firms had no budget line for it at all."]
    assert named.reading == named.quote


def test_a_printed_report_names_its_author_and_its_publisher_in_its_running_footer(
    tmp_path: Path,
) -> None:
    page = (
        "Acme Research | CX Operating Models 2024 | page {n}\n{body}\n"
        "www.acme-research.example        © 2024 Acme Research Ltd\n"
    )
    bodies = [
        "Small hubs, strong spokes: how leading firms organise customer experience\n\n"
        "Dr Jane Okafor, Principal Analyst\n\n"
        "Published 18 June 2024\n\n"
        "Most firms still run customer experience from one central department today.",
        "We surveyed 538 senior leaders responsible for customer experience in five countries.",
        "Federated firms were 2.3 times as likely as centralised firms to meet their targets.",
    ]
    text = "\f".join(page.format(n=n, body=b) for n, b in enumerate(bodies, start=1))
    doc = _load(tmp_path, "report.txt", text)
    assert doc.meta.get("publisher") == "Acme Research Ltd"
    assert doc.meta.get("author") == "Jane Okafor"


def test_a_markdown_footnote_is_a_paragraph_of_the_text(tmp_path: Path) -> None:
    text = (
        "# Who should own complaints?\n\nMost firms put complaints under service.[^3]\n\n"
        "---\n\n[^3]: Among the 21 firms that moved complaints into risk, the median "
        "transition took 7 months from the board decision to the first report.\n"
    )
    units = _units(_load(tmp_path, "note.md", text))
    note = [u for u in units if "7 months" in u.quote]
    assert [u.role for u in note] == ["body"]
    assert note[0].quote.startswith("Among the 21 firms")


def test_a_list_after_two_short_sentences_is_read_with_both(tmp_path: Path) -> None:
    text = (
        "We also asked agents why they last had to escalate a case. Ranked by share of "
        "escalations:\n\n1. Refunds above the agent's limit - 38%\n2. Fee waivers - 27%\n"
    )
    items = [u for u in _units(_load(tmp_path, "post.txt", text)) if u.role == "list_item"]
    assert items[0].reading.startswith("We also asked agents why they last had to escalate")
    assert items[0].reading.endswith("1. Refunds above the agent's limit - 38%")


def test_a_charts_data_line_is_a_list_read_under_its_caption(tmp_path: Path) -> None:
    text = (
        "Figure 1: Where the VoC programme sits, 2024 (share of respondents)\n\n"
        "[Image alt text: Horizontal bar chart. Marketing has the longest bar.]\n\n"
        "Chart data: Marketing 34%, IT or digital 11%, Finance 8%\n\n"
        "Marketing still houses more programmes than any other function, as every year.\n"
    )
    doc = _load(tmp_path, "page.txt", text)
    items = {u.quote: u for u in _units(doc) if u.role == "list_item"}
    assert list(items) == ["Marketing 34%", "IT or digital 11%", "Finance 8%"]
    assert items["Finance 8%"].reading.startswith("Figure 1: Where the VoC programme sits")
    assert any(b.role == "caption" and "alt text" in b.text for b in doc.blocks)
    assert any(u.role == "body" and u.quote.startswith("Marketing still") for u in _units(doc))


def test_an_item_under_a_caption_that_closes_a_bracket_follows_a_colon() -> None:
    from ingest.evidence import lead_reading

    caption = "Figure 1: Where the programme sits (share of respondents)"
    assert lead_reading(caption, "Finance 8%") == f"{caption}: Finance 8%"


def test_a_footnote_under_a_rule_is_read_without_its_number(tmp_path: Path) -> None:
    report = (
        "Operating models 2024\n\n"
        "Across 538 companies, federated firms met their targets more often than others.2\n\n"
        "____________________\n"
        "2 Of the 538 companies, 42 had moved from a centralised to a federated model\n"
        "since 2021; 9 of the 42 had partly reversed it.\n\n"
        "1 About the research\n\n"
        "We surveyed 538 senior leaders responsible for customer experience in five countries.\n"
    )
    doc = _load(tmp_path, "report.txt", report)
    quotes = [u.quote for u in _units(doc)]
    note = "Of the 538 companies, 42 had moved from a centralised to a federated model"
    assert any(q.startswith(note) for q in quotes)
    assert not any(q.startswith("2 Of") for q in quotes)
    for unit in _units(doc):  # quoted verbatim from the stored text
        assert doc.text[unit.start : unit.end] == unit.quote


def test_a_publisher_named_among_labels_under_the_headline(tmp_path: Path) -> None:
    note = (
        "# Who should own complaints?\n\n"
        "Research note · Harwick & Lowe Research · Knowledge base / Customer operations\n"
        "Author: Jane Doe, Principal Analyst\n"
        "Last edited: 14 November 2023\n\n"
        "## Summary\n\n"
        "Most organisations treat complaints as a service problem and file them under the "
        "contact centre.\n"
    )
    doc = _load(tmp_path, "note.md", note)
    assert doc.meta.get("publisher") == "Harwick & Lowe Research"


def test_a_chart_drawn_as_a_tree_in_a_code_block_is_read_node_under_parent(
    tmp_path: Path,
) -> None:
    memo = (
        "# Who reports to whom\n\n"
        "## Reporting lines\n\n"
        "```\n"
        "Chief Executive - Ama Mensah\n"
        "|-- Chief Financial Officer - Tomas Ruiz (Finance; 140 people)\n"
        "|   `-- Head of Planning - Ines Dahl\n"
        "`-- Chief Operating Officer - Lena Fox (Operations; 1,200 people)\n"
        "```\n\n"
        "```\n"
        "station\n"
        "├── north depot (12 vans)\n"
        "└── south depot (9 vans)\n"
        "```\n\n"
        "```\n"
        "pip install cx-advisor\n"
        "cx-advisor ask 'who owns CX?'\n"
        "```\n"
    )
    doc = _load(tmp_path, "memo.md", memo)
    units = {u.quote: u for u in _units(doc)}
    fox = units["Chief Operating Officer - Lena Fox (Operations; 1,200 people)"]
    assert fox.role == "list_item"
    assert fox.reading.startswith("Chief Executive - Ama Mensah")
    assert units["Head of Planning - Ines Dahl"].reading.startswith("Chief Financial Officer")
    assert units["Chief Executive - Ama Mensah"].reading.startswith("Reporting lines")
    assert units["south depot (9 vans)"].reading.startswith("station")
    assert not any("pip install" in q for q in units)  # code that draws no tree stays out
    for unit in units.values():  # quoted verbatim from the stored text
        assert doc.text[unit.start : unit.end] == unit.quote


def test_a_tree_in_a_memo_is_part_of_its_text_for_the_headline(tmp_path: Path) -> None:
    """The starter organisation memo sent as email text: its chart's nodes are short
    lines, but they do not cut the memo's text in two (the headline had become the
    heading after the chart, "Headcount by function")."""
    from evals.reformat import hard_wrapped, plain_body
    from ingest.loaders.markdown import split_front_matter

    source = Path(__file__).parents[1] / "corpus" / "internal" / "org-chart-memo.md"
    _, body = split_front_matter(source.read_text(encoding="utf-8"))
    doc = _load(tmp_path, "org-chart-memo.txt", hard_wrapped(plain_body(body).strip()))
    assert doc.title == "Executive structure and customer experience responsibilities"
    assert doc.meta.get("date") == "2026-09-15"


def test_a_row_whose_cells_lost_their_spaces_is_read_with_its_period_columns() -> None:
    """A PDF's aligned table comes out with single spaces: the row's trailing values
    pair with the header's trailing periods (or one-word columns)."""
    assert table_reading("Channel Q3 2026 Q2 2026", "All channels 65% 68%") == (
        "Channel: All channels; Q3 2026: 65%; Q2 2026: 68%."
    )
    assert table_reading("Channel Q3 2026 Q2 2026 Change", "Chat 286,000 262,000 +9.2%") == (
        "Channel: Chat; Q3 2026: 286,000; Q2 2026: 262,000; Change: +9.2%."
    )
    # column names of several words cannot be told apart: read as before, header first
    header = "Funding model Share of firms Median payback"
    assert table_reading(header, "CFO-governed 23% 15").startswith(f"{header}: ")
    # periods named with the same words each time ("Share Q3 2026 Share Q2 2026") are
    # columns of those words, the first column's name what comes before them
    shares = "Contact reason Share Q3 2026 Share Q2 2026"
    assert table_reading(shares, "Roaming 6% 5%") == (
        "Contact reason: Roaming; Share Q3 2026: 6%; Share Q2 2026: 5%."
    )
    assert table_reading("Item End of Q3 2026 End of Q2 2026", "of which agents 880 880") == (
        "Item: of which agents; End of Q3 2026: 880; End of Q2 2026: 880."
    )
    changed = "Channel CSAT Q3 2026 CSAT Q2 2026 Change (points)"
    assert table_reading(changed, "Voice 71% 76% -5") == (
        "Channel: Voice; CSAT Q3 2026: 71%; CSAT Q2 2026: 76%; Change (points): -5."
    )
    # ... but not where the words differ, or no words are left for the first column
    for header in ("Item Start of Q3 2026 End of Q2 2026", "Share Q3 2026 Share Q2 2026"):
        assert table_reading(header, "Roaming 6% 5%").startswith(f"{header}: ")


def test_a_relative_time_line_is_a_byline_and_never_the_title(tmp_path: Path) -> None:
    assert is_relative_time("1 hour ago")
    assert is_relative_time("Updated 39 mins ago")
    assert is_relative_time("vor 3 Stunden")
    assert not is_relative_time("Ten years ago we began to measure effort.")
    page = (
        "Sports\nWeather\n\n"
        "Video\n\n"
        "1 hour ago\n\n"
        "Latest Headlines\n\n"
        "Store Opening Hours Extended For The Holidays\n\n"
        "Retailers across the region will keep their stores open later this holiday season, "
        "and most will add staff to their customer service desks.\n\n"
        "The longer hours start next week and run until the new year, according to the "
        "regional retail association, which surveyed its members last month.\n\n"
        "Shoppers said in the same survey that waiting at the service desk was their "
        "biggest complaint about holiday shopping in the region last year.\n"
    )
    doc = _load(tmp_path, "page.txt", page)
    assert doc.title != "1 hour ago"
    assert [b.role for b in doc.blocks if b.text == "1 hour ago"] == ["byline"]


def test_the_heading_that_repeats_a_breadcrumb_trails_last_step_is_the_title(
    tmp_path: Path,
) -> None:
    page = (
        "Traditions\nCooking\n\n"
        "Is there anything to laugh about here?\n\n"
        "Politics\n\n"
        "Breadcrumb\n\n"
        "1. Home\n"
        "2. The People\n"
        "3. Homo Brandenburgensis\n\n"
        "Homo Brandenburgensis\n\n"
        "People in the region\n\n"
        "Keeping it short is a principle of every conversation here. People get on with "
        "the work instead of talking about it, and visitors notice it at once.\n\n"
        "Most residents describe themselves as reserved, but they laugh a great deal once "
        "they know someone, as visitors who stay longer tend to find out.\n\n"
        "The region's dialect is a mix of older local speech and the language of the "
        "capital, and it is still heard in markets and pubs across the region.\n"
    )
    doc = _load(tmp_path, "page.txt", page)
    assert doc.title == "Homo Brandenburgensis"


def test_a_day_numbered_before_its_month_opens_a_date_line_not_a_list(tmp_path: Path) -> None:
    """German writes a day with a full stop: "17. Januar 2014 · 02:16" under a headline
    is the post's date line, not item 17 of a list; "3. Pool the budget." stays an item."""
    text = (
        "Warum Rückerstattungen Kunden halten\n"
        "17. Januar 2014 · 02:16\n\n"
        "Händler, die eine Rücksendung innerhalb eines Tages erstatten, sehen mehr "
        "Wiederholungskäufe, so die Umfrage unter 400 Kundinnen und Kunden.\n\n"
        "Die Autoren empfehlen drei Schritte:\n\n"
        "3. Pool the budget for refunds across every channel.\n"
    )
    doc = _load(tmp_path, "post.txt", text)
    roles = {b.text: b.role for b in doc.blocks}
    assert roles["17. Januar 2014 · 02:16"] == "byline"
    assert doc.meta.get("date") == "2014-01-17"
    assert roles["3. Pool the budget for refunds across every channel."] == "list_item"


def test_a_sub_row_is_read_with_the_row_it_belongs_to(tmp_path: Path) -> None:
    """ "of which agents 880 880" under "Contact-centre employees 1,050 1,050" counts
    agents among the contact centres' employees."""
    text = STAFFING
    readings = [u.reading for u in _units(_load(tmp_path, "staffing.txt", text))]
    assert "Item: Contact-centre employees, of which agents; End of Q3 2026: 880; " in (
        " ".join(readings)
    )
    assert "Item: Contact-centre employees, of which team leaders; End of Q3 2026: 95;" in (
        " ".join(readings)
    )
    assert "Item: Open agent vacancies; End of Q3 2026: 64; End of Q2 2026: 38." in readings


def test_a_table_rows_label_is_its_first_cell_as_read() -> None:
    """What a row is about is its first cell, a sub-row's with the row it belongs to, and
    never a column name or a figure."""
    header = "Item End of Q3 2026 End of Q2 2026"
    assert row_label("Region | Churn 2025 | Churn 2026", "North | 4.1% | 3.8%") == "North"
    assert row_label(header, "of which agents 880 880") == "of which agents"
    assert row_label(header, "of which agents 880 880", "Contact-centre employees 1,050 1,050") == (
        "Contact-centre employees, of which agents"
    )
    assert row_label("", "Call centre | 9,120") == "Call centre"
    unit = EvidenceUnit(0, 10, "body", "North grew.", "Region | Churn")
    assert unit.label == ""


def test_a_line_of_zero_width_spaces_is_a_blank_line(tmp_path: Path) -> None:
    """Pages saved as text keep an empty paragraph's zero-width space on a line of its
    own: it parts paragraphs and is never a heading."""
    text = (
        "Service desks at a glance\n\n"
        "By Jane Doe\n\n"
        "Most teams answer within a day, and nearly all of them track it weekly.\n\n"
        "\u200b\n\n"
        "Teams that publish their targets answer faster than those that do not.\n\n"
        "\u200b\ufeff\n\n"
        "The survey covered 312 teams in nine countries over two years.\n"
    )
    doc = _load(tmp_path, "desks.txt", text)
    assert doc.title == "Service desks at a glance"
    assert not [b for b in doc.blocks if not b.text.translate(INVISIBLE).strip()]
    assert [u.quote for u in _units(doc)][-1] == (
        "The survey covered 312 teams in nine countries over two years."
    )


def test_a_byline_set_out_in_fields_is_no_table_row(tmp_path: Path) -> None:
    """A credit for the words ("Text & Fotos: ...") names the author, and a byline written
    with pipes, with the one line of fields beside it, is the masthead: never a table's
    header or row, never evidence. A real table after it stays a table."""
    assert byline_author("Text & Fotos: Ivan Petrov \t0 337") == "Ivan Petrov"
    assert byline_author("Texte et photos : Jean Dupont") == "Jean Dupont"
    assert byline_author("Text: Die Welt ist klein") is None  # a label, not a name
    page = (
        "Winter Fishing On The Lake\n\n"
        "By Jane Doe | Special to the Lake Press\n"
        "PUBLISHED: November 19, 2019 at 8:59 pm | UPDATED: November 19, 2019 at 10:16 pm\n\n"
        "Pike stay active through the winter and feed in deep water, so the cold months "
        "are a good time to fish for them from a boat.\n\n"
        "Catches by month were recorded as follows.\n\n"
        "Month | Pike | Perch\n"
        "December | 14 | 30\n"
        "January | 9 | 41\n"
    )
    doc = _load(tmp_path, "page.txt", page)
    assert doc.meta.get("author") == "Jane Doe"
    roles = {b.text: b.role for b in doc.blocks}
    assert roles["By Jane Doe | Special to the Lake Press"] == "byline"
    assert roles[
        "PUBLISHED: November 19, 2019 at 8:59 pm | UPDATED: November 19, 2019 at 10:16 pm"
    ] == ("byline")
    shown = {u.quote: u for u in _units(doc)}
    assert not any("Jane Doe" in q or "PUBLISHED" in q for q in shown)
    assert shown["January | 9 | 41"].context == "Month | Pike | Perch"


CREDITS = (
    "A film in colour",
    "Dungeness, 1990",
    "Director and writer",
    "Music by Simon Fisher Turner",
    "With Tilda Swinton",
    "Camera by Christopher Hughes",
    "Edited by Peter Cartwright",
    "Produced by James Mackay",
    "Ninety-two minutes long",
    "Shown in Berlin and London",
)
RECENT = tuple(f"Winter Crystals, part {n}" for n in range(1, 15))


def test_a_date_line_over_the_headline_dates_a_page_that_lists_it_again(tmp_path: Path) -> None:
    """A blog page shows its post's title twice, over the post and in a list of recent
    posts; the showing with a date line right over it is the post's own."""
    page = (
        "Notes from the Pink House\n\n"
        "Older post: On obituaries\n\n"
        "17 January 2014 · 02:16\n\n"
        "Jump to the comments\n\n"
        "# The Garden\n\n"
        # The post is a film's credits, short lines; the page's text is its comments.
        + "".join(f"{line}\n\n" for line in CREDITS)
        + "## Recent posts\n\n"
        + "".join(f"## {title}\n\n" for title in RECENT)
        + "## The Garden\n\n"
        + "".join(
            f"Reader {n} wrote that the film stayed with them for weeks after they saw it, "
            "and that the garden scenes were the ones they remembered best of all.\n\n"
            for n in range(1, 7)
        )
    )
    doc = _load(tmp_path, "post.md", page)
    assert doc.title == "The Garden"
    assert doc.meta.get("date") == "2014-01-17"


def test_a_wrapped_page_with_many_short_menu_lines_is_read_as_wrapped(tmp_path: Path) -> None:
    """A pasted page hard-wrapped as a memo: its menus are many short lines and its
    wrapped paragraphs few, yet a line that runs on into a capitalised word ("... Leistung
    und" / "Tiergesundheit in der ...") is one paragraph with it."""
    teasers = (
        "Kaiserschnitt: Letzte Chance für Kuh und Kalb",
        "Wasser: Wie viel säuft die Sau?",
        "Taschengeld ist Lehrgeld",
        "Neue Ställe für alte Rassen",
        "Der Maisanbau im Wandel",
        "Biogas lohnt sich wieder",
        "Wenn der Tierarzt zweimal klingelt",
        "Grünland richtig düngen",
    )
    menu = "".join(f"{line}\n" for line in teasers * 5)
    body = (
        "Auch neueste Technik kann den Menschen nicht ersetzen. Aber neue Sensoren und "
        "Indikatoren\n"
        "sehen mehr als das geschulte Melkerauge und tragen so zu einer höheren Leistung und\n"
        "Tiergesundheit in der Milchviehhaltung bei.\n"
        "Mit Hilfe des Leitfähigkeitssensors lässt sich das Vorgemelk jeden Tag gut "
        "kontrollieren.\n"
        "Die Datenkopplung erfolgt über die Zeit- und Melkplatzsynchronisation in der dazu\n"
        "gehörigen Software, die der Hersteller jedes Jahr mit neuen Auswertungen erweitert.\n"
    )
    doc = _load(tmp_path, "page.txt", f"{menu}\nModerne Sensortechnik im Kuhstall\n\n{body}")
    bodies = [_flat(b.text) for b in doc.blocks if b.role == "body"]
    assert any(
        b.endswith("zu einer höheren Leistung und Tiergesundheit in der Milchviehhaltung bei.")
        for b in bodies
    )
    assert not any(b.startswith("Tiergesundheit") for b in bodies)


def test_a_numbered_list_that_runs_onto_the_next_page_keeps_its_lead_in(
    tmp_path: Path,
) -> None:
    """Items 2 and 3 at the top of the next page carry on the list that item 1 began
    under its lead-in; a list of its own at a page's top ("1. ...") does not."""
    filler = " ".join(["Volumes stayed high through the quarter and the backlog grew."] * 30)
    pages = [
        f"{filler}\n\nCustomer Service makes three requests:\n\n"
        "1. Approval of 60 additional partner FTE from December, at EUR 1.9 million.",
        "2. A seat for Customer Operations in the decisions on CRM requirements.\n\n"
        "3. A clear owner for end-to-end journeys such as billing.\n\n"
        "The COO will take these requests to the CX Council in October.",
    ]
    text = "\f".join(pages)
    items = [u for u in _units(_load(tmp_path, "review.txt", text)) if u.role == "list_item"]
    assert [u.quote[:2] for u in items] == ["1.", "2.", "3."]
    assert all(u.context == "Customer Service makes three requests:" for u in items)
    fresh = text.replace("2. A seat", "1. A seat").replace("3. A clear", "2. A clear")
    items = [u for u in _units(_load(tmp_path, "other.txt", fresh)) if u.role == "list_item"]
    assert [u.context for u in items][1:] == ["", ""]
