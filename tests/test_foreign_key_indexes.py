"""Every foreign key's child columns lead an index (migration 42): deleting a story, a feed, a
channel or a topic looks up the rows pointing at it, and without one SQLite reads the whole child
table for each (on a six-month database, 590 ms to delete a prune batch's 200 stories, 33 ms with
them)."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from _plans import plan_of

from bot.store.database import open_database
from bot.store.migrations import MIGRATIONS


def _indexed_prefixes(db: sqlite_utils.Database, table: str) -> list[set[str]]:
    """Each full (not partial) index's leading columns, every length of them, and an INTEGER
    PRIMARY KEY, which is the table's rowid."""
    info = db.execute(f"PRAGMA table_info('{table}')").fetchall()
    keys = [r for r in info if r[5]]
    found = [{keys[0][1]}] if len(keys) == 1 and keys[0][2].upper() == "INTEGER" else []
    for index in db.execute(f"PRAGMA index_list('{table}')").fetchall():
        if index[4]:  # partial: no lookup without its WHERE may use it
            continue
        columns = [r[2] for r in db.execute(f"PRAGMA index_info('{index[1]}')")]
        found += [set(columns[:n]) for n in range(1, len(columns) + 1)]
    return found


def test_every_foreign_key_has_an_index_on_its_child_columns(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    missing = []
    for table in tables:
        keys: dict[int, list[str]] = {}
        for key in db.execute(f"PRAGMA foreign_key_list('{table}')").fetchall():
            keys.setdefault(key[0], []).append(key[3])
        prefixes = _indexed_prefixes(db, table)
        missing += [f"{table}({', '.join(c)})" for c in keys.values() if set(c) not in prefixes]
    assert missing == []


def test_deleting_a_story_looks_its_listings_up_by_story(db: sqlite_utils.Database) -> None:
    # What SQLite runs for the cascade: the child rows of the story being deleted.
    for child in ("listed_stories", "counted_stories"):
        plan = plan_of(db, f"SELECT rowid FROM {child} WHERE story_id = ?", ["s1"])
        assert plan == [f"SEARCH {child} USING COVERING INDEX {child}_story (story_id=?)"]
    plan = plan_of(db, "SELECT rowid FROM articles WHERE feed_id = ?", [1])
    assert plan == ["SEARCH articles USING COVERING INDEX articles_feed_seen (feed_id=?)"]


def test_an_older_database_gets_the_indexes_once(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    for name in ("listed_stories_story", "counted_stories_story", "articles_feed_seen"):
        db.execute(f"DROP INDEX {name}")
    db.execute("DELETE FROM schema_migrations WHERE version = 42")
    db.conn.close()
    db = open_database(tmp_path / "nd.db")
    again = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert again == names
    assert (
        db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] == MIGRATIONS[-1][0]
    )
