"""An angle line never retells the card in other words: an outlet's sentence giving the count a
bullet gives, with most of its other counts, or telling the headline's one core claim, is not what
the outlet adds.

Every sentence here is invented. An editor found "Puts a figure on it: ... reached 348,000 last
week, down 29,000 ..." under a bullet giving the same 348,000 and 29,000.
"""

from __future__ import annotations

from bot.models import Article, Bullet
from bot.summarize.angles import build_angles

LEAD = "Sound Courier"
OTHER = "Grell Observer"
THIRD = "Harbour Post"
BULLET = (
    "New claims for port relief in Lundia fell by 2,300 to 41,800 in the week to Friday, the "
    "harbour board said."
)


def _article(i: int, source: str, title: str, text: str) -> Article:
    return Article(id=str(i), source=source, title=title, text=text, url=f"https://{i}.example/x")


def _story(other_text: str) -> tuple[list[Article], list[str]]:
    lead = _article(
        1,
        LEAD,
        "Lundia port relief claims fall",
        f"{BULLET} Dock unions welcomed the drop. Ferry traffic rose for a third week.",
    )
    other = _article(2, OTHER, "Port relief claims drop again", other_text)
    third = _article(
        3,
        THIRD,
        "Port relief claims ease",
        "Claims for port relief in Lundia fell again last week, the harbour board said. Dock "
        "unions welcomed the drop.",
    )
    return [lead, other, third], [LEAD, OTHER, THIRD]


def test_a_line_giving_the_bullets_counts_again_is_no_angle() -> None:
    text = (
        "Port relief filings, watched as a gauge of idle dock crews, reached 41,800 last week, "
        "down 2,300 from the prior week's revised 44,100. Ferry traffic rose for a third week."
    )
    articles, outlets = _story(text)
    tldr = [Bullet(BULLET, [LEAD, THIRD])]
    angles, also = build_angles(articles, outlets, LEAD, tldr=tldr)
    lines = {a.source: a.line for a in angles}
    assert "41,800" not in lines.get(OTHER, ""), lines
    assert OTHER in also or OTHER not in lines


def test_a_count_of_its_own_is_still_the_outlets_angle() -> None:
    text = (
        "Port relief filings, watched as a gauge of idle dock crews, were lodged by 6,150 crane "
        "operators in Tolberg alone, the most of any harbour. Ferry traffic rose for a third week."
    )
    articles, outlets = _story(text)
    tldr = [Bullet(BULLET, [LEAD, THIRD])]
    angles, _ = build_angles(articles, outlets, LEAD, tldr=tldr)
    lines = {a.source: a.line for a in angles}
    assert "6,150" in lines.get(OTHER, ""), lines


def test_a_detail_on_the_bullets_ages_is_the_outlets_own() -> None:
    bullet = "Two boys, ages 13 and 15, were charged over the ferry fire in Tolberg, police said."
    lead = _article(1, LEAD, "Boys charged over ferry fire", f"{bullet} The ferry sank in May.")
    other = _article(
        2,
        OTHER,
        "Two boys charged in Tolberg ferry fire",
        "Police charged two boys over the ferry fire. The 13-year-old is from Grell harbour and "
        "the 15-year-old is from the Holm islands.",
    )
    angles, _ = build_angles([lead, other], [LEAD, OTHER], LEAD, tldr=[Bullet(bullet, [LEAD])])
    lines = {a.source: a.line for a in angles}
    assert "Holm islands" in lines.get(OTHER, ""), lines
