"""The long-running service's bookkeeping tables, as migration 2 added them (kept apart from
bot.store.migrations, whose other steps are short, so the list stays readable)."""

from __future__ import annotations

import sqlite_utils


def add_column(db: sqlite_utils.Database, table: str, column: str, decl: str) -> None:
    """Add a column unless it is there: a migration may run again on a file whose record was lost."""
    if column not in {c.name for c in db[table].columns}:
        db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")


def create_runner_tables(db: sqlite_utils.Database) -> None:
    """Bookkeeping for the long-running service: what each post showed (so an update can name the
    outlets that joined since), the last digest run per channel (so a digest missed while the bot
    was down is sent once), a per-feed alert marker, and a small outbox for plain notices.
    Idempotent, so a database whose migration record was lost still upgrades."""
    add_column(db, "deliveries", "outlets", "TEXT")
    add_column(db, "feeds", "alert_sent_at", "TEXT")
    db.executescript(
        """
        CREATE INDEX IF NOT EXISTS deliveries_channel_story ON deliveries(channel_pk, story_id);
        CREATE TABLE IF NOT EXISTS digest_runs (
            channel_pk INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
            scheduled_for TEXT NOT NULL,
            ran_at TEXT NOT NULL,
            stories INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE IF NOT EXISTS alerts (
            id INTEGER PRIMARY KEY,
            channel_pk INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            text TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            UNIQUE (channel_pk, key),
            CHECK (state IN ('pending', 'sending', 'sent', 'failed'))
        );
        CREATE INDEX IF NOT EXISTS alerts_state ON alerts(state);
        """
    )
