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
reply comes later. Each edit notes which articles the story had when its card was built
(`note_members`, `deliveries.shown_members`): the planner edits again only once they differ
(`members_key`). Not by time: a merge brings in articles seen before the edit, and a poll pass
stamps its articles with when it started, so an edit made during the pass would hide them.

A recount queues one too (`bot.runner.update_planner.edit_recounted_cards`): a feed's outlet
decided anew changes how a story's articles count, not what they are, so each posted card
(`posted_cards`) showing another count gets its edit and no reply. The channel's record of what
it was told moves to the new count with it (`retell`), so the story's next reply announces what
joined after, not the recount. Until it is sent its `shown_members` says `RECOUNTED`: a
recount of the same pass that brings the count back (feeds sharing one link, moved one by one)
withdraws the edit it queued (`withdraw_recounted`), rather than have it set what the card says.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import datetime

import sqlite_utils

from bot.models import Article
from bot.store.database import iso, transaction
from bot.store.deliveries import UNFINISHED, UNFINISHED_SQL
from bot.store.durable import durable
from bot.store.queued_posts import new_nonce

REFRESH = "refresh"
# An edit a recount queued, in its `shown_members` until `note_members` records its articles.
RECOUNTED = "recounted"


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


def ensure_recounted(
    db: sqlite_utils.Database,
    story_id: str,
    channel_pk: int,
    *,
    now: datetime,
    shows: tuple[int, list[str]],
) -> bool:
    """`ensure`, the edit marked as a recount's (`RECOUNTED`) when this queues it, with what
    the card `shows` until it is sent (`recounted_shows`; the claim stores the card it sends
    in their place)."""
    if not ensure(db, story_id, channel_pk, now=now):
        return False
    db.execute(
        "UPDATE deliveries SET shown_members = ?, source_count = ?, outlets = ?"
        " WHERE story_id = ? AND channel_pk = ? AND kind = ? AND state = 'pending'",
        [RECOUNTED, shows[0], json.dumps(shows[1]), story_id, channel_pk, REFRESH],
    )
    return True


def recounted_shows(
    db: sqlite_utils.Database, story_id: str, channel_pk: int
) -> tuple[int, list[str]] | None:
    """What the story's card in the channel shows while a recount's edit of it waits: the
    count and outlets it had when the edit was queued. None when none waits."""
    found = db.execute(
        "SELECT source_count, outlets FROM deliveries WHERE kind = ? AND story_id = ?"
        " AND channel_pk = ? AND state = 'pending' AND shown_members = ?",
        [REFRESH, story_id, channel_pk, RECOUNTED],
    ).fetchone()
    return (int(found[0]), json.loads(found[1] or "[]")) if found else None


def withdraw_recounted(db: sqlite_utils.Database, story_id: str, channel_pk: int) -> int:
    """The edit a recount queued for the story's card in the channel, not sent yet, withdrawn:
    the card shows the story's count again. One queued otherwise (an update's edit that failed,
    the planner's) stays. Within the caller's transaction; returns how many."""
    return db.execute(
        "DELETE FROM deliveries WHERE kind = ? AND story_id = ? AND channel_pk = ?"
        " AND state = 'pending' AND shown_members = ?",
        [REFRESH, story_id, channel_pk, RECOUNTED],
    ).rowcount


def posted_cards(db: sqlite_utils.Database, story_ids: Iterable[str]) -> list[tuple[str, int]]:
    """(story, channel) for each sent post of these stories, in a channel that muted it too: its
    record of what it was told must follow the recount (`retell`), or its unmute compares the
    story with the old count and replies that outlets "joined" which the card had all along;
    and the edit, settled unsent while the mute lasts (`bot.delivery.prepare`), is the one the
    unmute queues again (`bot.runner.unmutes`)."""
    # One JSON array: an upgrade's recount may pass more stories than SQLite takes parameters.
    rows = db.execute(
        "SELECT d.story_id, d.channel_pk FROM deliveries d WHERE d.kind = 'story'"
        " AND +d.state = 'sent' AND d.story_id IN (SELECT value FROM json_each(?)) ORDER BY d.id",
        [json.dumps(sorted(story_ids))],
    ).fetchall()
    return [(row[0], row[1]) for row in rows]


def retell(
    db: sqlite_utils.Database, row_id: int, *, source_count: int, outlets: list[str]
) -> None:
    """The post or reply `row_id`, the last the channel was told of its story, recorded as
    telling `source_count` and `outlets`: what the card says once a recount's edit lands
    (`bot.runner.update_planner.edit_recounted_cards`). Within the caller's transaction."""
    db.execute(
        "UPDATE deliveries SET source_count = ?, outlets = ? WHERE id = ? AND kind != ?",
        [source_count, json.dumps(outlets), row_id, REFRESH],
    )


def members_key(members: Sequence[Article]) -> str:
    """The story's articles, in a few bytes: a join, a merge or a prune changes it."""
    digest = hashlib.blake2b(digest_size=8)
    for article_id in sorted(a.id for a in members):
        digest.update(article_id.encode() + b"\0")
    return f"{len(members)}:{digest.hexdigest()}"


def note_members(db: sqlite_utils.Database, row_id: int, members: Sequence[Article]) -> None:
    """Record on an edit about to be sent the articles its card is built from. Noted before
    the card is built: an article joining in between makes the planner look again, never
    miss it."""
    with transaction(db):
        db.execute(
            "UPDATE deliveries SET shown_members = ? WHERE id = ? AND kind = ?",
            [members_key(members), row_id, REFRESH],
        )


def shown_members(db: sqlite_utils.Database, row_id: int) -> str | None:
    """The `members_key` of the story when the edit `row_id` was made; None if not noted (an
    edit sent before migration 32), `RECOUNTED` for a recount's not sent yet."""
    found = db.execute("SELECT shown_members FROM deliveries WHERE id = ?", [row_id]).fetchone()
    return found[0] if found else None


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


def waiting_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """The card edits waiting or in flight, by state, for `/healthz` beside the posts
    (`delivery_counts.waiting_counts`), read from the unfinished rows alone."""
    found = dict.fromkeys(UNFINISHED, 0)
    sql = (
        f"SELECT state, COUNT(*) FROM deliveries WHERE {UNFINISHED_SQL} AND kind = ? GROUP BY state"
    )
    for state, n in db.execute(sql, [REFRESH]):
        found[state] = n
    return found
