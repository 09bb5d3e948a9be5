"""Weekdays, months, the month of a date and the half of the day of a time are facts: the LLM
writer's "Friday" for the sources' "Tuesday", "April 12" for "March 12" or "3 a.m." for "3 p.m."
is rejected, not credited to every outlet."""

from __future__ import annotations

import pytest
from test_summarize_fixtures import harbor_bridge_story

from bot.outlets import outlet_names
from bot.summarize import summarize
from bot.summarize.calendar_words import calendar_names
from bot.summarize.grounding import ungrounded
from bot.summarize.llm_check import LLMRejected, check_answer

SOURCES = [
    "The council will vote on March 12 at 3 p.m. on the plan, first proposed in September "
    "2019. Crews worked on TUESDAY and Sat. night; officials may extend the plan."
]


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("The council will vote on Friday.", ["Friday"]),
        ("The council will vote on Fri. night.", ["Fri."]),
        # The year of the sources' "September 2019" is not that of "October 2019" either.
        ("The plan was first proposed in October 2019.", ["October", "2019"]),
        # A month the sources give, but not for that day.
        ("The council will vote on April 12.", ["April", "12"]),
        ("The plan was proposed in September; the vote is on September 12.", ["12"]),
        ("The council will vote at 3 a.m.", ["3"]),
        ("The council will vote at three a.m.", ["three"]),
        # "may" the verb is no month.
        ("The plan may pass in May.", ["May"]),
    ],
)
def test_a_wrong_weekday_month_or_half_of_the_day_is_not_grounded(
    text: str, missing: list[str]
) -> None:
    assert ungrounded(text, SOURCES) == missing


@pytest.mark.parametrize(
    "text",
    [
        "The council will vote on March 12 at 3 p.m.",
        "The council will vote on 12 March at 3pm.",
        "The council will vote on Mar. 12 at 3 PM.",
        "The council will vote on the 12th.",
        # Any case, and abbreviations for the full name and the other way round.
        "Crews worked on Tuesday and Saturday night.",
        "Crews worked on Tue. and SATURDAY; the plan dates from Sept. 2019.",
        # Not weekdays or months: a newspaper, a first name, a word.
        "Jan Smith told The Sun.",
    ],
)
def test_a_weekday_month_or_time_the_sources_give_is_grounded(text: str) -> None:
    assert ungrounded(text, [*SOURCES, "Jan Smith told The Sun."]) == []


def test_the_llm_answer_with_the_wrong_weekday_is_rejected() -> None:
    articles = harbor_bridge_story()
    wrong_day = (
        "Millbrook closed its harbor bridge on Friday after a storm left cracks in the main span."
    )
    bill = "The repair bill could reach $14 million and the work may take eight months."
    with pytest.raises(LLMRejected, match="Friday"):
        check_answer(
            {"tldr": [wrong_day, bill]}, articles, outlet_names(articles), summarize(articles)
        )


def test_a_weekday_in_a_name_dates_nothing() -> None:
    assert ungrounded("Sales fell on Black Friday.", ["Retail sales fell on Black Friday."]) == []
    assert calendar_names("Sales fell on Black Friday, then on Monday.") == [("Monday", "mon")]
