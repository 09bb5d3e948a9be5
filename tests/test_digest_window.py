"""What a digest covers: everything since the channel's previous digest (within a floor and a cap),
an overflow notice instead of silently dropped stories, and instant mode's touched stories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, add_story, make_card_source

from bot.delivery.outbox import Outbox, OutboxSettings
from bot.models import Article
from bot.pipeline.digest import matching_topics
from bot.runner import digests
from bot.store import digest_runs
from bot.store.channels import TopicRow
from bot.store.database import open_database

MONDAY = datetime(2027, 3, 8, 9, 0, tzinfo=UTC)


def queued(db: sqlite_utils.Database) -> list[str]:
    return sorted(r[0] for r in db.execute("SELECT story_id FROM deliveries WHERE kind = 'story'"))


def stories_aged(db: sqlite_utils.Database, hours: dict[str, float]) -> None:
    for story_id, age in hours.items():
        add_story(db, story_id, ["A", "B"], now=MONDAY - timedelta(hours=age))


def test_weekly_digest_covers_the_whole_week() -> None:
    db = open_database(":memory:")
    channel = add_channel(db, "C1", schedule="0 9 * * mon")
    digest_runs.record_digest_run(
        db,
        channel.id,
        scheduled_for=MONDAY - timedelta(days=7),
        now=MONDAY - timedelta(days=7),
        stories=0,
    )
    stories_aged(db, {"h3": 3, "h30": 30, "h60": 60, "h100": 100, "h150": 150})
    assert digests.enqueue_digest(db, channel, now=MONDAY, scheduled_for=MONDAY) == 5
    assert queued(db) == ["h100", "h150", "h3", "h30", "h60"]


def test_first_weekly_digest_looks_back_to_the_previous_slot() -> None:
    # No digest on record yet: the schedule's previous slot (a week ago) stands in for it.
    db = open_database(":memory:")
    channel = add_channel(db, "C1", schedule="0 9 * * mon")
    stories_aged(db, {"h3": 3, "h150": 150, "h200": 200})
    assert digests.enqueue_digest(db, channel, now=MONDAY, scheduled_for=MONDAY) == 2
    assert queued(db) == ["h150", "h3"]


def test_monday_weekday_digest_includes_friday_after_the_last_run() -> None:
    db = open_database(":memory:")
    channel = add_channel(db, "C1", schedule="0 9 * * mon-fri")
    friday = MONDAY - timedelta(days=3)
    digest_runs.record_digest_run(db, channel.id, scheduled_for=friday, now=friday, stories=0)
    # 70 h old: Friday 11:00, after Friday's digest. 74 h old: Friday 07:00, before it (and a
    # story that Friday's digest would have had its chance at).
    stories_aged(db, {"fri-noon": 70, "fri-early": 74, "sun": 20})
    digests.enqueue_digest(db, channel, now=MONDAY, scheduled_for=MONDAY)
    assert queued(db) == ["fri-noon", "sun"]


def test_lookback_is_at_least_two_days_and_at_most_eight() -> None:
    db = open_database(":memory:")
    channel = add_channel(db, "C1")
    # The previous digest an hour ago still leaves the 48 h floor.
    digest_runs.record_digest_run(
        db, channel.id, scheduled_for=MONDAY - timedelta(hours=1), now=MONDAY, stories=0
    )
    stories_aged(db, {"h40": 40})
    digests.enqueue_digest(db, channel, now=MONDAY)
    assert queued(db) == ["h40"]

    other = add_channel(db, "C2")
    month_ago = MONDAY - timedelta(days=30)
    digest_runs.record_digest_run(db, other.id, scheduled_for=month_ago, now=month_ago, stories=0)
    stories_aged(db, {"d7": 7 * 24, "d10": 10 * 24})
    digests.enqueue_digest(db, other, now=MONDAY, scheduled_for=MONDAY)
    rows = db.execute(
        "SELECT story_id FROM deliveries WHERE channel_pk = ? ORDER BY story_id", [other.id]
    ).fetchall()
    assert [r[0] for r in rows] == ["d7", "h40"]


def test_already_delivered_stories_are_not_queued_again() -> None:
    db = open_database(":memory:")
    channel = add_channel(db, "C1", schedule="0 9 * * mon")
    stories_aged(db, {"h3": 3, "h100": 100})
    assert digests.enqueue_digest(db, channel, now=MONDAY - timedelta(hours=1)) == 2
    assert digests.enqueue_digest(db, channel, now=MONDAY, scheduled_for=MONDAY) == 0


async def test_stories_past_the_limit_are_announced_after_the_cards() -> None:
    db = open_database(":memory:")
    channel = add_channel(db, "C1")
    for i in range(13):
        add_story(db, f"s{i:02}", ["A", "B"], now=MONDAY - timedelta(hours=i + 1))
    chat = FakeChatAdapter("slack")
    outbox = Outbox(
        db, make_card_source(db, MONDAY), settings=OutboxSettings(pace=0), clock=lambda: MONDAY
    )
    outbox.register(chat)

    assert digests.enqueue_digest(db, channel, now=MONDAY, scheduled_for=MONDAY) == 10
    await outbox.drain()

    assert len(chat.cards()) == 10
    [note] = chat.texts()
    # Listed, not just counted: each story the cards left out has a line of its own.
    assert note.text.startswith("Also matching this channel, without a card in this digest")
    for slug in ("story-s10", "story-s11", "story-s12"):
        assert f"/story {slug}" in note.text
    # The notice comes after the digest's cards, not before them.
    assert chat.messages[-1] is note


def test_no_overflow_notice_when_everything_fits() -> None:
    db = open_database(":memory:")
    channel = add_channel(db, "C1")
    stories_aged(db, {"a": 1, "b": 2})
    assert digests.enqueue_digest(db, channel, now=MONDAY) == 2
    assert queued(db) == ["a", "b"]
    assert db.execute("SELECT COUNT(*) FROM alerts").fetchone()[0] == 0


def test_instant_posts_the_touched_story_behind_fifty_bigger_ones() -> None:
    db = open_database(":memory:")
    channel = add_channel(db, "C1", mode="instant", min_sources=2)
    for i in range(60):
        add_story(db, f"big-{i}", ["A", "B", "C"], now=MONDAY - timedelta(hours=2))
    add_story(db, "breaking", ["A", "B"], now=MONDAY)
    assert digests.enqueue_instant(db, channel, now=MONDAY, story_ids={"breaking"}) == 1
    assert queued(db) == ["breaking"]


def test_an_on_demand_digest_counts_the_stories_it_had_no_room_for(tmp_path: Path) -> None:
    from bot.app import NewsDigest
    from bot.config import Config
    from bot.store import channels as channel_store

    core = NewsDigest(Config(), db=open_database(tmp_path / "nd.db"))
    stories_aged(core.db, {"a": 1, "b": 2, "c": 3})
    channel = channel_store.ensure_channel(core.db, "console", "C1", name="#c1")
    digest = core.digest(channel, now=MONDAY, limit=2)
    assert (len(digest.cards), digest.more) == (2, 1)
    assert core.digest(channel, now=MONDAY).more == 0


def test_the_preview_covers_what_the_next_digest_would(tmp_path: Path) -> None:
    from bot.app import NewsDigest
    from bot.config import Config
    from bot.store import channels as channel_store

    core = NewsDigest(Config(), db=open_database(tmp_path / "nd.db"))
    channel = channel_store.ensure_channel(core.db, "console", "C1", name="#c1")
    stories_aged(core.db, {"h5": 5, "h90": 90})
    # No digest on record: the last two days.
    assert [c.slug for c in core.digest(channel, now=MONDAY).cards] == ["story-h5"]
    # The previous digest was a week ago: everything since then.
    week_ago = MONDAY - timedelta(days=7)
    digest_runs.record_digest_run(
        core.db, channel.id, scheduled_for=week_ago, now=week_ago, stories=0
    )
    assert sorted(c.slug for c in core.digest(channel, now=MONDAY).cards) == [
        "story-h5",
        "story-h90",
    ]


def test_a_topic_with_an_invalid_stored_query_is_skipped_not_fatal() -> None:
    members = [Article(id="a", source="A", title="Lunar lander touches down", text="On the moon.")]
    topics = [
        TopicRow(slug="broken", title=None, query="(moon", origin="chat"),  # an older grammar
        TopicRow(slug="moon", title=None, query="lunar OR moon", origin="chat"),
    ]
    assert matching_topics(topics, members) == ["moon"]


@pytest.mark.parametrize(
    "schedule",
    ["0 9 * * mon", "0 9 * * mon-fri", "0 9 1 * *", "30 8 * * *"],
    ids=["weekly", "weekdays", "monthly", "daily"],
)
def test_a_never_digested_channel_previews_what_its_schedule_posts(
    tmp_path: Path, schedule: str
) -> None:
    """The preview (/digest, the CLI) and the scheduled digest look back by one rule: for a
    channel with no digest on record, to its schedule's previous slot (48 h to 8 days)."""
    from bot.app import NewsDigest
    from bot.config import Config

    core = NewsDigest(Config(), db=open_database(tmp_path / "nd.db"))
    try:
        channel = add_channel(core.db, "C1", schedule=schedule)
        stories_aged(core.db, {"h3": 3, "h60": 60, "h100": 100, "h150": 150, "h200": 200})
        preview = sorted(c.story_id for c in core.digest(channel, now=MONDAY).cards)
        digests.enqueue_digest(core.db, channel, now=MONDAY, scheduled_for=MONDAY)
        assert preview == queued(core.db)
        assert "h3" in preview and "h200" not in preview  # never past the 8-day cap
    finally:
        core.close()
