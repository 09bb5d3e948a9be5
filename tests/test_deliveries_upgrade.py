"""Posts recorded before the outbox stored their outlets (before migration 2) do not make an
upgrade announce every outlet of their stories as new."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fakes.stories import add_channel, add_story, grow_story

from bot.runner import update_planner
from bot.store import deliveries as store
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)


def old_database(path: Path) -> int:
    """A story post sent by a version that recorded no outlets; returns the channel's pk."""
    db = open_database(path)
    channel = add_channel(db, "C1")
    add_story(db, "s1", ["A", "B"], now=T0)
    store.enqueue_story(db, "s1", channel.id, now=T0)
    (row,) = store.in_state(db, "pending")
    store.claim(db, row.id, T0)
    store.mark_sent(
        db, row.id, message_ref="m1", thread_ref="m1", source_count=2, outlets=[], now=T0
    )
    db.execute("UPDATE deliveries SET outlets = NULL")
    db.execute("DELETE FROM schema_migrations WHERE version >= 6")
    db.close()
    return channel.id


async def test_an_upgrade_does_not_announce_outlets_already_shown(tmp_path: Path) -> None:
    channel_pk = old_database(tmp_path / "nd.db")
    db = open_database(tmp_path / "nd.db")
    later = T0 + timedelta(hours=3)
    assert update_planner.enqueue_updates(db, ["s1"], now=later, interval=timedelta(0)) == 0
    post = store.story_post(db, "s1", channel_pk)
    assert post is not None and post.outlets == ["A", "B"]
    # Real growth after the upgrade is still announced.
    grow_story(db, "s1", ["C"], now=later)
    assert update_planner.enqueue_updates(db, ["s1"], now=later, interval=timedelta(0)) == 1
