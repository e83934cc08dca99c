"""Web-page chrome removal on text dumps."""

from ingest.loaders.webclean import clean_web_text


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
