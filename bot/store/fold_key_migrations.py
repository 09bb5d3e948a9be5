"""Migrations 5 and 7: the case- and accent-folded keys stored beside slugs and titles, added
and then refolded when `fold` learned more letters. `/story` and the duplicate check compare
these keys, so a stored key must equal what the code computes today.
"""

from __future__ import annotations

import sqlite_utils

from bot.store.schema_v2 import add_column as _add_column
from bot.topics.lookup import slugify


def m005_folded_slugs(db: sqlite_utils.Database) -> None:
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


def m007_refold_keys(db: sqlite_utils.Database) -> None:
    # `fold` learned letters with strokes ("Łódź" -> "lodz") and stopped dropping the kana
    # voicing marks: keys stored before no longer equal what the code computes, so a new slug
    # could fold onto an old one unseen, and a repeated title escape the duplicate check.
    # Only rows whose key changes are written; titles are short, so one pass over them is cheap.
    from bot.store.duplicates import title_key  # that module imports this one

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
