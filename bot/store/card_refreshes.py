"""Edits of a story's posted card owed to a channel: outbox rows of kind `refresh`.

An update's reply can land while the edit of the original card (to the story's new source count)
fails, a 5xx or a timeout on the edit alone. Resending the update would post the reply twice, so
the edit becomes a row of its own in `deliveries`, drained like any other (the outbox's backoff,
outages, quiet hours, the stale rule, a restart) but sent with the adapter's `refresh_card`. A
refresh row never counts as something the channel was shown (`deliveries.last_sent` and
`grown_posts` leave it out): the thread's last update says that. Each pair of story and channel
has at most one waiting: the edit shows the story as it is when made, so a newer one supersedes
it, and an edit that lands with a later update drops it (`drop`).

The update planner queues one too (`ensure`): a story that grows while its thread reply waits
out its paced gap (`bot.delivery.update_pacing`) gets its card edited at once, silently, and the
reply comes later.
"""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from bot.store.database import iso
from bot.store.deliveries import STATES, new_nonce
from bot.store.durable import durable

REFRESH = "refresh"


def enqueue(
    db: sqlite_utils.Database,
    story_id: str,
    channel_pk: int,
    *,
    now: datetime,
    not_before: datetime | None,
) -> None:
    """A pending edit of the story's card in the channel, due at `not_before` (None: now), in
    place of any still waiting."""
    with durable(db):
        add(db, story_id, channel_pk, now=now, not_before=not_before)


def add(
    db: sqlite_utils.Database,
    story_id: str,
    channel_pk: int,
    *,
    now: datetime,
    not_before: datetime | None,
) -> None:
    """`enqueue` within the caller's durable transaction (an unmute's, `bot.runner.unmutes`)."""
    _drop(db, story_id, channel_pk)
    db.execute(
        "INSERT INTO deliveries (story_id, channel_pk, kind, state, nonce, next_attempt_at,"
        " release_at, created_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?)",
        [story_id, channel_pk, REFRESH, new_nonce(), iso(not_before), iso(now), iso(now), iso(now)],
    )


def ensure(db: sqlite_utils.Database, story_id: str, channel_pk: int, *, now: datetime) -> bool:
    """An edit of the story's card due now, unless one is waiting already (it shows the story
    as it is when made): the update planner's, to keep a card's count current while its reply
    waits (`bot.delivery.update_pacing`). Within the caller's transaction; True if queued."""
    waiting = db.execute(
        "SELECT 1 FROM deliveries WHERE kind = ? AND story_id = ? AND channel_pk = ?"
        " AND state IN ('pending', 'sending')",
        [REFRESH, story_id, channel_pk],
    ).fetchone()
    if waiting:
        return False
    add(db, story_id, channel_pk, now=now, not_before=None)
    return True


def drop(db: sqlite_utils.Database, story_id: str, channel_pk: int) -> int:
    """The edits still waiting for the story's card in the channel, superseded by one that
    landed (with an update). Returns how many."""
    with durable(db):
        return _drop(db, story_id, channel_pk)


def _drop(db: sqlite_utils.Database, story_id: str, channel_pk: int) -> int:
    # A `sending` one is no send in flight: the channel's rows go one at a time, and the drain
    # that owns them is the caller. It failed ambiguously or a crash left it.
    return db.execute(
        "DELETE FROM deliveries WHERE kind = ? AND story_id = ? AND channel_pk = ?"
        " AND state IN ('pending', 'sending')",
        [REFRESH, story_id, channel_pk],
    ).rowcount


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    """The card edits by state, for `/healthz` beside the posts (`deliveries.counts`)."""
    found = dict.fromkeys(STATES, 0)
    sql = "SELECT state, COUNT(*) FROM deliveries WHERE kind = ? GROUP BY state"
    for state, n in db.execute(sql, [REFRESH]):
        found[state] = n
    return found
