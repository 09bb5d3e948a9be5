"""Whether a channel is behind is judged by what its next digest can really list on its
platform: on Discord, headlines of 118 characters with links fit 5 or 6 lines in the list (each naming
`/story query:slug`) and 7 or 8 in the backlog's message, not the 35 (10 and 25) short lines would,
each message leaving room for the line saying the channel is behind, which the next digest has
whenever it is. Real SQLite files through the real digest code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
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


def _new_stories(db: sqlite_utils.Database, count: int, *, now: datetime) -> None:
    """`count` more stories like `_long_stories`', on another subject, first reported at `now`."""
    for i in range(count):
        name = f"t{i:02}"
        add_story(db, name, ["Gazette", "Courier"], now=now)
        headline = f"Harbour board approves a new berth for the island freight service {name}"
        db.execute("UPDATE stories SET headline = ? WHERE id = ?", [headline.ljust(118, "."), name])
        db.execute(
            "UPDATE articles SET url = ? WHERE story_id = ?",
            [f"https://news.example/2027/06/08/freight-berth-{name}.html", name],
        )
    db.conn.commit()


def _digests(db: sqlite_utils.Database, channel: ChannelRow, *, new: int = 0) -> list[list[str]]:
    """Monday's digest (one card) and, once its notices were sent, Tuesday's, with `new`
    stories new since: each notice's lines, in order."""
    texts = []
    for at in (MONDAY, MONDAY + timedelta(days=1)):
        if at > MONDAY:
            _new_stories(db, new, now=at - timedelta(hours=1))
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


def _carried(lines: list[str]) -> int:
    """The lines of the stories Monday carried (Tuesday's new ones are about a berth)."""
    return sum(line.startswith("• Regional council") for line in lines)


@pytest.mark.parametrize("new", [0, 40])
def test_the_next_digest_keeps_room_for_its_own_behind_line(tmp_path: Path, new: int) -> None:
    """13 and 14 carried stories fit the next digest's two messages only while it has no line
    saying it is behind. 14 need that line themselves; 13 need it once stories new by then find
    no line. So both are told now, and the next digest, with the line, lists 12 of them."""
    for carried in (13, 14):
        db = open_database(tmp_path / f"nd-{carried}-{new}.db")
        channel = add_channel(db, "D1", platform="discord")
        _long_stories(db, 1 + 6 + carried, now=MONDAY - timedelta(hours=1))
        monday, tuesday, backlog = _digests(db, channel, new=new)
        assert _entries(monday) == 6
        assert _behind(monday) == [
            f"This channel is {carried} stories behind: more match it than its digests can "
            "list, and a story waits 8 days at most for a line. /digest shows the next ones "
            f"now; /watchlist digest-size cards:{carried + 1} gives each digest more cards "
            "(now 1)."
        ]
        if carried == 14 or new:
            assert _carried(tuesday + backlog) == 12
            assert _behind(backlog)
        else:
            # 13 and nothing new: no line needed, every one of them listed.
            assert _carried(tuesday + backlog) == 13
            assert not _behind(tuesday + backlog)
        db.close()


def test_a_discord_channel_its_next_digest_lists_whole_is_not_told(tmp_path: Path) -> None:
    """A guard: 12 stories, four fewer, and the next digest's list and backlog's message have a
    line for each, with stories new by then and its line saying it is behind or without."""
    for new in (0, 40):
        db = open_database(tmp_path / f"nd-{new}.db")
        channel = add_channel(db, "D1", platform="discord")
        _long_stories(db, 1 + 6 + 12, now=MONDAY - timedelta(hours=1))
        monday, tuesday, backlog = _digests(db, channel, new=new)
        assert _entries(monday) == 6 and not _behind(monday)
        assert _carried(tuesday + backlog) == 12
        db.close()
