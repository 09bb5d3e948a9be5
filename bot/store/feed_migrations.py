"""The migrations of the feeds table and of what is left of pruned entries (tombstones), kept
apart from bot.store.migrations, which lists every step in order and holds the others.
"""

from __future__ import annotations

import sqlite_utils

from bot.store.feed_ids import give_feeds_autoincrement
from bot.store.feed_spellings import respell_feed_urls
from bot.store.schema_v2 import add_column as _add_column


def m003_feed_config_url(db: sqlite_utils.Database) -> None:
    # A feed from the config keeps the URL the file names, apart from the URL we poll: a 301 moves
    # the latter, and the next config sync must still recognise the row as the same feed.
    if "config_url" not in db["feeds"].columns_dict:
        db.execute("ALTER TABLE feeds ADD COLUMN config_url TEXT")
    db.execute("UPDATE feeds SET config_url = url WHERE origin = 'config' AND config_url IS NULL")


def m010_pruned_entries(db: sqlite_utils.Database) -> None:
    # Retention deletes old articles, but feeds keep serving old items for months: what is left
    # of each deleted article lets ingest recognise it (bot.store.tombstones). Hashed keys keep a
    # row near 80 bytes. (Migration 11 makes them outlive their feed.) Deleting a story's posts looks deliveries up by story, which no index led with before.
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS pruned_entries (
            entry_key TEXT PRIMARY KEY,
            feed_id INTEGER REFERENCES feeds(id) ON DELETE CASCADE,
            url_key TEXT,
            title_hash TEXT,
            last_seen TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS pruned_entries_url ON pruned_entries(url_key)
            WHERE url_key IS NOT NULL;
        CREATE INDEX IF NOT EXISTS pruned_entries_feed ON pruned_entries(feed_id);
        CREATE INDEX IF NOT EXISTS pruned_entries_last_seen ON pruned_entries(last_seen);
        CREATE INDEX IF NOT EXISTS deliveries_story ON deliveries(story_id);
        """
    )


def m011_tombstones_outlive_their_feed(db: sqlite_utils.Database) -> None:
    # A removed feed's tombstones were deleted with it (ON DELETE CASCADE), so re-adding the feed,
    # or its entries arriving from a new address (http -> https, a moved feed), brought every
    # pruned item it still serves back as new. Like its articles, they now keep their hashes
    # with the feed set NULL, which the canonical-URL rule counts as another feed. SQLite cannot
    # alter a foreign key: the table is rebuilt. A feed_id with no feed (deleted with foreign
    # keys off) becomes NULL, or the copy would fail the new table's constraint. The feed index
    # gains last_seen: a feed answering 304 refreshes its stale tombstones (WHERE feed_id = ? AND
    # last_seen < ?), which then reads only the rows it writes, not all of the feed's every poll.
    db.executescript(
        """
        CREATE TABLE pruned_entries_new (
            entry_key TEXT PRIMARY KEY,
            feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
            url_key TEXT,
            title_hash TEXT,
            last_seen TEXT NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO pruned_entries_new (entry_key, feed_id, url_key, title_hash, last_seen)
            SELECT entry_key, (SELECT id FROM feeds WHERE id = pruned_entries.feed_id),
                url_key, title_hash, last_seen
            FROM pruned_entries;
        DROP TABLE pruned_entries;
        ALTER TABLE pruned_entries_new RENAME TO pruned_entries;
        CREATE INDEX pruned_entries_url ON pruned_entries(url_key) WHERE url_key IS NOT NULL;
        CREATE INDEX pruned_entries_feed ON pruned_entries(feed_id, last_seen);
        CREATE INDEX pruned_entries_last_seen ON pruned_entries(last_seen);
        """
    )


def m012_one_spelling_per_feed_url(db: sqlite_utils.Database) -> None:
    # Feed URLs are stored and compared in one spelling (scheme and host case, default ports,
    # fragments): rows stored before are rewritten in it (bot.store.feed_spellings).
    respell_feed_urls(db)


def m018_feed_first_read_at(db: sqlite_utils.Database) -> None:
    # When the bot first read a feed: an entry dated before it was the feed's backlog, whose date
    # is its own however old (`Article.reported_at`). For a feed read before this step, its
    # earliest article's arrival is that first read, near enough.
    _add_column(db, "feeds", "first_read_at", "TEXT")
    # One pass over the articles, grouped: a lookup per feed walked the whole seen_at index for
    # each feed with few articles (51 s at 400 feeds and 400,000 articles).
    db.execute(
        "CREATE TEMP TABLE first_seen AS"
        " SELECT feed_id, MIN(seen_at) AS seen_at FROM articles"
        " WHERE feed_id IS NOT NULL GROUP BY feed_id"
    )
    db.execute(
        "UPDATE feeds SET first_read_at = COALESCE("
        "(SELECT seen_at FROM first_seen WHERE first_seen.feed_id = feeds.id), last_success_at)"
    )
    db.execute("DROP TABLE first_seen")


def m019_feed_folder(db: sqlite_utils.Database) -> None:
    # The folder an OPML import found a feed in ("Tech"), kept for `feeds list` and for the next
    # export to put it back in. NULL: none, as for every feed added before.
    _add_column(db, "feeds", "folder", "TEXT")


def m020_feed_ids_never_reused(db: sqlite_utils.Database) -> None:
    # Removing the newest feed and adding another gave the new feed the removed one's id, and
    # entries are keyed by feed id and GUID (bot.store.feed_ids has the whole story).
    give_feeds_autoincrement(db)


# Migrations that rebuild a table others reference, run with foreign keys off: with them on,
# DROP TABLE deletes its rows first and ON DELETE SET NULL empties every article's feed_id.
# (The pragma is a no-op inside a transaction, so `migrate` sets it around the step's.)


def m026_feed_url_escapes_in_one_spelling(db: sqlite_utils.Database) -> None:
    # Feed URLs' percent-escapes have one spelling too (`a`b` is `a%60b`, `%7e` is `~`): rows
    # stored before are rewritten in it, two rows that now meet both kept (bot.store.feed_spellings).
    respell_feed_urls(db)


def m028_feed_poll_outcome(db: sqlite_utils.Database) -> None:
    # What a feed's last poll came to ("3 new", "not modified") and the note it printed, if any
    # (entries left past the cap or older than the retention), for `feeds list`.
    _add_column(db, "feeds", "last_outcome", "TEXT")
    _add_column(db, "feeds", "last_note", "TEXT")


def m049_feed_lifetimes(db: sqlite_utils.Database) -> None:
    # When a feed's current run of failures began (policy disables it only after days of them,
    # not a count), and when it last answered in full (a 200: after a day of 304s the next poll
    # is unconditional, for a server stuck on one ETag). A tombstone's `served_at`: when a full
    # response last served its entry, so a 304 refreshes only those (bot.store.tombstones).
    _add_column(db, "feeds", "failing_since", "TEXT")
    _add_column(db, "feeds", "last_full_at", "TEXT")
    _add_column(db, "pruned_entries", "served_at", "TEXT")
    # A feed failing now counts from its last success (or its creation): its failures began after.
    db.execute(
        "UPDATE feeds SET failing_since = COALESCE(last_success_at, created_at)"
        " WHERE consecutive_failures > 0"
    )
    # Its last success stands for its last full answer: a day of 304s on, it is read whole.
    db.execute("UPDATE feeds SET last_full_at = last_success_at")
