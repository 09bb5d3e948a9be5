"""The outlet whose title the card's headline is leads the card: it is never listed under "Also
reporting" as adding nothing, by the extractive summary or by the LLM writer's."""

from __future__ import annotations

from bot.models import Angle, Article, Bullet
from bot.outlets import outlet_names
from bot.summarize import summarize
from bot.summarize.angles import build_angles
from bot.summarize.llm_check import check_answer

CORE = (
    "Prosecutors in Varnholt charged a 24-year-old man on Tuesday over a plot to bomb the"
    " Lindqvist harbour festival."
)
CHEMICALS = "Police said the man had bought chemicals online in the weeks before his arrest."


def _article(i: int, source: str, title: str, text: str) -> Article:
    return Article(id=str(i), source=source, title=title, text=text, url=f"https://{i}.example/x")


CANCELLED = "The festival's three nights were cancelled last summer after police learned of it."


def _story() -> list[Article]:
    return [
        _article(
            1,
            "Sound Courier",
            "Varnholt man charged over harbour festival bomb plot",
            f"{CORE} {CANCELLED}",
        ),
        _article(
            2, "Grell Observer", "Charges filed in harbour festival plot", f"{CORE} {CHEMICALS}"
        ),
        # Adds nothing the others lack, but its title is the one the card leads with.
        _article(
            3,
            "Tidewater Post",
            "24-year-old man charged over Varnholt harbour festival bomb plot",
            "A 24-year-old man was charged on Tuesday over a plot to bomb the Lindqvist harbour"
            " festival, prosecutors in Varnholt said.",
        ),
    ]


def test_the_headlines_outlet_is_not_also_reporting() -> None:
    summary = summarize(_story())
    assert summary.headline_url == "https://3.example/x"  # Tidewater Post's title leads
    assert "Tidewater Post" not in summary.also_reporting


def _angles_under_tidewaters_headline(
    backers: list[str], headline_outlet: str | None = "Tidewater Post"
) -> tuple[list[Angle], list[str]]:
    """build_angles for _story, Sound Courier leading and Tidewater Post's title the headline,
    its one bullet CORE credited to `backers`; `headline_outlet` as the card names it."""
    articles = _story()
    return build_angles(
        articles,
        outlet_names(articles),
        "Sound Courier",
        tldr=[Bullet(CORE, backers)],
        headline=articles[2].title,
        headline_outlet=headline_outlet,
    )


def test_build_angles_lists_neither_lead_as_adding_nothing() -> None:
    everyone = outlet_names(_story())
    _, also = _angles_under_tidewaters_headline(everyone, headline_outlet=None)
    assert "Tidewater Post" in also  # no headline outlet named: it adds nothing
    _, also = _angles_under_tidewaters_headline(everyone)
    assert "Tidewater Post" not in also
    assert "Sound Courier" not in also


def test_the_llm_writers_also_reporting_leaves_out_the_headlines_outlet() -> None:
    articles = _story()
    outlets = outlet_names(articles)
    angle = {
        "source": "Grell Observer",
        "line": "Adds that the man bought chemicals online.",
        "quote": "the man had bought chemicals online",
    }
    answer = {"tldr": [CORE, CANCELLED], "angles": [angle]}
    summary = check_answer(answer, articles, outlets, summarize(articles))
    assert summary.writer == "llm" and summary.angles
    assert "Tidewater Post" not in summary.also_reporting


def test_the_headlines_outlet_backing_no_bullet_and_without_an_angle_is_listed() -> None:
    # Its title leads the card, but the title credits it with no fact: no bullet, no angle.
    # Unlisted, no part of the card would name it.
    angles, also = _angles_under_tidewaters_headline(["Sound Courier", "Grell Observer"])
    assert "Tidewater Post" not in {a.source for a in angles}
    assert "Tidewater Post" in also
