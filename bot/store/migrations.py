"""The schema migrations, in order. Append-only: each has a number and a name, and
`schema_migrations` records which ran, so an old database file upgrades in place and a new one is
built by the same steps. Applying them is bot.store.database.migrate's job.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlite_utils

from bot.store.article_profiles import m045_article_profiles
from bot.store.feed_migrations import (
    m003_feed_config_url,
    m010_pruned_entries,
    m011_tombstones_outlive_their_feed,
    m012_one_spelling_per_feed_url,
    m018_feed_first_read_at,
    m019_feed_folder,
    m020_feed_ids_never_reused,
    m026_feed_url_escapes_in_one_spelling,
    m028_feed_poll_outcome,
    m049_feed_lifetimes,
)
from bot.store.fold_key_migrations import m005_folded_slugs, m007_refold_keys
from bot.store.history_indexes import m042_history_indexes, m043_failed_index
from bot.store.item_sites import m050_item_sites
from bot.store.outbox_migrations import (
    m014_delivery_waits,
    m015_delivery_release_at,
    m022_card_edit_rows,
    m032_card_edit_members,
    m036_alert_pieces,
    m040_notice_holds,
    m044_heading_message,
    m046_instant_posts_in_flight,
    m048_heading_counts,
)
from bot.store.schema_v1 import create_initial_schema
from bot.store.schema_v2 import add_column as _add_column
from bot.store.schema_v2 import create_runner_tables

Migration = Callable[[sqlite_utils.Database], None]


def _m001_initial(db: sqlite_utils.Database) -> None:
    create_initial_schema(db)


def _m002_runner(db: sqlite_utils.Database) -> None:
    create_runner_tables(db)


def _m004_softer_dedupe_indexes(db: sqlite_utils.Database) -> None:
    # Title and URL duplicates are decided in code (bot.store.duplicates) with a time window and a
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


def _m013_summaries_name_outlets_by_site(db: sqlite_utils.Database) -> None:
    # Cached summaries name outlets by feed (a paper's section feeds as two outlets, each
    # crediting bullets); the summariser now keys them by site. The cache is keyed by member
    # count, so an old entry would stand until its story grew: drop them all, to be rewritten
    # the next time each card is needed.
    db.execute("UPDATE stories SET summary_json = NULL, summary_article_count = NULL")


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


FOREIGN_KEYS_OFF = frozenset({20})


def _m021_service_state(db: sqlite_utils.Database) -> None:
    # What `newsdigest run` must still know after a restart, one JSON value per key
    # (bot.store.service_state): the last prune's time and counts, which /healthz shows.
    db.execute(
        "CREATE TABLE IF NOT EXISTS service_state ("
        "key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)"
    )


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


def _m027_merge_history(db: sqlite_utils.Database) -> None:
    from bot.store.story_names import add_merge_history  # it imports bot.store.database

    add_merge_history(db)


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


def _m034_listed_by_notice(db: sqlite_utils.Database) -> None:
    from bot.store.listed_stories import add_alert_ids

    add_alert_ids(db)


def _m035_topic_matches(db: sqlite_utils.Database) -> None:
    from bot.store.topic_matches import create_topic_matches  # it imports bot.store.database

    create_topic_matches(db)


def _m037_counted_stories(db: sqlite_utils.Database) -> None:
    from bot.store.counted_stories import create_counted_stories  # it imports bot.store.database

    create_counted_stories(db)


def _m038_digest_headings(db: sqlite_utils.Database) -> None:
    from bot.store.digest_headings import create_digest_headings  # it imports bot.store.database

    create_digest_headings(db)


def _m039_topic_match_givers(db: sqlite_utils.Database) -> None:
    from bot.store.topic_match_givers import add_givers  # it imports bot.store.database

    add_givers(db)


def _m041_story_changes(db: sqlite_utils.Database) -> None:
    from bot.store.story_changes import create_story_changes

    create_story_changes(db)


def _m051_stories_to_recount(db: sqlite_utils.Database) -> None:
    from bot.store.stale_counts import m051_stories_to_recount  # it imports bot.store.database

    m051_stories_to_recount(db)


_PAUSE_DATE_RE = re.compile(r" on (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC")


def _m047_pause_before_config(db: sqlite_utils.Database) -> None:
    # A pause the channel had when the file dropped it (/watchlist pause), for its return to
    # restore rather than lift with the removal's own (`bot.store.sync`).
    _add_column(db, "channels", "paused_before_config", "TEXT")


MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "initial schema", _m001_initial),
    (2, "runner bookkeeping: digest runs, alerts, posted outlets", _m002_runner),
    (3, "feeds remember the URL the config names", m003_feed_config_url),
    (4, "title and URL duplicates decided in code", _m004_softer_dedupe_indexes),
    (5, "folded story slugs, indexed", m005_folded_slugs),
    (6, "posts recorded without outlets get their story's", _m006_posted_outlets_backfill),
    (7, "folded keys recomputed: letters with strokes, kana voicing", m007_refold_keys),
    (8, "indexes for merges and a story's aliases", _m008_merge_and_alias_indexes),
    (9, "a row for the health check's write probe", _m009_write_probe),
    (10, "tombstones of pruned articles; deliveries by story", m010_pruned_entries),
    (11, "tombstones outlive their feed", m011_tombstones_outlive_their_feed),
    (12, "feed URLs in one spelling", m012_one_spelling_per_feed_url),
    (
        13,
        "cached summaries rewritten with outlets named by site",
        _m013_summaries_name_outlets_by_site,
    ),
    (14, "deliveries count the platform's failures apart from attempts", m014_delivery_waits),
    (15, "deliveries go stale from when they were meant to go out", m015_delivery_release_at),
    (16, "channels remember when their schedule changed", _m016_channel_schedule_changed_at),
    (17, "the LLM writer's daily token spend", _m017_llm_usage),
    (18, "feeds remember when they were first read", m018_feed_first_read_at),
    (19, "feeds keep the folder an OPML file put them in", m019_feed_folder),
    (20, "a removed feed's id is never given to another", m020_feed_ids_never_reused),
    (21, "the service's state across restarts (the last prune)", _m021_service_state),
    (22, "deliveries may hold card edits still to be made", m022_card_edit_rows),
    (23, "rows the config file took over remember their origin", _m023_config_takeover),
    (24, "clustered articles keep the weights they were clustered with", _m024_article_weights),
    (25, "the clusterer's state in parts a commit updates", _m025_clusterer_state),
    (26, "feed URLs' percent-escapes in one spelling", m026_feed_url_escapes_in_one_spelling),
    (27, "each merge recorded, and whose old name each alias was", _m027_merge_history),
    (28, "feeds remember their last poll's outcome and note", m028_feed_poll_outcome),
    (29, "posts remember the headline their card was sent with", _m029_posted_headlines),
    (30, "channels may set how many cards a digest has", _m030_channel_digest_size),
    (31, "channels remember when their pause began", _m031_channel_paused_at),
    (32, "card edits remember which articles their story had", m032_card_edit_members),
    (33, "stories a digest listed after its cards, per channel", _m033_listed_stories),
    (34, "listed stories name the notice that listed them", _m034_listed_by_notice),
    (35, "a channel keeps the topic matches it was given", _m035_topic_matches),
    (36, "notices remember how many of their messages were posted", m036_alert_pieces),
    (37, "stories a digest counted without listing them, per channel", _m037_counted_stories),
    (
        38,
        "the digest heading last posted in each channel, kept across restarts",
        _m038_digest_headings,
    ),
    (
        39,
        "a kept topic match counts once its card or notice reached the channel",
        _m039_topic_match_givers,
    ),
    (40, "notices: held cards, and a piece that may have landed", m040_notice_holds),
    (41, "stories remember which process's commit last changed them", _m041_story_changes),
    (42, "indexes for reads and deletes that grew with the history", m042_history_indexes),
    (43, "an index of the failed posts by when they failed, for /healthz", m043_failed_index),
    (44, "a digest heading remembers its message", m044_heading_message),
    (
        45,
        "open stories' articles keep what their text yielded the clusterer",
        m045_article_profiles,
    ),
    (
        46,
        "an instant post in flight at a switch to digest mode returns to the pool if unsent",
        m046_instant_posts_in_flight,
    ),
    (47, "a channel's pause outlives its removal from the config file", _m047_pause_before_config),
    (
        48,
        "a digest heading keeps its count in step with the cards that will show",
        m048_heading_counts,
    ),
    (
        49,
        "feeds remember when their failures began and their last full response",
        m049_feed_lifetimes,
    ),
    (50, "feeds remember the site their items link to", m050_item_sites),
    (51, "open stories listed to have their sources counted again", _m051_stories_to_recount),
]
