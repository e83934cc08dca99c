"""Running headers and footers are removed from PDF page text."""

from ingest.loaders.pages import strip_running_lines


def test_page_numbers_and_recurring_headers_go() -> None:
    pages = [
        f"Service review\nBody text of page {n} with a finding.\nAcme - internal - Page {n} of 3"
        for n in (1, 2, 3)
    ]
    assert strip_running_lines(pages) == [
        f"Body text of page {n} with a finding." for n in (1, 2, 3)
    ]


def test_short_documents_keep_their_edges() -> None:
    pages = ["Title\nBody one.", "Title\nBody two."]
    assert strip_running_lines(pages) == pages
