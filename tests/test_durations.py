"""A length of time meets the same length written in another unit."""

from __future__ import annotations

from advisor.durations import equivalents
from advisor.question import Question
from advisor.selection import fits, stem, stems


def test_a_length_of_time_is_also_written_in_its_other_whole_units() -> None:
    assert equivalents("answered within 60 seconds") == {("1", "minute")}
    assert ("24", "hour") in equivalents("a day after detection")
    assert ("1", "day") in equivalents("after 24 hours")
    assert equivalents("half an hour") == {("30", "minute"), ("1800", "second")}
    assert equivalents("over 12 months") == {("1", "year")}
    assert ("14", "day") in equivalents("two weeks")


def test_only_exact_conversions_count() -> None:
    # 30 days is no month, nor a whole number of weeks
    assert {unit for _, unit in equivalents("within 30 days")} == {"hour", "minute"}
    assert equivalents("90 minutes") == {("5400", "second")}  # 1.5 hours is not whole
    assert equivalents("a few days") == set()
    assert equivalents("the 2nd day of the sale") == set()


def test_a_row_in_seconds_answers_a_share_asked_in_minutes() -> None:
    question = Question.read("What share of our calls do we pick up within a minute?")
    row = "Measure: Calls answered within 60 seconds; Q3 2026: 41%; Target: 80%."
    assert stem("minute") in stems(row)
    assert fits(question, row)
    # The same row with a length of time that is not a minute does not.
    assert not fits(question, row.replace("60 seconds", "90 seconds"))


def test_a_day_is_met_by_24_hours_and_the_reverse() -> None:
    assert "day" in stems("Notices sent after 24 hours scored 54.")
    assert {"24", "hour"} <= stems("Notices sent more than a day after detection.")


def test_a_length_of_time_is_no_count_of_what_stands_near_it() -> None:
    question = Question.read("How many calls did we get in Q3?")
    assert "call" in question.focus  # a topic here, though common stop-word lists hold it
    assert not fits(question, "Measure: Calls answered within 60 seconds; Q3 2026: 41%.")
    assert fits(question, "Channel: Voice calls; Q3 2026: 842,000; Q2 2026: 781,000.")
    # ... unless its unit is what the question counts.
    hours = Question.read("How many hours of training do new agents get?")
    assert fits(hours, "New agents get 120 hours of training before taking calls.")
