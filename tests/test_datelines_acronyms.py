"""A lone word in capitals before a dash is an acronym, not a dateline, when a list of agencies
knows it (FEMA, OSHA, NOAA) or when it has no vowel to be said by (an initialism). Such a word is
the sentence's subject and stays; the datelines wire copy opens with still go, whatever the
sentence after them starts with ("WASHINGTON — The administration ...": "the administration" is
the headline's, not the city's)."""

from __future__ import annotations

import pytest

from bot.models import Article
from bot.summarize.casing import fix_shouting
from bot.summarize.compress import compress
from bot.summarize.headline import choose_headline


def _headline(text: str) -> str:
    return choose_headline([Article(id="0", source="Coast Ledger", title="", text=text)])[0]


@pytest.mark.parametrize(
    "sentence",
    [
        "FEMA — The agency said on Monday that aid trucks would reach the coast by Friday.",
        "OSHA — Inspectors cited the cannery for twelve safety violations last spring.",
        "NOAA — Forecasters expect a busier storm season than last year along the gulf.",
        # An acronym no list holds, spelt letter by letter.
        "BRTC — Officials closed the depot after a fuel leak on Tuesday night.",
    ],
)
def test_an_acronym_opening_the_sentence_is_kept(sentence: str) -> None:
    word = sentence.split()[0]
    assert compress(sentence).startswith(word), compress(sentence)
    assert _headline(sentence).startswith(word), _headline(sentence)


@pytest.mark.parametrize(
    "dateline",
    [
        "PARIS — ",
        "(Reuters) - ",
        "LONDON (AP) — ",
        "WASHINGTON — ",
        "NEW YORK — ",
        "SAN JUAN, Puerto Rico — ",
        "OSLO — ",
    ],
)
def test_a_place_dateline_still_goes(dateline: str) -> None:
    sentence = f"{dateline}The harbour pilots ended their strike after two weeks of talks."
    assert compress(sentence).startswith("The harbour pilots"), compress(sentence)
    assert _headline(sentence).startswith("The harbour pilots"), _headline(sentence)


@pytest.mark.parametrize(
    ("sentence", "after"),
    [
        (
            "WASHINGTON — The administration on Tuesday set out new rules for harbour dredging.",
            "The administration",
        ),
        ("DETROIT — The union representing ferry mechanics voted to strike.", "The union"),
        ("BRUSSELS — The bloc's ministers backed a shared fund for port repairs.", "The bloc's"),
        (
            "GENEVA — The organization said shipping deaths fell for a third year.",
            "The organization",
        ),
        ("LONDON — The company said ferry bookings doubled over the summer.", "The company"),
        ("SEATTLE — The firm will move its repair yard to the north shore.", "The firm"),
    ],
)
def test_a_city_dateline_goes_before_the_sentence_naming_a_body(sentence: str, after: str) -> None:
    # "The administration" points back to the headline: the city before the dash is a dateline.
    assert compress(sentence).startswith(after), compress(sentence)
    assert _headline(sentence).startswith(after), _headline(sentence)


def test_a_shouted_title_keeps_a_listed_agency_in_capitals() -> None:
    assert fix_shouting("OSHA FINES CANNERY OVER SAFETY LAPSES") == (
        "OSHA fines cannery over safety lapses"
    )
