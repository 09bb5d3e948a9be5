"""Entries stored under the GUID an older version gave them (`ParsedEntry.old_guid`).

Before control characters were dropped from a feed, they changed some entries' GUIDs. An entry
with no id and no link of its own is known by a digest of its title and text, and one control
character garbled the text of the entries after it; and a terminal code in a GUID or link lost
only its ESC ("notice-[31m42", now "notice-42"). The parser works out that old GUID for a
document that has them, and these look an entry up by it, so that the upgrade posts no stored
entry again. The title and URL checks of `bot.store.duplicates` miss the ones that matter: no link
of its own (or one that held the code too), undated and first seen days before, or a title that
held a colour code.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from bot.store import tombstones


def stored_article(
    db: sqlite_utils.Database, row: dict[str, Any], old_key: str | None
) -> tuple[str, str, str, str | None] | None:
    """The stored article (id, title, text, story_id) that this entry was stored as under its
    old GUID (its id `old_key`), else None. That article takes the entry's GUID now,
    keeping its id (stories, weights and cards know it by that), so it is found by feed and
    GUID from then on: also once the feed drops its control characters and no old GUID is
    worked out any more."""
    feed_id = row.get("feed_id")
    if feed_id is None:
        return None
    query = "SELECT id, title, text, story_id FROM articles"
    if old_key is not None:
        # Only while it still has the old GUID: once it took an entry's new one it is that
        # entry's, and no other entry whose old GUID it was takes it over.
        stored = db.execute(
            f"{query} WHERE id = ? AND guid = ?", [old_key, row["old_guid"]]
        ).fetchone()
        if stored is not None:
            # OR IGNORE: of two entries of a document with one GUID, the first keeps it.
            db.execute(
                "UPDATE OR IGNORE articles SET guid = ? WHERE id = ?", [row["guid"], old_key]
            )
            return tuple(stored)
    found = db.execute(f"{query} WHERE feed_id = ? AND guid = ?", [feed_id, row["guid"]]).fetchone()
    return tuple(found) if found else None


def pruned(db: sqlite_utils.Database, row: dict[str, Any], old_key: str | None) -> bool:
    """Whether retention deleted this entry's article stored under its old GUID (`old_key`)."""
    if old_key is None:
        return False
    return tombstones.matches(
        db,
        entry_key=old_key,
        feed_id=row.get("feed_id"),
        canonical_urls=[],
        title_key="",
        now=row["seen_at"],
    )
