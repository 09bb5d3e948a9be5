"""A number after a month is its day, not a count: "On May 9 ministers resigned" counts no
ministers. Only a whole month name or abbreviation makes it one (`calendar_words`, shared with
the date check): before, any word opening with a month's first letters did, so "Mayor 9",
"marched 3 miles" or "declined 4 places" let the model's made-up count through. The story is
invented for the project."""

from __future__ import annotations

import pytest

from bot.summarize.calendar_words import month_before
from bot.summarize.llm_facts import misstated

SOURCES = [
    "Ministers resigned on Monday over the Harwick housing scandal.",
    "Protesters marched five miles to the square, and the party fell two places in the polls.",
    "Twenty people were hurt in the crush, police said.",
]


@pytest.mark.parametrize(
    "before",
    ["On May ", "Sept. ", "Jun ", "June", "by mid-June ", "SEPTEMBER ", "MAY ", "Mar. ", "Dec "],
)
def test_a_month_name_or_abbreviation_dates_the_number_after_it(before: str) -> None:
    assert month_before(before, len(before))


@pytest.mark.parametrize(
    "text",
    # Lowercase, as a headline or a model may write them: a whole name, or an abbreviation with
    # its full stop; "may" and "march" after a word that dates, before a day.
    ["on may |3", "by march |9", "sept. |3", "jan. |9", "june |4", "since may |31, when"],
)
def test_a_lowercase_month_dates_the_number_after_it(text: str) -> None:
    assert month_before(text.replace("|", ""), text.index("|"))


@pytest.mark.parametrize(
    "text",
    # Lowercase "may" and "march" are verbs more often than months: not after a subject or "to",
    # nor before what is no day (a count of thousands, a decimal, 32); a bare "mar" is a verb.
    [
        "they may |3",
        "to march |3 miles",
        "on may |30,000",
        "on may |3.5",
        "on may |32",
        "may |3",
        "mar |3",
    ],
)
def test_a_lowercase_may_or_march_that_is_no_month_dates_nothing(text: str) -> None:
    assert not month_before(text.replace("|", ""), text.index("|"))


@pytest.mark.parametrize(
    "before",
    ["Mayor ", "Marching ", "Junior ", "declined ", "maybe ", "Octavia ", "Janet ", "June. "],
)
def test_a_word_opening_with_a_months_letters_dates_nothing(before: str) -> None:
    assert not month_before(before, len(before))


@pytest.mark.parametrize(
    "claim",
    [
        "On May 9 ministers resigned over the scandal.",
        "By Sept. 3 ministers resigned over the scandal.",
        "On Jun 4 ministers resigned over the scandal.",
        "On June 4 ministers resigned over the scandal.",
        "on may 9 ministers resigned over the scandal.",
        "by sept. 3 ministers resigned over the scandal.",
    ],
)
def test_a_day_of_a_month_is_no_count(claim: str) -> None:
    assert misstated(claim, SOURCES) is None


@pytest.mark.parametrize(
    ("claim", "wrong"),
    [
        ("Protesters marched 3 miles to the square.", "3 miles"),
        ("Marching 3 miles, protesters reached the square.", "3 miles"),
        ("In the polls the party declined 4 places.", "4 places"),
        ("Maybe 30 people were hurt in the crush.", "30 people"),
        ("Under Mayor 9 ministers resigned over the scandal.", "9 ministers"),
        ("protesters hoped to march 3 miles to the square.", "3 miles"),
    ],
)
def test_a_count_after_a_word_opening_like_a_month_is_checked(claim: str, wrong: str) -> None:
    assert misstated(claim, SOURCES) == wrong
