"""No "Names ..." framing for dates, offices, possessives or a shouted slogan; and since a line
shows whatever name its detail gives, no framing repeats a real name either: the detail
carries it."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.angles import build_angles

LEAD = "Kettle Valley News"
LEAD_TEXT = "The county approved a new toll on the river bridge on Thursday, starting in spring."


def _line(other_text: str) -> str:
    lead = Article(id="1", source=LEAD, title="Bridge toll approved", text=LEAD_TEXT)
    other = Article(id="2", source="Fenwick Tribune", title="Bridge toll set", text=other_text)
    angles, _ = build_angles([lead, other], [LEAD, "Fenwick Tribune"], LEAD)
    assert angles, other_text
    return angles[0].line


def test_a_month_abbreviation_is_not_a_name() -> None:
    line = _line(
        "The county approved the toll. Commuter groups have called a public hearing on Oct. 26 "
        "to contest the charge."
    )
    assert not line.startswith("Names"), line


def test_a_possessive_place_alone_is_not_named() -> None:
    line = _line(
        "The county approved the toll. Hauliers have already rerouted lorries from Ontario's "
        "northern towns to the ferry crossing."
    )
    assert "Names Ontario" not in line, line


def test_a_shouted_slogan_is_not_a_name() -> None:
    line = _line(
        "The county approved the toll. Dozens of protesters waved banners reading SAVE OUR "
        "WETLANDS NOW outside the chamber."
    )
    label = line.partition(": ")[0] if line.startswith("Names ") else ""
    assert "WETLANDS" not in label, line


def test_an_office_title_is_not_named_but_the_person_is() -> None:
    line = _line(
        "The county approved the toll. The provincial premier will hear Secretary of State "
        "Hillary Clinton on the bridge dispute on Friday."
    )
    assert "Hillary Clinton" in line and not line.startswith("Names"), line


def test_a_single_name_that_recurs_is_named() -> None:
    line = _line(
        "The county approved the toll. The levy was drafted by a consultant, Okonkwo, whose "
        "earlier plan was rejected. Okonkwo declined to comment."
    )
    assert "Okonkwo" in line and not line.startswith("Names"), line
