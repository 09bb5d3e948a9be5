"""Feed ids that are never given twice: the rebuild that adds AUTOINCREMENT to `feeds`.

A plain INTEGER PRIMARY KEY gives a new row the highest id + 1, so removing the newest feed and
adding another gave the new feed the removed one's id. Entries are keyed by feed id and GUID
(articles, tombstones): the new feed's entries with the old one's GUIDs were taken for its known,
pruned or corrected articles; and a `feeds remove 7` typed from an old listing removed the new
feed. SQLite cannot add AUTOINCREMENT in place, so migration 20 rebuilds the table here.
"""

from __future__ import annotations

import re

import sqlite_utils


def give_feeds_autoincrement(db: sqlite_utils.Database) -> None:
    """Rebuild `feeds` with AUTOINCREMENT ids (migration 20); a no-op when it has them."""
    # Rebuilt from its own CREATE statement (which carries every column added since), with
    # foreign keys off (migrations.FOREIGN_KEYS_OFF) so dropping the old table leaves the
    # articles' and tombstones' feed ids alone. Copying the ids sets the sequence to the highest
    # kept one; an id removed before this step and above it may be given once more.
    row = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'feeds'"
    ).fetchone()
    if "AUTOINCREMENT" in row[0].upper():
        return
    create, found = re.subn(
        r"\bid\s+INTEGER\s+PRIMARY\s+KEY\b",
        "id INTEGER PRIMARY KEY AUTOINCREMENT",
        row[0],
        count=1,
        flags=re.IGNORECASE,
    )
    create, named = re.subn(
        r"^CREATE\s+TABLE\s+(?:\"feeds\"|\[feeds\]|`feeds`|feeds)",
        "CREATE TABLE feeds_new",
        create,
        flags=re.IGNORECASE,
    )
    if not (found and named):
        raise RuntimeError(f"migration 20: unexpected feeds table: {row[0]}")
    if db.execute("PRAGMA foreign_keys").fetchone()[0]:
        # `migrate` run inside a transaction already open: its pragma did nothing, and the drop
        # below would empty every article's and tombstone's feed id. Better not to upgrade.
        raise RuntimeError(
            "migration 20: foreign keys are on; run migrations outside a transaction"
        )
    indexes = [
        r[0]
        for r in db.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'feeds' AND sql IS NOT NULL"
            " AND type IN ('index', 'trigger')"
        )
    ]
    columns = ", ".join(f'"{c.name}"' for c in db["feeds"].columns)
    count = db.execute("SELECT COUNT(*) FROM feeds").fetchone()[0]
    db.execute(create)
    db.execute(f"INSERT INTO feeds_new ({columns}) SELECT {columns} FROM feeds")
    db.execute("DROP TABLE feeds")
    db.execute("ALTER TABLE feeds_new RENAME TO feeds")
    for sql in indexes:
        db.execute(sql)
    if db.execute("SELECT COUNT(*) FROM feeds").fetchone()[0] != count:
        raise RuntimeError("migration 20: feeds lost in the copy")
