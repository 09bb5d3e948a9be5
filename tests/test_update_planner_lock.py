"""The update planner runs after every post and every poll pass: when no story grew, it must not
wait for the write lock that a `feeds add`, a `poll` or a backup in another process may hold."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlackAPI
from fakes.stories import grow_story
from sqlite_utils import Database
from test_update_pacing import HOUR, T0, World

from bot.runner import update_planner
from bot.store import channels as channel_store
from bot.store import grown_posts
from bot.store.database import open_database


def test_nothing_grown_returns_without_the_write_lock(tmp_path: Path) -> None:
    path = tmp_path / "nd.db"
    db = open_database(str(path))
    db.execute("PRAGMA busy_timeout = 200")  # the old code waited for the lock, then failed
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        queued = update_planner.enqueue_updates(
            db, ["no-such-story"], now=datetime.now(UTC), interval=timedelta(hours=1)
        )
    finally:
        other.execute("COMMIT")
        other.close()
    assert queued == 0


async def test_a_mute_that_lands_between_the_read_and_the_lock_is_honoured(
    slack_api: FakeSlackAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = World(slack_api, tmp_path / "nd.db")
    await world.poll()
    world.now = T0 + 2 * HOUR
    grow_story(world.db, "s1", ["C"], now=world.now)
    read = grown_posts.grown_posts

    def read_then_mute(db: Database, story_ids: Iterable[str]) -> list[tuple[str, int]]:
        pairs = read(db, story_ids)
        if not muted:  # another process's /mute commits just after the planner's first read
            other = open_database(tmp_path / "nd.db")
            channel_store.mute_story(other, world.channel.id, "s1")
            other.close()
            muted.append(True)
        return pairs

    muted: list[bool] = []
    monkeypatch.setattr(grown_posts, "grown_posts", read_then_mute)
    queued = update_planner.enqueue_updates(world.db, {"s1"}, now=world.now, interval=HOUR)
    await world.outbox.drain()
    assert muted and queued == 0
    assert world.replies() == []
