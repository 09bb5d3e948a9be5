"""`durable`: a transaction whose COMMIT is fsynced even in WAL mode, for the outbox's state
changes around a chat API call (deliveries and alerts)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils

from bot.store.database import transaction


@contextmanager
def durable(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A transaction whose COMMIT is fsynced even in WAL mode: the outbox must never forget that a
    send started. The pragma cannot change inside a transaction, so this must be the outermost."""
    db.execute("PRAGMA synchronous = FULL")
    try:
        with transaction(db):
            yield db
    finally:
        db.execute("PRAGMA synchronous = NORMAL")
