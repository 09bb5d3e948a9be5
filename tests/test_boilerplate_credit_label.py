"""A bare "Credit:" heads a credit-market item or a film's credits as well as a picture's credit.
After it a headline ("Credit: Brightmill's Rating Cut to Junk") is reporting; a photographer,
a press or an agency is still a credit, and picture labels are read as before."""

from __future__ import annotations

import pytest

from bot.boilerplate import is_boilerplate, is_credit, strip_boilerplate


@pytest.mark.parametrize(
    "line",
    [
        "Credit: Brightmill's Rating Cut to Junk",
        "Credit: Harbour Board Approves New Ferry Terminal",
        "Credits: Lender Pulls Out Of Port Ellis Deal.",
    ],
)
def test_a_headline_under_a_credit_label_is_reporting(line: str) -> None:
    assert not is_credit(line)
    assert not is_boilerplate(line)
    text = f"Markets were calm on Monday.\n{line}\nBond prices fell."
    assert strip_boilerplate(text) == text


@pytest.mark.parametrize(
    "line",
    [
        "Credit: Jane Roe",
        "Credit: Harbour Press",
        "Credit: Jane Roe/Tide Agency",
        "Credit: AP",
        "Credit: Getty Images",
        "Credits: Dr. Ola Berg, Port Ellis University",
        "Credit: Jane Roe for the Island News",
        "Photo: Jane Roe/Agency",
        "(Image credit: AP)",
        "Image credit: Jane Roe",
    ],
)
def test_a_picture_credit_is_still_one(line: str) -> None:
    assert is_credit(line)
    assert is_boilerplate(line)


def test_a_caption_opening_with_a_named_credit_is_a_credit() -> None:
    assert is_credit("Credit: Jane Roe. Crews cleared the quay overnight.")
    assert not is_credit("Credit: Lender Pulls Out Of Port Ellis Deal. Bond prices fell.")
