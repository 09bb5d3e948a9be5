"""A bracket written onto a word is part of what the text cites ("section 230(1)", "Rule
12(b)(6)"): the compressor drops asides, set off by a space, and keeps these whole."""

from __future__ import annotations

import pytest

from bot.summarize.compress import compress


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        ("Under section 230(1) the platform is not liable for what its users post.", "230(1)"),
        ("The judge dismissed the suit under Rule 12(b)(6) on Monday morning.", "12(b)(6)"),
        ("Article 5(1) of the charter protects the right to liberty and security.", "5(1)"),
    ],
)
def test_a_bracket_on_a_word_is_kept(sentence: str, kept: str) -> None:
    assert kept in compress(sentence)


def test_an_aside_after_a_space_is_still_dropped() -> None:
    sentence = "The ferry operator (a unit of Norline) cut 40 crossings from its winter timetable."
    assert compress(sentence) == "The ferry operator cut 40 crossings from its winter timetable."
