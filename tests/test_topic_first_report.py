"""A story's first report says what the story is about, however many outlets join it later: a
term in its lead counts alone. A one-outlet story that a channel's topic picked by its lead kept
matching only while no other outlet covered it; once a second outlet's lead worded it otherwise,
the topic let go of it (and a card queued overnight for it was dropped). The first report is the
one the bot stored first, so a later arrival dated earlier does not take its place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.models import Article
from bot.topics import StoryDoc, TopicQuery
from bot.topics.storydoc import first_report

T0 = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)


def report(
    i: int, source: str, title: str, text: str, *, seen: datetime, published: datetime | None
) -> Article:
    return Article(
        id=f"r{i}", source=source, title=title, text=text, seen=seen, published=published
    )


OPENING = report(
    1,
    "Harbor Daily",
    "City council approves new budget",
    "The council approved a budget that doubles funding for electric buses, officials said.",
    seen=T0,
    published=T0 - timedelta(minutes=5),
)
SECOND = report(
    2,
    "Metro Wire",
    "Council passes budget after long debate",
    "Councillors passed the budget late on Tuesday after a six-hour debate over spending.",
    seen=T0 + timedelta(hours=2),
    published=T0 + timedelta(hours=1),
)
THIRD = report(
    3,
    "Coast Courier",
    "What the new city budget means for you",
    "Parking fees rise and library hours grow under the plan passed this week.",
    seen=T0 + timedelta(hours=3),
    published=T0 + timedelta(hours=3),
)


def why(query: str, articles: list[Article]) -> list[str] | None:
    return TopicQuery.parse(query).reasons(StoryDoc.from_articles(articles))


def test_a_topic_found_in_the_first_reports_lead_holds_as_outlets_join() -> None:
    assert why("electric", [OPENING]) == ["electric: lead"]
    assert why("electric", [OPENING, SECOND]) == ["electric: first report's lead"]
    assert why("electric", [OPENING, SECOND, THIRD]) == ["electric: first report's lead"]
    # Given in any order (the store lists by publication time), the first stored is first.
    assert why("electric", [THIRD, SECOND, OPENING]) == ["electric: first report's lead"]


def test_a_later_reports_lead_still_needs_another_outlet() -> None:
    assert why("parking", [OPENING, SECOND, THIRD]) is None
    assert why("parking", [THIRD]) == ["parking: lead"]


def test_the_first_report_is_the_first_stored_not_the_first_dated() -> None:
    # A slow feed's report, stored after the story began but dated before it.
    backdated = report(
        4,
        "Late Gazette",
        "Budget vote set for Tuesday",
        "A vote on the budget and on parking fees is expected on Tuesday.",
        seen=T0 + timedelta(hours=4),
        published=T0 - timedelta(hours=6),
    )
    members = [backdated, OPENING, SECOND]
    assert first_report(members) == 1
    assert why("electric", members) == ["electric: first report's lead"]
    assert why("parking", members) is None
    # Stored in one poll (a feed's backlog), the first published began it.
    together = [
        report(5, "A", "x", "", seen=T0, published=T0 - timedelta(hours=1)),
        report(6, "B", "y", "", seen=T0, published=T0 - timedelta(hours=2)),
    ]
    assert first_report(together) == 1
    # Without times (text given to `topics test`, tests), the first given.
    untimed = [Article(id=i, source=i, title=i, text="") for i in ("a", "b")]
    assert first_report(untimed) == 0
