"""An outlet's angle is what it adds, not its own wording of the story's lead; an outlet whose
only addition is in its lead still gets that lead as its angle."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.angles import build_angles

OUTLETS = ["Brine Ledger", "Cove Sentinel", "Marsh Dispatch"]
SHARED = [
    (
        "Council caps houseboat moorings",
        "The harbour council voted on Thursday to cap houseboat moorings on the river at 40. "
        "Owners who overstay face fines.",
    ),
    (
        "Houseboat moorings capped at 40",
        "The harbour council on Thursday capped river moorings for houseboats at 40. "
        "Boat owners said they would appeal.",
    ),
]


def angle_of_third(text: str) -> tuple[str, str]:
    """The line and quote of the third outlet, whose text is `text`, beside two that agree."""
    articles = [
        Article(id=str(i), source=o, title=t, text=x)
        for i, (o, (t, x)) in enumerate(zip(OUTLETS, SHARED, strict=False))
    ]
    articles.append(Article(id="3", source=OUTLETS[2], title="Moorings curbed", text=text))
    angles, _ = build_angles(articles, OUTLETS, OUTLETS[0])
    third = [a for a in angles if a.source == OUTLETS[2]]
    assert third, angles
    return third[0].line, third[0].quote


def test_a_reworded_lead_gives_way_to_the_outlets_own_addition() -> None:
    line, _ = angle_of_third(
        "Local officials approved sweeping curbs on floating homes late Thursday, handing "
        "riverside residents a long-sought win over absentee landlords. The rule also bans "
        "new licences in two creeks."
    )
    assert "licences in two creeks" in line, line


def test_an_addition_only_in_the_lead_is_still_the_angle() -> None:
    line, _ = angle_of_third(
        "The harbour council capped houseboat moorings at 40 on Thursday after river warden "
        "Ilse Varnholt counted 112 boats in August. Owners who overstay face fines."
    )
    assert "Ilse Varnholt" in line or "112" in line, line
