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
taken for it. `shown` and `digest_at` (migration 48) are the count the heading's message gives
and the digest's time it gives: a card counted that will not show (returned to the digest pool,
merged away, given up) is taken out of `rows` by a trigger on `deliveries`, whichever path
removes or fails it, so a drain finding `rows` shorter than `shown` settles the heading
(`bot.delivery.digest_heading_settle`), however many drains after the one that posted it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
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


def add_shown_count(db: sqlite_utils.Database) -> None:
    """Migration 48's body: the count the heading shows, its digest's time, and the trigger that
    keeps `rows` to the cards that will still show. A record of an older version counts its rows
    as shown; its digest's time is read as its post's (`posted_at`)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(digest_headings)")}
    if "shown" not in columns:
        db.execute("ALTER TABLE digest_headings ADD COLUMN shown INTEGER")
        db.execute(
            "UPDATE digest_headings SET shown = json_array_length(rows)"
            " WHERE message_ref IS NOT NULL"
        )
    if "digest_at" not in columns:
        db.execute("ALTER TABLE digest_headings ADD COLUMN digest_at TEXT")
    # A pending or sending row deleted never shows (returned to the pool, merged away, its
    # story gone); a sent or failed one deleted is retention's pruning, which changes nothing
    # in the channel. A row given up (failed) never shows either.
    for name, event, when in (
        ("digest_heading_row_gone", "DELETE", "old.state IN ('pending', 'sending')"),
        (
            "digest_heading_row_failed",
            "UPDATE OF state",
            "new.state = 'failed' AND old.state != 'failed'",
        ),
    ):
        db.execute(
            f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON deliveries"
            f" WHEN {when} AND old.kind = 'story' BEGIN"
            " UPDATE digest_headings SET rows = ("
            "  SELECT json_group_array(value) FROM ("
            "   SELECT value FROM json_each(digest_headings.rows)"
            "   WHERE value IS NOT old.nonce AND value IS NOT old.id ORDER BY value))"
            " WHERE channel_pk = old.channel_pk AND EXISTS ("
            "  SELECT 1 FROM json_each(digest_headings.rows)"
            "  WHERE value = old.nonce OR value = old.id);"
            " END"
        )


def record(
    db: sqlite_utils.Database,
    channel_pk: int,
    rows: list[str],
    posted_at: datetime,
    message_ref: str | None = None,
    digest_at: datetime | None = None,
    shown: int | None = None,
) -> None:
    """The heading posted in the channel at `posted_at` counted the rows of nonces `rows`, in
        place of the channel's last; `message_ref` is its message, when the platform said which (not
        said, the last one known stays: a lookup passing over it and older still passes over no
        newer heading; and no count is kept, so that older message is never settled for this one's
        cards). `digest_at` is the digest's time the heading gives, which an edit keeps; `shown` the
    count it gives, when some of `rows` left while it was being posted (`still_showing`).
        Fsynced, as the outbox's own records around a chat post are: the heading is out."""
    kept = sorted(set(rows))
    count = shown if shown is not None else len(kept)
    with durable(db):
        db.execute(
            "INSERT INTO digest_headings"
            " (channel_pk, rows, posted_at, message_ref, shown, digest_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel_pk) DO UPDATE"
            " SET rows = excluded.rows, posted_at = excluded.posted_at,"
            " message_ref = COALESCE(excluded.message_ref, message_ref),"
            " shown = excluded.shown, digest_at = excluded.digest_at",
            [
                channel_pk,
                json.dumps(kept),
                iso(posted_at),
                message_ref,
                count if message_ref is not None else None,
                iso(digest_at or posted_at),
            ],
        )


def still_showing(db: sqlite_utils.Database, channel_pk: int, nonces: list[str]) -> list[str]:
    """Which of `nonces` are the channel's cards still to show or shown: not deleted unsent
    (returned to the pool while a heading's request was in flight, before its record, which
    the trigger would have kept in step) nor given up."""
    if not nonces:
        return []
    sql = (
        "SELECT nonce FROM deliveries WHERE channel_pk = ? AND state != 'failed'"
        f" AND nonce IN ({', '.join('?' * len(nonces))})"
    )
    return sorted(str(row[0]) for row in db.execute(sql, [channel_pk, *nonces]))


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


@dataclass(frozen=True, slots=True)
class Unsettled:
    """A channel's last heading whose count is more than the cards that will show under it."""

    channel_pk: int
    message_ref: str
    shown: int
    left: int
    digest_at: datetime


def unsettled(db: sqlite_utils.Database) -> list[Unsettled]:
    """Every channel's last heading that counts cards which will not show (`add_shown_count`'s
    trigger took them out of its rows): only the last, so an earlier digest's is never touched."""
    found = db.execute(
        "SELECT channel_pk, message_ref, shown, json_array_length(rows), digest_at, posted_at"
        " FROM digest_headings WHERE message_ref IS NOT NULL AND shown IS NOT NULL"
        " AND json_array_length(rows) < shown"
    ).fetchall()
    out = []
    for pk, ref, shown, left, digest_at, posted_at in found:
        at = parse_iso(digest_at) or parse_iso(posted_at)
        if at is not None:
            out.append(Unsettled(pk, str(ref), int(shown), int(left), at))
    return out


def recounted(db: sqlite_utils.Database, channel_pk: int, message_ref: str, count: int) -> None:
    """The channel's heading `message_ref` was edited to count `count` cards, or its edit was
    tried and failed (tried once: not again at every drain). A record of a later heading is
    left alone."""
    with durable(db):
        db.execute(
            "UPDATE digest_headings SET shown = ? WHERE channel_pk = ? AND message_ref = ?",
            [count, channel_pk, message_ref],
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
            "UPDATE digest_headings SET rows = '[]', shown = 0"
            " WHERE channel_pk = ? AND message_ref = ?",
            [channel_pk, message_ref],
        )
