"""A digest preview (`NewsDigest.digest`: `newsdigest digest CHANNEL`, the chat preview) shows
what the channel would get after the cards: the list as its message says it, the backlog's own
message when the channel is behind, the line saying how far behind, and the stories dropped
after waiting their longest; it used to list every extra story on its own terms. Real SQLite
files through the real digest code: the preview is checked against the notices that digest
then queues."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils
from fakes.stories import add_channel, add_story, grow_story

from bot.app import NewsDigest
from bot.config import Config
from bot.pipeline.digest import MAX_LOOKBACK
from bot.render.literal import strip_marks
from bot.render.text import render_digest_text
from bot.runner import digests
from bot.runner.overflow import MAX_LISTED
from bot.store import channels as channel_store
from bot.store.channels import ChannelRow
from bot.store.database import open_database

MONDAY = datetime(2027, 6, 7, 9, 0, tzinfo=UTC)
TUESDAY = MONDAY + timedelta(days=1)


def _stories(db: sqlite_utils.Database, prefix: str, count: int, *, now: datetime) -> None:
    for i in range(count):
        add_story(db, f"{prefix}s{i:02}", ["Gazette", "Courier"], now=now)


def _queued_notices(db: sqlite_utils.Database, after: int) -> list[str]:
    return [r[0] for r in db.execute("SELECT text FROM alerts WHERE id > ? ORDER BY id", [after])]


def _last_alert(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT COALESCE(MAX(id), 0) FROM alerts").fetchone()[0])


def _preview_then_digest(
    db: sqlite_utils.Database, channel: ChannelRow, at: datetime, tmp_path: Path
) -> tuple[list[str], list[str], str]:
    core = NewsDigest(Config(database=str(tmp_path / "nd.db"), digest_size=1), db=db)
    preview = core.digest(channel, now=at)
    before = _last_alert(db)
    digests.enqueue_digest(db, channel, now=at, scheduled_for=at, default_size=1)
    return preview.notices, _queued_notices(db, before), render_digest_text(preview)


def test_a_behind_channel_s_preview_shows_the_list_and_the_backlog_message(
    tmp_path: Path,
) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    # Monday's digest counts 60 it could not list: Tuesday's list and backlog cannot catch up.
    _stories(db, "a", 1 + MAX_LISTED + 60, now=MONDAY - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=MONDAY, scheduled_for=MONDAY, default_size=1)
    _stories(db, "b", 5, now=TUESDAY - timedelta(hours=1))
    shown, queued, text = _preview_then_digest(db, channel, TUESDAY, tmp_path)
    assert shown == queued and len(queued) == 2
    assert queued[1].startswith("More without a card, a line each")
    assert "This channel is " in queued[1]
    lines = text.splitlines()
    first = lines.index("After the cards, a message:")
    second = lines.index("Then the backlog's own message:")
    assert first < second
    assert lines[first + 1 : first + 1 + len(queued[0].splitlines())] == [
        strip_marks(line) for line in queued[0].splitlines()
    ]
    assert lines[second + 1].startswith("More without a card")
    assert lines[-1].startswith("This channel is ") and "/watchlist digest-size" in lines[-1]
    db.close()


def test_a_preview_counts_the_stories_the_digest_drops(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1", schedule="0 9 1 * *")
    _stories(db, "a", 1 + MAX_LISTED + 5, now=MONDAY - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=MONDAY, scheduled_for=MONDAY, default_size=1)
    late = MONDAY + MAX_LOOKBACK + timedelta(hours=1)
    channel = channel_store.get_channel(db, "slack", "C1") or channel
    shown, queued, text = _preview_then_digest(db, channel, late, tmp_path)
    assert (
        shown
        == queued
        == [
            "5 stories matching this channel waited 8 days without a line and are no longer "
            "carried: /story <words> finds any story."
        ]
    )
    assert "No new stories: no story since 2027-06-07 10:00 UTC was reported." in text
    assert text.splitlines()[-2:] == ["A message:", queued[0]]
    db.close()


def test_a_preview_lists_nothing_an_earlier_digest_listed(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    _stories(db, "a", 4, now=MONDAY - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=MONDAY, scheduled_for=MONDAY, default_size=1)
    db.execute("UPDATE alerts SET state = 'sent'")
    db.conn.commit()
    # One of the three listed on Monday has its card now; the others are not listed again.
    shown, queued, _text = _preview_then_digest(db, channel, MONDAY + timedelta(hours=2), tmp_path)
    assert (
        shown
        == queued
        == [
            "2 more stories match this channel without a card, listed in an earlier digest: "
            "/digest or /story <words>"
        ]
    )
    db.close()


def test_a_preview_forgets_expired_counts_as_the_digest_does(tmp_path: Path) -> None:
    # Monday's monthly digest counts stories it could not list; nine days on, three of them grow
    # and are in the window again. Their counts are past MAX_LOOKBACK: the digest forgets them
    # before it builds its list, so they no longer go first, and the preview must not put them
    # first either.
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1", schedule="0 9 1 * *")
    _stories(db, "a", 1 + MAX_LISTED + 5, now=MONDAY - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=MONDAY, scheduled_for=MONDAY, default_size=1)
    counted = [r[0] for r in db.execute("SELECT story_id FROM counted_stories ORDER BY story_id")]
    db.execute("UPDATE alerts SET state = 'sent'")
    db.conn.commit()
    late = MONDAY + MAX_LOOKBACK + timedelta(hours=2)
    for story_id in counted[:3]:
        grow_story(db, story_id, ["Herald"], now=late - timedelta(hours=1))
    _stories(db, "b", 4, now=late - timedelta(hours=1))
    channel = channel_store.get_channel(db, "slack", "C1") or channel
    before = db.execute("SELECT COUNT(*) FROM counted_stories").fetchone()[0]

    shown, queued, _text = _preview_then_digest(db, channel, late, tmp_path)

    assert len(counted) == 5 and before == 5
    assert shown == queued and queued
    db.close()
