"""Whether a channel is behind is judged by what its next digest can really list on its
platform: on Discord, headlines of 118 characters with links fit 5 or 6 lines in the list (each naming
`/story query:slug`) and 7 or 8 in the backlog's message, not the 35 (10 and 25) short lines would. Real SQLite files through the real
digest code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils
from fakes.stories import add_channel, add_story

from bot.runner import digests
from bot.runner.overflow import MAX_BACKLOG, MAX_LISTED
from bot.store.channels import ChannelRow
from bot.store.database import open_database

MONDAY = datetime(2027, 6, 7, 9, 0, tzinfo=UTC)
BEHIND = "This channel is "


def _long_stories(db: sqlite_utils.Database, count: int, *, now: datetime) -> list[str]:
    """`count` stories of 118-character headlines, each with its report's link."""
    names = [f"s{i:02}" for i in range(count)]
    for name in names:
        add_story(db, name, ["Gazette", "Courier"], now=now)
        headline = f"Regional council weighs a longer ferry timetable for the winter months {name}"
        db.execute("UPDATE stories SET headline = ? WHERE id = ?", [headline.ljust(118, "."), name])
        db.execute(
            "UPDATE articles SET url = ? WHERE story_id = ?",
            [f"https://news.example/2027/06/07/ferry-timetable-{name}.html", name],
        )
    db.conn.commit()
    return names


def _digests(db: sqlite_utils.Database, channel: ChannelRow) -> list[list[str]]:
    """Monday's digest (one card) and, once its notices were sent, Tuesday's, with no new
    story: each notice's lines, in order."""
    texts = []
    for at in (MONDAY, MONDAY + timedelta(days=1)):
        digests.enqueue_digest(db, channel, now=at, scheduled_for=at, default_size=1)
        texts += [r[0] for r in db.execute("SELECT text FROM alerts WHERE state = 'pending'")]
        db.execute("UPDATE alerts SET state = 'sent'")
        db.conn.commit()
    return [text.splitlines() for text in texts]


def _behind(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith(BEHIND)]


def _entries(lines: list[str]) -> int:
    return sum(line.startswith("• ") for line in lines)


def test_a_discord_channel_with_more_waiting_than_its_next_digest_fits_is_told(
    tmp_path: Path,
) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "D1", platform="discord")
    _long_stories(db, 1 + 6 + 16, now=MONDAY - timedelta(hours=1))
    monday, tuesday, backlog = _digests(db, channel)
    # Fewer than 35 wait and none was carried yet, but its next digest's two messages fit fewer.
    assert _entries(monday) == 6 and MAX_LISTED + MAX_BACKLOG > 16
    assert _behind(monday) == [
        "This channel is 16 stories behind: more match it than its digests can list, "
        "and a story waits 8 days at most for a line. /digest shows the next ones now; "
        "/watchlist digest-size cards:17 gives each digest more cards (now 1)."
    ]
    # As said: the next digest lists 12 of them and carries the rest.
    assert _entries(tuesday) + _entries(backlog) == 12
    assert _behind(backlog)[0].startswith("This channel is 4 stories behind: ")
    db.close()


def test_a_discord_channel_its_next_digest_lists_whole_is_not_told(tmp_path: Path) -> None:
    """A guard: three stories fewer, and the next digest's list and backlog's message have a
    line for each."""
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "D1", platform="discord")
    _long_stories(db, 1 + 6 + 13, now=MONDAY - timedelta(hours=1))
    monday, tuesday, backlog = _digests(db, channel)
    assert _entries(monday) == 6 and not _behind(monday)
    assert _entries(tuesday) + _entries(backlog) == 13
    assert not _behind(tuesday + backlog)
    db.close()
