"""The quote under an "Its headline: ..." line (an outlet whose only detail of its own reads
whole as no line, `angles._title_line`) adds to the title: a sentence telling the title again
is no quote under it, as a sentence telling a detail's line again is none under that one, and
the framing's "headline" is no word of the outlet's to tie a quote to the line by.

Session 24's review found the title line's quote chosen as if the line had no sentence: the
outlet's "That board brushed off the 412 complaints ..." was quoted under its own title
"Ferry board brushes off 412 islanders' levy complaints"."""

from __future__ import annotations

import pytest
from test_angle_long_detail_lines import COUNCIL, SHARED, _article

from bot.models import Angle, Bullet
from bot.summarize.angles import build_angles

TITLE = "Ferry board brushes off 412 islanders’ levy complaints"
LINE = f"Its headline: {TITLE}"
# The feed stopped inside the report's title: no clause of the detail reads whole as a line.
CUT_OFF = (
    "Late on Monday, the ferry board – a body the islanders have long accused of serving "
    "the mainland hauliers first – published a report titled “Tallow"
)


def _angle(text: str) -> Angle:
    lead = _article(1, "Sound Courier", f"{SHARED} {COUNCIL}")
    other = _article(2, "Grell Observer", f"{SHARED} {text} {CUT_OFF}", TITLE)
    outlets = ["Sound Courier", "Grell Observer"]
    tldr = [Bullet(SHARED, outlets), Bullet(COUNCIL, ["Sound Courier"])]
    angles, also = build_angles(
        [lead, other], outlets, "Sound Courier", tldr=tldr, headline="Ferry levy"
    )
    assert also == []
    (angle,) = angles
    assert angle.line == LINE
    return angle


@pytest.mark.parametrize(
    "again",
    [
        "That board brushed off the 412 complaints islanders lodged over the levy.",
        "She said the ferry board had brushed off all 412 complaints islanders lodged over the "
        "levy.",
        # A feed teaser cut: quoted up to its cut, it still tells the title again.
        "The ferry board brushed off the 412 complaints islanders lodged over the levy and "
        "then ...",
    ],
)
def test_a_sentence_telling_the_title_again_is_no_quote_under_it(again: str) -> None:
    angle = _angle(again)
    assert angle.quote == "", angle.quote


def test_a_sentence_adding_to_the_title_is_quoted_in_place_of_one_telling_it_again() -> None:
    adds = (
        "She said most of the complaints came from the three outer islands, where the fares "
        "doubled in April."
    )
    angle = _angle(
        f"That board brushed off the 412 complaints islanders lodged over the levy. {adds}"
    )
    assert angle.quote == adds


def test_the_framing_word_headline_ties_no_quote_to_the_title() -> None:
    # Shares only "headline" with the line as shown: nothing of the outlet's title.
    angle = _angle("She said the headline writers in the capital had been told to stay calm.")
    assert angle.quote == ""


def test_under_a_framed_detail_no_quote_tells_it_again_or_shares_only_the_framing() -> None:
    # The other framings' lines are made of a sentence of the outlet's, which the pool is given,
    # and the quote is tied to the line without its framing ("Puts a figure on it: ").
    line = "The ferry board logged 412 complaints from islanders over the levy."
    for extra in (
        "She said the board had logged all 412 complaints islanders sent over the levy.",
        "She said the figure on the harbour office's noticeboard was wrong.",
    ):
        lead = _article(1, "Sound Courier", f"{SHARED} {COUNCIL}")
        other = _article(2, "Grell Observer", f"{SHARED} {line} {extra}")
        outlets = ["Sound Courier", "Grell Observer"]
        tldr = [Bullet(SHARED, outlets), Bullet(COUNCIL, ["Sound Courier"])]
        angles, _ = build_angles(
            [lead, other], outlets, "Sound Courier", tldr=tldr, headline="Ferry levy"
        )
        (angle,) = angles
        assert angle.line == f"Puts a figure on it: {line}"
        assert angle.quote == "", angle.quote
