"""The `alerts` table: plain notices to a channel (a feed was disabled...), one per channel and
key. A notice is harmless to repeat, so a crash mid-send requeues it rather than reconciling it
(`requeue_stale_alerts`); one sent as several messages keeps how many landed (`note_pieces`), so
it goes on from the first not posted rather than repeating them.

Finished notices (sent, or failed) are deleted by retention once older than its cutoff
(`delete_finished`). The key only has to outlive the chance of the same notice being queued again,
which is far shorter: a digest's "more stories" notice is keyed by its slot, which runs once
(`digest_runs` records it with the notice) and is caught up only while hours old; an instant
pass's is keyed by the pass's time; a disabled feed's is queued once per disabling, which
`feeds.alert_sent_at` records, not this table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from bot.store import listed_stories, topic_matches
from bot.store.database import iso, parse_iso
from bot.store.durable import durable
from bot.store.stale import stale_cutoff


@dataclass(slots=True)
class AlertRow:
    id: int
    channel_pk: int
    key: str
    text: str
    state: str
    attempts: int
    created_at: datetime  # when it was queued: its own backoff grows with its age
    # Messages of the notice already posted (one too long for one message goes out as several):
    # a resend starts after them.
    pieces_posted: int = 0
    # Put off for its channel's own rate limit: the channel's cards queued after it wait for it
    # (`hold_cards`), until it is sent or fails for another reason.
    holds_cards: bool = False
    # The first piece not recorded may have landed (its answer was lost, or a crash came
    # mid-send): looked for before it is sent again (`bot.delivery.notices`).
    unsure: bool = False
    next_attempt_at: datetime | None = None


def enqueue_alert(
    db: sqlite_utils.Database, channel_pk: int, key: str, text: str, *, now: datetime
) -> bool:
    """Queue the notice; False if the channel already had one with this key."""
    return queue_alert(db, channel_pk, key, text, now=now) is not None


def queue_alert(
    db: sqlite_utils.Database, channel_pk: int, key: str, text: str, *, now: datetime
) -> int | None:
    """`enqueue_alert`, returning the new notice's id (None if the key was queued before)."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO alerts (channel_pk, key, text, created_at) VALUES (?, ?, ?, ?)",
        [channel_pk, key, text, iso(now)],
    )
    return cursor.lastrowid if cursor.rowcount > 0 else None


def due_alerts(db: sqlite_utils.Database, now: datetime) -> list[AlertRow]:
    rows = db.execute_returning_dicts(
        "SELECT * FROM alerts WHERE state = 'pending'"
        " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id",
        [iso(now)],
    )
    return [_alert(r, now) for r in rows]


def _alert(r: dict[str, Any], now: datetime) -> AlertRow:
    return AlertRow(
        id=r["id"],
        channel_pk=r["channel_pk"],
        key=r["key"],
        text=r["text"],
        state=r["state"],
        attempts=r["attempts"],
        created_at=parse_iso(r["created_at"]) or now,
        pieces_posted=r["pieces_posted"],
        holds_cards=bool(r["holds_cards"]),
        unsure=bool(r["unsure"]),
        next_attempt_at=parse_iso(r["next_attempt_at"]),
    )


def holding_alert(db: sqlite_utils.Database, channel_pk: int, now: datetime) -> AlertRow | None:
    """The channel's oldest notice still pending that was put off for the channel's own rate
    limit (`hold_cards`) and has not failed otherwise since: the channel's posts queued after it
    wait for it."""
    rows = db.execute_returning_dicts(
        "SELECT * FROM alerts WHERE channel_pk = ? AND state = 'pending' AND holds_cards"
        " ORDER BY id LIMIT 1",
        [channel_pk],
    )
    return _alert(rows[0], now) if rows else None


# A notice that follows another of its channel, by key: a digest's backlog's message follows its
# list, which names it ("the longest waiting next") and lists the longest waiting first.
_FOLLOWS = {"digest-backlog:": "digest-more:"}


def leading_alert(db: sqlite_utils.Database, alert: AlertRow, now: datetime) -> AlertRow | None:
    """The notice `alert` goes out after (`_FOLLOWS`: a digest's list, for its backlog's
    message), while that one is still to go out; None once it was sent or failed, or if `alert`
    follows none. Only that one notice: a notice the platform keeps failing holds no other."""
    for prefix, lead in _FOLLOWS.items():
        if alert.key.startswith(prefix):
            rows = db.execute_returning_dicts(
                "SELECT * FROM alerts WHERE channel_pk = ? AND key = ?"
                " AND state IN ('pending', 'sending')",
                [alert.channel_pk, lead + alert.key.removeprefix(prefix)],
            )
            return _alert(rows[0], now) if rows else None
    return None


# A digest's closing notices: its list ("Also matching this channel…") and its backlog's
# message, which go out after its cards.
_AFTER_CARDS = ("digest-more:", "digest-backlog:")


def cards_ahead(db: sqlite_utils.Database, alert: AlertRow, now: datetime) -> datetime | None:
    """While a card of `alert`'s channel queued with it or before it is still to go out (put
    off by a rate limit, retrying, or `sending` and to be looked for), when the last of them is
    next tried (`now` for one due now); None once every one is settled (sent, failed, stale), or
    when `alert` is no digest's list or backlog's message. Those go after the digest's cards,
    which a card put off would otherwise let them overtake. The cards' own end bounds the wait:
    out of attempts, or stale (`bot.store.stale`), as is the notice's own stale rule."""
    if not alert.key.startswith(_AFTER_CARDS):
        return None
    # By state: the rows still to go are few, where the channel's index would walk every post
    # it ever had (55 ms a call at a million rows, against 0.04).
    count, latest = db.execute(
        "SELECT COUNT(*), MAX(COALESCE(next_attempt_at, '')) FROM deliveries"
        " INDEXED BY deliveries_state"
        " WHERE channel_pk = ? AND kind = 'story' AND state IN ('pending', 'sending')"
        " AND created_at <= ?",
        [alert.channel_pk, iso(alert.created_at)],
    ).fetchone()
    if not count:
        return None
    until = parse_iso(latest) if latest else None
    return now if until is None else max(until, now)


def hold_cards(
    db: sqlite_utils.Database, alert: AlertRow, *, now: datetime, until: datetime
) -> None:
    """The notice was put off until `until` for its channel's own limit (a Discord bucket's
    429): it holds the channel's cards queued after it, which wait as long and, while it is
    pending, go out only after it (`bot.delivery.notices.notice_first`), as a card put off holds
    the cards after it. Until it fails for another reason (`set_alert_state`'s `holds_cards`):
    then it waits on its own backoff, holding nothing; but for the channel refusing it, which
    pauses the channel, so it keeps the hold and still goes first once the channel is resumed. Cards queued with it or before (a digest's, which its listing notice
    follows) are not held."""
    with durable(db):
        db.execute("UPDATE alerts SET holds_cards = 1 WHERE id = ?", [alert.id])
        db.execute(
            "UPDATE deliveries SET next_attempt_at = MAX(COALESCE(next_attempt_at, ?), ?),"
            " updated_at = ? WHERE channel_pk = ? AND state = 'pending' AND kind = 'story'"
            " AND created_at > ?",
            [iso(until), iso(until), iso(now), alert.channel_pk, iso(alert.created_at)],
        )


def note_pieces(db: sqlite_utils.Database, alert_id: int, posted: int) -> None:
    """`posted` of the notice's messages have landed: durable before the next one is sent, so a
    resend (after a refusal partway, a timeout, or a crash) repeats none of them."""
    with durable(db):
        db.execute(
            "UPDATE alerts SET pieces_posted = MAX(pieces_posted, ?), unsure = 0 WHERE id = ?",
            [posted, alert_id],
        )


def set_unsure(db: sqlite_utils.Database, alert_id: int, unsure: bool) -> None:
    """Whether the notice's first piece not recorded may have landed: set when its answer was
    lost (a 5xx, a timeout), cleared once it was looked for (or given up looking for).

    The column counts too, so no migration was needed for it: 0 sure, else 1 plus the lookups
    for the piece that failed in a row (`lookup_failed`)."""
    with durable(db):
        db.execute(
            "UPDATE alerts SET unsure = CASE WHEN ? THEN MAX(unsure, 1) ELSE 0 END WHERE id = ?",
            [int(unsure), alert_id],
        )


def lookup_failed(db: sqlite_utils.Database, alert_id: int) -> int:
    """The notice's piece could not be looked for once more: how many times in a row now."""
    with durable(db):
        db.execute("UPDATE alerts SET unsure = unsure + 1 WHERE id = ? AND unsure", [alert_id])
    row = db.execute("SELECT unsure FROM alerts WHERE id = ?", [alert_id]).fetchone()
    return max(row[0] - 1, 0) if row else 0


def set_alert_state(
    db: sqlite_utils.Database,
    alert_id: int,
    state: str,
    *,
    now: datetime,
    error: str | None = None,
    next_attempt_at: datetime | None = None,
    attempt_used: bool = False,
    holds_cards: bool | None = None,
) -> None:
    """Moves a notice to `state`. Going 'sending' uses an attempt, so a notice that crashes the
    process mid-send is counted too; a 'sending' notice set back to 'pending' gets it back unless
    `attempt_used` (a failure that is the notice's own, an error nobody recognised): a platform
    that fails or cannot be reached, or a channel that refuses us, says nothing about the notice,
    as with deliveries' `unclaim`. `holds_cards` False: it no longer holds the channel's cards
    (`hold_cards`), in the same write; None leaves that as it was."""
    with durable(db):
        # SQLite evaluates every SET expression on the row as it was, so `state` below is the
        # state before this update.
        db.execute(
            "UPDATE alerts SET attempts = MAX(attempts + (? = 'sending')"
            " - (state = 'sending' AND ? = 'pending' AND NOT ?), 0),"
            " state = ?, last_error = ?, next_attempt_at = ?,"
            " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END,"
            " holds_cards = COALESCE(?, holds_cards) WHERE id = ?",
            [
                state,
                state,
                attempt_used,
                state,
                error,
                iso(next_attempt_at),
                state,
                iso(now),
                None if holds_cards is None else int(holds_cards),
                alert_id,
            ],
        )


def requeue_stale_alerts(db: sqlite_utils.Database) -> int:
    """Notices left 'sending' by a crash are sent again: a repeated notice is harmless, a lost
    one leaves a channel wondering why its news stopped."""
    with durable(db):
        # The piece being sent may have landed: looked for first, where it can be.
        return db.execute(
            "UPDATE alerts SET state = 'pending', unsure = 1 WHERE state = 'sending'"
        ).rowcount


def expire_stale(db: sqlite_utils.Database, *, now: datetime, stale_after: timedelta) -> int:
    """Notices still pending past the stale rule (`bot.store.stale.stale_cutoff`), failed as
    "stale": a notice the platform kept failing for two days is not sent after all.

    Except a "feed disabled" notice while its feed is still disabled (the same disabling): that
    is still news, and nothing else would tell the channel, since
    `bot.runner.feed_alerts.alert_disabled_feeds` queues one notice per disabling
    (`feeds.alert_sent_at`). Exempting it is simpler than failing it and
    requeuing a fresh one (a new key, and `alert_sent_at` cleared in step): it waits, e.g. for a
    channel paused over a weekend to be resumed, as long as the feed stays disabled, and is failed
    stale on the first drain after the feed is re-enabled or disabled anew (then with a notice of
    its own). Its retries are still bounded by its backoff (hourly at most) and attempts."""
    with durable(db):
        return db.execute(
            "UPDATE alerts SET state = 'failed', last_error = 'stale'"
            " WHERE state = 'pending' AND created_at < ?"
            " AND NOT EXISTS (SELECT 1 FROM feeds f WHERE f.disabled_reason IS NOT NULL"
            # The key `bot.runner.feed_alerts.alert_disabled_feeds` gives the notice.
            " AND alerts.key = 'feed-disabled:' || f.id || ':' || COALESCE(f.disabled_at, ''))",
            [iso(stale_cutoff(now, stale_after))],
        ).rowcount


# Counted from when a notice was sent, else queued: one a disabled feed held back (see
# `expire_stale`) may be sent long after it was queued.
_FINISHED_BEFORE = "state IN ('sent', 'failed') AND COALESCE(sent_at, created_at) < ?"


def finished_count(db: sqlite_utils.Database, *, before: datetime) -> int:
    """How many notices `delete_finished` would delete, all batches together."""
    return db.execute(
        f"SELECT COUNT(*) FROM alerts WHERE {_FINISHED_BEFORE}", [iso(before)]
    ).fetchone()[0]


def delete_finished(db: sqlite_utils.Database, *, before: datetime, limit: int) -> int:
    """Delete up to `limit` notices sent or failed before `before`; never a pending or sending one,
    which the outbox still owns. Returns how many; the caller holds the write transaction."""
    ids = [
        row[0]
        for row in db.execute(
            f"SELECT id FROM alerts WHERE {_FINISHED_BEFORE} LIMIT ?", [iso(before), limit]
        )
    ]
    # The stories a digest's notice listed outlive it (`bot.store.listed_stories`), and so do
    # the topic matches a sent one gave (`bot.store.topic_matches`).
    listed_stories.forget_notices(db, ids)
    topic_matches.forget_notices(db, ids)
    return db.execute(
        "DELETE FROM alerts WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(ids)]
    ).rowcount


def rewrite_text(db: sqlite_utils.Database, alert_id: int, text: str) -> None:
    """A notice's text rendered again before any of it was sent (`bot.delivery.notices`): its
    pieces, if it is split, are cut from this text from then on."""
    db.execute("UPDATE alerts SET text = ? WHERE id = ?", [text, alert_id])
