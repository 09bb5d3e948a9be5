"""An angle's quote comes from the article its line and link come from, and never from a feed's
description: an outlet's own summary in quotation marks reads as someone's words."""

from __future__ import annotations

from bot.models import Article
from bot.summarize.angles import build_angles

LEAD = "Kettle Valley News"
OTHER = "Fenwick Tribune"
LEAD_ARTICLE = Article(
    id="1",
    source=LEAD,
    title="Ferry strike halts crossings",
    text="Ferry crews walked out on Monday, halting every crossing on the estuary. "
    "The strike is set to last two days.",
)


def _angle(*articles: Article) -> tuple[str, str, str | None]:
    all_articles = [LEAD_ARTICLE, *articles]
    angles, _ = build_angles(all_articles, [a.source for a in all_articles], LEAD)
    (angle,) = [a for a in angles if a.source == OTHER]
    return angle.line, angle.quote, angle.url


def test_the_quote_comes_from_the_lines_own_article() -> None:
    teaser = Article(
        id="2",
        source=OTHER,
        title="Crossings halted",
        text="Union organiser Marit Olsberg vowed to keep the Pellmouth and Orrin Bay ferries "
        "idle until the harbour board reopens talks on night shifts.",
        url="https://fenwick.example/olsberg",
    )
    roundup = Article(
        id="3",
        source=OTHER,
        title="Estuary week in review",
        text="Commuters queued at the old toll bridge instead.\n"
        "Cafe owners near the slipway reported their quietest morning in years.\n"
        "A lone rowing club offered to carry stranded pupils across the water.",
        url="https://fenwick.example/review",
    )
    line, quote, url = _angle(teaser, roundup)
    assert "Marit Olsberg" in line, line
    assert url == "https://fenwick.example/olsberg"
    # The roundup's sentences are another article's: under this line and link they would read
    # as said in it. The teaser has no other sentence, so the angle has no quote.
    assert quote == "", quote


def test_a_feeds_two_sentence_description_is_not_quoted() -> None:
    description = Article(
        id="2",
        source=OTHER,
        title="Crossings halted",
        text="The harbour master, Ines Calloway, said the night ferry would be the first to run "
        "again. Union organiser Marit Olsberg vowed to keep the Pellmouth boats idle until "
        "talks reopen.",
        url="https://fenwick.example/olsberg",
    )
    line, quote, _ = _angle(description)
    assert line
    assert quote == "", quote


def test_a_description_with_a_note_under_it_is_not_quoted_either() -> None:
    description = Article(
        id="2",
        source=OTHER,
        title="Crossings halted",
        text="Union organiser Marit Olsberg vowed to keep the ferry strike going and every "
        "crossing halted until talks reopen. The harbour master, Ines Calloway, said the night "
        "ferry would be the first crossing to run after the strike.\nThis is a photo gallery "
        "curated by our picture editors.",
    )
    line, quote, _ = _angle(description)
    assert line
    assert quote == "", quote


def test_an_article_body_is_still_quoted() -> None:
    body = Article(
        id="2",
        source=OTHER,
        title="Crossings halted",
        text="Union organiser Marit Olsberg vowed to keep the Pellmouth boats idle until talks "
        "reopen.\nThe harbour master, Ines Calloway, said the idle boats cost the port dearly "
        "every day.\nA rowing club carried stranded pupils across the water.",
    )
    line, quote, _ = _angle(body)
    assert line and quote and quote.split()[0] in body.text, (line, quote)
