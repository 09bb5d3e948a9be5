"""The `story_changes` table: for each story, the last clustering commit that changed it (a new
article, a merge into it), as a number that only grows, and which process made it.

Two processes may cluster into one database: `newsdigest poll` beside `newsdigest run`. The
running service plans instant posts, thread updates and card edits from its own passes' stories
(`bot.runner.service.Service.on_poll_pass`); it learns of another process's from here
(`bot.runner.elsewhere`): every minute it asks for the stories changed after the last number it
handled, by any process but itself.

One row per story: a commit replaces its stories' rows, each then numbered after every number
given before (AUTOINCREMENT never gives a number twice, not even one whose row went), so the
numbers follow the order of the commits and a reader that saw number N has seen every commit up
to it. The `origin` is the committing process's own random token (`NewsDigest.origin`). A row
goes with its story (retention deletes old stories), by foreign key; a story merged away keeps
its row, and the reader passes over it (its survivor was changed by the same commit).
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils


def create_story_changes(db: sqlite_utils.Database) -> None:
    """Migration 40's body."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS story_changes ("
        " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
        " story_id TEXT NOT NULL UNIQUE REFERENCES stories(id) ON DELETE CASCADE,"
        " origin TEXT NOT NULL)"
    )


def record(db: sqlite_utils.Database, story_ids: Iterable[str], *, origin: str) -> None:
    """Number the stories a commit changed; within the caller's transaction, so the numbers are
    that commit's."""
    db.conn.executemany(
        "INSERT OR REPLACE INTO story_changes (story_id, origin) VALUES (?, ?)",
        [(story_id, origin) for story_id in sorted(story_ids)],
    )


def latest(db: sqlite_utils.Database) -> int:
    """The number of the last change committed (0: none yet)."""
    return int(db.execute("SELECT COALESCE(MAX(seq), 0) FROM story_changes").fetchone()[0])


def changed_since(db: sqlite_utils.Database, seq: int, *, besides: str) -> tuple[set[str], int]:
    """The live stories changed after number `seq` by a process other than `besides`, and the
    number to ask after next time (`seq` if none was committed since)."""
    rows = db.execute(
        "SELECT c.seq, c.story_id, c.origin, s.merged_into FROM story_changes c"
        " JOIN stories s ON s.id = c.story_id WHERE c.seq > ?",
        [seq],
    ).fetchall()
    stories = {story_id for _, story_id, origin, merged in rows if origin != besides and not merged}
    # The highest number this one read saw, not one read apart: a commit between the two would
    # be passed over. A number above it it did not see is a row replaced since (read next time,
    # by its new number) or gone with its story.
    return stories, max([seq, *(row[0] for row in rows)])


def data_version(db: sqlite_utils.Database) -> int:
    """SQLite's count that moves when another connection (another process) commits, and only
    then: the cheap look that tells a check it has nothing to read."""
    return int(db.execute("PRAGMA data_version").fetchone()[0])
