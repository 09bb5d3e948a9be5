"""The clusterer restores the window's stories at start in `active_stories`' order, so stories first
seen at the same moment come back in a fixed order: the order they were created in (by rowid), as
they did before the read went by `stories_last_updated`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlite_utils
from fakes.stories import add_story

from bot.store import stories as story_store

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_ties_on_first_seen_come_back_in_creation_order(db: sqlite_utils.Database) -> None:
    # Created in this order, all first seen at NOW, and updated in the reverse order (so the
    # last-updated index would hand them back newest-update first) under ids that sort otherwise.
    created = ["m", "z", "a", "q"]
    for story_id in created:
        add_story(db, story_id, ["A", "B"], now=NOW)
    for minutes, story_id in enumerate(reversed(created)):
        db.execute(
            "UPDATE stories SET last_updated = ? WHERE id = ?",
            [(NOW + timedelta(minutes=minutes)).isoformat(timespec="seconds"), story_id],
        )
    add_story(db, "early", ["A", "B"], now=NOW - timedelta(hours=1))
    got = [s.id for s in story_store.active_stories(db, NOW - timedelta(days=1))]
    assert got == ["early", *created]
