"""After a bare "Credit:" a name is a credit whatever its shape (initials, particles, a hyphen,
capitals, "Courtesy of ...", a handout), and a headline is reporting: "Credit:" also heads a
credit-market item ("Credit: Fed Raises Rates"). See bot/credit_names.py for the rule."""

from __future__ import annotations

import pytest

from bot.boilerplate import is_boilerplate, is_credit, strip_boilerplate
from bot.credit_names import named_credit_end


@pytest.mark.parametrize(
    "line",
    [
        "Credit: Dr. B. Okafor",
        "Credit: B. Okafor",
        "Credit: A. Okafor",
        "Credit: Dr. A. Okafor",
        "Credit: Nell B. Okafor",
        "Credit: Nell van der Berg",
        "Credit: Marie-Claire de la Fosse",
        "Credit: NELL OKAFOR",
        "Credit: Courtesy of Nell Okafor",
        "Credit: Courtesy Harbour Museum",
        "Credit: Handout",
        "Credit: Pool photo",
        "Credit: Nell Okafor",
        "Credit: Harbour Press",
        "Credit: Rui O'Hara, Port Ellis University",
    ],
)
def test_a_name_after_a_credit_label_is_a_credit(line: str) -> None:
    assert is_boilerplate(line), line
    assert is_credit(line), line
    assert strip_boilerplate(f"The quay reopened.\n{line}") == "The quay reopened."


@pytest.mark.parametrize(
    "line",
    [
        "Credit: Fed Raises Rates",
        "Credit: Bonds Rally",
        "Credit: Lenders Pull Back",
        "Credit: Card Debt Hits Record",
        "Credit: Student Loan Relief Blocked",
        "Credit: FED RAISES RATES",
        "Credit: Harbour Bank Profit Falls Sharply Again",
    ],
)
def test_a_headline_after_a_credit_label_is_reporting(line: str) -> None:
    assert not is_boilerplate(line), line
    assert not is_credit(line), line
    text = f"Markets were calm.\n{line}\nBond prices fell."
    assert strip_boilerplate(text) == text


def test_a_name_ends_where_the_caption_runs_on() -> None:
    text = "Credit: Dr. B. Okafor. Crowds gathered."
    assert text[: named_credit_end(text, len("Credit: "))] == "Credit: Dr. B. Okafor"
    assert is_credit(text)
