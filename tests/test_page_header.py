"""Saved pages read the way a reader sees their header: the headline, not a menu item,
a tagline or a sub-heading; the author from the lines around it; dates in the forms and
languages pages write them; the headline an HTML page shows, not its window title."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.document import Block, LoadedDocument
from ingest.evidence import document_units
from ingest.headline import detect
from ingest.loaders import load_document
from ingest.masthead import (
    byline_author,
    byline_when,
    copyright_year,
    date_line,
    dated_name,
    find_date,
    leading_date,
    posted_role,
    yearless_date,
)

ARTICLE = (
    "Returns have become the quiet cost centre of online retail, and the firms that "
    "handle them well keep their customers for longer. Retailers that answer a return "
    "within a day see repeat purchases rise, according to the survey of 400 shoppers. "
    "The cost of a slow refund shows up months later in churn."
)
MORE = (
    "Most shoppers said a clear returns policy mattered more than free delivery. Half "
    "of them had abandoned a basket after reading a strict one. Retailers that publish "
    "refund times up front also get fewer calls to their contact centres."
)
LAST = (
    "The survey's authors advise retailers to measure the time from a return's arrival "
    "to the refund, and to publish it. Few do so today, and the ones that do lead on "
    "satisfaction scores in every category the survey covered."
)
# A post pasted from a social network: the author's name with a tag, the role line, the time.
POST = (
    "Jane Okafor • 2nd\nHead of Insight at Northfield Customer Lab | Speaker\n"
    f"1w • Edited\n\nWhy refunds decide loyalty\n\n{ARTICLE}\n\n{MORE}\n\n{LAST}"
)


def _load(tmp_path: Path, name: str, text: str) -> LoadedDocument:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_document(path, path.read_bytes())


def _page(header: str) -> str:
    menu = "\n".join(["Home", "News", "Retail", "Logistics", "Opinion", "Search", "Sign in"])
    return f"{menu}\n\n{header}\n\n{ARTICLE}\n\n{MORE}\n\n{LAST}\n"


def test_header_lines_before_the_text_are_not_a_menu(tmp_path: Path) -> None:
    """Category, headline and author each on their own line, right above the text."""
    doc = _load(
        tmp_path,
        "page.txt",
        _page("March 29, 2019\n\nRetail\n\nWhy fast refunds keep customers\n\nJane Okafor"),
    )
    assert doc.title == "Why fast refunds keep customers"
    assert doc.meta.get("author") == "Jane Okafor"
    assert doc.meta.get("date") == "2019-03-29"


def test_headline_under_a_tagline_and_not_the_first_sub_heading(tmp_path: Path) -> None:
    tagline = (
        "A blog about shopping, service and the people behind both. Written weekly since "
        "2012 by a small team of former store managers."
    )
    text = (
        f"{tagline}\n\nJun 17 Why fast refunds keep customers\n\nJane Okafor\n\n"
        f"{ARTICLE}\n\nWhat shoppers said\n\n{MORE}\n\n{LAST}\n"
    )
    doc = _load(tmp_path, "blog.txt", text)
    assert doc.title == "Why fast refunds keep customers"  # the date before it is cut
    assert doc.meta.get("author") == "Jane Okafor"


def test_a_heading_right_under_the_first_paragraph_is_a_sub_heading(tmp_path: Path) -> None:
    text = (
        f"Why Fast Refunds Keep Customers\n\nJane Okafor\n\nJune 8, 2015\n\n{ARTICLE}\n\n"
        f"What Shoppers Said\n\n{MORE}\n\n{LAST}\n"
    )
    doc = _load(tmp_path, "post.txt", text)
    # Title case, but the text writes "customers" in lower case: not a person's name.
    assert doc.title == "Why Fast Refunds Keep Customers"
    assert doc.meta.get("author") == "Jane Okafor"


def test_bylines_in_their_common_written_forms() -> None:
    assert byline_author("19.03.2019 11:45 | von Inga Berger") == "Inga Berger"
    assert byline_author("Posted by Sam Reid at 5:11 AM") == "Sam Reid"
    assert byline_author("Author Ben Carter") == "Ben Carter"
    assert byline_author("**Author** Ben Carter") == "Ben Carter"  # a label set in bold
    assert byline_author("Autor/in: Korinna Weiss") == "Korinna Weiss"
    assert byline_author("By the way, this matters") is None
    assert dated_name("19.6.2007 9:40 Uhr Clara Vogt 71 Kommentare") == "Clara Vogt"
    assert dated_name("19.6.2007 9:40 Uhr") is None


def test_dates_in_several_languages_and_forms() -> None:
    assert find_date("Donnerstag, 31. Mai 2012") == ("2012-05-31", (12, 24))
    assert find_date("le 3 décembre 2019")[0] == "2019-12-03"  # type: ignore[index]
    assert find_date("5. Dez 2018")[0] == "2018-12-05"  # type: ignore[index]
    assert find_date("Sept 3, 2020")[0] == "2020-09-03"  # type: ignore[index]
    assert find_date("Junebug 2019") is None
    # Short month forms that are also words count between a day and a year only.
    assert find_date("02 Ago 2017")[0] == "2017-08-02"  # type: ignore[index]
    assert find_date("7 set. 2018")[0] == "2018-09-07"  # type: ignore[index]
    assert find_date("We set 2018 as the year to fix it") is None
    # A US date with full stops; a time stamp; a day's full stop run into its month; a
    # two-digit year with "at" or "um" before its time.
    assert date_line("11.14.2019 09:00 AM") == "2019-11-14"
    assert find_date("By Jane Doe 2019-11-18T20:51:19Z Science")[0] == "2019-11-18"  # type: ignore[index]
    assert date_line("8.Dezember 2010 um 09:43") == "2010-12-08"
    assert date_line("Veröffentlicht am 19.10.19 um 14:34 Uhr") == "2019-10-19"
    assert find_date("Price 4.99 at 10:00") is None
    assert leading_date("Jun 17 The headline") == len("Jun 17")
    assert leading_date("12 Monkeys review") == 0


def test_dates_run_together_and_two_digit_years() -> None:
    """Pasted text runs a page's published and updated dates together; blogs show a
    date with a two-digit year on its own line."""
    assert find_date("20. April 201713. Juni 2017 Jane Doe")[0] == "2017-04-20"  # type: ignore[index]
    assert find_date("20 janvier 202020 janvier 2020")[0] == "2020-01-20"  # type: ignore[index]
    assert find_date("In May 202012 tickets were logged") is None  # a count, not a date
    assert find_date("Nov 15, 20195:45 AM")[0] == "2019-11-15"  # type: ignore[index]
    assert find_date("Order 201713 shipped") is None
    assert date_line("17.7.11") == "2011-07-17"
    assert date_line("3.2.99") == "1999-02-03"
    assert date_line("Version 1.2.10 notes") is None
    assert date_line("04.05.20 14:50") == "2020-05-04"  # and the time it was posted
    # With slashes, and as the first field of a meta line ("30/10/23 | StarsInsider").
    assert date_line("30/10/23 | StarsInsider") == "2023-10-30"
    assert date_line("11/19/23") == "2023-11-19"  # the second number can only be a day
    assert date_line("Gesundheit Angst 30/10/23") is None  # a teaser's label, not a field
    assert date_line("30/10/23 | a field far too long to be a site name") is None
    assert dated_name("Jane Okafor , 01. Dez. 2017, 12:01 Uhr 3 min Lesezeit") == "Jane Okafor"
    assert dated_name("Updated March 3, 2021") is None


def test_dates_with_slashes_in_either_order() -> None:
    """Slashes put the day first unless the second number can only be a day, as US
    pages write it; a two-digit year counts with the time after it."""
    assert find_date("20/02/2023")[0] == "2023-02-20"  # type: ignore[index]
    assert find_date("11/19/2019")[0] == "2019-11-19"  # type: ignore[index]
    assert find_date("03/04/2020")[0] == "2020-04-03"  # type: ignore[index]
    assert find_date("By Jane Doe - 11/18/19 11:04 PM EST") == ("2019-11-18", (14, 22))
    assert find_date("Mix 1/2/23 of the flour") is None
    assert find_date("Rated 4/5/10 by readers") is None
    assert byline_author("By Jane Doe - 11/18/19 11:04 PM EST") == "Jane Doe"
    # A time on the 12-hour clock says the page writes dates month first, as US pages
    # do; on the 24-hour clock the day stays first.
    assert find_date("By Jane Doe • 11/08/23 5:19pm")[0] == "2023-11-08"  # type: ignore[index]
    assert date_line("03/04/2021, 10:15 AM") == "2021-03-04"
    assert date_line("Posted 03/04/2021 at 10:15 a.m.") == "2021-03-04"
    assert date_line("03/04/21 10:15") == "2021-04-03"
    assert date_line("25/04/21 10:15 pm") == "2021-04-25"  # the first can only be a day


def test_dates_set_apart_with_bars_but_not_a_table_row() -> None:
    """A date some pages write with bars between day, month and year; the same numbers
    inside a longer row of bars are a table's cells, not a date."""
    assert date_line("26 | 01 | 2022") == "2022-01-26"
    assert find_date("26 | 01 | 2022 \tSchweiz | Praxis")[0] == "2022-01-26"  # type: ignore[index]
    assert find_date("North | 4 | 12 | 2019") is None
    assert find_date("4 | 12 | 2019 | 3.1%") is None
    assert find_date("Autor | 20.02.2023") == ("2023-02-20", (8, 18))


def test_a_date_set_with_spaces_after_its_full_stops_only_as_a_line_of_its_own() -> None:
    """A date "13. 1. 2020" on a line of its own is a date, with its time too; inside a sentence
    the same marks can run through a list of days, which is no date of the page."""
    assert date_line("13. 1. 2020") == "2020-01-13"
    assert date_line("14. 01. 2020, 13:47") == "2020-01-14"
    assert date_line("Das Turnier am 26. und 27. 2. 2015") is None
    assert date_line("31. 2. 2020") is None  # no such day


def test_the_date_under_the_headline_not_a_teasers_above_it(tmp_path: Path) -> None:
    # A sidebar's last teaser, its date above its title, right before the headline.
    header = "Opinion\nApril 19, 2022\nDisability rights\n\n"
    header += "Why refunds decide loyalty\n\nRetail\nApril 26, 2022\nJane Okafor , April 26, 2022"
    doc = _load(tmp_path, "dated.txt", _page(header))
    assert doc.title == "Why refunds decide loyalty"
    assert doc.meta.get("date") == "2022-04-26"
    assert doc.meta.get("author") == "Jane Okafor"


def test_the_articles_own_showing_of_a_headline_listed_again_as_a_latest_post() -> None:
    """A blog lists its latest posts under the article, this one among them with its
    lead under it and the author's box above: the byline and date are read under the
    article's own showing of the headline, however the other scores."""
    from ingest.document import Block
    from ingest.headline import detect

    headline = "Why refunds decide loyalty"
    lead = (
        "Retailers that answer a return within a day see repeat purchases rise, according "
        "to the survey of 400 shoppers."
    )
    welcome = (
        "Welcome to our network of blogs. We write about retail, service and loyalty every "
        "week of the year. Join the readers who get our newsletter."
    )
    archive = (
        "Our archive holds every post since 2009. Older blogs are kept for reference and "
        "are no longer updated by their authors."
    )
    footer = ["Share", "More", "Comment", "Subscribe", "RSS", "Atom", "Feed reader", "About"]
    blocks = [
        Block("boilerplate", "Home"),
        Block("boilerplate", "Blogs"),
        Block("body", welcome),
        Block("heading", "Archived blogs"),
        Block("body", archive),
        Block("heading", "Go to ..."),
        Block("heading", "HomeBlogs"),
        Block("heading", headline),
        Block("byline", "Von Jane Okafor / 6. November 2023 / Keine Kommentare"),
        Block("body", "Share:"),
        Block("body", ARTICLE),
        Block("body", MORE),
        Block("body", LAST),
        Block("heading", "Tags: refunds, loyalty"),
        *[Block("list_item", item) for item in [*footer, "Imprint", "Privacy"]],
        Block("heading", "Jane Okafor"),
        Block("heading", "Latest posts"),
        Block("heading", headline),
        Block("heading", lead),
        Block("heading", "Numbers that customers remember"),
        Block("heading", "Im Januar 2014 schrieb mir ein Leser per E-Mail…"),
    ]
    found = detect(blocks)
    assert found.title == headline
    assert found.meta.get("date") == "2023-11-06"


def test_a_title_declared_over_a_pasted_page_finds_the_date_by_the_pages_headline(
    tmp_path: Path,
) -> None:
    """A Markdown file titled at its top over a page pasted below, whose headline is
    shown with a kicker run into it and its date line under it: the date is read there."""
    menu = "\n\n".join(f"## {item}" for item in ["Newsletter", "Videos", "Märkte", "Kontakt"])
    text = (
        f"# Why refunds decide loyalty\n\n{menu}\n\n"
        + "\n\n".join(f"## Teaser number {n} about something else entirely" for n in range(12))
        + "\n\n## Retail Why refunds decide loyalty\n\n"
        + f"1. November 2023 09:35 | Jane Okafor\n\n{ARTICLE}\n\n{MORE}\n\n{LAST}\n"
    )
    doc = _load(tmp_path, "pasted.md", text)
    assert doc.title == "Why refunds decide loyalty"
    assert doc.meta.get("date") == "2023-11-01"


def test_a_date_set_in_pieces_on_short_lines_under_the_headline(tmp_path: Path) -> None:
    """A date block laid out over two lines ("November 20" / "15:23 2019") is one date;
    a day and month with no year near them is none."""
    header = "Why refunds decide loyalty\n\nNovember 20\n\n15:23 2019\n\nShare this article"
    doc = _load(tmp_path, "pieces.txt", _page(header))
    assert doc.title == "Why refunds decide loyalty"
    assert doc.meta.get("date") == "2019-11-20"
    undated = _load(tmp_path, "undated.txt", _page("Why refunds decide loyalty\n\nNovember 20"))
    assert undated.meta.get("date") is None


def test_date_in_the_metadata_line_under_the_headline(tmp_path: Path) -> None:
    header = (
        "Why fast refunds keep customers\n\n"
        "Jane Okafor Retail and service 29 March 201929 March 2019 Refunds, returns 4 Comments"
    )
    doc = _load(tmp_path, "page.txt", _page(header))
    assert doc.title == "Why fast refunds keep customers"
    assert doc.meta.get("date") == "2019-03-29"


def test_lines_with_prices_are_not_a_table(tmp_path: Path) -> None:
    deals = (
        "Deals of the week:\n\n"
        "Flash drive with 16 gigabytes USB 3.0 for 6 euros\n"
        "Flash drive with 32 gigabytes USB 3.0 for 9 euros\n\n"
        "Channel Q3 2026 Q2 2026\n"
        "Voice 68% 71%\n"
        "Chat 61% 63%\n"
    )
    doc = _load(tmp_path, "deals.txt", deals)
    rows = [u for u in document_units(doc) if u.role == "table_row"]
    assert [" ".join(r.quote.split()) for r in rows] == ["Voice 68% 71%", "Chat 61% 63%"]
    assert all(r.context == "Channel Q3 2026 Q2 2026" for r in rows)


def _html(head: str, body: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in (ARTICLE, MORE, LAST))
    return f"<html><head>{head}</head><body>{body}<article>{paragraphs}</article></body></html>"


def test_html_headline_is_the_heading_the_page_shows(tmp_path: Path) -> None:
    cases = {
        # The sharing title is a slug; the page's only <h1> is the headline.
        "slug": (
            '<title>Refund study 2019 | Shopwire</title><meta property="og:title" '
            'content="refund-study-2019">',
            "<h1>Why fast refunds keep customers</h1>",
            "Why fast refunds keep customers",
        ),
        # The window title carries a long site name and no sharing title says otherwise.
        "site name": (
            "<title>Why fast refunds keep customers | Institute for Retail Studies</title>",
            "<h1>Why fast refunds keep customers</h1>",
            "Why fast refunds keep customers",
        ),
        # The only <h1> is the site's name, which the sharing title leaves out.
        "branding h1": (
            "<title>Shopwire Daily: Why fast refunds keep customers</title><meta property="
            '"og:title" content="Why fast refunds keep customers (a study)">',
            "<h1>Shopwire Daily</h1>",
            "Why fast refunds keep customers (a study)",
        ),
        # The article's declared headline names the <h2>; the <h1> is a teaser's.
        "declared headline": (
            '<title>Refunds!</title><script type="application/ld+json">{"@type": '
            '"NewsArticle", "headline": "Why fast refunds keep customers"}</script>',
            "<h1>Ten returns you will not believe</h1><h2>Why fast refunds keep customers</h2>",
            "Why fast refunds keep customers",
        ),
        # The only <h1> heads a log-in dialog; the page shows the declared title in a
        # <div> of its own.
        "dialog h1": (
            "<title>Why fast refunds keep customers - Shopwire</title>",
            "<div><h1>Log In</h1></div><div class='headline'>Why fast refunds keep customers</div>",
            "Why fast refunds keep customers",
        ),
        # A lone <h1> worded unlike the sharing title, which the page never shows.
        "reworded h1": (
            '<meta property="og:title" content="An event to remember | Shopwire">',
            "<h1>Never travel without your own shower head</h1>",
            "Never travel without your own shower head",
        ),
        # No headings; the title opens with a group's name the page never shows, and the
        # page shows the headline part as a line of its own.
        "shown part": (
            "<title>Retail Council of Northshire - Faster refunds approved by the board</title>",
            "<div class='teaser'>Faster refunds approved by the board</div>"
            "<p>The board approved faster refunds for all stores this week, after a year "
            "of trials in three of them.</p><div>Retail Council</div>",
            "Faster refunds approved by the board",
        ),
    }
    for name, (head, body, expected) in cases.items():
        doc = _load(tmp_path, f"{name.replace(' ', '-')}.html", _html(head, body))
        assert doc.title == expected, name


def test_pipe_table_rows_a_blank_line_apart_keep_their_header(tmp_path: Path) -> None:
    """As HTML-to-Markdown converters write tables: a rule under the header and under
    the last row, the rows a blank line apart."""
    text = (
        "# Churn\n\nChurn by region:\n\n| Region | Churn 2025 | Churn 2026 |\n|---|---|---|\n\n"
        "| North | 4.1% | 3.8% |\n\n| South | 5.2% | 5.6% |\n|---|---|---|\n\nSource: finance.\n"
    )
    doc = _load(tmp_path, "churn.md", text)
    rows = [u for u in document_units(doc) if u.role == "table_row"]
    assert [r.reading for r in rows] == [
        "Region: North; Churn 2025: 4.1%; Churn 2026: 3.8%.",
        "Region: South; Churn 2025: 5.2%; Churn 2026: 5.6%.",
    ]


def test_a_byline_under_a_caption_is_not_joined_to_it(tmp_path: Path) -> None:
    text = (
        "Why fast refunds keep customers\n\n5. Dez 2018\n"
        "A parcel on a doorstep (Photo: Pixabay)\ngeschrieben von Meike Brandt\n\n"
        f"{ARTICLE}\n\n{MORE}\n\n{LAST}\n"
    )
    doc = _load(tmp_path, "caption.txt", text)
    assert doc.meta.get("author") == "Meike Brandt"
    assert doc.meta.get("date") == "2018-12-05"


def test_teasers_cut_short_are_not_the_article(tmp_path: Path) -> None:
    """A list of other articles' teasers (each ending in '...') above the article: the
    headline is the one over the article's text, not a teaser's."""
    teasers = "\n\n".join(
        f"0{day}.10.2016\n\n{title}\n\n{lead} Retailers said the change came late, and "
        "the board will look at it again...\n\nRead more"
        for day, title, lead in (
            (7, "Zoo prices rise again", "The council argued once more about ticket prices."),
            (5, "Children ask for safer crossings", "A children's summit met at the weekend."),
        )
    )
    text = f"{teasers}\n\nBack to the list\n\n22.05.2014\n\nWhy fast refunds keep customers\n\n"
    text += f"{ARTICLE}\n\n{MORE}\n\n{LAST}\n"
    doc = _load(tmp_path, "press.txt", text)
    assert doc.title == "Why fast refunds keep customers"
    assert doc.meta.get("date") == "2014-05-22"


def test_a_breadcrumb_that_ends_in_a_question_headline_is_not_the_articles_start(
    tmp_path: Path,
) -> None:
    """A trail whose last label is a headline of two sentences reads like a paragraph; it
    is navigation, so the headline right under it is above the article, not inside it."""
    headline = "Why do refunds matter? The eight things shoppers want"
    trail = f"Home / Shop talk / Retail news / Returns / {headline}"
    header = f"{trail}\n\n{headline}\n\nBy Jane Okafor\nNov 8, 2023"
    teaser = "\n\nRelated\n\nEight refund tips that keep shoppers coming back\n\nNov 9, 2023\n"
    doc = _load(tmp_path, "page.txt", _page(header) + teaser)
    assert doc.title == headline
    assert doc.meta.get("date") == "2023-11-08"


def test_breadcrumb_and_navigation_lines_are_not_the_headline(tmp_path: Path) -> None:
    """A breadcrumb that ends in the headline, and links to the previous and next
    posts, are navigation: the headline is the heading standing on its own."""
    text = _page("Home Retail Why fast refunds keep customers\n\nWhy fast refunds keep customers")
    text += "\n\u2190 Our returns survey opens\n\nTen years of the blog \u2192\n"
    doc = _load(tmp_path, "post.txt", text)
    assert doc.title == "Why fast refunds keep customers"

    trail = _page("Home \u00bb 2019 \u00bb March \u00bb Why fast refunds keep customers")
    doc = _load(
        tmp_path,
        "trail.txt",
        trail.replace("\n\nReturns have", "\n\nWhy refunds matter\n\nReturns have", 1),
    )
    assert doc.title == "Why refunds matter"


def test_text_the_page_shows_twice_does_not_start_the_article(tmp_path: Path) -> None:
    """A newsletter form's consent text shown at the top and again further down is
    furniture of the page; the headline is the one over the article."""
    consent = (
        "I agree to the privacy policy of the newsletter service. You can withdraw your "
        "consent at any time by writing to us."
    )
    text = (
        f"SUBSCRIBE NOW\n\n{consent}\n\nAbout this blog\n\n{consent}\n\n"
        f"Why fast refunds keep customers\n\nShare\n\n{ARTICLE}\n\n{MORE}\n\n{LAST}\n"
    )
    doc = _load(tmp_path, "blog.txt", text)
    assert doc.title == "Why fast refunds keep customers"


def test_a_title_page_keeps_both_lines_of_its_title(tmp_path: Path) -> None:
    """A title page holds little but its title, set over two lines in a large font: the
    body size is judged by where most of the characters are, so the title still stands
    out, and both its lines are the title, not only the part the PDF declares."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title("Service and the Customer")
    pdf.add_page()
    pdf.set_font("Helvetica", size=24)
    pdf.cell(0, 12, "An Introduction to", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 12, "Service and the Customer", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 8, "Second edition, written for the contact centre team, March 2024")
    pdf.add_page()
    pdf.multi_cell(0, 6, ARTICLE)
    path = tmp_path / "title-page.pdf"
    pdf.output(str(path))
    doc = load_document(path, path.read_bytes())
    assert doc.title == "An Introduction to Service and the Customer"


def test_markdown_dates_are_read_around_its_first_heading(tmp_path: Path) -> None:
    """A hard-wrapped Markdown copy of a page: the date is in the line run together
    under the file's own headline, and a sub-heading with a date line of its own follows
    the text."""
    text = (
        "Home\n\nNews\n\nRetail\n\n# Why fast refunds keep customers\n\n"
        "Jane Okafor Retail and service 29 March 201929 March 2019 Refunds, returns\n"
        "4 Comments\n\n"
        f"{ARTICLE}\n\n{MORE}\n\n## Shoppers answer the survey\n\n2 April 2019\n\n{LAST}\n"
    )
    doc = _load(tmp_path, "page.md", text)
    assert doc.title == "Why fast refunds keep customers"
    assert doc.meta.get("date") == "2019-03-29"


def test_a_memo_whose_text_runs_on_through_a_long_table_keeps_its_headline(
    tmp_path: Path,
) -> None:
    rows = "\n".join(f"| Region {n} | {n * 10} | {100 - n}% |" for n in range(1, 25))
    memo = (
        "Contact centre staffing across the regions\n\n"
        "To: Executive Committee\nFrom: Ana Ruiz, Chief of Staff\nDate: 15 September 2026\n\n"
        "Purpose of this memo\n\n"
        "This memo sets out how many agents each region employs today and how well\n"
        "their calls are answered. It describes the present set-up only.\n\n"
        "Staffing by region\n\n"
        "Each region runs its own contact centre. Agents are hired locally.\n\n"
        f"| Region | Agents | Answered |\n{rows}\n\n"
        "What comes next\n\n"
        "The committee will review the figures in October. Two regions have asked for\n"
        "more agents. No decision has been taken yet, and none is proposed here.\n"
    )
    doc = _load(tmp_path, "staffing.txt", memo)
    assert doc.title == "Contact centre staffing across the regions"
    assert doc.meta.get("date") == "2026-09-15"


def test_the_publisher_is_the_masthead_name_an_about_line_opens_with(tmp_path: Path) -> None:
    page = (
        "NORTHFIELD CUSTOMER LAB\n\nResearch Note 7\n\nWhy refunds decide loyalty\n"
        f"By Jane Okafor\n\n{ARTICLE}\n\n{MORE}\n\n{LAST}\n\n"
        "Northfield Customer Lab is an independent research group.\n\nCookie policy\n"
    )
    doc = _load(tmp_path, "refunds.txt", page)
    assert doc.title == "Why refunds decide loyalty"
    assert doc.meta.get("publisher") == "Northfield Customer Lab"
    assert doc.meta_sources.get("publisher") == "detected"
    # A menu line shown again in the footer names no publisher.
    plain = _load(tmp_path, "plain.txt", page.replace("Northfield Customer Lab is", "We are"))
    assert "publisher" not in plain.meta


def test_the_closing_line_set_aside_as_boilerplate_still_names_the_publisher() -> None:
    from ingest.headline import site_name
    from ingest.reading import Block

    closing = (
        "Northfield Customer Lab is an independent research group. This note may be shared "
        "internally with attribution. Contact: research@northfield.example"
    )
    blocks = [
        Block("heading", "NORTHFIELD CUSTOMER LAB"),
        Block("heading", "Why refunds decide loyalty"),
        Block("body", ARTICLE),
        Block("boilerplate", closing),
    ]
    assert site_name(blocks, 1) == "Northfield Customer Lab"
    assert site_name([*blocks[:3], Block("boilerplate", "Cookie policy")], 1) is None


def test_the_publisher_opening_a_byline_under_the_headline_is_named_by_the_closing_line(
    tmp_path: Path,
) -> None:
    page = (
        "WHY REFUNDS DECIDE LOYALTY\nNorthfield Customer Lab, Research Brief 21-09, "
        f"September 2021\nPrepared by Jane Okafor\n\n{ARTICLE}\n\n{MORE}\n\n{LAST}\n\n"
        "Northfield Customer Lab is an independent research group. This brief may be "
        "circulated within subscribing organisations. Enquiries: lab@northfield.example\n"
    )
    doc = _load(tmp_path, "brief.txt", page)
    assert doc.meta.get("publisher") == "Northfield Customer Lab"
    assert doc.meta.get("date") == "2021-09"


def test_the_byline_lines_left_out_of_the_text_are_kept_as_its_front(tmp_path: Path) -> None:
    page = (
        "WHY REFUNDS DECIDE LOYALTY\nHarwell Analytics, Working Paper 7, March 2022\n"
        f"Prepared by Jane Okafor\n\n{ARTICLE}\n\nBy Tom Reyes\n\n{MORE}\n"
    )
    doc = _load(tmp_path, "paper.txt", page)
    assert "Working Paper" not in doc.text  # metadata, never evidence
    # What the document says of itself over its text stays with it, as written; a byline
    # further down (over a later paragraph) is not its front.
    assert doc.front == "Harwell Analytics, Working Paper 7, March 2022 · Prepared by Jane Okafor"


def test_a_post_names_its_author_by_the_name_set_off_a_tag_and_the_house_of_the_role(
    tmp_path: Path,
) -> None:
    doc = _load(tmp_path, "post.txt", f"{POST}\n")
    assert doc.meta.get("author") == "Jane Okafor"
    assert doc.meta.get("publisher") == "Northfield Customer Lab"


def test_a_papers_title_and_authors_are_read_past_its_affiliations_and_series_number(
    tmp_path: Path,
) -> None:
    paper = (
        "Why Refunds Decide Loyalty: Evidence from Three Retailers\n"
        "Jane Okafor¹, Tomas Reyes² and Mina Farouk¹\n"
        "¹ University of Northfield, Centre for Retail Research\n"
        "² Eastbrook Business School, Department of Marketing\n"
        "Centre for Retail Research Working Paper No. CRR-2024-07\n"
        f"June 2024\n\nAbstract\n\n{ARTICLE}\n\n1 Introduction\n\n{MORE}\n\n{LAST}\n"
    )
    doc = _load(tmp_path, "paper.txt", paper)
    # The authors' first institution, the line their mark points to, published it.
    assert (doc.title, doc.meta) == (
        "Why Refunds Decide Loyalty: Evidence from Three Retailers",
        {
            "author": "Jane Okafor, Tomas Reyes and Mina Farouk",
            "date": "2024-06",
            "publisher": "University of Northfield, Centre for Retail Research",
        },
    )
    # Its list of works cited is no evidence.
    cited = "Castile, R. (2020) 'Who answers?', Journal of Service Measurement, 12(3)."
    listed = _load(tmp_path, "cited.txt", paper + f"\nReferences\n\n{cited}\n\n7\n")
    assert [b.role for b in listed.blocks if b.text.startswith("Castile")] == ["boilerplate"]


def test_the_authors_own_reply_under_a_post_is_text_and_a_readers_is_a_comment(
    tmp_path: Path,
) -> None:
    thread = (
        "\n\n42 comments\n\nSam Lee • 2nd\nHead of Service at Acme\n3d\n"
        "Does this hold for business customers? Ours answer one survey a year.\n"
        "Like · 4 | Reply · 1 reply\n\nJane Okafor • Author\n"
        "Head of Insight at Northfield Customer Lab | Speaker\n2d\n"
        "Good question, Sam. For business customers the refund effect was smaller: 18% "
        "more repeat orders.\nLike · 2 | Reply\n"
    )
    doc = _load(tmp_path, "post.txt", f"{POST}{thread}")
    roles = {b.text: b.role for b in doc.blocks}
    assert roles[next(t for t in roles if t.startswith("Good question"))] == "body"
    assert roles[next(t for t in roles if t.startswith("Does this hold"))] == "comment"
    assert "18% more repeat orders" in doc.text


def test_a_heading_that_leads_a_list_is_no_headline_and_sentence_items_keep_the_text_whole() -> (
    None
):
    """A post pasted from a social network: its opening line is the headline, not "What we
    found" over the list of findings, and the list of sentences between its paragraphs is
    part of its text (a menu's items are a few words each). A digest's "In this issue"
    over its contents is no headline either."""
    from ingest.loaders import load_document

    folder = Path(__file__).parent.parent / "evals" / "corpus" / "realworld"
    post = folder / "quintrellmoss-detractor-callback-48h-post-2024.txt"
    doc = load_document(post, post.read_bytes())
    assert doc.title.startswith("Most companies ask unhappy customers for feedback.")
    digest = folder / "pemberfold-older-customers-phone-digest-2024.txt"
    assert load_document(digest, digest.read_bytes()).title != "In this issue"


def test_an_author_box_bio_is_a_byline_not_evidence_and_names_the_author(
    tmp_path: Path,
) -> None:
    bio = "\nJane Okafor\n\nJane Okafor writes about retail and tests household gadgets.\n"
    bylined = _page("Why refunds decide loyalty\n\n19.03.2019 11:45 | von Jane Okafor")
    # With a byline above the text, and with the box after it the only place she is named.
    for name, page in (("bylined.txt", bylined + bio), ("boxed.txt", _page("Refunds") + bio)):
        doc = _load(tmp_path, name, page)
        assert doc.meta.get("author") == "Jane Okafor", name
        quotes = [u.quote for u in document_units(doc)]
        assert not any(q.startswith("Jane Okafor writes") for q in quotes), name
        assert any(
            b.role == "byline" and b.text.startswith("Jane Okafor writes") for b in doc.blocks
        )
        assert any(q.startswith("Returns have become") for q in quotes)  # the article stays


def test_a_heading_under_text_the_page_shows_twice_is_not_a_sub_heading(
    tmp_path: Path,
) -> None:
    """Consent text shown above the headline and again higher up is page furniture: the
    heading under it is the headline, not a sub-heading of the text above."""
    consent = (
        "I agree that the newsletter service may keep my address for its mailings. I can "
        "withdraw this consent at any time by writing to the editors."
    )
    about = (
        "This blog follows how retailers handle returns, refunds and the service around "
        "them, with a new study or interview every week since 2015. Its editors have "
        "worked in retail for twenty years."
    )
    text = (
        f"RETURNS DESK NEWSLETTER\n\n{consent}\n\nAbout this blog\n\n{about}\n\n{consent}\n\n"
        f"Why fast refunds keep customers\n\nShare\n\n{ARTICLE}\n\n{MORE}\n\n{LAST}\n"
    )
    assert _load(tmp_path, "blog.txt", text).title == "Why fast refunds keep customers"


def test_an_info_list_byline_and_contact_line_are_not_evidence(tmp_path: Path) -> None:
    """A page's info list names its author as a bold label, and its imprint gives an
    address with an e-mail: neither is a finding. The declared author that is only the
    site's own name gives way to the byline the page shows."""
    head = (
        '<title>Why fast refunds keep customers</title><meta name="author" '
        'content="Shopwire"><meta property="og:site_name" content="Shopwire (shopwire.example)">'
    )
    body = (
        f"<h1>Why fast refunds keep customers</h1><ul><li><b>Author</b> Jane Okafor</li>"
        f"<li>Date 19.03.2019</li></ul><p>{ARTICLE}</p><p>{MORE}</p><p>{LAST}</p>"
        "<ul><li>Shopwire Media, 1 High Street, Leeds, E-Mail: desk@shopwire.example</li>"
        "<li>Returns were falling in every region the survey covered</li></ul>"
    )
    doc = _load(tmp_path, "info.html", _html(head, body))
    assert doc.meta.get("author") == "Jane Okafor"
    roles = {b.text: b.role for b in doc.blocks}
    assert roles["Author Jane Okafor"] == "byline"
    contact = next(t for t in roles if "desk@shopwire.example" in t)
    assert roles[contact] == "boilerplate"
    quotes = [u.quote for u in document_units(doc)]
    assert not any("Okafor" in q or "@" in q for q in quotes)
    assert any(q.startswith("Returns were falling") for q in quotes)  # an item stays one


def test_an_author_bio_closing_the_article_is_not_evidence(tmp_path: Path) -> None:
    """The bio that closes an article opens with its author's name, with or without the
    name alone on a line above it, and names the author when no byline does, even where
    the page writes the name in lower case in an e-mail address."""
    bio = (
        "Jane Okafor is a retail reporter with twenty years on the beat. Write to her at "
        "jane.okafor@shopwire.example or read her other pieces."
    )
    bylined = _page("Why refunds decide loyalty\n\nBy Jane Okafor") + f"\n{bio}\n"
    boxed = _page("Why refunds decide loyalty") + f"\nJane Okafor\n\n{bio}\n"
    for name, page in (("bylined.txt", bylined), ("boxed.txt", boxed)):
        doc = _load(tmp_path, name, page)
        assert doc.meta.get("author") == "Jane Okafor", name
        quotes = [u.quote for u in document_units(doc)]
        assert not any(q.startswith("Jane Okafor is") for q in quotes), name
        assert any(q.startswith("The survey's authors advise") for q in quotes), name
    # Inside the text, a sentence that opens with a name is a finding like any other.
    inside = _page("Why refunds decide loyalty\n\nBy Jane Okafor").replace(
        LAST, f"Jane Okafor found that refunds within a day doubled repeat orders.\n\n{LAST}"
    )
    quotes = [u.quote for u in document_units(_load(tmp_path, "inside.txt", inside))]
    assert any(q.startswith("Jane Okafor found") for q in quotes)


def test_a_title_that_cites_its_source_names_publisher_and_date(tmp_path: Path) -> None:
    doc = _load(
        tmp_path,
        "returns-note.txt",
        _page(
            "Why refunds decide loyalty\n\n"
            "Why refunds decide loyalty (Northfield Customer Lab, March 2021)"
        ),
    )
    assert doc.title == "Why refunds decide loyalty"
    assert doc.meta.get("publisher") == "Northfield Customer Lab"
    assert doc.meta.get("date") == "2021-03"
    # A year alone is a date; brackets that hold something else are part of the title.
    year = _load(tmp_path, "year.txt", _page("A survey of shoppers on returns (2018)"))
    assert year.title == "A survey of shoppers on returns"
    assert year.meta.get("date") == "2018" and "publisher" not in year.meta
    other = _load(tmp_path, "other.txt", _page("Refunds and loyalty (and why they matter)"))
    assert other.title == "Refunds and loyalty (and why they matter)"
    assert "date" not in other.meta
    # A person cited is the author, not the publisher: a name of words the page never
    # writes in lower case (an organisation's name has common words: "Customer Lab").
    person = _load(tmp_path, "person.txt", _page("Refunds and loyalty (Jane Okafor, 2020)"))
    assert person.meta.get("author") == "Jane Okafor" and "publisher" not in person.meta


def test_a_report_title_that_opens_with_its_publisher_and_year(tmp_path: Path) -> None:
    credited = ARTICLE.replace("according to the survey", "according to Northfield")
    page = f"Northfield 2021 Returns Survey\n\n{credited}\n\n{MORE}\n\n{LAST}\n"
    doc = _load(tmp_path, "survey.txt", page)
    assert doc.title == "Northfield 2021 Returns Survey"
    assert doc.meta.get("publisher") == "Northfield" and doc.meta.get("date") == "2021"
    # A name the text never credits with the work is not its publisher.
    plain = _load(tmp_path, "plain.txt", page.replace(credited, ARTICLE))
    assert "publisher" not in plain.meta


def test_a_headline_written_as_sentences_over_its_byline(tmp_path: Path) -> None:
    page = (
        "Northfield\nBlog | Benchmarks | About\n\n"
        "Refunds decide loyalty. All of it.\n\nBy Jane Okafor, Head of Research\n"
        f"17th November 2021\n\n{ARTICLE}\n\nWhat we asked\n\n{MORE}\n\n{LAST}\n"
    )
    doc = _load(tmp_path, "blog.txt", page)
    assert doc.title == "Refunds decide loyalty. All of it."
    assert all(u.quote != "Refunds decide loyalty." for u in document_units(doc))


def test_a_breadcrumb_with_one_arrow_is_not_the_headline(tmp_path: Path) -> None:
    doc = _load(
        tmp_path,
        "crumb.txt",
        _page('Insights › Retail\n\n"Refunds decide loyalty": the case for fast returns'),
    )
    assert doc.title == '"Refunds decide loyalty": the case for fast returns'


def test_a_news_release_dateline_and_about_box(tmp_path: Path) -> None:
    release = (
        "FOR IMMEDIATE RELEASE\n\nFast refunds keep customers, Northfield Lab finds\n\n"
        f"MANCHESTER, 15 June 2022 — {ARTICLE}\n\n{MORE}\n\n{LAST}\n\n"
        "About Northfield Lab\n\nNorthfield Lab is an independent research group.\n\n"
        "Media contact\npress@northfield.example\n"
    )
    doc = _load(tmp_path, "release.txt", release)
    assert doc.title == "Fast refunds keep customers, Northfield Lab finds"
    assert doc.meta.get("date") == "2022-06-15"
    assert doc.meta.get("publisher") == "Northfield Lab"
    # The publisher's "About" box says who it is: metadata, not a finding.
    assert not any(u.quote.startswith("Northfield Lab is") for u in document_units(doc))


def test_a_byline_names_the_person_not_the_role_after_it(tmp_path: Path) -> None:
    header = "Why refunds decide loyalty\n\nPresented by Jane Okafor, Principal Analyst, Acme\n"
    aside = "\n\nEvery principal analyst at the firm reviewed the refund figures twice.\n"
    doc = _load(tmp_path, "deck.txt", _page(header) + aside)
    assert doc.meta.get("author") == "Jane Okafor"
    assert doc.meta.get("publisher") == "Acme"  # name, role, organisation
    listed = _load(
        tmp_path, "listed.txt", _page("Refunds\n\nBy Jane Okafor, Tom Lee and Ann Roe\n")
    )
    assert "publisher" not in listed.meta


def test_the_masthead_name_the_author_bio_says_she_works_at_is_the_publisher(
    tmp_path: Path,
) -> None:
    page = (
        "Northfield Insights\nHome\nResearch\nBriefings\nEvents\n\n"
        f"Why refunds decide loyalty\n\nBy Jane Okafor\n14 November 2022\n\n{ARTICLE}\n\n"
        f"{MORE}\n\n{LAST}\n\nAbout the author\n\nJane Okafor\n"
        "Jane Okafor is a principal analyst at Northfield Insights, where she leads research "
        "on returns.\n"
    )
    doc = _load(tmp_path, "bio.txt", page)
    assert doc.meta.get("author") == "Jane Okafor"
    assert doc.meta.get("publisher") == "Northfield Insights"


def test_a_headline_that_trails_off_is_a_headline_not_evidence(tmp_path: Path) -> None:
    """A short line ending in an ellipsis, on its own above the text, is a teaser
    headline like one ending in '?' or '!'."""
    doc = _load(tmp_path, "teaser.txt", _page("2 May 2021\n\nThe returns desk reports back…"))
    assert doc.title == "The returns desk reports back…"
    assert all("reports back" not in u.quote for u in document_units(doc))


def test_a_markdown_headline_far_down_a_page_anchors_its_date(tmp_path: Path) -> None:
    """The file's own '#' headline stands far above the text, past a run of share and
    sign-up lines: its date is still read under it, not around a line nearer the text."""
    menu = "\n".join(f"Section {n} news" for n in range(1, 40))
    share = "\n".join(f"Share on network {n}" for n in range(1, 25))
    text = (
        f"{menu}\n\n# Why fast refunds keep customers\n\nA shopper at a returns desk.\n"
        f"(Photo: Jane Roe / Example Pictures)\n\nBy Jane Okafor\nFeb. 19, 2020\n{share}\n\n"
        f"{ARTICLE}\n\n{MORE}\n\n{LAST}\n"
    )
    doc = _load(tmp_path, "page.md", text)
    assert doc.title == "Why fast refunds keep customers"
    assert doc.meta.get("date") == "2020-02-19"


def test_a_date_said_to_be_the_publication_date_wins(tmp_path: Path) -> None:
    """The site's date of today stands over the headline; the article says when it was
    published under its text."""
    text = (
        "Montag, 09.12.2019\n\nWhy fast refunds keep customers\n\n"
        f"{ARTICLE}\n\n{MORE}\n\n{LAST}\n\nVeröffentlicht am 07.06.2019\n"
    )
    doc = _load(tmp_path, "page.txt", text)
    assert doc.meta.get("date") == "2019-06-07"


@pytest.mark.parametrize(
    "stamp", ["2019-06-01T11:09:12+00:00", "June 1, 2019, 07:47 PM EST", "01.06.2019"]
)
def test_a_declared_time_stamp_is_read_as_its_day(tmp_path: Path, stamp: str) -> None:
    head = f'<meta property="article:published_time" content="{stamp}">'
    path = tmp_path / "page.html"
    path.write_text(_html(head, f"<h1>Why fast refunds keep customers</h1><p>{ARTICLE}</p>"))
    doc = load_document(path, path.read_bytes())
    assert doc.meta.get("date") == "2019-06-01"


def test_a_byline_set_one_part_to_a_line_is_not_a_menu(tmp_path: Path) -> None:
    header = (
        "Why fast refunds keep customers\n\nBy\nJane Okafor\nand\nSam Lee\n\nPublished Nov 8, 2023"
    )
    doc = _load(tmp_path, "page.txt", _page(header))
    assert doc.meta.get("author") == "Jane Okafor and Sam Lee"
    assert doc.title == "Why fast refunds keep customers"


def test_a_reporters_sign_off_under_the_text_names_the_author(tmp_path: Path) -> None:
    text = _page("Why fast refunds keep customers") + "\n– Jane Okafor\n\nLatest News\n"
    doc = _load(tmp_path, "page.txt", text)
    assert doc.meta.get("author") == "Jane Okafor"


def test_a_role_run_into_the_name_of_a_byline_is_left_out() -> None:
    from ingest.headline import detect
    from ingest.reading import read_lines

    header = "Why fast refunds keep customers\n\nBy Jane OkaforStaff Writer\nFeb. 19, 2020"
    lines = f"{header}\n\n{ARTICLE}\n\n{MORE}\n\n{LAST}".splitlines()
    found = detect(read_lines(lines))
    assert found.meta.get("author") == "Jane Okafor"


def test_a_long_headline_without_a_closing_mark_is_the_headline(tmp_path: Path) -> None:
    headline = (
        "Retailers that refund within a day keep more customers, survey of 400 shoppers "
        "finds, as slow returns quietly push churn up across every category"
    )
    assert len(headline.split()) > 16
    doc = _load(tmp_path, "page.txt", _page(f"{headline}\n\nBy Jane Okafor\nNov 8, 2023"))
    assert doc.title == headline
    assert doc.meta.get("author") == "Jane Okafor"


def test_a_headline_that_ends_in_a_quoted_exclamation_is_a_headline(tmp_path: Path) -> None:
    headline = 'Shoppers on fast refunds: "Just give me my money back!"'
    doc = _load(tmp_path, "page.txt", _page(f"{headline}\n\nNov 8, 2023"))
    assert doc.title == headline


def test_a_question_headline_that_closes_a_bracket_is_a_headline(tmp_path: Path) -> None:
    """A headline whose question ends inside brackets ('... (or is it?)'), over a deck
    and the author's name on its own line, the date set off under it by a slash."""
    headline = "Refunds in a day (and why nobody believed it! Or did they?)"
    header = (
        f"{headline}\n\nWhat happens when a slow process is rebuilt? A look inside the team.\n\n"
        "Jane Okafor\n/ 16.11.2018, 03:00 Uhr"
    )
    doc = _load(tmp_path, "page.txt", _page(header))
    assert doc.title == headline
    assert doc.meta.get("author") == "Jane Okafor"
    assert doc.meta.get("date") == "2018-11-16"
    # A cut marked in brackets is no heading: the transcript's next turn stays in its section.
    cut = "## Q&A\n\nJane: We ran both for a year.\n\n[...]\n\nJohn: And then we stopped.\n"
    marked = _load(tmp_path, "cut.md", cut)
    assert [b.role for b in marked.blocks if b.text == "[...]"] == ["body"]


@pytest.mark.parametrize(
    "caption",
    [
        "A returns desk at a London store on a Monday morning, when most parcels come back "
        "to the shop (Photo: Getty Images)",
        # The credit run on after the caption's full stop, the space lost in a copy.
        "A returns desk at the flagship store in Leeds on a busy Monday morning, "
        "England.Jane Doe / Reuters file",
    ],
)
def test_a_caption_that_ends_with_its_credit_is_neither_title_nor_evidence(
    tmp_path: Path, caption: str
) -> None:
    header = f"Why fast refunds keep customers\n\n{caption}\n\nBy Jane Okafor"
    doc = _load(tmp_path, "page.txt", _page(header))
    assert doc.title == "Why fast refunds keep customers"
    assert not any("Getty" in unit.quote or "Reuters" in unit.quote for unit in document_units(doc))
    assert [b.role for b in doc.blocks if b.text.startswith("A returns desk")] == ["caption"]


DECK = (
    "Retailers answering a return within a day see repeat purchases rise, and the "
    "survey of shoppers says slow refunds show up in churn"
)


@pytest.mark.parametrize(
    "headline",
    [
        "Retailers that refund slowly lose their customers for longer",
        # Set in capitals, it is still a headline, not a run of labels.
        "RETAILERS THAT REFUND SLOWLY LOSE THEIR CUSTOMERS FOR LONGER",
    ],
)
def test_the_headline_is_the_heading_over_its_deck(tmp_path: Path, headline: str) -> None:
    """A headline and the deck under it are both phrases that sum the story up; the
    headline is the first of the two, whichever shares more words with the text."""
    header = f"{headline}\n\n{DECK}\n\nBy Jane Okafor\nNov 8, 2023"
    assert _load(tmp_path, "page.txt", _page(header)).title == headline


def test_a_run_of_menu_labels_over_the_headline_is_not_the_headline(tmp_path: Path) -> None:
    menu = "News Retailers Culture Technology Customers Search"
    headline = "Why fast refunds keep customers"
    page = _page(f"{menu}\n\n{headline}\n\nBy Jane Okafor\nNov 8, 2023")
    assert _load(tmp_path, "page.txt", page).title == headline


def test_a_memo_line_of_two_fields_is_not_a_heading() -> None:
    from ingest.reading import read_lines

    line = (
        "**In attendance for item 2:** Dana Reyes (CFO), Omar Said (Director of Strategy) "
        "**Notes:** Lee Park, CX Office and the programme team"
    )
    blocks = read_lines([line, "", ARTICLE])
    assert blocks[0].role != "heading"


def test_a_page_whose_extract_is_only_a_caption_is_read_from_the_page(tmp_path: Path) -> None:
    caption = "A returns desk at a London store on a Monday morning. Photo: AP"
    body = (
        f"<h1>Why fast refunds keep customers</h1><figure><figcaption>{caption}"
        "</figcaption></figure><div><span>Retailers that answer a return within a day "
        "see repeat purchases rise.</span></div>"
    )
    path = tmp_path / "page.html"
    path.write_text(f"<html><head></head><body>{body}</body></html>", encoding="utf-8")
    doc = load_document(path, path.read_bytes())
    assert doc.text.strip()


@pytest.mark.parametrize(
    ("shown", "expected"),
    [("Nov. 19, 2019", "2019-11-19"), ("Nov. 20, 2019", "2019-11-20"), ("", "2019-11-20")],
)
def test_a_universal_time_stamp_gives_the_day_the_page_shows(
    tmp_path: Path, shown: str, expected: str
) -> None:
    """Stamped "2019-11-20T04:26:47Z", a story its readers see dated Nov. 19 is of the 19th."""
    head = '<meta property="article:published_time" content="2019-11-20T04:26:47Z">'
    header = f"<h1>Why fast refunds keep customers</h1><p class='byline'>{shown}</p>"
    path = tmp_path / "page.html"
    path.write_text(_html(head, header))
    assert load_document(path, path.read_bytes()).meta.get("date") == expected


def test_a_headline_that_a_menu_list_runs_into_is_the_headline(tmp_path: Path) -> None:
    """Copied text sets a "Trending:" menu's items as a list the headline under them
    seems to belong to; the line right above the byline is the headline."""
    menu = "TRENDING:\n\nRefunds\nReturns policy\nholiday deliveries"
    headline = "Shoppers abandon retailers that refund slowly, survey finds"
    page = _page(f"{menu}\n\n{headline}\n\nBy Jane Okafor - 11/18/19 11:04 PM EST")
    doc = _load(tmp_path, "page.txt", page)
    assert (doc.title, doc.meta.get("author")) == (headline, "Jane Okafor")


def test_a_line_with_one_word_of_the_text_is_weak_evidence_of_a_headline(tmp_path: Path) -> None:
    """A widget's label shown three times ("Got a refund tip?") shares one word with the
    text; the headline under it shares most of its words."""
    tips = "\n\n".join(["Got a refund tip?"] * 3)
    header = f"{tips}\n\nReturns cost retailers their customers\n\nBy Jane Okafor\nNov 8, 2023"
    assert _load(tmp_path, "tip.txt", _page(header)).title == (
        "Returns cost retailers their customers"
    )


def test_a_short_headline_the_text_also_says_is_no_pull_quote(tmp_path: Path) -> None:
    """A headline of a few words ("Clear returns policy") names the article's topic, which
    its text names too; a pull quote is a sentence pulled out of the text."""
    header = "Retail refunds\n\nNov 8, 2023\n\nClear returns policy"
    assert _load(tmp_path, "topic.txt", _page(header)).title == "Clear returns policy"


def test_the_deck_under_a_headline_is_not_the_headline(tmp_path: Path) -> None:
    deck = "Shoppers said a clear policy mattered more than free delivery."
    header = f"Returns cost retailers dearly\n\n{deck}\n\nBy Jane Okafor\nNov 8, 2023"
    assert _load(tmp_path, "deck.txt", _page(header)).title == "Returns cost retailers dearly"


def test_a_kicker_over_the_headline_is_not_the_headline(tmp_path: Path) -> None:
    header = "Retail centre\n\nRetailers rethink returns and refunds\n\nBy Jane Okafor\nNov 8, 2023"
    assert _load(tmp_path, "kicker.txt", _page(header)).title == (
        "Retailers rethink returns and refunds"
    )


def test_a_meta_line_of_fields_is_read_for_its_date() -> None:
    """A blog's meta line puts the date among short fields; a sentence with a dash is no
    date line."""
    assert date_line("Posted on July 6, 2015 by Jane Doe — Leave a comment") == "2015-07-06"
    assert date_line("Veröffentlicht am 6. Juli 2015 von Jane Doe — Hinterlasse eine Antwort") == (
        "2015-07-06"
    )
    assert date_line("Acme bought Brightmere on 3 May 2021 — the deal closed later") is None


def test_a_title_shown_twice_in_other_order_is_not_a_headline_over_its_deck(
    tmp_path: Path,
) -> None:
    """A page's name in its trail, then its headline saying the same words another way
    ("Refunds in the city Leeds" over "Leeds - Refunds in the city"): the second says
    nothing the first does not, so it is no deck; the heading over the text is the
    headline."""
    header = "Refunds in the city Leeds\n\nLeeds \u2013 Refunds in the city"
    assert _load(tmp_path, "twice.txt", _page(header)).title == "Leeds \u2013 Refunds in the city"


def test_a_byline_run_into_its_update_date_names_only_the_author() -> None:
    assert byline_author("By Jane Okafor Updated Nov 13, 2019, 10:28am EST") == "Jane Okafor"
    assert byline_author("By Jane Okafor Nov 13, 2019") == "Jane Okafor"
    assert byline_author("By Theresa May") == "Theresa May"  # a surname that is a month


def test_the_name_on_the_date_line_is_the_author_not_a_line_of_tags_over_it(
    tmp_path: Path,
) -> None:
    """A blog shows its post's tags, capitalised, right over "Name | date"."""
    tags = "Portsmouth Harbourside Kayaking"
    header = f"Returns cost retailers dearly\n\n{tags}\nJane Okafor | 29.07.2006 um 14:26"
    assert _load(tmp_path, "tags.txt", _page(header)).meta.get("author") == "Jane Okafor"


def test_the_headline_above_share_buttons_a_caption_and_a_most_read_list(
    tmp_path: Path,
) -> None:
    """Page furniture between a headline and its text (share buttons the page shows
    twice, a photo caption, the byline, a numbered "Most read" list) does not push the
    headline out of reach."""
    share = "\n\n".join(
        f"Click to share on {site} (Opens in new window)"
        for site in ("Facebook", "Reddit", "X", "LinkedIn")
    )
    popular = "\n".join(
        f"{n}. Local story number {n} about the town and its people" for n in range(1, 11)
    )
    header = (
        f"{share}\n\nWhy fast refunds keep customers\n\n{share}\n\n"
        "A shopper returns a parcel at a store counter. (Photo: Jane Roe/Reuters)\n\n"
        "By Jane Okafor\n\nSign up for our newsletters and alerts\n\nMost read\n\n"
        f"{popular}"
    )
    doc = _load(tmp_path, "page.txt", _page(header))
    assert doc.title == "Why fast refunds keep customers"


def test_a_headline_right_after_a_list_of_cut_teasers(tmp_path: Path) -> None:
    """A teaser cut short ("... It...") is followed by its "Read more" link; a longer
    heading after the last teaser is the article's headline."""
    teasers = "\n\n".join(
        f"Story {n} about the town council NEW TOWN: The council met again on Monday to "
        f"discuss item {n} of its agenda and the budget for next year. It..."
        for n in range(1, 4)
    )
    header = f"{teasers}\n\nWhy fast refunds keep customers\n\nPrint This Article Share it"
    doc = _load(tmp_path, "page.txt", _page(header))
    assert doc.title == "Why fast refunds keep customers"
    short = f"{teasers}\n\nRead more\n\nWhy fast refunds keep customers"
    assert _load(tmp_path, "short.txt", _page(short)).title == "Why fast refunds keep customers"


def test_a_heading_over_a_table_is_its_label_not_the_headline(tmp_path: Path) -> None:
    """A heading right over a table's header row labels the table; a text whose only
    heading stands over its table is still titled by it."""
    table = "Team\tPlayer\tPlays\tShare\nNorth\tJane Roe\t63\t85%\nSouth\tJohn Roe\t57\t77%"
    text = (
        "Why fast refunds keep customers\n\nBy Jane Okafor\n\n"
        f"Below, we look at what shoppers said about refunds in our latest survey round.\n\n"
        f"Retailers and refund speed\n\n{table}\n\n{ARTICLE}\n\n{MORE}\n\n{LAST}\n"
    )
    assert _load(tmp_path, "page.txt", text).title == "Why fast refunds keep customers"
    memo = f"Quarterly refund figures\n\n{table}\n\n{ARTICLE}\n"
    assert _load(tmp_path, "memo.txt", memo).title == "Quarterly refund figures"


def test_a_list_of_dated_teasers_above_the_article_is_not_its_text(tmp_path: Path) -> None:
    """Teasers of other articles, each a heading, a lead of two sentences, a photo credit
    and a date line, are not the article's text: the headline is the one over the
    article, not the last teaser's."""
    teasers = "\n\n".join(
        f"Story {n} on the council budget\n\n"
        f"The council met again on Monday to discuss item {n} of its agenda. Members "
        f"asked for the budget for next year to be cut by a tenth in every department.\n\n"
        f"Photo: Jane Roe/Reuters\n\nPolitics | January 2022"
        for n in range(1, 6)
    )
    text = (
        f"{teasers}\n\nMenu\n\nWhy fast refunds keep customers\n\nJanuary 2022\n\n"
        f"{ARTICLE}\n\n{MORE}\n\n{LAST}\n"
    )
    assert _load(tmp_path, "page.txt", text).title == "Why fast refunds keep customers"


def test_a_sub_heading_under_one_sentence_paragraphs_is_not_the_headline(
    tmp_path: Path,
) -> None:
    """A story that opens with two paragraphs of one sentence each, then its first
    sub-heading: the sub-heading stands in the text, under the headline."""
    text = (
        "Press releases\n\n31.01.2022\n\nShoppers want their refunds faster\n\n"
        "Shoppers across the region want their refunds paid within a day of a return.\n\n"
        "Most of the 400 shoppers asked said a slow refund had cost a retailer their trade.\n\n"
        f"Why a slow refund costs retailers\n\n{ARTICLE}\n\n{MORE}\n\n{LAST}\n"
    )
    assert _load(tmp_path, "page.txt", text).title == "Shoppers want their refunds faster"


def test_two_one_sentence_lines_alone_are_not_an_article(tmp_path: Path) -> None:
    """A page with no running text but two lines under a donation button: its first
    heading is still its title, not a share button's line."""
    verses = "\n\n".join(f"Night falls {word}" for word in ("slowly", "softly", "again", "late"))
    text = (
        "Lyrics of songs\n\nThursday, July 28, 2011\n\nA song of the night - The Band\n\n"
        f"{verses}\n\nPosted by K A at 12:11 PM\n\nEmail This Share to Twitter\n\n"
        "Support us\n\nYour contribution will allow us to keep translating the songs we love.\n\n"
        "Donations could be done via the link below, and every one of them helps us.\n"
    )
    assert _load(tmp_path, "page.txt", text).title == "A song of the night - The Band"


def test_a_long_headline_over_its_summary_points_is_the_headline(tmp_path: Path) -> None:
    """A headline with bullet points summing it up under it is not the lead-in of a
    list; a short label over a list is ("Key points")."""
    text = (
        "Press service\n\nPress release\n\nPublisher: Northfield Ltd\n\n"
        "Northfield and the institute deepen their work on faster refunds for shoppers\n\n"
        "- A shared test bench cuts the time a refund takes to check\n\n"
        f"{ARTICLE}\n\n{MORE}\n\n{LAST}\n"
    )
    title = "Northfield and the institute deepen their work on faster refunds for shoppers"
    assert _load(tmp_path, "page.txt", text).title == title


def _assert_titles(tmp_path: Path, head: str, cases: dict[str, str]) -> None:
    """Each page body under `head` is titled as its case says."""
    for n, (body, title) in enumerate(cases.items()):
        doc = _load(tmp_path, f"page{n}.html", _html(head, body))
        assert doc.title == title, body


def test_a_kicker_or_subtitle_set_apart_inside_the_heading_is_not_the_headline(
    tmp_path: Path,
) -> None:
    """A heading that holds the declared title and more, set apart in an element of its
    own (a kicker before it, a subtitle after it), is headed by what the title says; a
    heading whose extra words are its own text keeps them."""
    head = '<meta property="og:title" content="Why fast refunds keep customers - Shopwire">'
    cases = {
        '<h1><span class="roofline">Retail </span>Why fast refunds keep customers</h1>': (
            "Why fast refunds keep customers"
        ),
        "<h1><span>Why fast refunds keep customers</span> <span>A survey of 400 shoppers"
        "</span></h1>": "Why fast refunds keep customers",
        "<h1>Breaking: Why fast refunds keep customers</h1>": (
            "Breaking: Why fast refunds keep customers"
        ),
    }
    _assert_titles(tmp_path, head, cases)


def test_a_kicker_joined_to_the_headline_by_a_hidden_mark_is_not_the_headline(
    tmp_path: Path,
) -> None:
    """A kicker that the page sets above its headline, joined to it by a mark it hides
    from sight or from screen readers, is left out, even where every declared title
    holds it; a longer part before the hidden mark is no kicker, and a mark the page
    shows keeps the heading whole. A kicker left out leaves no mark at the title's head."""
    head = '<meta property="og:title" content="Retail: Why fast refunds keep customers">'
    cases = {
        '<h1><span class="kicker">Retail</span><span class="visually-hidden">: </span>'
        "<span>Why fast refunds keep customers</span></h1>": "Why fast refunds keep customers",
        '<h2><strong>Retail</strong><span class="hiddenElement">:</span> '
        "Why fast refunds keep customers</h2>": "Why fast refunds keep customers",
        '<h1><span>Retail</span><span aria-hidden="true"> – </span>'
        "<span>Why fast refunds keep customers</span></h1>": "Why fast refunds keep customers",
        "<h1><span>Retail</span><span>: </span><span>Why fast refunds keep customers</span></h1>": (
            "Retail: Why fast refunds keep customers"
        ),
    }
    _assert_titles(tmp_path, head, cases)
    head = '<meta property="og:title" content="Why fast refunds keep customers: Four shops">'
    body = (
        '<h1><span>Why fast refunds keep customers</span><span class="sr-only">: </span>'
        "<span>Four shops</span></h1>"
    )
    assert _load(tmp_path, "tail.html", _html(head, body)).title == (
        "Why fast refunds keep customers: Four shops"
    )
    # Beneath a breadcrumb trail whose last step is the declared headline, the heading
    # that says the sharing title with its kicker is still the headline.
    head = (
        '<meta property="og:title" content="Retail: Why fast refunds keep customers">'
        '<script type="application/ld+json">{"headline": "Retail: shops pay back faster"}'
        "</script>"
    )
    body = (
        "<nav><h1>Retail: shops pay back faster</h1></nav>"
        '<h2><strong>Retail</strong><span class="sr-only">:</span> '
        "Why fast refunds keep customers</h2>"
    )
    assert _load(tmp_path, "trail.html", _html(head, body)).title == (
        "Why fast refunds keep customers"
    )
    head = '<meta property="og:title" content="Refunds: Why fast refunds keep customers">'
    body = (
        "<h1><span>Refunds</span><span>: </span><span>Why fast refunds keep customers</span></h1>"
    )
    assert _load(tmp_path, "mark.html", _html(head, body)).title == (
        "Why fast refunds keep customers"
    )


def test_soft_hyphens_are_not_part_of_a_title(tmp_path: Path) -> None:
    """A page that marks where its headline's long words may break (soft hyphens) is
    titled as it reads."""
    head = "<title>Erinnerung an die Opfer</title>"
    body = "<h1>Er\u00adin\u00adne\u00adrung an die Op\u00adfer</h1>"
    doc = _load(tmp_path, "page.html", _html(head, body))
    assert doc.title == "Erinnerung an die Opfer"


def test_a_label_inside_a_hyphenated_word_of_the_headline_is_not_run_into_it(
    tmp_path: Path,
) -> None:
    """A section label ("Formula 1") over a headline that uses its words only inside a
    compound ("Formula-1-check - ...") is a label, not a breadcrumb run into it: the
    headline is not marked down and beats the photo's heading under the byline."""
    text = (
        "Top topics:\n\n- Calendar 2022\n- Rules 2022\n\nFormula 1\n\n"
        "Formula-1-check - Refunds: How fast retailers pay shoppers back\n\n"
        "Our checks before the new season. Today: refunds at the big retailers.\n\n"
        "02.02.2022, 11:30 by Jane Okafor\n\n"
        "Retailers pay shoppers back faster than they did a year before\n\n"
        f"{ARTICLE}\n\n{MORE}\n\n{LAST}\n"
    )
    title = "Formula-1-check - Refunds: How fast retailers pay shoppers back"
    assert _load(tmp_path, "page.txt", text).title == title


def test_a_heading_that_only_links_to_the_home_page_is_the_site_name(tmp_path: Path) -> None:
    """A blog's <h1> is its name, a link to its home page, on every page; the post's
    headline is the heading the window title ends with."""
    head = "<title>Northfield Notes \u00bb Archive \u00bb Why fast refunds keep customers</title>"
    body = (
        '<h1><a href="https://northfield.example/">Northfield Notes</a></h1>'
        '<h2><a href="https://northfield.example/2019/10/refunds/" rel="bookmark">'
        "Why fast refunds keep customers</a></h2>"
    )
    doc = _load(tmp_path, "page.html", _html(head, body))
    assert doc.title == "Why fast refunds keep customers"


def test_a_declared_date_the_page_never_shows_yields_to_the_one_it_shows(
    tmp_path: Path,
) -> None:
    """A first-published stamp in the page's metadata over a story that shows only its
    update: the date the reader sees. A declared date the page shows, even as "Jun 17"
    in a <time> element or as "11/08/23" read either way round, stays."""
    stamp = '<meta property="article:published_time" content="{}T10:00:00+01:00">'
    cases = [
        ("2021-11-29", "<h1>Why fast refunds keep customers</h1><p>12.01.2022</p>", "2022-01-12"),
        (
            "2019-06-17",
            '<h1>Why fast refunds keep customers</h1><time datetime="2019-06-17">Jun 17</time>'
            "<p>Comment of 3 July 2019</p>",
            "2019-06-17",
        ),
        (
            "2023-11-08",
            "<h1>Why fast refunds keep customers</h1><p>By Jane Okafor • 11/08/23 5:19pm</p>",
            "2023-11-08",
        ),
    ]
    for n, (declared, body, shown) in enumerate(cases):
        doc = _load(tmp_path, f"page{n}.html", _html(stamp.format(declared), body))
        assert doc.meta["date"] == shown, body
    # The page shows several dates: the one under the headline, not a teaser's; and a
    # stamp a day off the one the page shows is that day in another time zone.
    paragraphs = "".join(f"<p>{p}</p>" for p in (ARTICLE, MORE, LAST))
    for n, (declared, dateline, teaser, shown) in enumerate(
        [
            (
                "2020-02-12",
                "<p>05.02.2020 - Redaktion: Jane Okafor</p>",
                "6 March 2020",
                "2020-02-05",
            ),
            (
                "2018-09-15",
                "<p>Jane Okafor</p><p>September 16, 2018</p>",
                "Nov 29, 2018",
                "2018-09-16",
            ),
        ]
    ):
        page = (
            f"<html><head>{stamp.format(declared)}</head><body><article>"
            f"<h1>Why fast refunds keep customers</h1>{dateline}{paragraphs}</article>"
            f"<aside><p>Workshop: {teaser}</p></aside></body></html>"
        )
        assert _load(tmp_path, f"dated{n}.html", page).meta["date"] == shown, dateline


def test_a_headline_that_ends_on_an_abbreviation_is_still_a_headline(tmp_path: Path) -> None:
    """A headline in title case whose last word is an abbreviation with its full stop
    ("... Alert Tues.", "... & Co.") is not a sentence of the text."""
    for headline in (
        "Colder Temperatures Forecast for Wed. after Cold Wave Alert Tues.",
        "The Best Refund Tricks of Amazon, Zalando & Co.",
    ):
        text = (
            f"Domestic\n\n{headline}\n\nWritten: 2023-11-07 15:03:30\n\n"
            f"{ARTICLE}\n\n{MORE}\n\n{LAST}\n"
        )
        assert _load(tmp_path, "page.txt", text).title == headline


def test_a_heading_set_in_the_breadcrumb_trail_is_not_the_headline(tmp_path: Path) -> None:
    """A page that sets its short title as the last step of its breadcrumb trail (an <h1>
    in a list of links, or in a <nav>) shows its headline in the article's own heading."""
    head = (
        '<meta property="og:title" content="Why fast refunds keep shoppers loyal">'
        '<script type="application/ld+json">{"headline": "Refunds win shoppers!"}</script>'
    )
    trails = (
        '<ol><li><a href="/">Home</a></li><li><a href="/retail/">Retail</a></li>'
        "<li><h1>Refunds win shoppers!</h1></li></ol>",
        '<nav><a href="/">Home</a> <a href="/retail/">Retail</a><h1>Refunds win shoppers!</h1>'
        "</nav>",
    )
    for n, trail in enumerate(trails):
        body = f"{trail}<h2>Why fast refunds keep shoppers loyal</h2>"
        doc = _load(tmp_path, f"page{n}.html", _html(head, body))
        assert doc.title == "Why fast refunds keep shoppers loyal", trail


def test_a_breadcrumb_trails_last_step_that_says_the_declared_headline_is_the_title(
    tmp_path: Path,
) -> None:
    """Where the trail's last step is the page's only <h1> and says word for word what
    the page declares as its headline, and no heading outside the trail says a declared
    title, the step is the headline: the <h2>s under it head the article's sections."""
    head = (
        '<meta property="og:title" content="What is a wall lining and what does it do? - Homes">'
        '<script type="application/ld+json">'
        '{"headline": "What is a wall lining and what does it do?"}</script>'
    )
    trail = (
        '<ol><li><a href="/">Home</a></li><li><a href="/build/">Build</a></li>'
        "<li><h1>What is a wall lining and what does it do?</h1></li></ol>"
    )
    body = f"{trail}<h2>What is a wall lining?</h2><p>{ARTICLE}</p><h2>When is one needed?</h2>"
    doc = _load(tmp_path, "page.html", _html(head, body))
    assert doc.title == "What is a wall lining and what does it do?"


def test_a_kicker_is_left_out_where_the_rest_says_the_declared_title_closer(
    tmp_path: Path,
) -> None:
    """A kicker set apart at the head of the headline's element is left out where what is
    left says the window title closer than the whole heading does; a title whose parts
    are set apart with "›" is split as one set apart with "»"."""
    head = "<title>Shopwire | Transparency on refunds</title>"
    body = '<h1><span class="category">Topic retail </span>More transparency on refunds</h1>'
    assert _load(tmp_path, "a.html", _html(head, body)).title == "More transparency on refunds"
    head = "<title>Historic market \u203a Horka Fortress Society</title>"
    home = '<h1><a href="https://horka.example">Horka Fortress Society</a></h1>'
    body = f"{home}<h2>Historic market</h2>"
    assert _load(tmp_path, "b.html", _html(head, body)).title == "Historic market"


def test_a_kicker_run_into_the_headline_is_left_out_where_the_trail_says_the_rest(
    tmp_path: Path,
) -> None:
    """The breadcrumb trail's last step right above a heading that holds it and a few
    words more before it: those words are a kicker run into the headline, left out;
    soft hyphens in the heading do not stand in the way."""
    text = (
        "You are here:\n\n1. Home\n2. Press\n3. Why fast refunds keep customers\n\n"
        "Retail survey Why fast re\u00adfunds keep cus\u00adtomers\n\n"
        f"{ARTICLE}\n\n{MORE}\n\n{LAST}\n"
    )
    assert _load(tmp_path, "page.txt", text).title == "Why fast refunds keep customers"


def test_a_declared_date_in_another_form_does_not_stop_the_page_being_read(
    tmp_path: Path,
) -> None:
    """A page whose metadata writes its date in a form not read as a day ("2022.01.12")
    is still read, with that date as declared."""
    head = '<meta name="date" content="2022.01.12">'
    body = "<h1>Why fast refunds keep customers</h1><p>12 March 2022</p>"
    doc = _load(tmp_path, "page.html", _html(head, body))
    assert doc.title == "Why fast refunds keep customers"
    assert doc.meta["date"] == "2022.01.12"


def test_a_page_showing_only_its_first_paragraph_is_read_around_it(tmp_path: Path) -> None:
    """The rest behind a paywall: the one sentence under the byline is the article, and
    the headline over it, not the first of the menu's headings, is the title."""
    menu = "\n".join(
        ["Write a Letter to the Editor", "Best Beaches on the Island", "Public Holidays 2022"]
    )
    related = "\n".join(
        ["Related articles", "Harbour plans go out for consultation", "Ferry fares rise again"]
    )
    text = (
        f"{menu}\n\nPrison official: anyone could escape\n\nBy Ann Whitfield -\nMay 4, 2022\n\n"
        "A senior prison official has said in a sworn statement that anyone determined to "
        f"escape from the island's prison could do so.\n\n{related}\n"
    )
    doc = _load(tmp_path, "paywalled.txt", text)
    assert doc.title == "Prison official: anyone could escape"
    assert doc.meta.get("date") == "2022-05-04"


def test_a_headline_of_one_compound_of_two_words_is_a_headline(tmp_path: Path) -> None:
    """'Bielersee-Winterhechte' is two words joined, a phrase as they would be apart; a
    comment box's heading further down is not the headline."""
    text = (
        "Home\nPraxis\nVideo\n\nBielersee-Winterhechte\n\n"
        "Im Winter sind die Möglichkeiten zu fischen begrenzter als in der warmen "
        "Jahreszeit. Ein zu Unrecht unterschätztes Revier ist der Bielersee.\n\n"
        "Ich verwende zum winterlichen Hechtjiggen meine gröbere Hechtrute mit 20 bis 70 g "
        "Wurfgewicht und eine geflochtene Schnur.\n\nVorfach\n\n"
        "Bei uns am Bielersee ist die Bissfrequenz im Sommer ungefähr drei Mal so hoch auf "
        "Fluorocarbon wie auf Stahl, auch bei kaltem Wasser.\n\n"
        "Keine Kommentare (Kommentare erscheinen erst nach unserer Freigabe)\n\n"
        "Ihr Kommentar zum Thema Hecht und Winter am Bielersee wird gerne gelesen.\n"
    )
    doc = _load(tmp_path, "hecht.txt", text)
    assert doc.title == "Bielersee-Winterhechte"
    email = _load(tmp_path, "mail.txt", text.replace("Bielersee-Winterhechte", "E-Mail"))
    assert email.title != "E-Mail"


def test_a_reporters_sign_off_with_the_station_names_the_author(tmp_path: Path) -> None:
    """'Jane Okafor, Harbour Radio News.' under the text signs it: the author, not a
    sentence to quote."""
    text = (
        "Home\nNews\nRetail\n\nWhy fast refunds keep customers\n\n"
        f"{ARTICLE}\n\n{MORE}\n\n{LAST}\n\nJane Okafor, Harbour Radio News.\n"
    )
    doc = _load(tmp_path, "signed.txt", text)
    assert doc.meta.get("author") == "Jane Okafor"
    assert not any("Harbour Radio" in u.quote for u in document_units(doc))
    # A list of ways to pay is no sign-off.
    paid_text = text.replace("Jane Okafor, Harbour Radio News.", "Per Karte, Apple Pay etc.")
    paid = _load(tmp_path, "paid.txt", paid_text)
    assert "author" not in paid.meta


def test_a_byline_with_the_author_s_firm_and_a_year_of_its_own(tmp_path: Path) -> None:
    assert byline_author("By Ed Thompson (Gartner) | n.d. | 5 min read") == "Ed Thompson (Gartner)"
    assert byline_when("By Reena Leone | 2020 | 5 min read") == "2020"
    assert byline_when("By Reena Leone | 5 min read") is None
    page = (
        "Northfield\nHome | Insights | Research\n\n"
        "Refunds decide loyalty, and most firms are too slow\n\n"
        "By Jane Okafor (Northfield Lab) | 2021 | 5 min read\n\n"
        "Share this\n\nRefunds and loyalty (Jane Okafor, for Northfield)\n\n"
        f"{ARTICLE}\n\n{MORE}\n\n{LAST}\n"
    )
    doc = _load(tmp_path, "page.txt", page)
    assert doc.title == "Refunds decide loyalty, and most firms are too slow"
    assert doc.meta.get("author") == "Jane Okafor (Northfield Lab)"
    assert doc.meta.get("date") == "2021"


def test_a_web_pages_bold_italic_code_and_escapes_are_not_in_its_sentences(tmp_path: Path) -> None:
    """A page's bold lead-in, italic title, inline code, raised footnote mark and bracketed
    insert read as the page shows them: no asterisks, backticks, tags or backslashes
    in what an answer quotes. A star the page itself writes stays; so does a paragraph
    the page opens with a number, read as the numbered item it is."""
    body = (
        "<h1>Why fast refunds keep customers</h1>"
        "<p><b>Four retailers failed the test.</b> Their refunds took more than "
        "<i>three weeks</i> on average, and their customers noticed.</p>"
        "<p>One chief executive told the panel: “[These were] the slowest refunds we "
        "have ever measured in this market.”</p>"
        "<p>The refund service is configured with the <code>refund_days</code> setting, "
        "which most of the retailers had left at its default value.</p>"
        "<p>Rated with five stars* by the panel, the fastest retailer refunded within a "
        "day<sup>2</sup> of the parcel's arrival.</p>"
    )
    doc = _load(tmp_path, "marks.html", _html("<title>Refunds</title>", body))
    quotes = [u.quote for u in document_units(doc)]
    assert "Four retailers failed the test." in quotes
    assert any(q.startswith("Their refunds took more than three weeks on average") for q in quotes)
    assert any(q.startswith("One chief executive told the panel: “[These were]") for q in quotes)
    assert any("with the refund_days setting" in q for q in quotes)
    assert any("five stars* by the panel" in q and "day2 of" in q for q in quotes)
    assert not any(mark in q for q in quotes for mark in ("**", "`", "\\", "<sup>"))
    for quote in quotes:  # quoted as stored: every quote is in the document's text
        assert quote in doc.text


def test_a_date_shown_without_its_year_takes_the_pages_copyright_year(tmp_path: Path) -> None:
    """Sites leave out the year of a date in the year the page is shown; the page's
    copyright line says which year that is. Without that line no date is guessed."""
    header = "Why fast refunds keep customers\n\nUpdated Nov 19, 6:55 AM;Posted Nov 19, 6:51 AM"
    footer = "\n© 2019 Northfield Media. All rights reserved.\n"
    assert _load(tmp_path, "page.txt", _page(header) + footer).meta.get("date") == "2019-11-19"
    assert "date" not in _load(tmp_path, "page.txt", _page(header)).meta
    assert yearless_date("Updated 17 June at 10:15") == (6, 17)
    assert yearless_date("May 5 things to do this weekend") is None
    assert yearless_date("Nov 19, 2019") is None  # a full date is read as one
    assert copyright_year("Copyright 2009–2019 Northfield Media") == 2019
    assert copyright_year("© Northfield Media") is None


def test_a_sites_address_is_one_word_when_weighing_a_headline() -> None:
    """A teaser for the site's own services ("Advertising on retailers.com") shares the
    site's name with a text that says "retailers", not its address: the headline over
    the text wins. A headline about a site the text names by its address keeps it."""
    text = [Block("body", ARTICLE), Block("body", MORE), Block("body", LAST)]
    teasers = [
        Block("heading", "Advertising on retailers.com"),
        Block("heading", "Weekend outlook"),
    ]
    headline = Block("heading", "A loyalty lever in plain sight")
    assert detect([*teasers, headline, *text]).title == "A loyalty lever in plain sight"
    named = Block("body", f"{ARTICLE} The court ruled on retailers.com last week.")
    ruling = Block("heading", "Court rules on retailers.com")
    assert detect([ruling, teasers[1], named, *text[1:]]).title == ruling.text


def test_a_headline_in_guillemets_is_a_quote_not_a_link(tmp_path: Path) -> None:
    """ "»...«" and "«...»" quote a headline; "« Older posts" and "Next »" are links."""
    for quoted in ("»Fast refunds keep customers«", "«Fast refunds keep customers»"):
        doc = _load(tmp_path, "quote.txt", _page(f"Latest\n\n{quoted}\n\n12 March 2024"))
        assert doc.title == quoted
    doc = _load(tmp_path, "link.txt", _page("« Older posts\n\nWhy refunds matter"))
    assert doc.title == "Why refunds matter"


def test_what_follows_a_menu_is_not_the_list_its_lead_in_opens(tmp_path: Path) -> None:
    """A lead-in whose items are a menu set aside as page chrome ("Our editions around
    the world:" over a list of editions) does not take the headline under the menu as
    an item."""
    editions = "Our editions around the world:\nAsia\nEurope\nAfrica\nAmerica"
    doc = _load(tmp_path, "editions.txt", _page(f"{editions}\n\nWhy fast refunds keep customers"))
    assert doc.title == "Why fast refunds keep customers"
    headline = next(b for b in doc.blocks if b.text == "Why fast refunds keep customers")
    assert headline.role == "heading"


def test_a_headline_that_names_a_month_is_not_a_date_line(tmp_path: Path) -> None:
    """A month and year make a date line with a few words beside them ("Stand: Mai
    2022") or as a field of their own, not inside a headline's phrase; the page's own
    date line under it dates it."""
    assert date_line("Stand: Mai 2022") == "2022-05"
    assert date_line("Loyalty awards ceremony in Leeds in May 2022") is None
    assert date_line("Northfield Customer Lab, Research Brief 7, May 2022") == "2022-05"
    assert date_line("Covers July to September 2026. Issued on 7 October 2026.") == "2026-09"
    assert date_line("Published by Jane Doe on 3 May 2022") == "2022-05-03"
    header = (
        "Home Retail Loyalty awards ceremony in Leeds in May 2022\n\n"
        "Loyalty awards ceremony in Leeds in May 2022\n\n11.01.2022, 09:50"
    )
    doc = _load(tmp_path, "awards.txt", _page(header))
    assert doc.title == "Loyalty awards ceremony in Leeds in May 2022"
    assert doc.meta["date"] == "2022-01-11"


def test_no_line_of_a_menu_shown_twice_is_the_headline(tmp_path: Path) -> None:
    """A site's sections shown in its header and again in a drawer are a menu: a section
    named like the article's subject ("Returns and refunds") is not its headline."""
    sections = "Store news\n\nStaff picks\n\nRetailers and their customers\n\nReturns and refunds"
    header = f"{sections}\n\n{sections}\n\nPosted on 3 May 2022\n\nA loyalty lever in plain sight!"
    doc = _load(tmp_path, "menus.txt", _page(header))
    assert doc.title == "A loyalty lever in plain sight!"


def test_date_lines_in_fields_set_apart_by_any_dot_or_bar() -> None:
    """A date line's fields set apart by a dot operator, with the date first or last in
    a two-digit year; two dates on one line date the first publication."""
    assert (
        date_line("⋅ November 22, 2011 ⋅ Email this post ⋅ Print this page ⋅ Comment")
        == "2011-11-22"
    )
    assert date_line("Jane Okafor | 06.11.23") == "2023-11-06"
    assert date_line("30/10/23 | Retail Weekly") == "2023-10-30"
    assert date_line("Last updated 04 Jun 2020, originally created 17 Jun 2019") == "2019-06-17"
    assert date_line("Published 3 May 2021, updated 5 May 2021") == "2021-05-03"


def test_a_sites_messages_over_the_story_do_not_hide_its_headline(tmp_path: Path) -> None:
    """A login's messages read as a run of short paragraphs above the story: the heading
    with the byline under it is the headline, not the label over the messages."""
    messages = "\n\n".join(
        [
            "Thank you for registering. We have sent the activation link to your inbox.",
            "You have chosen the UK edition. We wish you an informative read.",
            "Thank you for signing in. Your account is active and ready to use.",
            "Thank you for your order. You now have full access to every article.",
        ]
    )
    header = (
        f"Member area\n\n{messages}\n\nWhy fast refunds keep customers\n\n"
        "Jane Okafor, London 19.10.2019, 23:38"
    )
    doc = _load(tmp_path, "messages.txt", _page(header))
    assert doc.title == "Why fast refunds keep customers"
    assert doc.meta["date"] == "2019-10-19"


def test_a_shortened_copy_and_an_embedded_post_are_not_the_headline(tmp_path: Path) -> None:
    """A breadcrumb's copy of the headline cut short does not make the headline a kicker
    run into it; an embedded post signed off under it ("— Name (@handle) date") is not
    a headline with its byline."""
    header = (
        "Why fast refunds keep...\n\nWhy fast refunds keep customers coming back\n\n"
        "Jane Okafor | 06.11.23"
    )
    post = (
        "#Refunds are now paid within one day for every shopper in the app.\n\n"
        "Shoppers can track each refund from the moment the parcel arrives at the depot.\n\n"
        "— Sam Lee (@samlee) November 3, 2023"
    )
    text = _page(header).replace(f"{ARTICLE}\n\n", f"{ARTICLE}\n\n{post}\n\n")
    doc = _load(tmp_path, "embedded.txt", text)
    assert doc.title == "Why fast refunds keep customers coming back"
    assert doc.meta["date"] == "2023-11-06"


def test_headings_after_the_texts_first_paragraph_are_its_sub_headings(
    tmp_path: Path,
) -> None:
    """A headline with its date line under it heads the text: a heading after the text's
    first paragraph (shown twice, as a picture's lightbox repeats it) is a sub-heading,
    however many of the text's words it holds."""
    sub = "Returns, refunds and repeat purchases in online retail"
    header = "Retail\n\nShould shops refund returns within a day?\n\n19. November 2021"
    page = _page(header).replace(f"{ARTICLE}\n\n", f"{ARTICLE}\n\n{sub}\n\n×\n\n{sub}\n\n")
    doc = _load(tmp_path, "sub.txt", page)
    assert doc.title == "Should shops refund returns within a day?"


def test_a_byline_run_into_the_html_headline_is_not_part_of_it(tmp_path: Path) -> None:
    """A heading that runs on into its byline past a separator (a page whose <h1> is left
    open), under a declared title its publishing tool escaped twice, is titled with the
    headline the declared title says."""
    head = (
        "<title>Why fast refunds keep online shoppers’ loyalty - Shopwire</title>"
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "Why fast refunds keep online shoppers&#8217; loyalty"}</script>'
    )
    body = "<h1>Why fast refunds keep online shoppers’ loyalty - by Jane Okafor April 21, 2022</h1>"
    doc = _load(tmp_path, "page.html", _html(head, body))
    assert doc.title == "Why fast refunds keep online shoppers’ loyalty"


def test_a_hashtag_that_opens_a_headline_is_part_of_it(tmp_path: Path) -> None:
    """A headline that opens on a hashtag keeps it; a Markdown heading's marks are not
    part of the title."""
    doc = _load(tmp_path, "tag.txt", _page("#FastRefunds keep customers coming back"))
    assert doc.title == "#FastRefunds keep customers coming back"
    doc = _load(tmp_path, "marked.txt", _page("## Why fast refunds keep customers ##"))
    assert doc.title == "Why fast refunds keep customers"


def test_a_date_that_opens_the_headlines_own_line_dates_the_page(tmp_path: Path) -> None:
    """A date set in the heading over its words ("1. Februar 2022 Minister: ...") dates
    the page, before a month named in the page's side menu."""
    trail = "1. Home\n2. News\n3. News 2022\n4. News February 2022"
    header = f"{trail}\n\nNews 2022\n\n1 February 2022 Minister: refunds must be paid within a day"
    doc = _load(tmp_path, "release.txt", _page(header))
    assert doc.title == "Minister: refunds must be paid within a day"
    assert doc.meta["date"] == "2022-02-01"


def test_a_declared_date_with_single_digit_parts_is_read_as_a_day(tmp_path: Path) -> None:
    """A publishing tool's "2022-1-26T14:32:06+02:00" is the day 2022-01-26, never kept
    as written."""
    head = '<meta property="article:published_time" content="2022-1-26T14:32:06+02:00">'
    body = "<h1>Why fast refunds keep customers</h1><p>26. Januar 2022</p>"
    doc = _load(tmp_path, "stamp.html", _html(head, body))
    assert doc.meta["date"] == "2022-01-26"


def test_a_one_word_headline_that_the_breadcrumb_ends_with_is_the_headline(
    tmp_path: Path,
) -> None:
    """A headline of one word, named by the breadcrumb trail right above it and with its
    date line right under it, is the headline; the site's tagline over the trail is not.
    A one-word heading with no such trail stays no headline."""
    header = (
        "Service – Loyalty – Delivery – Stores\n\n"
        "Browse: Home » Retailers\n\nRetailers\n\n8 January 2020 · by Jane Doe · in Retail"
    )
    assert _load(tmp_path, "page.txt", _page(header)).title == "Retailers"
    plain = "Service – Loyalty – Delivery – Stores\n\nRetailers\n\n8 January 2020"
    assert _load(tmp_path, "other.txt", _page(plain)).title != "Retailers"


def test_a_line_that_quotes_words_is_no_byline(tmp_path: Path) -> None:
    """ "Von Sprachregeln, Gender-Politik und «ganz normalem Deutsch»" opens like a
    byline ("Von Jane Doe, ..."), but quoted words are a headline's, not a name's: it
    stays a heading, and the byline under it names the author."""
    assert byline_author("Von Sprachregeln, Gender-Politik und «ganz normalem Deutsch»") is None
    assert byline_author('By refunds, returns and "the new normal"') is None
    assert byline_author("Von Jane Doe") == "Jane Doe"
    header = (
        "Kundenservice im Gespräch\n\n"
        "Von Rückgaben, Erstattungen und «ganz normalem Handel»\n\n"
        "19. November 2021 | Jane Doe"
    )
    doc = _load(tmp_path, "page.txt", _page(header))
    assert doc.meta.get("author") == "Jane Doe"


def test_a_kicker_run_into_the_headline_is_left_out_where_capitals_say_so(
    tmp_path: Path,
) -> None:
    """A kicker and the headline joined on one line, as a copy of a two-part heading
    gives them: on a page that capitalises its nouns, the one word capitalised though
    the page writes it in lower case ("Mehr") opens the headline. In English a capital
    may be a name's ("GE Healthcare") or title case's, and the heading is left whole."""
    english = "Customer Service Most shoppers read the returns policy first"
    body = (
        "Most shoppers said a clear returns policy mattered more than free delivery, "
        "and most of them read it before they buy."
    )
    text = f"{english}\n\n12 March 2022\n\n{body}\n\n{ARTICLE}\n\n{MORE}\n\n{LAST}\n"
    assert _load(tmp_path, "page.txt", text).title == english
    # A page that capitalises its nouns: the capital of "Mehr" opens the headline; the
    # polite "Sie", after a clause, does not.
    german = (
        "Händler müssen ihren Kunden künftig mehr über Erstattungen sagen. Wer eine Ware "
        "zurückschickt, soll wissen, wann das Geld auf dem Konto ist. Die Verbraucherzentrale "
        "begrüßt die neue Regel, weil viele Kunden bisher mehrere Wochen warten mussten. "
        "Sie können sich bei Fragen an die Schlichtungsstelle wenden, die Beschwerden von "
        "Kunden und Händlern prüft, bevor sie eine Lösung vorschlägt."
    )
    for header, title in (
        (
            "Thema Kundenservice Mehr Transparenz bei Erstattungen",
            "Mehr Transparenz bei Erstattungen",
        ),
        (
            "Das passiert mit Ihrem Geld, wenn Sie Waren zurückschicken",
            "Das passiert mit Ihrem Geld, wenn Sie Waren zurückschicken",
        ),
    ):
        text = f"{header}\n\n12. März 2022\n\n{german}\n\n{german}\n"
        assert _load(tmp_path, "seite.txt", text).title == title, header


def test_dates_in_more_written_forms() -> None:
    """A month's name set apart by slashes ("29 / Dezember / 2022"), a count of comments
    run on after the year, and a release's dateline with the date in brackets after its
    place ("Karlsruhe, (12.11.2021).")."""
    from ingest.masthead import dateline_date

    assert find_date("29 / Dezember / 2022") == ("2022-12-29", (0, 20))
    # a count of comments run on after the year, as a copy joins them; no postcode
    assert date_line("06/11/20230 Kommentare") == "2023-11-06"
    assert find_date("PLZ 20220 Hamburg") is None
    assert date_line("3 / March / 2021") == "2021-03-03"
    assert dateline_date("Karlsruhe, (12.11.2021). Traditionell gedenken wir ...") == "2021-11-12"
    assert dateline_date("Bad Homburg (3. Mai 2021): Die Stadt ...") == "2021-05-03"
    assert dateline_date("Berlin, (dpa). Die Stadt ...") is None
    assert dateline_date("MANCHESTER, 15 June 2022 — Companies ...") == "2022-06-15"


def test_a_byline_run_into_its_name_or_declared_as_shown_gives_the_name(
    tmp_path: Path,
) -> None:
    """A copy runs the lead word into the name ("ByAlex Bozarjian"); a page may declare
    its author as its byline shows it ("Von Vanessa Franke"). Either way the author is
    the name; words that only begin like a byline are none."""
    assert byline_author("ByAlex Bozarjian") == "Alex Bozarjian"
    assert byline_author("ByteDance expands") is None
    assert byline_author("Von der Leyen") is None
    head = '<meta name="author" content="Von Jane Doe">'
    doc = _load(tmp_path, "page.html", _html(head, "<h1>Why fast refunds keep customers</h1>"))
    assert doc.meta["author"] == "Jane Doe"


def test_bylines_in_more_written_forms(tmp_path: Path) -> None:
    """A byline run on into the line's next field ("Kategorien: Mode"), with its lead
    run into the name ("Veröffentlicht vonChris Jung28. Februar 2016"), naming two
    authors with "und", set in a later field of a meta line, or led by "Autoren" or "Ein
    Beitrag von"."""
    line = "Von Jane Doe Kategorien: Mode 6. November 2023, 15:25 Uhr"
    assert byline_author(line) == "Jane Doe"
    assert byline_author("Veröffentlicht vonJane Doe28. Februar 2016Veröffentlicht in") == (
        "Jane Doe"
    )
    assert byline_author("Autoren Jane Doe und John Roe") == "Jane Doe und John Roe"
    assert byline_author("yas! | By Jane Doe | April 13, 2020") == "Jane Doe"
    assert byline_author("Ein Beitrag von: Jane Doe") == "Jane Doe"
    assert byline_author("Jane Doe | Retail | May 2020") is None
    assert byline_author("By Agent47") == "Agent47"
    header = "Why fast refunds keep customers\n\nyas! | By Jane Doe | April 13, 2020"
    assert _load(tmp_path, "page.txt", _page(header)).meta.get("author") == "Jane Doe"


def test_a_name_run_into_what_follows_it_is_cut_there() -> None:
    """Copies run a byline's name into the date ("Jane Doe19.10.2019"), into the house it
    writes for ("By Jane DoeFOXBusiness"), or on into the comment link after it ("...
    Jane Doe Schreibe einen Kommentar"): the name is cut where it ends. Names written
    with capitals inside stay whole."""
    assert dated_name("Jane Doe19.10.2019, 05:00 Uhr") == "Jane Doe"
    assert dated_name("26. September 2019 Jane Doe Schreibe einen Kommentar") == "Jane Doe"
    assert dated_name("12.3.2019 Jane Doe und John Roe") == "Jane Doe"
    assert dated_name("19.6.2007 9:40 Uhr Jane Doe 71 Kommentare") == "Jane Doe"
    assert byline_author("By Jane DoeFOXBusiness") == "Jane Doe"
    assert byline_author("By Ronald McDonald") == "Ronald McDonald"
    assert byline_author("By Jane DiBiase") == "Jane DiBiase"


@pytest.mark.parametrize(
    "box",
    [
        # Its lead on a line of its own over the name.
        "Ein Beitrag von:\n\nJane Okafor",
        # A byline with the role and the organisation after the name: the name alone, as
        # under the headline.
        "Posted by Jane Okafor, Retail Research Lead, Acme",
    ],
)
def test_an_info_box_after_a_long_text_names_the_author(tmp_path: Path, box: str) -> None:
    """An author box after an article too long for the headline's byline window."""
    menu = "\n".join(["Home", "News", "Retail", "Logistics", "Opinion", "Search", "Sign in"])
    paragraphs = [f"{p} Survey {k} said so." for k in range(4, 12) for p in (ARTICLE, MORE)]
    page = (
        f"{menu}\n\nWhy fast refunds keep customers\n\n12.12.2022\n\n"
        + "\n\n".join(paragraphs)
        + f"\n\n{box}\n\nMehr zum Thema\n"
    )
    doc = _load(tmp_path, "page.txt", page)
    assert doc.title == "Why fast refunds keep customers"
    assert doc.meta.get("author") == "Jane Okafor"


def test_a_post_title_under_a_search_label_over_its_date_and_byline(tmp_path: Path) -> None:
    """A blog post's title under the search box's label ("Search:"), its date line and
    then its byline under it, and the post's tags over the text: the title is the
    headline, not an item the label leads into, and the tags are no headline."""
    header = (
        "Search:\n\nWhy fast refunds keep customers\n\n31 Oct 2019\n\nPosted by Jane Okafor in "
        "Retail\n\nTags\n\nrefunds, returns, shoppers, Retail, loyalty"
    )
    doc = _load(tmp_path, "page.txt", _page(header))
    assert doc.title == "Why fast refunds keep customers"
    assert doc.meta.get("author") == "Jane Okafor"


def test_a_headline_that_opens_on_a_number_under_a_numbered_breadcrumb(tmp_path: Path) -> None:
    """A headline that opens on a number ("15. Forum ...") right under a breadcrumb
    numbered 1 to 4 does not go on with it: it is the headline, not a fifth step; a
    list numbered in order, or with every item "1.", stays a list."""
    header = (
        "You are here:\n\n1. Home\n2. Topics\n3. Retail\n4. 15. Retail Returns Forum\n\n"
        "15. Retail Returns Forum"
    )
    doc = _load(tmp_path, "page.txt", _page(header))
    assert doc.title == "15. Retail Returns Forum"
    asked = "We asked three things:\n\n"
    listed = _load(tmp_path, "list.txt", asked + "1. Speed\n2. Price\n3. Choice\n")
    assert [b.role for b in listed.blocks if b.text[:1].isdigit()] == ["list_item"] * 3
    lazy = _load(tmp_path, "lazy.md", asked + "1. Speed\n1. Price\n1. Choice\n")
    assert [b.role for b in lazy.blocks if b.text[:1].isdigit()] == ["list_item"] * 3


def test_a_name_beside_a_date_in_the_next_field() -> None:
    """A name set off from the date after it by a slash ("Jane Doe / 16.11.2018"), or
    beside a date with a two-digit year ("Jane Doe | 06.11.23"); a section's label in the
    same place names nobody."""
    assert dated_name("Jane Doe / 16.11.2018, 03:00 Uhr") == "Jane Doe"
    assert dated_name("Jane Doe | 06.11.23") == "Jane Doe"
    assert dated_name("Politik | 06.11.23") is None
    assert dated_name("Politik / 16.11.2018") is None


def test_a_byline_after_the_days_name_and_date() -> None:
    """The day's name before the date that opens a byline ("Dienstag, 13. Mai 2014, von
    Jane Doe")."""
    assert byline_author("Dienstag, 13. Mai 2014, von Jane Doe") == "Jane Doe"
    assert byline_author("Tuesday, May 13, 2014 | By Jane Doe") == "Jane Doe"
    assert dated_name("Dienstag, 13. Mai 2014, Jane Doe") == "Jane Doe"


def test_a_byline_whose_next_field_is_set_off_by_a_slash() -> None:
    """A byline whose next field is set off by a slash ("27. Januar 2014 by Jane Doe /
    Kategorien: Event, Fashion"): the name ends at the slash."""
    line = "27. Januar 2014 by Jane Doe / Kategorien: Event, Fashion"
    assert byline_author(line) == "Jane Doe"
    assert byline_author("By Jane Doe / Reuters") == "Jane Doe"


def test_a_line_that_opens_on_a_full_date_and_its_time_is_a_date_line() -> None:
    """A full date and its time of day open the line, however much follows ("19. Oktober
    2019, 19:08 Uhr Editiert am ... DIE ZEIT Nr. 43/2019"); a long line that opens on a
    date with no time is read as it was."""
    line = (
        "19. Oktober 2019, 19:08 Uhr Editiert am 19. Oktober 2019, 19:08 Uhr DIE ZEIT Nr. 43/2019"
    )
    assert date_line(line) == "2019-10-19"
    long = "12 May 2021 The council met and decided many things about the budget for the year"
    assert date_line(long) is None


def test_a_date_with_the_days_name_between_day_and_month() -> None:
    """A date with the day's name between day and month ("31 Donnerstag Okt 2019");
    another word there is no day's name ("In 12 Stores May 2020": May 2020 alone)."""
    assert date_line("31 Donnerstag Okt 2019") == "2019-10-31"
    assert date_line("31 Thursday Oct 2019") == "2019-10-31"
    assert find_date("In 12 Stores May 2020") == ("2020-05", (13, 21))


def test_a_day_run_into_the_word_before_it() -> None:
    """A copy joins a page's spans: a day with its full stop run into the site's name
    before it ("hejfish7. Januar 2022"), a comment count run on after the year."""
    assert date_line("Anglertalkhejfish7. Januar 20220") == "2022-01-07"
    assert find_date("Seite7. Januar 2022") == ("2022-01-07", (5, 19))


def test_an_interviews_byline_names_the_interviewer() -> None:
    """An interview's byline ("Ein Interview von Jane Doe mit John Roe.", "Interview by
    Jane Doe") names the one who wrote it up, not the one interviewed."""
    assert byline_author("Ein Interview von Jane Doe mit John Roe.") == "Jane Doe"
    assert byline_author("Interview by Jane Doe") == "Jane Doe"
    assert byline_author("Interview mit Jane Doe") is None


def test_a_byline_led_by_the_article_or_its_text() -> None:
    """A byline led by the article or its text ("Artikel von: Jane Doe", "Text von Jane
    Doe"), the next credit set off by a run of spaces, as a copy keeps a page's columns."""
    assert byline_author("Artikel von: Jane Doe") == "Jane Doe"
    assert byline_author("Text von Jane Doe     Illustration von John Roe") == "Jane Doe"
    assert byline_author("Text von Wikipedia übernommen") is None


def test_a_tag_cloud_is_not_the_articles_text(tmp_path: Path) -> None:
    """A tag cloud after a post is a long run of names and words, longer than the post's
    one paragraph, but no sentence: the post's paragraph is the text and its heading the
    headline, not a heading of the comment form over the cloud."""
    tags = " ".join(
        ["Adalbert Stifter Allgemein Bergkristall Der Sandmann E. T. A. Hoffmann Golau"]
        + [f"Schlagwort{n} Thema{n}" for n in range(14)]
    )
    text = (
        "Home\n\nArchive\n\n17 January 2014\n\nA garden in the city\n\n"
        f"{ARTICLE}\n\nShare this:\n\n- Facebook\n- Twitter\n\nLike this:\n\n"
        "Filed under General\n\nLeave a comment\n\nEnter your comment here ...\n\n"
        "- Email (required)\n- Name (required)\n- Website\n\n"
        "You are commenting using your account. ( Log Out / Change )\n\nCancel\n\n"
        "Recent posts\n\n- A walk in the snow\n- Winter light\n- The harbour at dusk\n"
        "- Letters from the coast\n- Notes on a quiet street\n\nCategories\n\n"
        f"{tags}\n\nPublic relations\n\n{tags.replace('Thema', 'Feld')}\n"
    )
    doc = _load(tmp_path, "post.txt", text)
    assert doc.title == "A garden in the city"


def test_a_breadcrumb_run_into_the_headline_is_not_the_title(tmp_path: Path) -> None:
    """A copy runs a breadcrumb's steps together ("You are here:Home»News»<headline>")
    over the headline itself: the headline is the title, not the trail."""
    headline = "Dago Leukefeld becomes the foundation's sports ambassador"
    text = (
        f"Shop\n\nCart\n\nYou are here:Home»News archive»{headline}\n\n{headline}\n\n"
        f"By Dago on 11 March 2014 News archive\n\n{ARTICLE}\n\n{MORE}\n\n{LAST}\n"
    )
    assert _load(tmp_path, "crumbs.txt", text).title == headline


def test_a_byline_after_the_word_that_says_when_it_was_published() -> None:
    """Blog themes write the date before the name: "Posted on 21 July 2019 by Jane Doe",
    "Veröffentlicht am 13. März 2019 von Jane Doe — Hinterlasse eine Antwort"."""
    assert byline_author("Posted on 21 July 2019 by Jane Doe") == "Jane Doe"
    line = "Veröffentlicht am 13. März 2019 von Jane Doe-Roe — Hinterlasse eine Antwort"
    assert byline_author(line) == "Jane Doe-Roe"
    assert byline_author("Text und Interview: Jane Doe") == "Jane Doe"
    assert byline_author("Blog Beitrag von Jane Doe") == "Jane Doe"
    assert byline_author("Autor: Jane Doe/dpa") == "Jane Doe"


def test_a_house_run_on_after_the_bylines_name(tmp_path: Path) -> None:
    """A copy runs the magazine's name on after the author's ("von Jane Doe Acme Weekly"):
    the page shows "Acme Weekly" as a line of its own, so the name ends before it; a
    name under its label on a line of its own ends at the agency after a slash."""
    header = (
        "Acme Weekly\n\nReturns that pay\n\nVeröffentlicht am 03.02.2022 von Jane Doe Acme Weekly"
    )
    doc = _load(tmp_path, "house.txt", _page(header))
    assert doc.meta["author"] == "Jane Doe"
    labelled = f"Returns that pay\n\n{ARTICLE}\n\nDate:\n\n03.11.2021\n\nAuthor:\n\nJane Doe/SP-X"
    doc = _load(tmp_path, "label.txt", _page(labelled))
    assert doc.meta["author"] == "Jane Doe"


def test_a_line_a_sentence_announces_is_not_the_headline(tmp_path: Path) -> None:
    """A standfirst's sentence that ends in a colon ("A look at history shows:")
    announces the line under it, which is that sentence's end, not a headline, however
    close the byline under it stands."""
    text = (
        "Our true selves\n\nPeople are selfish by nature, or so it is said. Not so, says "
        "the historian.\n\nA look at history shows:\n\nWe are far better than we think.\n\n"
        f"Text and interview: Jane Doe\n\n{ARTICLE}\n\n{MORE}\n\n{LAST}\n"
    )
    assert _load(tmp_path, "deck.txt", text).title == "Our true selves"


def test_when_a_post_was_written_after_its_authors_role() -> None:
    """The line of a post's header that says when it was written gives the author's role
    before it, if any; a sentence that says someone replied or wrote is no such line."""
    assert posted_role("replied 3 days ago") == ""
    assert posted_role("Posted 4 March 2024") == ""
    assert posted_role("Finance Director, retail replied 2 days ago") == "Finance Director, retail"
    assert posted_role("kommentierte am 3. Mai 2021") == ""
    assert posted_role("The company replied that it would look into it.") is None
    assert posted_role("She wrote to the board in 2019 about the plan.") is None
    assert posted_role("Posted by Jane Doe") is None


def test_a_story_cut_short_by_a_paywall_is_the_text_not_the_footer(tmp_path: Path) -> None:
    """A paywalled story shows one paragraph and its byline, then offers, teasers and a
    footer whose run of links reads as longer text: the story's headline is the title."""
    headline = "Contact centres brace for the winter peak"
    offers = "\n\n".join(
        f"{name}\n\n{price}\n\nDaily news, prices and market data\n\nExclusive reports"
        for name, price in (("Annual plan", "99.00 EUR a year"), ("Trial", "1.00 EUR"))
    )
    footer = (
        "Publishing house Careers at the house Brands and products Privacy policy Terms "
        "of use Cookie settings Imprint Contact Advertise with us Newsletter. Data "
        "protection Accessibility Sitemap Press Jobs Partners Shop Help Archive Events. "
        "Podcasts Videos Magazines Apps Subscriptions Gift cards Legal notice About us. "
        "Regional editions North South East West City Country Farming Energy Machinery. "
        "Livestock Markets Weather Politics Business Technology Careers Events Awards."
    )
    text = (
        "Subscribe\n\nSign in\n\nSearch\n\nStay up to date with our newsletters.\n\n"
        f"{headline}\n\nService\n\n{headline}\n\n{ARTICLE}\n\n10.12.2022 18:27 by\n\n"
        f"Jane Doe\n\nRead on with a plan\n\n{offers}\n\nMost read\n\n1.\n\n"
        "Why refunds drive repeat purchases\n\n2.\n\nThe true cost of a slow reply\n\n"
        f"Newsletter Contact Help\n\n{footer}\n\nLogin\n\nHome\n"
    )
    doc = _load(tmp_path, "paywall.txt", text)
    assert doc.title == headline
    assert doc.meta["date"] == "2022-12-10"


def test_dates_in_figures_side_by_side_and_a_swiss_publication_label(tmp_path: Path) -> None:
    """A page that shows when a post was published and updated side by side, run
    together in a copy ("17/11/201917/11/2019"), is dated by the first; "Publiziert:"
    says the publication date as "Veröffentlicht:" does, before an "Aktualisiert:" line."""
    assert find_date("17/11/201917/11/2019 ~ Jane Doe") == ("2019-11-17", (0, 10))
    assert find_date("20.02.202321.02.2023") == ("2023-02-20", (0, 10))
    assert find_date("In 2019 12.5% of them") is None
    header = "Returns that pay\n\nAktualisiert: 11.04.2020, 10:27\n\nPubliziert: 03.04.2020, 12:35"
    assert _load(tmp_path, "swiss.txt", _page(header)).meta["date"] == "2020-04-03"


def test_a_byline_that_ends_on_a_date_set_with_spaces(tmp_path: Path) -> None:
    """ "Von Acme Verband 4. 2. 2022." dates the page; a range of days that ends a line
    ("am 26. und 27. 2. 2015") is when something happens, not when it was written."""
    assert byline_when("Von Deutscher Tennis Bund 4. 2. 2022.") == "2022-02-04"
    assert byline_when("Von Jane Doe am 26. und 27. 2. 2015") is None
    header = "Returns that pay\n\nVon Acme Handelsverband 4. 2. 2022."
    assert _load(tmp_path, "spaced.txt", _page(header)).meta["date"] == "2022-02-04"
