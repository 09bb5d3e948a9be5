"""What a database file holds, in one line, for an operator choosing between two of them: its
stories, the posts it sent and still owes, its channels and its last poll.

Read with a read-only connection and never migrated, so it describes a file an older version
wrote as it is; a count this file's schema cannot give is left out rather than guessed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.store.database import connect_read_only
from bot.textutil import plural


def what_it_holds(path: str | Path) -> str:
    """E.g. "412 stories, 46 posts sent, 27 waiting to be sent, 9 channels, last poll
    2026-11-30 10:06 UTC"."""
    try:
        conn = connect_read_only(path, timeout=1.0)
    except sqlite3.Error as exc:
        return f"cannot be read ({exc})"
    try:
        parts = [
            _count(
                conn, "SELECT count(*) FROM stories WHERE merged_into IS NULL", "story", "stories"
            )
            or _count(conn, "SELECT count(*) FROM stories", "story", "stories"),
            _count(
                conn, "SELECT count(*) FROM deliveries WHERE state = 'sent'", "post", tail=" sent"
            ),
            _count(
                conn,
                "SELECT count(*) FROM deliveries WHERE state IN ('pending', 'sending')",
                "post",
                tail=" waiting to be sent",
            ),
            _count(conn, "SELECT count(*) FROM channels", "channel"),
            _last_poll(conn),
        ]
    finally:
        conn.close()
    said = [p for p in parts if p]
    return ", ".join(said) if said else "no newsdigest data"


# What makes a file a deployment's database, worth refusing to write until the operator chooses:
# stories, posts, channels, a poll, or a feed or topic someone added (the config file's are copied
# into any database a command opens). A zero-byte file, another program's SQLite file, or one a
# command created and nothing used (0 stories, 0 channels, never polled) holds none of it.
_DATA_SQL = (
    "SELECT 1 FROM stories LIMIT 1",
    "SELECT 1 FROM deliveries LIMIT 1",
    "SELECT 1 FROM channels LIMIT 1",
    "SELECT 1 FROM feeds WHERE last_polled_at IS NOT NULL OR origin != 'config' LIMIT 1",
    "SELECT 1 FROM topics WHERE origin != 'config' LIMIT 1",
)


def holds_newsdigest_data(path: str | Path) -> bool:
    """Whether the file at `path` holds a newsdigest deployment's data (see `_DATA_SQL`). A file
    that is locked or cannot be opened might: it counts, so that nothing is chosen over it."""
    try:
        conn = connect_read_only(path, timeout=1.0)
    except sqlite3.Error:
        return True
    try:
        for sql in _DATA_SQL:
            try:
                if conn.execute(sql).fetchone() is not None:
                    return True
            except sqlite3.OperationalError as exc:
                if "no such" not in str(exc):  # locked, busy, unreadable: it may hold data
                    return True
            except sqlite3.DatabaseError as exc:
                # "file is not a database": another program's file. A damaged one
                # ("malformed") may be a deployment's data: it counts, like a locked one.
                return exc.sqlite_errorname != "SQLITE_NOTADB"
        return False
    finally:
        conn.close()


def _count(
    conn: sqlite3.Connection, sql: str, noun: str, nouns: str | None = None, *, tail: str = ""
) -> str | None:
    try:
        (n,) = conn.execute(sql).fetchone()
    except sqlite3.Error:  # not in this file's schema (an older version's, or not ours)
        return None
    if tail and not n:
        return None  # "0 posts waiting to be sent" is noise; "0 stories" is not
    return plural(int(n), noun, nouns) + tail


def _last_poll(conn: sqlite3.Connection) -> str:
    try:
        (value,) = conn.execute("SELECT max(last_polled_at) FROM feeds").fetchone()
    except sqlite3.Error:
        return ""
    if not value:
        return "never polled"
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return f"last poll {value}"
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return f"last poll {when.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
