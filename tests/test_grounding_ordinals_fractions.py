"""Ordinals, fractions in words and 24-hour times are figures the LLM writer may restate in
another spelling: "a third" for the sources' "one-third", "3rd" for "third", "14:30" for
"2:30 p.m." say the same thing and pass; "two-thirds" for "half" or "fourth" for "third" is an
invented figure and is rejected."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.summarize.grounding import ungrounded
from bot.summarize.ordinal_words import ordinal_words

SOURCES = [
    "Roughly one-third of the ferry's crew stayed ashore, and half of the passengers asked for a "
    "refund. It was the third delay this month; the boat finally left at 2:30 p.m. and docked at "
    "21:15. Three-quarters of the cargo was food."
]


@pytest.mark.parametrize(
    "text",
    [
        "A third of the crew stayed ashore.",
        "One third of the crew stayed ashore.",
        "Half of the passengers asked for a refund.",
        "One-half of the passengers asked for a refund.",
        "It was the 3rd delay this month.",
        "It was the third delay this month.",
        "The boat left at 14:30.",
        "The boat left at 2:30 pm and docked at 9:15 p.m.",
        "Three quarters of the cargo was food.",
        # "a third" that counts, not shares: the sources' "third delay".
        "It was a third delay this month, the 3rd for a third-time captain.",
        # Not fractions: a period and a part of a compound word.
        "In the second half of the day the crew waited a half-hour more.",
    ],
)
def test_a_figure_restated_in_another_spelling_is_grounded(text: str) -> None:
    assert ungrounded(text, SOURCES) == []


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Two-thirds of the passengers asked for a refund.", ["Two-thirds"]),
        ("Half of the crew stayed ashore.", []),  # the sources say "half" of something
        ("A quarter of the crew stayed ashore.", ["A quarter"]),
        ("Four-fifths of the cargo was food.", ["Four-fifths"]),
        ("It was the fourth delay this month.", ["fourth"]),
        ("It was the 4th delay this month.", ["4"]),
        ("It was a fourth delay for a fifth-year captain.", ["fourth", "fifth"]),
        ("The boat left at 14:45.", ["45"]),
        ("The boat left at 2:30 a.m.", ["2", "30"]),
        ("The boat docked at 21:15 and left at 04:30.", ["04"]),
    ],
)
def test_an_invented_figure_in_another_spelling_is_not_grounded(
    text: str, missing: list[str]
) -> None:
    assert ungrounded(text, SOURCES) == missing


BLAST_SOURCES = [
    "Firefighters said a second blast shook the fuel yard on Friday, an hour after the first one."
]


@pytest.mark.parametrize(
    "text",
    [
        # "a second" followed by a comma or a full stop counts blasts; it shares nothing.
        "A second, stronger blast shook the fuel yard on Friday.",
        "An hour after the first one came a second.",
    ],
)
def test_a_or_an_before_an_ordinal_and_a_comma_counts(text: str) -> None:
    assert ungrounded(text, BLAST_SOURCES) == []


@pytest.mark.parametrize(
    ("text", "value", "role"),
    [
        ("Wait a second, she said.", 2, "ordinal"),
        ("He asked for a second.", 2, "ordinal"),
        ("The yard saw a third, smaller fire.", 3, "ordinal"),
        ("A third of the tanks were empty.", Decimal(1) / 3, "fraction"),
        ("Prices fell by one third.", Decimal(1) / 3, "fraction"),
        ("Two-thirds of the tanks were empty.", Decimal(2) / 3, "fraction"),
    ],
)
def test_a_share_needs_of_after_a_or_an(text: str, value: Decimal | int, role: str) -> None:
    [found] = ordinal_words(text)
    assert (found.value, found.role) == (value, role)
