"""Picture credits have one definition, in bot/boilerplate.py: the quote picker and the headline
fallback ask it, and a whole-sentence photo credit is both boilerplate and a credit."""

from __future__ import annotations

from bot import boilerplate
from bot.summarize import quotes, text_headline


def test_one_definition_serves_quotes_and_headlines() -> None:
    assert quotes.is_credit is boilerplate.is_credit
    assert text_headline.is_credit is boilerplate.is_credit


def test_photo_credit_boilerplate_is_a_credit() -> None:
    for credit in ("Photo: Jane Roe/Tide Agency", "(Image credit: AP)", "Photos by Jane Roe"):
        assert boilerplate.is_boilerplate(credit), credit
        assert boilerplate.is_credit(credit), credit


def test_caption_credits_are_credits_but_not_boilerplate() -> None:
    for caption in (
        "Dockers cheer at the gate on Monday. REUTERS/Jonathan Ernst",
        "Credit Doug Mills/The Pell Courier",
        "Story highlights Union leader Tomas Varga said the deal ends a two-week strike",
    ):
        assert boilerplate.is_credit(caption), caption
        assert not boilerplate.is_boilerplate(caption), caption


def test_reporting_about_credit_is_neither() -> None:
    for sentence in (
        "Credit card debt rose 4% in the quarter, the central bank said.",
        "The photo, credited to AP, shows the pier after the storm.",
    ):
        assert not boilerplate.is_credit(sentence), sentence
