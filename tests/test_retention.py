"""Retention (bot.store.retention): old stories go with everything pointing at them, recent ones
and ones the outbox still has to post stay, and a deleted entry a feed keeps serving is not
ingested again (bot.store.tombstones)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from fakes.stories import add_channel, add_story

from bot.app import NewsDigest
from bot.config import Config, PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.models import Summary
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store import feeds as feed_store
from bot.store import retention, tombstones
from bot.store import stories as story_store
from bot.store import summaries as summary_store
from bot.store.database import applied_migrations, open_database

T0 = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
LATER = T0 + timedelta(days=200)
KEEP = timedelta(days=180)
WINDOW = timedelta(hours=48)


def _prune(db: sqlite_utils.Database, *, dry_run: bool = False) -> retention.PruneCounts:
    return retention.prune(db, now=LATER, older_than=KEEP, window=WINDOW, dry_run=dry_run)


def _count(db: sqlite_utils.Database, table: str) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def _story_ids(db: sqlite_utils.Database) -> set[str]:
    return {r[0] for r in db.execute("SELECT id FROM stories")}


def _sent(db: sqlite_utils.Database, story_id: str, channel_pk: int, at: datetime) -> None:
    delivery_store.enqueue_story(db, story_id, channel_pk, now=at)
    row = delivery_store.story_post(db, story_id, channel_pk)
    assert row is not None
    delivery_store.claim(db, row.id, at)
    delivery_store.mark_sent(
        db, row.id, message_ref="m", thread_ref="m", source_count=2, outlets=["A"], now=at
    )


def test_old_stories_go_with_everything_pointing_at_them(db: sqlite_utils.Database) -> None:
    channel = add_channel(db, "C1")
    add_story(db, "old", ["A", "B"], now=T0)
    story_store.rename(db, "old", "old-renamed")  # leaves an alias
    summary_store.store_summary(db, "old", Summary("Old", [], []), 2)
    _sent(db, "old", channel.id, T0)
    channel_store.mute_story(db, channel.id, "old")
    add_story(db, "fresh", ["A", "C"], now=LATER - timedelta(days=3))
    _sent(db, "fresh", channel.id, LATER - timedelta(days=3))

    counts = _prune(db)

    assert _story_ids(db) == {"fresh"}
    assert (counts.stories, counts.articles, counts.deliveries) == (1, 2, 1)
    assert (counts.aliases, counts.mutes, counts.kept_pending) == (1, 1, 0)
    assert [r[0] for r in db.execute("SELECT story_id FROM articles")] == ["fresh", "fresh"]
    assert _count(db, "story_aliases") == 0
    assert channel_store.muted_story_ids(db, channel.id) == set()
    assert [r[0] for r in db.execute("SELECT story_id FROM deliveries")] == ["fresh"]
    assert tombstones.count(db) == 2  # one per deleted article
    assert story_store.find_by_name(db, ["old-renamed"]) is None
    # Nothing left to do: a second run deletes nothing.
    assert _prune(db).stories == 0


def test_a_story_with_a_post_still_to_send_is_kept(db: sqlite_utils.Database) -> None:
    channel = add_channel(db, "C1")
    add_story(db, "waiting", ["A"], now=T0)
    delivery_store.enqueue_story(db, "waiting", channel.id, now=T0)  # pending
    add_story(db, "sending", ["B"], now=T0)
    delivery_store.enqueue_story(db, "sending", channel.id, now=T0)
    row = delivery_store.story_post(db, "sending", channel.id)
    assert row is not None
    delivery_store.claim(db, row.id, T0)
    add_story(db, "failed", ["C"], now=T0)
    delivery_store.enqueue_story(db, "failed", channel.id, now=T0)
    row = delivery_store.story_post(db, "failed", channel.id)
    assert row is not None
    delivery_store.mark_failed(db, row.id, now=T0, error="channel archived")

    counts = _prune(db)

    assert _story_ids(db) == {"waiting", "sending"}
    assert counts.kept_pending == 2 and counts.stories == 1
    assert {r[0] for r in db.execute("SELECT state FROM deliveries")} == {"pending", "sending"}


def test_a_story_merged_into_an_old_one_goes_with_it(db: sqlite_utils.Database) -> None:
    channel = add_channel(db, "C1")
    add_story(db, "survivor", ["A"], now=T0)
    add_story(db, "absorbed", ["B"], now=T0)
    _sent(db, "absorbed", channel.id, T0)
    story_store.merge(db, "absorbed", "survivor")

    counts = _prune(db)

    assert _story_ids(db) == set()
    assert counts.stories == 2 and counts.articles == 2 and counts.deliveries == 1
    assert _count(db, "story_merges") == 0  # the record of the merge goes with both


def test_a_merged_story_whose_survivor_is_recent_stays(db: sqlite_utils.Database) -> None:
    add_story(db, "absorbed", ["B"], now=T0)
    add_story(db, "survivor", ["A"], now=LATER - timedelta(days=1))
    story_store.merge(db, "absorbed", "survivor")
    assert _prune(db).stories == 0
    assert _story_ids(db) == {"absorbed", "survivor"}


def test_articles_in_no_story_go_once_old(db: sqlite_utils.Database) -> None:
    from bot.store import articles as article_store

    article_store.insert_new(
        db,
        [
            {"source": "A", "guid": "g-old", "title": "Old loose", "seen_at": T0},
            {"source": "A", "guid": "g-new", "title": "New loose", "seen_at": LATER},
        ],
    )
    assert _prune(db).articles == 1
    assert [r[0] for r in db.execute("SELECT title FROM articles")] == ["New loose"]


def test_a_dry_run_deletes_nothing_and_counts_what_a_run_would(
    db: sqlite_utils.Database,
) -> None:
    channel = add_channel(db, "C1")
    for i in range(5):
        add_story(db, f"old{i}", ["A", "B"], now=T0 + timedelta(minutes=i))
        _sent(db, f"old{i}", channel.id, T0)
    add_story(db, "fresh", ["A"], now=LATER)
    before = {t: _count(db, t) for t in ("stories", "articles", "deliveries")}

    dry = _prune(db, dry_run=True)

    assert {t: _count(db, t) for t in before} == before
    assert tombstones.count(db) == 0
    assert (dry.stories, dry.articles, dry.deliveries) == (5, 10, 5)
    assert _prune(db) == dry


def test_batches_commit_one_by_one(
    db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retention, "STORY_BATCH", 2)
    for i in range(5):
        add_story(db, f"old{i}", ["A"], now=T0 + timedelta(minutes=i))
    seen: list[int] = []
    steps = retention.prune_batches(db, now=LATER, older_than=KEEP, window=WINDOW)
    for _counts, examined in steps:
        assert not db.conn.in_transaction  # the write lock is let go between batches
        seen.append(examined)
    assert seen == [2, 2, 1]
    assert _story_ids(db) == set()


@pytest.mark.parametrize(
    ("batch_takes", "sizes"),
    [
        (0.5, [20, 5, 5, 5, 5, 5, 5, 5, 5]),  # slow: down to the fewest a batch takes
        (0.001, [20, 40]),  # quick: at most twice the last, up to STORY_BATCH
        (0.125, [20, 20, 20]),  # on budget: kept
    ],
)
def test_a_budget_sizes_each_batch_by_how_long_the_last_held_the_lock(
    db: sqlite_utils.Database,
    monkeypatch: pytest.MonkeyPatch,
    batch_takes: float,
    sizes: list[int],
) -> None:
    for i in range(60):
        add_story(db, f"old{i:02}", ["A"], now=T0 + timedelta(minutes=i))
    ticks = iter(range(10_000))
    # Read twice a batch, at its start and end: each batch "takes" `batch_takes`.
    monkeypatch.setattr(retention, "monotonic", lambda: next(ticks) * batch_takes)
    seen = [
        examined
        for _counts, examined in retention.prune_batches(
            db, now=LATER, older_than=KEEP, window=WINDOW, budget=0.125
        )
    ]
    assert seen == sizes
    assert _story_ids(db) == set()


def test_a_cutoff_inside_the_clustering_window_is_refused(db: sqlite_utils.Database) -> None:
    add_story(db, "s", ["A"], now=LATER - timedelta(days=2))
    with pytest.raises(ValueError, match="clustering window"):
        retention.prune(db, now=LATER, older_than=timedelta(days=2), window=timedelta(days=3))
    assert _story_ids(db) == {"s"}


def test_tombstones_expire_a_year_after_a_feed_last_served_them(
    db: sqlite_utils.Database,
) -> None:
    from bot.store import articles as article_store

    entry = {"source": "A", "guid": "g1", "title": "Old", "seen_at": T0}
    article_store.insert_new(db, [entry, {**entry, "guid": "g2", "title": "Older"}])
    _prune(db)
    assert tombstones.count(db) == 2
    # g1 is served again half a year on, which keeps its tombstone; g2 is not.
    half_year = LATER + timedelta(days=180)
    assert article_store.insert_new(db, [{**entry, "seen_at": half_year}]) == []
    after_a_year = LATER + timedelta(days=366)
    counts = retention.prune(db, now=after_a_year, older_than=KEEP, window=WINDOW)
    assert counts.tombstones_expired == 1
    assert article_store.insert_new(db, [{**entry, "seen_at": after_a_year}]) == []


def test_the_migration_applies_to_an_older_database(tmp_path: Path) -> None:
    path = tmp_path / "nd.db"
    db = open_database(path)
    add_story(db, "old", ["A", "B"], now=T0)
    # As migration 9 left it.
    db.executescript(
        "DROP TABLE pruned_entries; DROP INDEX deliveries_story;"
        " DELETE FROM schema_migrations WHERE version >= 10;"
    )
    db.close()

    upgraded = open_database(path)

    assert 10 in applied_migrations(upgraded)
    assert "pruned_entries" in upgraded.table_names()
    assert _story_ids(upgraded) == {"old"}  # nothing lost on the way
    assert _prune(upgraded).articles == 2
    assert tombstones.count(upgraded) == 2


def _rss(*items: tuple[str, str, str]) -> bytes:
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><link>{link}</link>"
        f"<description>{title}, in full.</description></item>"
        for guid, title, link in items
    )
    return f'<rss version="2.0"><channel><title>Desk</title>{body}</channel></rss>'.encode()


async def test_a_feed_still_serving_a_pruned_entry_does_not_bring_it_back(
    server: FeedServer, tmp_path: Path
) -> None:
    old = ("old-1", "Harbour bridge reopens after repairs", "https://news.example/bridge")
    server.route("/desk", Reply(body=_rss(old)))
    config = Config(
        database=str(tmp_path / "nd.db"),
        polling=PollingConfig(allow_private_networks=True, timeout=5.0),
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    try:
        feed_store.add_feed(core.db, server.url("/desk"))
        first = await core.poll(feeds=feed_store.list_feeds(core.db), now=T0)
        assert len(first.poll.new_articles) == 1 and len(first.touched_stories) == 1

        assert _prune(core.db).stories == 1

        # Months later the feed still serves the old item, an aggregator republishes it under
        # its own GUID, and one entry is really new.
        new = ("new-1", "Council approves tram extension", "https://news.example/tram")
        server.route("/desk", Reply(body=_rss(old, new)))
        copy = ("agg-77", "Harbour bridge reopens", "https://news.example/bridge?utm_source=x")
        server.route("/aggregator", Reply(body=_rss(copy)))
        feed_store.add_feed(core.db, server.url("/aggregator"))
        again = await core.poll(feeds=feed_store.list_feeds(core.db), now=LATER)

        assert [a.title for a in again.poll.new_articles] == [new[1]]
        assert len(again.touched_stories) == 1  # only the tram story: nothing re-clustered
        headlines = {r[0] for r in core.db.execute("SELECT headline FROM stories")}
        assert headlines == {new[1]}
    finally:
        core.close()


def test_a_shared_index_url_does_not_tombstone_the_feeds_next_items(
    db: sqlite_utils.Database,
) -> None:
    """A status page links every incident to one index page: the URL alone is no proof, as in
    the live check, so a new incident after a prune is still new; the same title is."""
    from bot.store import articles as article_store

    feed = feed_store.add_feed(db, "https://status.example/feed")
    entry = {
        "feed_id": feed.id,
        "source": "Status",
        "canonical_url": "https://status.example/incidents",
        "seen_at": T0,
    }
    article_store.insert_new(db, [{**entry, "guid": "i1", "title": "API errors"}])
    _prune(db)
    later = [
        {**entry, "guid": "i2", "title": "Login outage", "seen_at": LATER},
        {**entry, "guid": "i1-reissued", "title": "API errors", "seen_at": LATER},
    ]
    assert [a.title for a in article_store.insert_new(db, later)] == ["Login outage"]


def test_a_removed_feeds_tombstones_stay_so_re_adding_it_brings_nothing_back(
    db: sqlite_utils.Database,
) -> None:
    from bot.store import articles as article_store

    feed = feed_store.add_feed(db, "https://desk.example/feed")
    entry = {
        "feed_id": feed.id,
        "source": "Desk",
        "guid": "g",
        "title": "Harbour bridge reopens",
        "canonical_url": "https://desk.example/a/1",
        "seen_at": T0,
    }
    article_store.insert_new(db, [entry])
    _prune(db)
    feed_store.remove_feed(db, feed.id)
    assert tombstones.count(db) == 1
    assert db.execute("SELECT feed_id FROM pruned_entries").fetchone()[0] is None

    # Re-added (under a new id: a removed feed's id is never given again) and under a new address.
    again = feed_store.add_feed(db, "https://desk.example/feed")
    assert again.id != feed.id
    other = feed_store.add_feed(db, "https://desk.example/other")
    later = [{**entry, "feed_id": f.id, "seen_at": LATER} for f in (again, other)]
    assert article_store.insert_new(db, later) == []


async def test_a_feed_moved_to_a_new_address_does_not_bring_its_pruned_items_back(
    server: FeedServer, tmp_path: Path
) -> None:
    old = ("old-1", "Harbour bridge reopens after repairs", "https://news.example/bridge")
    server.route("/http/desk", Reply(body=_rss(old)))
    config = Config(
        database=str(tmp_path / "nd.db"),
        polling=PollingConfig(allow_private_networks=True, timeout=5.0),
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    try:
        first = feed_store.add_feed(core.db, server.url("/http/desk"))
        assert len((await core.poll(feeds=[first], now=T0)).poll.new_articles) == 1
        assert _prune(core.db).stories == 1

        # The config now names the feed's new address: sync adds it and removes the old row.
        server.route("/https/desk", Reply(body=_rss(old)))
        moved = feed_store.add_feed(core.db, server.url("/https/desk"))
        feed_store.remove_feed(core.db, first.id)
        again = await core.poll(feeds=[moved], now=LATER)

        assert again.poll.new_articles == [] and not again.touched_stories
    finally:
        core.close()


def test_migration_11_keeps_the_tombstones_and_lets_them_outlive_their_feed(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nd.db"
    db = open_database(path)
    feed = feed_store.add_feed(db, "https://desk.example/feed")
    # As migration 10 left it: tombstones deleted with their feed.
    db.executescript(
        """
        DROP TABLE pruned_entries;
        CREATE TABLE pruned_entries (
            entry_key TEXT PRIMARY KEY,
            feed_id INTEGER REFERENCES feeds(id) ON DELETE CASCADE,
            url_key TEXT, title_hash TEXT, last_seen TEXT NOT NULL
        ) WITHOUT ROWID;
        DELETE FROM schema_migrations WHERE version >= 11;
        PRAGMA foreign_keys = OFF;
        """
    )
    db.execute(
        "INSERT INTO pruned_entries VALUES ('k1', ?, 'u1', 't1', '2030-01-01T09:00:00+00:00'),"
        " ('k2', 999, 'u2', 't2', '2030-01-01T09:00:00+00:00')",  # a feed deleted long ago
        [feed.id],
    )
    db.close()

    upgraded = open_database(path)

    assert 11 in applied_migrations(upgraded)
    rows = upgraded.execute("SELECT entry_key, feed_id FROM pruned_entries ORDER BY 1").fetchall()
    assert [tuple(r) for r in rows] == [("k1", feed.id), ("k2", None)]
    feed_store.remove_feed(upgraded, feed.id)
    assert tombstones.count(upgraded) == 2
    assert upgraded.execute("PRAGMA foreign_key_check").fetchall() == []


def test_an_article_whose_feed_row_is_gone_is_still_pruned_and_tombstoned(tmp_path: Path) -> None:
    import sqlite3

    from bot.store import articles as article_store

    path = tmp_path / "nd.db"
    db = open_database(path)
    feed = feed_store.add_feed(db, "https://desk.example/feed")
    entry = {
        "feed_id": feed.id,
        "source": "Desk",
        "guid": "g1",
        "title": "Old loose item",
        "canonical_url": "https://desk.example/a/1",
        "seen_at": T0,
    }
    article_store.insert_new(db, [entry])
    add_story(db, "old", ["A", "B"], now=T0)
    # Removed with the sqlite3 shell, where foreign keys are off: the article keeps a dangling id.
    shell = sqlite3.connect(path)
    shell.execute("DELETE FROM feeds WHERE id = ?", [feed.id])
    shell.commit()
    shell.close()

    counts = _prune(db)

    assert (counts.stories, counts.articles) == (1, 3)
    assert _count(db, "articles") == 0
    assert (
        db.execute("SELECT COUNT(*) FROM pruned_entries WHERE feed_id IS NULL").fetchone()[0] == 3
    )
    # The next prune has nothing left to trip over, and the entry is still recognised.
    assert _prune(db).articles == 0
    other = feed_store.add_feed(db, "https://mirror.example/feed")
    assert article_store.insert_new(db, [{**entry, "feed_id": other.id, "seen_at": LATER}]) == []
