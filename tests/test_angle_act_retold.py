"""An angle line never tells a bullet's act again in other verbs: "was shot dead by unknown
attackers at his residence" under "was assassinated at his home by gunmen" is the card again,
and the outlet's next detail is its line. A figure of its own keeps such a line.

Every sentence here is invented. An editor found 11 of 55 cards with an angle line retelling the
TL;DR or headline in other words.
"""

from __future__ import annotations

from bot.models import Article, Bullet
from bot.summarize.angle_retold import retells_act
from bot.summarize.angles import build_angles
from bot.summarize.quotes import Told
from bot.summarize.sentences import content_stems

LEAD = "Sound Courier"
OTHER = "Grell Observer"
THIRD = "Harbour Post"
BULLET = "Harbour master Ada Wrennick was assassinated at her Tolberg home by a group of gunmen."


def _article(i: int, source: str, title: str, text: str) -> Article:
    return Article(id=str(i), source=source, title=title, text=text, url=f"https://{i}.example/x")


def _angles(other_text: str) -> dict[str, str]:
    lead = _article(
        1,
        LEAD,
        "Tolberg harbour master assassinated",
        f"{BULLET} The harbour was closed on Friday. Ferry crews stayed ashore.",
    )
    other = _article(2, OTHER, "Harbour master Wrennick killed in Tolberg", other_text)
    third = _article(
        3,
        THIRD,
        "Tolberg mourns harbour master",
        "Harbour master Ada Wrennick was killed at her home in Tolberg. The harbour was closed.",
    )
    tldr = [Bullet(BULLET, [LEAD, THIRD])]
    angles, _ = build_angles([lead, other, third], [LEAD, OTHER, THIRD], LEAD, tldr=tldr)
    return {a.source: a.line for a in angles}


def test_a_line_telling_the_bullets_act_in_other_verbs_gives_way() -> None:
    lines = _angles(
        "Tolberg harbour master Ada Wrennick was shot dead by unidentified attackers at her "
        "private residence overnight in a brazen act. Her deputy, Oskar Lindqvam, took charge "
        "of the harbour's night pilots and asked the coast guard to escort the ferries."
    )
    assert "shot dead" not in lines.get(OTHER, ""), lines


def _told(*texts: str, headline: str = "") -> Told:
    bullets = [(frozenset(content_stems(t)), frozenset[str]()) for t in texts]
    return Told(frozenset(content_stems(headline)), bullets, frozenset(), list(texts), headline)


def test_the_same_act_in_other_words_is_told() -> None:
    told = _told(BULLET)
    line = (
        "Tolberg harbour master Ada Wrennick was shot dead by unidentified gunmen at her "
        "private home overnight."
    )
    assert retells_act(line, told)


def test_a_figure_or_name_of_its_own_keeps_the_line() -> None:
    told = _told(BULLET)
    line = (
        "Tolberg harbour master Ada Wrennick was shot dead by unidentified gunmen at her "
        "private home overnight, the 14th killing in the port this year."
    )
    assert not retells_act(line, told, numbers=["14th"])
    named = "Harbour master Ada Wrennick was shot dead at her home by gunmen from the Voss gang."
    assert not retells_act(named, told, names=["Voss"])


def test_a_line_telling_another_act_of_the_subject_is_its_own() -> None:
    told = _told(BULLET)
    line = "Ada Wrennick had asked the Tolberg council for armed guards at the harbour gates."
    assert not retells_act(line, told)
