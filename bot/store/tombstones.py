"""The `pruned_entries` table: what retention (bot.store.retention) keeps of each article it
deletes, so ingest still recognises the entry when a feed serves it again. Feeds keep old items
for months; without this, a pruned article would come back as new, open a story and be posted.

A tombstone holds hashes, not text: the article's id (itself a hash of feed and GUID, or of feed
and URL or title for an entry without a GUID: what `insert_new` keys an entry by), the canonical
URL and the folded title. An entry matches when its id is tombstoned, or when its canonical URL is
and the URL rule of bot.store.duplicates holds: the tombstone is from another feed (a republish) or
has the same title (a GUID that changed). The text comparison that rule also allows is lost with
the text; and a bare home-page link never counts, as in the live check.

Lifetime: a tombstone lives as long as a feed keeps serving its entry (a match refreshes it, at
most once a day, and marks it served, `served_at`; a 304 from its feed refreshes those of its
tombstones its last full answer served, no others: refreshing them all kept the tombstones of
entries the feed dropped long ago for good) and `TOMBSTONE_LIFETIME` after that. A feed disabled for longer than that and re-enabled may find
them gone: ingest also skips an entry dated before the retention cutoff (bot.pipeline.entries). It outlives its feed, as the feed's articles
do: removing the feed sets its feed_id NULL, which the URL rule counts as another feed, so the
feed re-added, or its items served from a new address (http -> https, a moved feed), are still
recognised. A later feed handed the removed feed's integer id can match a NULL'd tombstone by
entry key only for an entry with the very same GUID (or URL, or title when it has neither), and
then that one entry is taken for the old one: rare, and cheaper than the whole feed's pruned
items posted again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlite_utils

from bot.store.database import iso

# Long past any feed still serving the entry: feeds that keep items for months refresh it anyway.
TOMBSTONE_LIFETIME = timedelta(days=365)
# A tombstone an entry matched is refreshed at most this often: a feed serving fifty old items
# every few minutes must not turn every poll into fifty writes.
_REFRESH_AFTER = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Tombstone:
    entry_key: str  # the deleted article's id
    feed_id: int | None
    canonical_url: str | None
    title_key: str


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def url_key(canonical_url: str | None) -> str | None:
    """The hashed canonical URL, or None when it cannot identify an entry (none, a home page)."""
    # Imported on use: the normaliser brings lxml and the boilerplate patterns, which commands
    # that only read or prune the database (importing this module) would load for nothing.
    from bot.ingest.normalize import is_homepage

    if not canonical_url or is_homepage(canonical_url):
        return None
    return _digest(canonical_url)


def record(
    db: sqlite_utils.Database, entries: Iterable[Tombstone], *, now: datetime, served: bool = False
) -> int:
    """Tombstone deleted articles (inside the caller's transaction). Returns how many.
    `served`: a feed serves them now (not retention deleting them), so a 304 refreshes them."""
    at = iso(now)
    rows = [
        (e.entry_key, e.feed_id, url_key(e.canonical_url), _digest(e.title_key), at,
         at if served else None)
        for e in entries
    ]  # fmt: skip
    # The feed id only if that feed still exists: an article whose feed row was deleted outside
    # the bot (foreign keys off) would fail the insert, roll the batch back and stop every later
    # prune at that batch. NULL is what removing the feed would have left anyway.
    db.conn.executemany(
        "INSERT INTO pruned_entries (entry_key, feed_id, url_key, title_hash, last_seen, served_at)"
        " VALUES (?, (SELECT id FROM feeds WHERE id = ?), ?, ?, ?, ?)"
        " ON CONFLICT (entry_key) DO UPDATE SET last_seen = excluded.last_seen,"
        " served_at = COALESCE(excluded.served_at, served_at)",
        rows,
    )
    return len(rows)


def matches(
    db: sqlite_utils.Database,
    *,
    entry_key: str,
    feed_id: int | None,
    canonical_urls: list[str],
    title_key: str,
    now: datetime,
) -> bool:
    """Whether this incoming entry is a pruned article served again; refreshes its tombstone.
    `canonical_urls` are the forms its URL may have been tombstoned under: the page's (without
    AMP or mobile marks) and, for tombstones recorded before that rule, the link as served."""
    row = db.execute(
        "SELECT entry_key FROM pruned_entries WHERE entry_key = ?", [entry_key]
    ).fetchone()
    keys = [k for k in dict.fromkeys(url_key(u) for u in canonical_urls) if k is not None]
    for key in keys:
        if row is not None:
            break
        row = db.execute(
            "SELECT entry_key FROM pruned_entries WHERE url_key = ?"
            " AND (feed_id IS NOT ? OR title_hash = ?) LIMIT 1",
            [key, feed_id, _digest(title_key)],
        ).fetchone()
    if row is None:
        return False
    stale = iso(now - _REFRESH_AFTER)
    # Served now: a 304 refreshes it from here on (`refresh_feed`). A 304's refresh of
    # `last_seen` leaves `served_at`, hence both are checked; a row fresh in both is not written.
    db.execute(
        "UPDATE pruned_entries SET last_seen = ?, served_at = ? WHERE entry_key = ?"
        " AND (last_seen < ? OR served_at IS NULL OR served_at < ?)",
        [iso(now), iso(now), row[0], stale, stale],
    )
    return True


def refresh_feed(
    db: sqlite_utils.Database, feed_id: int, *, now: datetime, full_at: datetime
) -> int:
    """Refresh the feed's tombstones after a poll answered 304 Not Modified: the feed still
    serves what its last full answer (at `full_at`) served, but with no body nothing matched
    them one by one. Only those: the tombstones that answer matched (`served_at`, written at
    most daily, so within `_REFRESH_AFTER` of it). Refreshing every tombstone of the feed kept
    those of entries it stopped serving long ago for good. Throttled like a match's refresh;
    the index on (feed_id, last_seen) keeps the usual case, no tombstone stale, to one index
    probe. Returns how many were refreshed."""
    cursor = db.execute(
        "UPDATE pruned_entries SET last_seen = ? WHERE feed_id = ? AND last_seen < ?"
        " AND served_at >= ?",
        [iso(now), feed_id, iso(now - _REFRESH_AFTER), iso(full_at - _REFRESH_AFTER)],
    )
    return cursor.rowcount


def expire(db: sqlite_utils.Database, *, now: datetime, limit: int) -> int:
    """Delete up to `limit` tombstones no feed has served for `TOMBSTONE_LIFETIME`."""
    cursor = db.execute(
        "DELETE FROM pruned_entries WHERE entry_key IN (SELECT entry_key FROM pruned_entries"
        " WHERE last_seen < ? LIMIT ?)",
        [iso(now - TOMBSTONE_LIFETIME), limit],
    )
    return cursor.rowcount


def expired_count(db: sqlite_utils.Database, *, now: datetime) -> int:
    return db.execute(
        "SELECT COUNT(*) FROM pruned_entries WHERE last_seen < ?",
        [iso(now - TOMBSTONE_LIFETIME)],
    ).fetchone()[0]


def count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT COUNT(*) FROM pruned_entries").fetchone()[0]
