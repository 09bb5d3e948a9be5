"""The `digest_headings` table: per channel, the digest heading last posted there on a chat
platform, the outbox rows (`deliveries` ids) it counted, and when (`bot.delivery.digest_heading`).

Its cards held back after it (a 429, a route down for a moment or for hours) go out under it, not
under a second heading, when a later drain sends them, however much later; kept here rather than
in memory, a restart in between does not give them a second heading either. The rows are one
digest's (the next digest's cards are new rows, headed anew), so the table stays small without
an age limit: one row per channel, replaced by the channel's next heading, and gone with the
channel, by foreign key. The rows are kept as a JSON list of their nonces, with no foreign key: a
row pruned since simply matches nothing. Not their ids: `deliveries.id` has no AUTOINCREMENT, so
SQLite gives the ids of the top rows deleted (a held card dropped before it went) to the next
digest's rows, which would read as headed already; a nonce is never given twice. A record of a
version that kept ids (numbers in the list) is read by id. `posted_at` says when the heading was posted; rows of a version
that let a heading lapse after 15 minutes are read the same way. `message_ref` (migration 44) is
the heading's message, so a later heading of the same text looked for in the channel is not
taken for it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

import sqlite_utils

from bot.store.database import iso, parse_iso
from bot.store.durable import durable


def create_digest_headings(db: sqlite_utils.Database) -> None:
    """Migration 38's body."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS digest_headings ("
        " channel_pk INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,"
        " rows TEXT NOT NULL,"
        " posted_at TEXT NOT NULL)"
    )


def add_message_ref(db: sqlite_utils.Database) -> None:
    """Migration 44's body: the heading's message (Slack's ts, Discord's id), when known."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(digest_headings)")}
    if "message_ref" not in columns:
        db.execute("ALTER TABLE digest_headings ADD COLUMN message_ref TEXT")


def record(
    db: sqlite_utils.Database,
    channel_pk: int,
    rows: list[str],
    posted_at: datetime,
    message_ref: str | None = None,
) -> None:
    """The heading posted in the channel at `posted_at` counted the rows of nonces `rows`, in
    place of the channel's last; `message_ref` is its message, when the platform said which (not
    said, the last one known stays: a lookup passing over it and older still passes over no
    newer heading).
    Fsynced, as the outbox's own records around a chat post are: the heading is out."""
    with durable(db):
        db.execute(
            "INSERT INTO digest_headings (channel_pk, rows, posted_at, message_ref)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (channel_pk) DO UPDATE"
            " SET rows = excluded.rows, posted_at = excluded.posted_at,"
            " message_ref = COALESCE(excluded.message_ref, message_ref)",
            [channel_pk, json.dumps(sorted(set(rows))), iso(posted_at), message_ref],
        )


def last_message(db: sqlite_utils.Database, channel_pk: int) -> str | None:
    """The message of the channel's last recorded heading, when known: a lookup for a later
    heading of the same text must not take it for that one (`bot.delivery.digest_heading`)."""
    found = db.execute(
        "SELECT message_ref FROM digest_headings WHERE channel_pk = ?", [channel_pk]
    ).fetchone()
    return found[0] if found else None


def last(db: sqlite_utils.Database, channel_pk: int) -> tuple[set[str | int], datetime] | None:
    """The rows the channel's last recorded heading counted (their nonces; ids in a record of
    an older version), and when it was posted."""
    found = db.execute(
        "SELECT rows, posted_at FROM digest_headings WHERE channel_pk = ?", [channel_pk]
    ).fetchone()
    if found is None:
        return None
    posted_at = parse_iso(found[1])
    if posted_at is None:  # NOT NULL: never, but an empty time would head nothing
        return None
    return set(json.loads(found[0])), posted_at


def cards_left(db: sqlite_utils.Database, channel_pk: int, nonces: Iterable[str]) -> list[str]:
    """Which of the cards a heading counted (by nonce) are still in the channel's outbox,
    whatever their state: one returned to the digest pool, merged away or pruned is gone."""
    wanted = list(nonces)
    if not wanted:
        return []
    sql = (
        "SELECT nonce FROM deliveries WHERE channel_pk = ?"
        f" AND nonce IN ({', '.join('?' * len(wanted))})"
    )
    return sorted(str(row[0]) for row in db.execute(sql, [channel_pk, *wanted]))


def recounted(
    db: sqlite_utils.Database, channel_pk: int, message_ref: str, rows: list[str]
) -> None:
    """The channel's heading `message_ref` was edited to count only the rows of nonces `rows`
    (the others went back to the digest pool). A record of a later heading is left alone."""
    with durable(db):
        db.execute(
            "UPDATE digest_headings SET rows = ? WHERE channel_pk = ? AND message_ref = ?",
            [json.dumps(sorted(set(rows))), channel_pk, message_ref],
        )


def retracted(db: sqlite_utils.Database, channel_pk: int, message_ref: str) -> None:
    """The channel's heading `message_ref` was deleted: it shows no row now, so none is taken
    as headed by it (`last` gives no rows) and a row still to go gets a heading of its own. Its
    message stays the lookups' bound (`last_message`): they pass over it and every older
    message by their order (Slack's ts, Discord's snowflake), not by finding it, so a deleted
    one bounds them as well, and better than none, which would let a lookup take an earlier
    digest's heading of the same minute and count. A record of a later heading is left alone."""
    with durable(db):
        db.execute(
            "UPDATE digest_headings SET rows = '[]' WHERE channel_pk = ? AND message_ref = ?",
            [channel_pk, message_ref],
        )
