"""After a bare "Credit:", two or three title-case words whose later word is a headline's verb
("Copper Jumps", "Shares Slide") head a credit-market item, not a picture's credit: the line is
reporting and stays. Names stay credits, including surnames that end like a plural or a verb."""

from __future__ import annotations

import pytest

from bot.boilerplate import is_boilerplate, is_caption, is_credit, strip_boilerplate


@pytest.mark.parametrize(
    "line",
    [
        "Credit: Copper Jumps",
        "Credit: Shares Slide",
        "Credit: Bund Yields Climb",
        "Credit: Harbour Bank Rallies",
        "Credit: Lender Slashes Rates",
        "Credit: Ferry Bonds Steady",
    ],
)
def test_a_short_market_headline_after_credit_is_reporting(line: str) -> None:
    assert not is_credit(line), line
    assert not is_caption(line), line
    assert not is_boilerplate(line), line
    text = f"Trading was thin.\n{line}\nThe port index ended higher."
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize(
    "line",
    [
        "Credit: Jane Smith",
        "Credit: John Doe/Reuters",
        "Credit: Nell Evans",
        "Credit: Ana Pires",
        "Credit: Harbour Press",
        "Credit: Tove Lund Peters",
    ],
)
def test_a_name_after_credit_stays_a_credit(line: str) -> None:
    assert is_credit(line), line
    assert strip_boilerplate(f"The quay reopened.\n{line}") == "The quay reopened."


@pytest.mark.parametrize(
    "line",
    [
        # "-es" is a verb's ending only after a hissing sound: Gaines and Hites are no "gain(s)"
        # or "hit(s)".
        "Credit: Rachel Gaines",
        "Credit: Rachel Gaines/Reuters",
        "Credit: Omar Hites",
        # Surnames that are a market verb with its -s, or as it is.
        "Credit: Tom Sells",
        "Credit: Ivy Sells for The Harbour Times",
        "Credit: Holly Near",
    ],
)
def test_a_surname_that_ends_like_a_verb_stays_a_credit(line: str) -> None:
    assert is_credit(line), line
    assert is_caption(line), line
    assert strip_boilerplate(f"The quay reopened.\n{line}") == "The quay reopened."


@pytest.mark.parametrize(
    "line",
    ["Credit: Oil Jumps", "Credit: Markets Slide", "Credit: Zinc Misses", "Credit: Bank Crashes"],
)
def test_a_verb_with_its_s_or_es_still_makes_a_headline(line: str) -> None:
    assert not is_credit(line), line
    assert not is_caption(line), line
