"""The update planner runs after every post and every poll pass: when no story grew, it must not
wait for the write lock that a `feeds add`, a `poll` or a backup in another process may hold."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.runner import digests
from bot.store.database import open_database


def test_nothing_grown_returns_without_the_write_lock(tmp_path: Path) -> None:
    path = tmp_path / "nd.db"
    db = open_database(str(path))
    db.execute("PRAGMA busy_timeout = 200")  # the old code waited for the lock, then failed
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        queued = digests.enqueue_updates(
            db, ["no-such-story"], now=datetime.now(UTC), interval=timedelta(hours=1)
        )
    finally:
        other.execute("COMMIT")
        other.close()
    assert queued == 0
