"""What is and is not part of a name in a "Names ..." label: "St." of a place and "&" of a firm
are, a party-state aside, a number's "No.", an adjective compound, a headline in title case, a
word only ever used before another word and a gallery's buttons are not."""

from __future__ import annotations

from bot.summarize.sentences import split_sentences


def test_fort_and_mount_end_no_sentence_but_a_unit_still_may() -> None:
    text = "Crews reached Mt. Hollis by noon. The cliff there drops 6 ft. The path stays shut."
    assert split_sentences(text) == [
        "Crews reached Mt. Hollis by noon.",
        "The cliff there drops 6 ft.",
        "The path stays shut.",
    ]
