"""Number words are found wherever they stand, in any case: the scans for them look ahead for a
word's first letter (`textutil.opening_letters`) before trying every word, which must admit
every character a word can open with, case-insensitive matching included."""

from __future__ import annotations

import re
from decimal import Decimal

from bot.summarize.quantities import quantities
from bot.summarize.support import figures
from bot.textutil import opening_letters

WORDS = ["seven", "kilo", "in", "thousand", "a"]


def test_the_look_ahead_admits_every_character_a_word_opens_with() -> None:
    plain = re.compile("(?:" + "|".join(WORDS) + ")", re.IGNORECASE)
    guarded = re.compile(opening_letters(WORDS) + plain.pattern, re.IGNORECASE)
    # "ſ" (long s) and "K" (the kelvin sign) match "s" and "k" when case is ignored.
    for code in range(0x10000):
        first = chr(code)
        for word in WORDS:
            text = first + word[1:]
            assert bool(plain.match(text)) == bool(guarded.match(text)), (hex(code), word)


def test_number_words_are_read_in_any_case() -> None:
    found = quantities("THIRTY workers, Dozens of boats, a third of the crew and Two hundred cars")
    values = [(q.raw, q.value) for q in found]
    assert ("THIRTY", Decimal(30)) in values
    assert ("Dozens", Decimal(24)) in values
    assert ("a third", Decimal(1) / Decimal(3)) in values
    assert ("Two hundred", Decimal(200)) in values
    assert figures("Twelve workers and FORTY boats, not anyone") == frozenset({"12", "40"})
