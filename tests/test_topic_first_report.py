"""A story's first report is one outlet's lead like any other: once a second outlet covers the
story, a term said only in the first report's lead is that outlet's aside, not what the story is
about (a councillor's campaign-funds story matched `navy` when the first report recalled his navy
service in its lead; tests/test_topic_match_prominence.py). A queued card for a one-outlet story
that a second outlet then words otherwise is kept by the outbox, which checks the story as it was
when queued (tests/test_queued_post_story_grows.py), not by matching."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.models import Article
from bot.topics import StoryDoc, TopicQuery

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


def test_the_first_reports_lead_counts_alone_only_while_it_is_the_only_outlet() -> None:
    assert why("electric", [OPENING]) == ["electric: lead"]
    assert why("electric", [OPENING, SECOND]) is None
    assert why("electric", [OPENING, SECOND, THIRD]) is None
    # In any order given (the store lists by publication time).
    assert why("electric", [THIRD, SECOND, OPENING]) is None
    # Said by a second outlet's lead too, it is what the story is about.
    echoed = report(
        4,
        "Late Gazette",
        "Electric buses get more money",
        "More electric buses will run from June.",
        seen=T0 + timedelta(hours=4),
        published=T0 + timedelta(hours=4),
    )
    assert why("electric", [OPENING, SECOND, echoed]) == [
        "electric: a report's title (Late Gazette)"
    ]
    assert why("funding", [OPENING, SECOND]) is None


def test_every_reports_lead_is_weighed_alike() -> None:
    assert why("parking", [OPENING, SECOND, THIRD]) is None
    assert why("parking", [THIRD]) == ["parking: lead"]
