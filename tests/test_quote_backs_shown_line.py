"""An angle's quote backs the line the reader sees: a word it shares only with the words a
line's cut left out of the outlet's sentence ties it to nothing on the card; nor does a name the
story is about (its headline's, a bullet's, or in most outlets' titles), which any sentence of
the story may share with any other."""

from __future__ import annotations

from bot.models import Angle, Article, Bullet
from bot.summarize.angles import build_angles

SHARED = "Islanders on the Tallow Sound route have paid a crossing levy since March."
COUNCIL = "Their council said the levy raised money for a new pier."
# The line shows this sentence up to "380,000 crowns": the surveys are in the part cut off.
QUAY = (
    "The harbour master warned on Monday that she would shut the north quay unless the rotten "
    "piles under the fish market were replaced for 380,000 crowns, saying the council had "
    "ignored three surveys since the storm of the winter before last and that crews now risked "
    "their lives on every tide."
)


def _observer(text: str) -> Angle:
    lead = Article(id="1", source="Sound Courier", title="Ferry levy", text=f"{SHARED} {COUNCIL}")
    other = Article(id="2", source="Grell Observer", title="Ferry levy", text=f"{SHARED} {text}")
    outlets = ["Sound Courier", "Grell Observer"]
    tldr = [Bullet(SHARED, outlets), Bullet(COUNCIL, ["Sound Courier"])]
    angles, _ = build_angles([lead, other], outlets, "Sound Courier", tldr=tldr)
    (angle,) = angles
    return angle


def test_a_quote_tied_only_to_the_words_the_line_cut_off_is_not_shown() -> None:
    # A sentence opening on "They" is no line of its own, but a quote may open so.
    angle = _observer(f"{QUAY} They said the surveys had gone unread for two winters.")
    assert angle.line.endswith("380,000 crowns."), angle.line
    assert "surveys" not in angle.line
    assert angle.quote == ""


def test_a_quote_sharing_a_word_of_the_shown_line_still_backs_it() -> None:
    said = "They found the piles rotten through at low water."
    angle = _observer(f"{QUAY} They said the surveys had gone unread for two winters. {said}")
    assert angle.quote == said


HEADLINE = "Nordvik Telecom to lead Tallow Sound cable consortium"
LEAD = "Nordvik Telecom will lead the group laying a new cable under the Tallow Sound."


def _courier(text: str) -> Angle:
    articles = [
        Article(id="1", source="Port Herald", title=HEADLINE, text=LEAD),
        Article(id="2", source="Coast Courier", title="Cable deal", text=text),
    ]
    outlets = [a.source for a in articles]
    angles, _ = build_angles(
        articles, outlets, "Port Herald", tldr=[Bullet(LEAD, outlets)], headline=HEADLINE
    )
    (angle,) = angles
    return angle


def test_the_storys_subject_named_in_both_is_no_support() -> None:
    angle = _courier(
        "Analysts at Brenning Bank said the contract could lift Nordvik Telecom's revenue by a "
        "fifth by 2029.\n\nNordvik Telecom is also the biggest customer of Kabelhus, a Danish "
        "firm that makes routers."
    )
    assert "Brenning Bank" in angle.line
    # The two sentences share the company the whole card is about, and nothing else.
    assert angle.quote == ""
