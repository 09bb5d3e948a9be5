"""A "Names ..." label gives a person's whole name: a detail that calls them by surname alone
("..., said Okafor.") is labelled with the name the outlet introduced them by earlier."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.angle_lines import whole_name
from bot.summarize.angles import build_angles

LEAD = "Kettle Valley News"
LEAD_TEXT = "The county approved a new toll on the river bridge on Thursday, starting in spring."


def _line(other_text: str) -> str:
    lead = Article(id="1", source=LEAD, title="Bridge toll approved", text=LEAD_TEXT)
    other = Article(id="2", source="Fenwick Tribune", title="Bridge toll set", text=other_text)
    angles, _ = build_angles([lead, other], [LEAD, "Fenwick Tribune"], LEAD)
    assert angles, other_text
    return angles[0].line


def test_a_surname_alone_is_labelled_with_the_name_given_earlier() -> None:
    line = _line(
        "The county approved the toll on Thursday.\n"
        "The ferry trade has been hurt, said the Tribune’s transport correspondent Adaeze "
        "Okafor.\n"
        "In the end, the toll should “settle who pays for the crossing”, said Okafor."
    )
    assert line.startswith("Names Adaeze Okafor:"), line


def test_a_surname_two_people_share_is_not_guessed() -> None:
    article = Article(
        id="2",
        source="Fenwick Tribune",
        title="Bridge toll set",
        text="The toll was opposed by ferry owner Adaeze Okafor and her brother Emeka Okafor. "
        "The toll should “settle who pays”, said Okafor.",
    )
    assert whole_name("Okafor", article) == "Okafor"
    assert whole_name("Emeka Okafor", article) == "Emeka Okafor"
