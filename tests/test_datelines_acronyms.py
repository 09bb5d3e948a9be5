"""A lone word in capitals before a dash is an acronym, not a dateline, when a list of agencies
knows it (FEMA, OSHA, NOAA), when it has no vowel to be said by (an initialism), or when the
sentence after the dash names what kind of body it is ("The agency said ..."). Such a word is the
sentence's subject and stays; the datelines wire copy opens with still go."""

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
        # Acronyms no list holds: one spelt letter by letter, one the sentence calls an agency.
        "BRTC — Officials closed the depot after a fuel leak on Tuesday night.",
        "KELVA — The agency's board voted to raise ferry fares by a tenth in March.",
        "MARO — The group said its volunteers had cleared the beach by noon.",
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


def test_a_shouted_title_keeps_a_listed_agency_in_capitals() -> None:
    assert fix_shouting("OSHA FINES CANNERY OVER SAFETY LAPSES") == (
        "OSHA fines cannery over safety lapses"
    )
