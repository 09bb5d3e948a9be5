"""A whole number from 1800 to 2199 is a year only in a year's context: "1,941 people" and "cut
1,950 jobs" are counts, and reading them as years left the TL;DR support check no figure to
compare ("raised the death toll to 1,941" was credited to an outlet saying 1,419).
"""

from __future__ import annotations

import pytest

from bot.summarize.quantities import quantities


def _roles(text: str) -> list[tuple[str, str]]:
    return [(q.raw, q.role) for q in quantities(text)]


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("Officials raised the death toll on Tuesday to 1,941.", "1,941"),
        ("The company cut 1,950 jobs.", "1,950"),
        ("The quake destroyed 2,000 homes.", "2,000"),
        ("The quake destroyed 2000 homes.", "2000"),
        ("Tesla delivered 1820 cars.", "1820"),
        ("At least 1900 people were evacuated.", "1900"),
    ],
)
def test_a_separated_or_counted_number_is_a_count(text: str, raw: str) -> None:
    assert (raw, "count") in _roles(text)


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("The law was passed in 2019.", "2019"),
        ("Prices have doubled since 2008 in most regions.", "2008"),
        ("Fares were frozen until 2015 and then doubled.", "2015"),
        ("By 2030 cars will need new brakes.", "2030"),
        ("The 2024 elections were delayed.", "2024"),
        ("2019 was the warmest year on record.", "2019"),
    ],
)
def test_a_year_in_a_years_context_is_a_year(text: str, raw: str) -> None:
    assert (raw, "year") in _roles(text)
