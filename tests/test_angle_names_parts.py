"""What is and is not part of a name in a "Names ..." label: "St." of a place and "&" of a firm
are, a party-state aside, a number's "No.", an adjective compound, a headline in title case, a
word only ever used before another word and a gallery's buttons are not."""

from __future__ import annotations

from bot.boilerplate import is_caption
from bot.summarize.sentences import split_sentences


def test_fort_and_mount_end_no_sentence_but_a_unit_still_may() -> None:
    text = "Crews reached Mt. Hollis by noon. The cliff there drops 6 ft. The path stays shut."
    assert split_sentences(text) == [
        "Crews reached Mt. Hollis by noon.",
        "The cliff there drops 6 ft.",
        "The path stays shut.",
    ]


def test_a_line_carrying_a_gallerys_buttons_is_a_caption() -> None:
    assert is_caption("Fur coats at the Harbour market.— Rosa Kettle + Read Caption Share Photo")
    assert is_caption("Ferries at the quay in 1950. Hide Caption 2 of 6 Photos: Old ferries")
    assert not is_caption("She read the caption aloud before sharing the photo with the court.")
