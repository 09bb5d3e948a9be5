"""The `service_state` table: what the bot keeps across restarts that belongs to no other table,
one JSON value per key (the last prune's time and counts, `LAST_PRUNE`; the clusterer's state as of
the last commit, but for its IDF counts, `bot.store.clusterer_state.KEY`)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlite_utils

from bot.store.database import iso

LAST_PRUNE = "last_prune"


def load(db: sqlite_utils.Database, key: str) -> Any:
    """The value stored under `key`, or None."""
    row = db.execute("SELECT value FROM service_state WHERE key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else None


def save(db: sqlite_utils.Database, key: str, value: Any, *, now: datetime) -> None:
    db.execute(
        "INSERT INTO service_state (key, value, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        [key, json.dumps(value), iso(now)],
    )
