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
