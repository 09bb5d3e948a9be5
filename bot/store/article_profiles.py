"""What each clustered article's text yielded the clusterer (`bot.cluster.kept_raw`), kept while
its story is open, so a restart weighs that rather than reading the text again
(`bot.pipeline.warm_up`).

Written with the article's filing (`articles.set_story`), read with the open stories' members
(`articles.clustered`). Only a story the clusterer holds open is ever read back, so a commit
forgets the profiles of the stories it closed (`forget_closed`): the table holds about the
window's articles, some 1,700 bytes each (5 MB for a 48-hour window of 3,000), not the history's.
Gone with its article too (a prune, a removed feed's articles): the key cascades.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import sqlite_utils


def m045_article_profiles(db: sqlite_utils.Database) -> None:
    # A table of its own, not a column of `article_weights`: that one is WITHOUT ROWID, whose
    # B-tree wants rows far smaller than these.
    db.execute(
        "CREATE TABLE IF NOT EXISTS article_profiles ("
        "article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,"
        " profile BLOB NOT NULL)"
    )


def keep(db: sqlite_utils.Database, article_id: str, profile: bytes) -> None:
    db.execute(
        "INSERT OR REPLACE INTO article_profiles (article_id, profile) VALUES (?, ?)",
        [article_id, profile],
    )


def forget(db: sqlite_utils.Database, article_ids: Iterable[str]) -> None:
    """Forget these articles' profiles (ones a restart could not read: `StoryClusterer.install`)."""
    db.conn.executemany(
        "DELETE FROM article_profiles WHERE article_id = ?", [(a,) for a in article_ids]
    )


def forget_closed(db: sqlite_utils.Database, story_ids: Iterable[str]) -> None:
    """Forget the profiles of the articles of stories the clusterer closed: never read again."""
    db.conn.executemany(
        "DELETE FROM article_profiles WHERE article_id IN"
        " (SELECT id FROM articles WHERE story_id = ?)",
        [(s,) for s in story_ids],
    )


def forget_all_but(db: sqlite_utils.Database, article_ids: Iterable[str]) -> None:
    """Keep only the profiles of `article_ids` (the open stories' members): for a save that
    rewrites the open stories whole, which names none it closed."""
    db.execute(
        "DELETE FROM article_profiles WHERE article_id NOT IN (SELECT value FROM json_each(?))",
        [json.dumps(list(article_ids))],
    )
