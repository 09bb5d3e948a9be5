"""A negated term is checked against the headline the story's card shows (beside its articles,
judged one by one): `-recall` keeps out a story headlined "... recall ...", whatever its first
report's title said. The digest, the queued post's check and `topics test` read it alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fakes.stories import add_channel, add_story

from bot.pipeline.digest import select
from bot.store import channels as channel_store
from bot.store import stories as story_store
from bot.store.database import open_database

NOW = datetime(2027, 5, 3, 12, 0, tzinfo=UTC)


def test_the_cards_headline_settles_a_negated_term() -> None:
    db = open_database(":memory:")
    channel = add_channel(db, "C1")
    channel_store.upsert_topic(db, "cars", "cars -recall", title=None, origin="chat")
    channel_store.follow(db, channel.id, "cars")
    for story in ("cars", "trucks"):  # articles titled "<outlet> on <story>"
        add_story(db, story, ["A", "B", "C"], now=NOW - timedelta(hours=1))
    since = NOW - timedelta(hours=6)
    assert [c.story.id for c in select(db, channel, since=since).chosen] == ["cars"]

    # The card's headline, chosen from later reports, is about the recall.
    story_store.update_counts(
        db,
        "cars",
        article_count=3,
        outlet_count=3,
        source_count=3,
        last_updated=NOW,
        first_seen=None,
        headline="Cars maker orders a recall of 40,000 vehicles",
    )
    assert select(db, channel, since=since).chosen == []
