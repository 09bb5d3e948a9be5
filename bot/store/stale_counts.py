"""Open stories whose stored counts are due a recount after the upgrade (migration 51).

A story's stored outlet and source counts are what `stories`, `topics test` and a digest's
`min_sources` read; its card counts its articles' outlets as they are when it is built. Since
migration 50 a poll that changes which outlet a feed is counts its stories again
(`bot.pipeline.story_upkeep.recount_feed_stories`). A site link that changed before, under an
older version, changed no stored count, and a feed that goes by its items' site did not go by it
then: a story filed so kept its filing-time count until it grew, and its posted card the count
it was posted with.

Migration 51 lists here the open stories (updated within a digest's longest look back); each
feed's poll after the upgrade counts a batch of them again (`listed`, newest first) within its own
write transaction, and a card whose count that changes is edited, as after any recount. So
neither the migration nor a start-up waits for thousands of recounts (about 3 ms each): the
poll passes after it put the counts right, a batch bounded by its work at each feed's poll
(`bot.pipeline.story_upkeep.LISTED_WORK`), and a story listed is counted once: taken off the
list (`take_off`) in the transaction that counts it, also when its recount failed (logged, set
aside, rather than tried again at every poll ahead of the rest). One pruned meanwhile leaves the list with its row (foreign
key); one merged away is taken off and passed over (its survivor's count was refreshed then).
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime, timedelta

import sqlite_utils

from bot.store.database import iso, utcnow

log = logging.getLogger(__name__)

# Stories listed: those updated within a digest's longest look back (`bot.pipeline.digest.
# MAX_LOOKBACK`, which a test holds this to); an older one is in no digest, and its count
# follows when it next grows.
LOOKBACK = timedelta(days=8)
MIGRATION = 51  # its number in `bot.store.migrations.MIGRATIONS`


def open_stories(db: sqlite_utils.Database, *, now: datetime | None = None) -> int:
    """How many stories migration 51 lists (for the command that migrates to say so)."""
    found = db.execute(
        "SELECT COUNT(*) FROM stories WHERE merged_into IS NULL AND last_updated >= ?",
        [iso((now or utcnow()) - LOOKBACK)],
    ).fetchone()
    return int(found[0])


def m051_stories_to_recount(db: sqlite_utils.Database, *, now: datetime | None = None) -> None:
    """Migration 51: the open stories, listed for the polls after the upgrade to count again."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS stories_to_recount ("
        " story_id TEXT PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE)"
    )
    db.execute(
        "INSERT OR IGNORE INTO stories_to_recount (story_id)"
        " SELECT id FROM stories WHERE merged_into IS NULL AND last_updated >= ?",
        [iso((now or utcnow()) - LOOKBACK)],
    )
    # Logged here, in the migration, so `run` says it too: only the command line's other
    # commands have their own line for it on stderr (`bot.cli.upgrade`).
    if left := int(db.execute("SELECT COUNT(*) FROM stories_to_recount").fetchone()[0]):
        log.info(
            "after the upgrade, open stories' sources to count again by the next polls: %d", left,
            extra={"event": "upgrade_recount", "left": left},
        )  # fmt: skip


def listed(db: sqlite_utils.Database, limit: int) -> list[tuple[str, bool]]:
    """Up to `limit` listed stories, newest first, each with whether it is live (a merged one's
    survivor was counted when the merge was). Left listed: `take_off` takes off those counted,
    within the caller's transaction that counts them."""
    rows = db.execute(
        "SELECT r.story_id, s.merged_into FROM stories_to_recount r"
        " JOIN stories s ON s.id = r.story_id ORDER BY s.last_updated DESC, r.story_id LIMIT ?",
        [limit],
    ).fetchall()
    return [(story_id, merged is None) for story_id, merged in rows]


def take_off(db: sqlite_utils.Database, story_ids: Collection[str]) -> int:
    """These stories taken off the list; returns how many stay listed."""
    db.conn.executemany(
        "DELETE FROM stories_to_recount WHERE story_id = ?", [(story_id,) for story_id in story_ids]
    )
    return int(db.execute("SELECT COUNT(*) FROM stories_to_recount").fetchone()[0])
