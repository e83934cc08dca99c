"""Web-page chrome removal on text dumps."""

import pytest

from ingest.loaders.webclean import chrome_lines, clean_web_text


def test_inline_menu_and_banner_lines_are_dropped() -> None:
    text = (
        "Home | Teams | Reports | Help\n"
        "This site uses cookies to personalise content.\n"
        "Our churn fell to 1.2% a month after the billing fix.\n"
    )
    assert clean_web_text(text) == "Our churn fell to 1.2% a month after the billing fix."


def test_headings_and_short_data_lines_survive() -> None:
    text = (
        "Results\n\nNPS rose by 4 points in the app channel this quarter.\n\n"
        "App 41\nWeb 35\nStore 22\n"
    )
    cleaned = clean_web_text(text)
    assert cleaned.startswith("Results\n\nNPS rose")
    assert "App 41\nWeb 35\nStore 22" in cleaned


def test_kept_lines_are_verbatim() -> None:
    text = "Menu\nHome\nAbout\n\n  Indented sentence stays as it was.  \n"
    assert clean_web_text(text) == "  Indented sentence stays as it was."


def test_the_last_label_of_a_share_run_is_not_a_heading() -> None:
    page = (
        "Put the people who answer the phone in charge\n\n"
        "Share this article\nFacebook\nTwitter\nLinkedIn\nEmail\n\n"
        "Ask who owns customer experience in a typical large company and you will be pointed "
        "towards marketing.\n\n"
        "Our position\n\n"
        "Customer operations should own it, because that is where customers feel it.\n\n"
        "Get the week's CX research in your inbox every Thursday. Sign up\n"
        "Comments (14)\n"
    )
    cleaned = clean_web_text(page)
    assert "Email" not in cleaned and "Facebook" not in cleaned
    assert "Our position" in cleaned  # a heading after a blank line stays
    assert "Sign up" not in cleaned and "Comments (14)" not in cleaned
    assert "Customers sign up online." in clean_web_text("Customers sign up online.")


def test_a_pipe_table_header_is_not_a_menu(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A memo's pipe table: its header row of short labels ('| CX area | Owner | Notes |')
    looks like an inline menu but opens and closes with a pipe; it stays, and each row is
    read under it, not under the first data row."""
    from pathlib import Path

    from ingest.evidence import document_units
    from ingest.loaders import load_document

    table = (
        "| CX area | Accountable executive | Notes |\n"
        "| CX strategy | CMO | Run by the CX Office |\n"
        "| Contact centres | COO | Including the outsourced partner |\n"
    )
    assert clean_web_text(table) == table.strip()
    memo = Path(tmp_path) / "memo.txt"
    memo.write_text(
        "Who runs what in CX today\n\nThe table below lists each area and who answers "
        "for it, as agreed at the last council.\n\n" + table
    )
    document = load_document(memo, memo.read_bytes())
    rows = [u for u in document_units(document) if u.role == "table_row"]
    assert [u.context for u in rows] == ["| CX area | Accountable executive | Notes |"] * 2


def test_a_header_set_apart_after_a_menu_is_not_part_of_it() -> None:
    lines = [
        "Home",
        "News",
        "No Result",
        "View All Result",
        "",
        "Christian County police blotters",
        "",
        "by Staff Report",
        "October 27, 2023",
        "",
        "The following are arrest and accident reports as recorded by the police.",
    ]
    dropped = [line for line, drop in zip(lines, chrome_lines(lines), strict=True) if drop]
    assert dropped == ["Home", "News", "No Result", "View All Result"]


def test_an_unbordered_table_header_over_its_rows_is_not_a_menu() -> None:
    """Labels between pipes ('Operating model | Share of firms | ...') over rows of as
    many cells are a table's header, kept; the same line over prose, or over another
    line of labels, is a menu."""
    header = "Operating model           | Share of firms | Median release cycle"
    row = "Channel teams             | 34%            | 6 weeks"
    assert chrome_lines(["Table 1. Delivery by model", "", header, row]) == [False] * 4
    menu = "News | Research | Opinion"
    assert chrome_lines([menu, "Customers called less after the fix, the survey found."])[0]
    assert chrome_lines([menu, "About | Contact | Careers", "Churn fell by a third."])[:2] == [
        True,
        True,
    ]


def test_a_list_of_links_under_a_related_label_is_dropped() -> None:
    page = (
        "Boards should stop looking for a new title. The CEO should own it.\n\n"
        "Related articles\n"
        "- How boards should read customer metrics\n"
        "- Executive pay and the customer: what the data says\n\n"
        "- Why the Chief Experience Officer is an endangered species\n\n"
        "Most popular\n"
        "1. Churn falls at telecoms that fixed billing first\n"
        "2. The call centre is not dead\n\n"
        "Our method\n\n"
        "We asked 400 boards who owns customer experience.\n"
    )
    cleaned = clean_web_text(page)
    assert "How boards" not in cleaned and "Executive pay" not in cleaned
    assert "endangered" not in cleaned and "Churn falls" not in cleaned
    assert "Related articles" not in cleaned and "Most popular" not in cleaned
    # what follows the list (a heading and its prose) and what precedes it stay
    assert "Our method\n\nWe asked 400 boards" in cleaned
    assert cleaned.startswith("Boards should stop")


def test_a_list_under_a_sentence_or_a_heading_stays() -> None:
    page = (
        "Three changes come first:\n"
        "- Fix the bill layout\n"
        "- Give agents refund authority\n\n"
        "Related work\n"
        "- Our 2024 study of billing complaints\n\n"
        "See also the following sentence, which is prose.\n"
    )
    cleaned = clean_web_text(page)
    assert "- Fix the bill layout\n- Give agents refund authority" in cleaned
    assert "Related work\n- Our 2024 study" in cleaned  # not a label over links
    assert "See also the following sentence, which is prose." in cleaned


def test_unmarked_link_titles_a_blank_line_apart_end_at_a_heading_over_prose() -> None:
    page = (
        "The CEO should own it.\n\n"
        "Related Articles\n\n"
        "Nutrition\n\n"
        "Why breakfast really does matter\n\n"
        "Coming soon: a chocolate almond bar\n\n"
        "Our method\n\n"
        "We asked 400 boards who owns customer experience.\n"
    )
    cleaned = clean_web_text(page)
    assert "breakfast" not in cleaned and "almond" not in cleaned and "Nutrition" not in cleaned
    assert cleaned == (
        "The CEO should own it.\n\nOur method\n\nWe asked 400 boards who owns customer experience."
    )


def test_a_wrapped_line_that_carries_on_its_paragraph_is_never_chrome() -> None:
    text = (
        "Contact centres: what boards ask about repeat calls and the\n"
        "share of customers who give up\n\n"
        "Most firms now track the repeat rate, and a growing number publish the\n"
        "share of customers who call twice, though the cookie banner research\n"
        "cookie settings were studied too.\n\n"
        "Share this\nTwitter\nEmail\n\nAccept all cookies\n"
    )
    cleaned = clean_web_text(text)
    assert "and the\nshare of customers who give up" in cleaned
    assert "publish the\nshare of customers who call twice" in cleaned
    assert "research\ncookie settings were studied too." in cleaned
    # Share buttons and banners standing on their own lines still go.
    assert "Share this" not in cleaned and "Accept all" not in cleaned


def test_a_servers_program_messages_are_not_the_page() -> None:
    """Warnings a site's program printed into the page name its source file and line:
    never text, however long."""
    warning = (
        "Deprecated: Assigning the return value of new by reference is deprecated in "
        "/var/www/site/includes/query.php on line 21"
    )
    text = f"{warning}\n\nReturns fell by a third once refunds were paid within a day.\n"
    assert clean_web_text(text) == "Returns fell by a third once refunds were paid within a day."
    assert chrome_lines(["We met in London on line 3 of the tube map."]) == [False]


def test_short_header_lines_with_a_byline_among_them_are_not_a_menu() -> None:
    """A headline shown twice, the byline and the section label on short lines of their
    own over the text are the article's header, not a menu, though the lines run on."""
    text = (
        "Home\nNews\nRetail\nShop\nSearch\n\n"
        "Fast refunds keep customers\n\nFast refunds keep customers\n\n"
        "By Jane Okafor\nRetail\n29 / December / 2022\n\n"
        "Retailers that answer a return within a day see repeat purchases rise.\n"
    )
    cleaned = clean_web_text(text)
    assert cleaned.startswith("Fast refunds keep customers")
    assert "By Jane Okafor" in cleaned


def test_a_byline_lead_over_the_name_among_short_header_lines_is_not_a_menu() -> None:
    """The byline's lead on a line of its own over the name ("By" / "Jane Okafor"), with
    the profile links under it, marks the short lines as the article's header."""
    text = (
        "Home\nBudgeting\nLoans\nSearch\nGo\nTrading\n\n"
        "Fast refunds keep customers\n\n"
        "By\nJane Okafor\nFull Bio\nLinkedIn\n"
        "Jane Okafor is a retail analyst who has covered returns for a decade.\n"
    )
    cleaned = clean_web_text(text)
    assert cleaned.startswith("Fast refunds keep customers")
    assert "By\nJane Okafor" in cleaned


THREAD = """Service Forum
Discussions | Groups | Sign in

Should agents approve their own refunds?

Jane Doe
Head of Research, Acme Lab
Posted 4 March 2024

We found that agents with a standing refund limit resolve more cases on the first call.

Upvote · Reply

----------------------------------------

John Roe
Finance Director, retail
replied 3 days ago

I would want to see the fraud figures before anyone removes the approval step.

Upvote · Reply

----------------------------------------

Mary Major
Team Leader, insurance
replied 2 days ago

Our approvals queue takes an hour a day and we approve almost everything in it.

Upvote · Reply
"""


def test_a_discussions_posts_keep_who_wrote_them(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Each post's header (the author's name, role and when it was posted) is its
    byline, never a menu, however short its lines; what the post says is said by its
    author; the action line between posts is page chrome."""
    from ingest.loaders import load_document

    path = tmp_path / "thread.txt"
    path.write_text(THREAD)
    doc = load_document(path, path.read_bytes())
    said = {b.text: b.speaker for b in doc.blocks if b.role == "body"}
    assert said[
        "I would want to see the fraud figures before anyone removes the approval step."
    ] == ("John Roe, Finance Director, retail")
    assert said[
        "Our approvals queue takes an hour a day and we approve almost everything in it."
    ] == ("Mary Major, Team Leader, insurance")
    assert said[
        "We found that agents with a standing refund limit resolve more cases on the first call."
    ] == ("Jane Doe, Head of Research, Acme Lab")
    bylines = {b.text for b in doc.blocks if b.role == "byline"}
    assert {"John Roe", "Mary Major", "Team Leader, insurance replied 2 days ago"} <= bylines
    assert all(b.role == "boilerplate" for b in doc.blocks if b.text == "Upvote · Reply")
    # The posts' words are the document's text; their headers are not.
    assert "Mary Major" not in doc.text and "fraud figures" in doc.text
    assert {s.speaker for s in doc.sections} >= {"John Roe, Finance Director, retail"}


@pytest.mark.parametrize(
    "text",
    [
        # A name over prose that says in passing when something was written.
        "Refund rules\n\nJane Doe\n\nThe company replied 3 days ago that it would look "
        "again at its refund rules for agents, after a year of complaints.\n\nIt has not "
        "said more.\n",
        # An article's author over its date: one header, no discussion.
        "Refund rules\n\nJane Doe\nPosted 4 March 2024\n\nAgents with a standing refund "
        "limit resolve more cases on the first call, our study found.\n\nThe limit paid "
        "for itself within a quarter at most of the centres we studied.\n",
    ],
)
def test_an_articles_text_is_said_by_no_one_in_particular(tmp_path, text) -> None:  # type: ignore[no-untyped-def]
    """Only a discussion (two posts' headers or more) gives its parts to speakers."""
    from ingest.loaders import load_document

    path = tmp_path / "article.txt"
    path.write_text(text)
    doc = load_document(path, path.read_bytes())
    assert not any(b.speaker for b in doc.blocks)
