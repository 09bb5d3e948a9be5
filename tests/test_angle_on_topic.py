"""An angle is about the story: an opinion roundup's paragraph on another subject is the most
"novel" text an outlet has (no other outlet uses its words), but it is no angle on this story,
and no quote either."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.angles import build_angles

OUTLETS = ["Wire Service", "Harbour Times", "Weekly Roundup"]
OBITUARY = (
    "Folk singer Mara Lind, whose ballads of the fishing towns sold millions of records, has died "
    "at 71, her family said on Sunday. Lind died at her home in Galway after a long illness."
)
UNRELATED = (
    "Elsewhere, columnists argued that Western sanctions had put fresh pressure on Putin, "
    "squeezing the Kremlin's energy budget and Russian oil exports to Asian refineries."
)


def _articles(roundup: str) -> list[Article]:
    return [
        Article(id="0", source=OUTLETS[0], title="Folk singer Mara Lind dies at 71", text=OBITUARY),
        Article(
            id="1",
            source=OUTLETS[1],
            title="Mara Lind, voice of the fishing towns, dies at 71",
            text="Folk singer Mara Lind has died at 71, her family said. Lind's ballads of the "
            "fishing towns sold millions of records.",
        ),
        Article(id="2", source=OUTLETS[2], title="The week in opinion", text=roundup),
    ]


def test_an_off_topic_paragraph_is_not_an_angle() -> None:
    roundup = (
        "Tributes poured in for folk singer Mara Lind, who died at 71. "
        "Lind recorded her last album of ballads in a converted chapel near Galway in 2019. "
        f"\n{UNRELATED}"
    )
    angles, _ = build_angles(
        _articles(roundup), OUTLETS, OUTLETS[0], headline="Folk singer Mara Lind dies at 71"
    )
    roundup_angles = [a for a in angles if a.source == OUTLETS[2]]
    for angle in roundup_angles:
        assert "Putin" not in angle.line and "Kremlin" not in angle.line, angle.line
        assert "Putin" not in angle.quote and "Kremlin" not in angle.quote, angle.quote
    assert roundup_angles and "chapel" in roundup_angles[0].line, angles


def test_an_outlet_adding_only_an_off_topic_paragraph_adds_nothing() -> None:
    roundup = f"Folk singer Mara Lind has died at 71, her family said.\n{UNRELATED}"
    angles, also = build_angles(
        _articles(roundup), OUTLETS, OUTLETS[0], headline="Folk singer Mara Lind dies at 71"
    )
    assert all(a.source != OUTLETS[2] for a in angles), angles
    assert OUTLETS[2] in also


def test_words_two_outlets_share_by_chance_do_not_make_a_paragraph_on_topic() -> None:
    # Both reports mention the peace talks she sang at; the roundup's other item is about talks
    # and peace too, but none of the story's own words (its headline's, the outlet's title's).
    wire = OBITUARY + " She sang for the nation at the harbour peace talks in 1998."
    harbour = (
        "Folk singer Mara Lind has died at 71, her family said. Her ballads sold millions of"
        " records, and she sang for the nation at the harbour peace talks in 1998."
    )
    roundup = (
        "Tributes poured in for folk singer Mara Lind, who died at 71. Lind recorded her last"
        " album of ballads in a converted chapel near Galway in 2019.\n"
        "Elsewhere, envoys said peace talks between the two nations would resume next week in"
        " Oslo, with a draft ceasefire on the table."
    )
    articles = _articles(roundup)
    articles[0].text, articles[1].text = wire, harbour
    articles[2].title = "Voices of the day"
    angles, _ = build_angles(articles, OUTLETS, OUTLETS[0])
    for angle in angles:
        if angle.source == OUTLETS[2]:
            assert "Oslo" not in angle.line and "Oslo" not in angle.quote, angle
