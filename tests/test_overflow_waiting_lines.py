"""A story waiting for its line (an earlier digest only counted it) is promised a line, not a
card: one not updated within the next digest's window gets no card there, however the cards
are counted, and the waiting stories are listed the longest waiting first, so in a channel
overloaded digest after digest the oldest are not the ones that expire unseen. Real SQLite
files through the real digest code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils
from fakes.stories import add_channel, add_story

from bot.app import NewsDigest
from bot.config import Config
from bot.runner import digests
from bot.runner.overflow import MAX_LISTED
from bot.store import counted_stories
from bot.store.database import iso, open_database

MONDAY = datetime(2027, 6, 7, 9, 0, tzinfo=UTC)


def _lines(db: sqlite_utils.Database) -> list[str]:
    """The stories the latest digest's list has a line for, in its order."""
    text = str(
        db.execute(
            "SELECT text FROM alerts WHERE key LIKE 'digest-more:%' ORDER BY id DESC LIMIT 1"
        ).fetchone()[0]
    )
    return [
        line.split(" · ")[0].removeprefix("• Story ")
        for line in text.splitlines()
        if line.startswith("• ")
    ]


def _carded(db: sqlite_utils.Database, since: datetime) -> list[str]:
    rows = db.execute(
        "SELECT story_id FROM deliveries WHERE kind = 'story' AND created_at >= ? ORDER BY id",
        [iso(since)],
    ).fetchall()
    return [row[0] for row in rows]


def test_a_weekly_channels_waiting_stories_get_lines_not_cards(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1", schedule="0 9 * * 1")
    old = [f"a{i:02}" for i in range(1 + MAX_LISTED + 3)]
    for name in old:
        add_story(db, name, ["Gazette"], now=MONDAY - timedelta(days=6))
    digests.enqueue_digest(db, channel, now=MONDAY, scheduled_for=MONDAY, default_size=1)
    counted = old[1 + MAX_LISTED :]
    # A week on, three cards to give and one story updated this week: the counted ones, last
    # updated 13 days ago, are listed first and take none of the cards.
    later = MONDAY + timedelta(days=7)
    add_story(db, "fresh", ["Gazette"], now=later - timedelta(hours=2))
    assert digests.enqueue_digest(db, channel, now=later, scheduled_for=later, default_size=3) == 1
    assert _carded(db, MONDAY + timedelta(days=1)) == ["fresh"]
    assert _lines(db) == counted
    db.close()


def test_a_preview_of_another_size_gives_waiting_stories_no_card(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1", schedule="0 9 * * 1")
    old = [f"a{i:02}" for i in range(1 + MAX_LISTED + 3)]
    for name in old:
        add_story(db, name, ["Gazette"], now=MONDAY - timedelta(days=6))
    digests.enqueue_digest(db, channel, now=MONDAY, scheduled_for=MONDAY, default_size=1)
    later = MONDAY + timedelta(days=7)
    add_story(db, "fresh", ["Gazette"], now=later - timedelta(hours=2))
    core = NewsDigest(Config(database=str(tmp_path / "nd.db")), db=db)
    preview = core.digest(channel, now=later, limit=5)
    assert [card.headline for card in preview.cards] == ["Gazette on fresh"]
    [notice] = preview.notices
    lines = notice.splitlines()[1:]
    assert [line.split(" · ")[0] for line in lines] == [
        f"• Story {name}" for name in old[1 + MAX_LISTED :]
    ]
    core.close()


def test_the_longest_waiting_stories_are_listed_first(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    now = MONDAY
    # Counted a week ago, not updated since: they rank below everything newer.
    early = [f"e{i:02}" for i in range(6)]
    for name in early:
        add_story(db, name, ["Gazette"], now=now - timedelta(days=7))
    # Counted yesterday, updated yesterday: newer news, higher in the rank.
    late = [f"l{i:02}" for i in range(6)]
    for name in late:
        add_story(db, name, ["Gazette"], now=now - timedelta(days=1))
    with db.conn:
        counted_stories.record_counted(db, channel.id, early, now=now - timedelta(days=7))
        counted_stories.record_counted(db, channel.id, late, now=now - timedelta(days=1))
    add_story(db, "fresh", ["Gazette"], now=now - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=now, default_size=1) == 1
    # Twelve waiting, ten lines: the two left are the latest counted, not the earliest, which
    # would expire (MAX_LOOKBACK) before the next digest; the backlog's message lists them.
    assert _lines(db) == early + late[: MAX_LISTED - len(early)]
    backlog = db.execute("SELECT text FROM alerts ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert backlog.splitlines()[1:] == [f"• Story {n} · /story story-{n}" for n in late[4:]]
    db.close()


def test_a_preview_given_more_cards_takes_them_in_rank_order(tmp_path: Path) -> None:
    now = datetime(2027, 6, 7, 9, 0, tzinfo=UTC)
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    # Both rank above the waiting story, which leads the list only as a line's order.
    add_story(db, "a", ["G1", "G2", "G3"], now=now - timedelta(hours=1))
    add_story(db, "b", ["G1", "G2"], now=now - timedelta(hours=1))
    add_story(db, "w", ["Gazette"], now=now - timedelta(hours=2))
    with db.conn:
        counted_stories.record_counted(db, channel.id, ["w"], now=now - timedelta(days=1))
    one = digests.digest_selection(db, channel, now=now, default_size=1)
    two = digests.digest_selection(db, channel, now=now, default_size=2)
    assert [c.story.id for c in one.resized(2).chosen] == [c.story.id for c in two.chosen]
    assert [c.story.id for c in two.chosen] == ["a", "b"]
