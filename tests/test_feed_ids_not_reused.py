"""A removed feed's id is never given to a feed added later. Entries are keyed by their feed's id
and GUID (articles, retention's tombstones), and people keep the ids `feeds list` showed them: a
reused id made the new feed's entries the old feed's (dropped as known or pruned, or taken for a
correction of an old article), and a stale `/feeds remove 7` removed the wrong feed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer
from bot.pipeline.poll import poll_feeds
from bot.store import articles as article_store
from bot.store import database
from bot.store import feeds as feed_store
from bot.store.database import applied_migrations, open_database
from bot.store.migrations import MIGRATIONS

POLLING = PollingConfig(allow_private_networks=True, timeout=5.0)
T0 = datetime(2030, 1, 1, tzinfo=UTC)


def _feed(title: str, headline: str) -> bytes:
    # Numeric GUIDs, as many CMSs give them: two sites' numbering overlaps.
    return f"""<rss version="2.0"><channel><title>{title}</title>
<item><guid isPermaLink="false">101</guid><title>{headline}</title>
  <description>{headline}, in a few words of our own.</description></item>
</channel></rss>""".encode()


def test_a_removed_feeds_id_is_not_given_to_the_next_feed(db: sqlite_utils.Database) -> None:
    feed_store.add_feed(db, "https://a.example/feed")
    old = feed_store.add_feed(db, "https://b.example/feed")
    feed_store.remove_feed(db, str(old.id))
    new = feed_store.add_feed(db, "https://c.example/feed")
    assert new.id != old.id
    # A stale "remove <old id>" names no feed now, rather than the new one.
    assert feed_store.remove_feed(db, str(old.id)) is None
    assert feed_store.get_feed(db, new.id) is not None


async def test_a_new_feed_does_not_inherit_a_removed_feeds_entries(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    server.route("/old", _feed("Old Gazette", "Harbor bridge closes for repairs"))
    server.route("/new", _feed("New Courier", "Library extends its opening hours"))
    old = feed_store.add_feed(db, server.url("/old"))
    assert len((await poll_feeds(db, POLLING, now=T0)).new_articles) == 1
    feed_store.remove_feed(db, str(old.id))
    feed_store.add_feed(db, server.url("/new"))
    report = await poll_feeds(db, POLLING, now=T0 + timedelta(hours=1))
    assert [a.title for a in report.new_articles] == ["Library extends its opening hours"]
    # The old feed's article is left as it was, not "corrected" into the new one.
    titles = sorted(r[0] for r in db.execute("SELECT title FROM articles"))
    assert titles == ["Harbor bridge closes for repairs", "Library extends its opening hours"]
    assert article_store.count(db) == 2


def test_an_old_database_keeps_its_feeds_and_stops_reusing_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "nd.db"
    with monkeypatch.context() as patch:
        patch.setattr(database, "MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 19])
        old = open_database(path)
    for name in ("a", "b", "c"):
        feed_store.add_feed(old, f"https://{name}.example/feed", name=name.upper(), folder="News")
    feed_store.update_feed(old, 2, etag='"v7"', consecutive_failures=3)
    row = {"source": "B", "guid": "101", "url": None, "canonical_url": None, "text": "Words."}
    row |= {"author": None, "published": T0, "seen_at": T0}
    article_store.insert_new(old, [row | {"feed_id": 2, "title": "Bridge closes"}])
    old.execute(
        "INSERT INTO pruned_entries (entry_key, feed_id, last_seen) VALUES ('k', 2, '2030-01-01')"
    )
    feed_store.remove_feed(old, "3")  # the newest: its id is the one the old table gave again
    before = [tuple(r) for r in old.execute("SELECT * FROM feeds ORDER BY id")]
    # Later migrations may add columns: the rows are compared on the ones they had.
    columns = ", ".join(f'"{c.name}"' for c in old["feeds"].columns)
    assert 20 not in applied_migrations(old)
    old.conn.close()

    db = open_database(path)

    assert 20 in applied_migrations(db)
    assert [tuple(r) for r in db.execute(f"SELECT {columns} FROM feeds ORDER BY id")] == before
    # What refers to the feeds still does, and the foreign keys still act.
    assert db.execute("SELECT feed_id FROM articles").fetchall() == [(2,)]
    assert db.execute("SELECT feed_id FROM pruned_entries").fetchall() == [(2,)]
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    # Feed 3, removed before the upgrade, left no trace to keep its id from the next feed; from
    # here on, no id is given twice.
    assert feed_store.add_feed(db, "https://d.example/feed").id == 3
    feed_store.remove_feed(db, "3")
    assert feed_store.add_feed(db, "https://e.example/feed").id == 4
    feed_store.remove_feed(db, "2")
    assert db.execute("SELECT feed_id FROM articles").fetchall() == [(None,)]
    assert db.execute("SELECT feed_id FROM pruned_entries").fetchall() == [(None,)]
    db.conn.close()
    # Opened again, nothing more to do.
    assert database.migrate(open_database(path)) == []


def test_a_migration_that_fails_leaves_foreign_keys_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(db: sqlite_utils.Database) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    path = tmp_path / "nd.db"
    with monkeypatch.context() as patch:
        patch.setattr(database, "MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 19])
        open_database(path).conn.close()
    conn = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
    conn.execute("PRAGMA foreign_keys = ON")
    kept = [m for m in MIGRATIONS if m[0] <= 19]
    monkeypatch.setattr(database, "MIGRATIONS", [*kept, (20, "broken", broken)])
    with pytest.raises(sqlite3.OperationalError):
        database.migrate(conn)
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert 20 not in applied_migrations(conn)


def test_the_rebuild_refuses_to_run_with_foreign_keys_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Inside a transaction already open, `PRAGMA foreign_keys = OFF` does nothing: dropping the
    # old feeds table would then set every article's feed id to NULL. It must stop instead.
    path = tmp_path / "nd.db"
    with monkeypatch.context() as patch:
        patch.setattr(database, "MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 19])
        old = open_database(path)
    feed_store.add_feed(old, "https://a.example/feed")
    row = {"source": "A", "guid": "101", "url": None, "canonical_url": None, "text": "Words."}
    row |= {"author": None, "published": T0, "seen_at": T0, "feed_id": 1, "title": "Bridge"}
    article_store.insert_new(old, [row])
    old.conn.close()
    conn = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN")
    with pytest.raises(RuntimeError, match="foreign keys"):
        database.migrate(conn)
    conn.execute("ROLLBACK")
    assert conn.execute("SELECT feed_id FROM articles").fetchall() == [(1,)]
    assert 20 not in applied_migrations(conn)
