"""The outlet whose title the card's headline is leads the card: it is never listed under "Also
reporting" as adding nothing, by the extractive summary or by the LLM writer's."""

from __future__ import annotations

from bot.models import Article, Bullet
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


def test_build_angles_lists_neither_lead_as_adding_nothing() -> None:
    articles = _story()
    outlets = outlet_names(articles)
    tldr = [Bullet(CORE, list(outlets))]
    _, also = build_angles(
        articles, outlets, "Sound Courier", tldr=tldr, headline=articles[2].title
    )
    assert "Tidewater Post" in also  # no headline outlet named: it adds nothing
    _, also = build_angles(
        articles,
        outlets,
        "Sound Courier",
        tldr=tldr,
        headline=articles[2].title,
        headline_outlet="Tidewater Post",
    )
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
    articles = _story()
    outlets = outlet_names(articles)
    tldr = [Bullet(CORE, ["Sound Courier", "Grell Observer"])]
    angles, also = build_angles(
        articles,
        outlets,
        "Sound Courier",
        tldr=tldr,
        headline=articles[2].title,
        headline_outlet="Tidewater Post",
    )
    assert "Tidewater Post" not in {a.source for a in angles}
    assert "Tidewater Post" in also
