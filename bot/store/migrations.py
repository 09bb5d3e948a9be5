"""The schema migrations, in order. Append-only: each has a number and a name, and
`schema_migrations` records which ran, so an old database file upgrades in place and a new one is
built by the same steps. Applying them is bot.store.database.migrate's job.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlite_utils

from bot.store.feed_ids import give_feeds_autoincrement
from bot.store.feed_spellings import respell_feed_urls
from bot.store.schema_v1 import create_initial_schema
from bot.store.schema_v2 import add_column as _add_column
from bot.store.schema_v2 import create_runner_tables
from bot.topics.lookup import slugify

Migration = Callable[[sqlite_utils.Database], None]


def _m001_initial(db: sqlite_utils.Database) -> None:
    create_initial_schema(db)


def _m002_runner(db: sqlite_utils.Database) -> None:
    create_runner_tables(db)


def _m003_feed_config_url(db: sqlite_utils.Database) -> None:
    # A feed from the config keeps the URL the file names, apart from the URL we poll: a 301 moves
    # the latter, and the next config sync must still recognise the row as the same feed.
    if "config_url" not in db["feeds"].columns_dict:
        db.execute("ALTER TABLE feeds ADD COLUMN config_url TEXT")
    db.execute("UPDATE feeds SET config_url = url WHERE origin = 'config' AND config_url IS NULL")


def _m004_softer_dedupe_indexes(db: sqlite_utils.Database) -> None:
    # Title and URL duplicates are decided in code (bot.store.articles) with a time window and a
    # homepage exemption; as unique indexes they dropped a recurring "Morning briefing" forever
    # and every item of a feed whose entries all link to its home page.
    db.executescript(
        """
        DROP INDEX IF EXISTS articles_source_title;
        DROP INDEX IF EXISTS articles_canonical_url;
        CREATE INDEX IF NOT EXISTS articles_source_title_key ON articles(source, title_key);
        CREATE INDEX IF NOT EXISTS articles_canonical ON articles(canonical_url);
        """
    )


def _m005_folded_slugs(db: sqlite_utils.Database) -> None:
    # `/story` matches slugs case- and accent-folded, so a new slug must not fold onto one in use
    # ("все-банке" beside "всё-банке"): an indexed folded form keeps that check one lookup.
    for table in ("stories", "story_aliases"):
        _add_column(db, table, "slug_key", "TEXT")
        rows = db.execute(f"SELECT rowid, slug FROM {table} WHERE slug_key IS NULL").fetchall()
        db.conn.executemany(
            f"UPDATE {table} SET slug_key = ? WHERE rowid = ?",
            [(slugify(slug), rowid) for rowid, slug in rows],
        )
        db.execute(f"CREATE INDEX IF NOT EXISTS {table}_slug_key ON {table}(slug_key)")


def _m006_posted_outlets_backfill(db: sqlite_utils.Database) -> None:
    # Posts recorded before migration 2 have no outlets. Read as "none shown", every outlet of
    # the story looked new and an upgrade announced them all in thread updates. What they showed
    # is unknown; the story's outlets today are the closest record, and growth in the
    # independent count still earns its update.
    db.execute(
        """
        UPDATE deliveries SET outlets = (
            SELECT json_group_array(source) FROM (
                SELECT source FROM articles WHERE story_id = deliveries.story_id
                GROUP BY source ORDER BY MIN(id)))
        WHERE state = 'sent' AND outlets IS NULL
        """
    )


def _m007_refold_keys(db: sqlite_utils.Database) -> None:
    # `fold` learned letters with strokes ("Łódź" -> "lodz") and stopped dropping the kana
    # voicing marks: keys stored before no longer equal what the code computes, so a new slug
    # could fold onto an old one unseen, and a repeated title escape the duplicate check.
    # Only rows whose key changes are written; titles are short, so one pass over them is cheap.
    from bot.store.articles import title_key  # that module imports this one

    for table in ("stories", "story_aliases"):
        rows = db.execute(f"SELECT rowid, slug, slug_key FROM {table}").fetchall()
        db.conn.executemany(
            f"UPDATE {table} SET slug_key = ? WHERE rowid = ?",
            [(slugify(slug), rowid) for rowid, slug, key in rows if slugify(slug) != key],
        )
    changed = [
        (title_key(title), rowid)
        for rowid, title, key in db.execute("SELECT rowid, title, title_key FROM articles")
        if not title.isascii() and title_key(title) != key
    ]
    db.conn.executemany("UPDATE articles SET title_key = ? WHERE rowid = ?", changed)


def _m008_merge_and_alias_indexes(db: sqlite_utils.Database) -> None:
    # A merge repoints the stories already merged into the absorbed one (WHERE merged_into = ?)
    # and settling a slug asks for a story's aliases (WHERE story_id = ?): without these both
    # scan the whole table, every merge and every settle, and the tables only grow.
    db.executescript(
        """
        CREATE INDEX IF NOT EXISTS stories_merged_into ON stories(merged_into);
        CREATE INDEX IF NOT EXISTS story_aliases_story ON story_aliases(story_id);
        """
    )


def _m009_write_probe(db: sqlite_utils.Database) -> None:
    # The health check's write probe: one row it rewrites and commits. Taking the write lock and
    # rolling back writes nothing, so a full disk or a failing device went unnoticed.
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS write_probe (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            written_at TEXT NOT NULL
        );
        """
    )


def _m010_pruned_entries(db: sqlite_utils.Database) -> None:
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


def _m011_tombstones_outlive_their_feed(db: sqlite_utils.Database) -> None:
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


def _m012_one_spelling_per_feed_url(db: sqlite_utils.Database) -> None:
    # Feed URLs are stored and compared in one spelling (scheme and host case, default ports,
    # fragments): rows stored before are rewritten in it (bot.store.feed_spellings).
    respell_feed_urls(db)


def _m013_summaries_name_outlets_by_site(db: sqlite_utils.Database) -> None:
    # Cached summaries name outlets by feed (a paper's section feeds as two outlets, each
    # crediting bullets); the summariser now keys them by site. The cache is keyed by member
    # count, so an old entry would stand until its story grew: drop them all, to be rewritten
    # the next time each card is needed.
    db.execute("UPDATE stories SET summary_json = NULL, summary_article_count = NULL")


def _m014_delivery_waits(db: sqlite_utils.Database) -> None:
    # A send the platform did not take or answer (unreachable, 5xx, rate limited) no longer uses
    # one of the row's attempts, or an hour's outage dropped every queued story; the row counts
    # such failures apart, those with its route up only (the route's own outage backs it off),
    # so a row that fails alone still backs off on its own (bot.delivery.failures._row_wait).
    _add_column(db, "deliveries", "waits", "INTEGER NOT NULL DEFAULT 0")


def _m015_delivery_release_at(db: sqlite_utils.Database) -> None:
    # The stale rule counts from when a row was meant to go out, not from its queuing, so a row
    # held for quiet hours or an update's interval is not dropped unsent (bot.store.stale). A
    # waiting row never tried can only be waiting for such a hold; others count from queuing.
    _add_column(db, "deliveries", "release_at", "TEXT")
    db.execute(
        "UPDATE deliveries SET release_at = MAX(created_at, COALESCE(next_attempt_at, ''))"
        " WHERE state = 'pending' AND attempts = 0 AND waits = 0"
    )


def _m016_channel_schedule_changed_at(db: sqlite_utils.Database) -> None:
    # A digest slot counts as missed only if it passed while the schedule was in force: one of
    # a schedule set later was never due (bot.runner.jobs.missed_digests). NULL: not known.
    _add_column(db, "channels", "schedule_changed_at", "TEXT")


def _m017_llm_usage(db: sqlite_utils.Database) -> None:
    # The LLM writer's daily token spend (bot.summarize.llm.TokenBudget). It created the table
    # itself on first use, outside any transaction, and beside another writer that failed at once
    # with "database is locked": here it is made under the migrations' write lock. IF NOT EXISTS
    # and the very schema sqlite-utils gave it, so a database that already has it migrates as is;
    # the day is the key the budget's conditional upsert relies on.
    db.execute("CREATE TABLE IF NOT EXISTS llm_usage (day TEXT PRIMARY KEY, tokens INTEGER)")


def _m018_feed_first_read_at(db: sqlite_utils.Database) -> None:
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


def _m019_feed_folder(db: sqlite_utils.Database) -> None:
    # The folder an OPML import found a feed in ("Tech"), kept for `feeds list` and for the next
    # export to put it back in. NULL: none, as for every feed added before.
    _add_column(db, "feeds", "folder", "TEXT")


def _m020_feed_ids_never_reused(db: sqlite_utils.Database) -> None:
    # Removing the newest feed and adding another gave the new feed the removed one's id, and
    # entries are keyed by feed id and GUID (bot.store.feed_ids has the whole story).
    give_feeds_autoincrement(db)


# Migrations that rebuild a table others reference, run with foreign keys off: with them on,
# DROP TABLE deletes its rows first and ON DELETE SET NULL empties every article's feed_id.
# (The pragma is a no-op inside a transaction, so `migrate` sets it around the step's.)
FOREIGN_KEYS_OFF = frozenset({20})


def _m021_service_state(db: sqlite_utils.Database) -> None:
    # What `newsdigest run` must still know after a restart, one JSON value per key
    # (bot.store.service_state): the last prune's time and counts, which /healthz shows.
    db.execute(
        "CREATE TABLE IF NOT EXISTS service_state ("
        "key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)"
    )


def _m022_card_edit_rows(db: sqlite_utils.Database) -> None:
    # No table changes: deliveries may now hold rows of kind 'refresh' (a card edit left to
    # retry, bot.delivery.card_edits). The version step is the point: an older newsdigest takes
    # any row that is no 'update' for a story post, and would post the card a second time.
    pass


def _m023_config_takeover(db: sqlite_utils.Database) -> None:
    # A feed, topic or channel added by command or chat that the config file then declares is
    # the file's while it does; its origin before is kept, so taking the entry out of the file
    # hands the row back instead of deleting it (bot.store.sync). NULL: the file created it.
    for table in ("feeds", "topics", "channels"):
        _add_column(db, table, "origin_before_config", "TEXT")


def _m024_article_weights(db: sqlite_utils.Database) -> None:
    # Each clustered article's IDF as it was weighed on arrival (bot.cluster.profile.pack_idf):
    # with the clusterer's saved state (service_state 'clusterer') a restart rebuilds the open
    # stories' profiles exactly, not with the statistics of the day. Gone with its article.
    db.execute(
        "CREATE TABLE IF NOT EXISTS article_weights ("
        "article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,"
        " idf BLOB NOT NULL) WITHOUT ROWID"
    )


def _m025_clusterer_state(db: sqlite_utils.Database) -> None:
    # The clusterer's IDF statistics as a log of JSON rows (bot.store.clusterer_state): a commit
    # adds its articles' terms, where one JSON value of all of them grew with the vocabulary
    # (~1 MB at 10k articles) and was rewritten whole at every commit.
    db.execute(
        "CREATE TABLE IF NOT EXISTS clusterer_idf (seq INTEGER PRIMARY KEY, counts TEXT NOT NULL)"
    )
    # Its open stories, a row each, so a commit rewrites only those it changed: their members'
    # ids (JSON) and their place in the order they were last touched.
    db.execute(
        "CREATE TABLE IF NOT EXISTS clusterer_stories ("
        "story_id TEXT PRIMARY KEY, members TEXT NOT NULL, place INTEGER NOT NULL) WITHOUT ROWID"
    )
    # The old whole state: the next commit saves the new one (a start before restores as an
    # older database's).
    db.execute("DELETE FROM service_state WHERE key = 'clusterer'")


def _m026_feed_url_escapes_in_one_spelling(db: sqlite_utils.Database) -> None:
    # Feed URLs' percent-escapes have one spelling too (`a`b` is `a%60b`, `%7e` is `~`): rows
    # stored before are rewritten in it, two rows that now meet both kept (bot.store.feed_spellings).
    respell_feed_urls(db)


def _m027_merge_history(db: sqlite_utils.Database) -> None:
    from bot.store.story_names import add_merge_history  # it imports bot.store.database

    add_merge_history(db)


def _m028_feed_poll_outcome(db: sqlite_utils.Database) -> None:
    # What a feed's last poll came to ("3 new", "not modified") and the note it printed, if any
    # (entries left past the cap or older than the retention), for `feeds list`.
    _add_column(db, "feeds", "last_outcome", "TEXT")
    _add_column(db, "feeds", "last_note", "TEXT")


def _m029_posted_headlines(db: sqlite_utils.Database) -> None:
    # A posted card keeps the headline it was sent with when edited (bot.delivery.prepare). Those
    # sent before were sent with a headline nobody stored: the story's own now is the best guess,
    # and keeps them from being renamed from here on. Not for a card that may be a merged
    # story's, moved onto the survivor (`stories.posted_as`): it never showed the survivor's
    # headline, and left NULL it shows the story's headline at each edit, as it did before.
    _add_column(db, "deliveries", "headline", "TEXT")
    db.execute(
        "UPDATE deliveries SET headline = (SELECT headline FROM stories WHERE id = story_id)"
        " WHERE kind = 'story' AND state IN ('sending', 'sent') AND NOT EXISTS ("
        " SELECT 1 FROM stories m WHERE m.merged_into = deliveries.story_id AND NOT EXISTS ("
        " SELECT 1 FROM deliveries o WHERE o.channel_pk = deliveries.channel_pk"
        " AND o.story_id = m.id AND o.kind = 'story'))"
    )


def _m030_channel_digest_size(db: sqlite_utils.Database) -> None:
    # Cards in the channel's digest, as its config entry or /watchlist digest-size set it; NULL:
    # the configured default (`[digests] size`, else bot.pipeline.digest.DEFAULT_LIMIT).
    _add_column(db, "channels", "digest_size", "INTEGER")


def _m031_channel_paused_at(db: sqlite_utils.Database) -> None:
    # When a channel's pause began, for `newsdigest channels list`. A pause from before is dated
    # from its reason when the reason says (the outbox's "... on 2027-05-03 10:00 UTC").
    _add_column(db, "channels", "paused_at", "TEXT")
    rows = db.execute(
        "SELECT id, paused_reason FROM channels WHERE paused_reason IS NOT NULL AND paused_at IS NULL"
    ).fetchall()
    for pk, reason in rows:
        if found := _PAUSE_DATE_RE.search(reason):
            db.execute(
                "UPDATE channels SET paused_at = ? WHERE id = ?",
                [f"{found.group(1)}T{found.group(2)}:00+00:00", pk],
            )


def _m033_listed_stories(db: sqlite_utils.Database) -> None:
    from bot.store.listed_stories import create_listed_stories  # it imports bot.store.database

    create_listed_stories(db)


_PAUSE_DATE_RE = re.compile(r" on (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC")


def _m032_card_edit_members(db: sqlite_utils.Database) -> None:
    # The articles a card edit's story had (bot.store.card_refreshes.members_key): the planner
    # edits the card again once they differ. NULL: an edit sent before, compared by its counts.
    _add_column(db, "deliveries", "shown_members", "TEXT")


MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "initial schema", _m001_initial),
    (2, "runner bookkeeping: digest runs, alerts, posted outlets", _m002_runner),
    (3, "feeds remember the URL the config names", _m003_feed_config_url),
    (4, "title and URL duplicates decided in code", _m004_softer_dedupe_indexes),
    (5, "folded story slugs, indexed", _m005_folded_slugs),
    (6, "posts recorded without outlets get their story's", _m006_posted_outlets_backfill),
    (7, "folded keys recomputed: letters with strokes, kana voicing", _m007_refold_keys),
    (8, "indexes for merges and a story's aliases", _m008_merge_and_alias_indexes),
    (9, "a row for the health check's write probe", _m009_write_probe),
    (10, "tombstones of pruned articles; deliveries by story", _m010_pruned_entries),
    (11, "tombstones outlive their feed", _m011_tombstones_outlive_their_feed),
    (12, "feed URLs in one spelling", _m012_one_spelling_per_feed_url),
    (
        13,
        "cached summaries rewritten with outlets named by site",
        _m013_summaries_name_outlets_by_site,
    ),
    (14, "deliveries count the platform's failures apart from attempts", _m014_delivery_waits),
    (15, "deliveries go stale from when they were meant to go out", _m015_delivery_release_at),
    (16, "channels remember when their schedule changed", _m016_channel_schedule_changed_at),
    (17, "the LLM writer's daily token spend", _m017_llm_usage),
    (18, "feeds remember when they were first read", _m018_feed_first_read_at),
    (19, "feeds keep the folder an OPML file put them in", _m019_feed_folder),
    (20, "a removed feed's id is never given to another", _m020_feed_ids_never_reused),
    (21, "the service's state across restarts (the last prune)", _m021_service_state),
    (22, "deliveries may hold card edits still to be made", _m022_card_edit_rows),
    (23, "rows the config file took over remember their origin", _m023_config_takeover),
    (24, "clustered articles keep the weights they were clustered with", _m024_article_weights),
    (25, "the clusterer's state in parts a commit updates", _m025_clusterer_state),
    (26, "feed URLs' percent-escapes in one spelling", _m026_feed_url_escapes_in_one_spelling),
    (27, "each merge recorded, and whose old name each alias was", _m027_merge_history),
    (28, "feeds remember their last poll's outcome and note", _m028_feed_poll_outcome),
    (29, "posts remember the headline their card was sent with", _m029_posted_headlines),
    (30, "channels may set how many cards a digest has", _m030_channel_digest_size),
    (31, "channels remember when their pause began", _m031_channel_paused_at),
    (32, "card edits remember which articles their story had", _m032_card_edit_members),
    (33, "stories a digest listed after its cards, per channel", _m033_listed_stories),
]
