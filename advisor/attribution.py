"""Whose work a research document reports: a blog's recap of a study, an article that
says what a named firm found. Read from the names of the library's publishers, so a
report and the work it reports are known as one voice, not two sources."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Work:
    """A research document as what it says is read: its title, its publisher and the
    words of it at hand (a quoted sentence with what it is read with)."""

    title: str
    publisher: str
    said: str


def reports_of(report: Work, source: Work) -> bool:
    """`report` reports the work of `source`, and not the other way round (two pieces
    that name each other's publisher are two voices)."""
    return reports_work(report.title, report.publisher, report.said, source.publisher) and not (
        reports_work(source.title, source.publisher, source.said, report.publisher)
    )


def reports_work(title: str, publisher: str, said: str, source_publisher: str) -> bool:
    """A document (its `title`, `publisher` and what it `said`) reports the work of
    `source_publisher`: its title or its words name that publisher ("Pega Global Customer
    Experience Study recap", "Gartner found that ..."), and it is not that publisher's
    own (its publisher does not name it)."""
    names = publisher_names(source_publisher)
    if not names or any(_named(name, publisher) for name in names):
        return False
    return any(_named(name, f"{title}\n{said}") for name in names)


def publisher_names(publisher: str) -> list[str]:
    """A publisher's names: each of a joint publisher's ("SAS / Harvard Business
    Review"), of three letters or more."""
    return [part.strip() for part in publisher.split("/") if len(part.strip()) >= 3]


def _named(name: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None
