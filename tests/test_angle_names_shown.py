"""A line never frames itself with a name it shows: "Names East Coast: ... the country's East
Coast" and "Names Harbour Office: In a memo, the warden said the Harbour Office should ..." said
the name twice, whether the name was the point of the detail or a place in passing (7 of 55
reviewed cards). Every sentence here is invented."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.angle_lines import angle_line
from bot.summarize.angles import build_angles

LEAD = "Kettle Valley News"


def test_a_place_at_the_end_of_the_detail_is_not_framed_again() -> None:
    lead = Article(
        id="1",
        source=LEAD,
        title="Ferry levy signed",
        text="The governor signed the ferry levy on Wednesday after a long dispute.",
    )
    other = Article(
        id="2",
        source="Fenwick Tribune",
        title="Ferry levy signed",
        text=(
            "The governor signed the ferry levy on Wednesday. The levy follows a strike at a "
            "company that runs the ferries carrying most of the freight for the country's North "
            "Shore."
        ),
    )
    angles, _ = build_angles([lead, other], [LEAD, "Fenwick Tribune"], LEAD)
    assert angles and "North Shore" in angles[0].line, angles
    assert not angles[0].line.startswith("Names"), angles[0].line


def test_a_body_named_past_the_opening_is_not_framed_again() -> None:
    sentence = (
        "In a memo, warden Ilse Brandt said the Pellmouth Harbour Office should check every "
        "mooring before the regatta."
    )
    article = Article(id="3", source="Grell Observer", title="Moorings", text=sentence)
    line = angle_line(sentence, article, ["Pellmouth Harbour Office"], [], ["memo", "mooring"])
    assert line and "Pellmouth Harbour Office" in line, line
    assert not line.startswith("Names"), line
