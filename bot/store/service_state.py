"""The `service_state` table: what the bot keeps across restarts that belongs to no other table,
one JSON value per key (the last prune's time and counts, `LAST_PRUNE`; the clusterer's state as of
the last commit, but for its IDF counts, `bot.store.clusterer_state.KEY`; the chat platforms the
running `newsdigest run` started, and why any other did not, `PLATFORMS`)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlite_utils

from bot.store.channels import ChannelRow
from bot.store.database import iso

LAST_PRUNE = "last_prune"

# Written by `run` at its start and whenever a platform starts, stops or fails
# (`bot.runner.platform_state`): {"pid": the run's, "platforms": {name: {"running": bool,
# "problem": str | None, "webhooks_only": bool}}}. Read by `channels list` and `status` while that
# run holds the database's lock: the config file says a channel posts, only the running process
# knows whether its platform started (a token unset in the service's environment, say).
PLATFORMS = "platforms"

# How a problem the running service fixes by itself ends in that record: a start retried after a
# network failure, a connection dropped mid-run being restarted. `channels list` advises no
# restart for them, which would only begin the same retries again.
RETRYING = "; retrying in the background"
RESTARTING = "; restarting"


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


def record_prune(db: sqlite_utils.Database, counts: dict[str, int], *, now: datetime) -> None:
    """The last prune, the bot's daily one or `newsdigest prune`'s: when, and what it deleted."""
    save(db, LAST_PRUNE, {"at": iso(now), "counts": counts}, now=now)


def running_platforms(db: sqlite_utils.Database, pid: int | None) -> dict[str, Any] | None:
    """The platforms record of the `run` whose pid is `pid` (the lock's holder), or None: no
    record, an older schema, or one left by an earlier run (killed before it could say otherwise),
    which says nothing of the one running now."""
    if pid is None:
        return None
    try:
        record = load(db, PLATFORMS)
    except Exception:  # no service_state table yet (an older file), or unreadable JSON
        return None
    if not isinstance(record, dict) or record.get("pid") != pid:
        return None
    platforms = record.get("platforms")
    return platforms if isinstance(platforms, dict) else None


def not_posting(channel: ChannelRow, platforms: dict[str, Any] | None) -> str | None:
    """Why nothing reaches an unpaused channel this run ("slack not running: SLACK_BOT_TOKEN is not
    set", "slack: authentication failed, ..."), by the running service's `platforms` record; None
    when it posts, when it is paused (which says why itself), or with no record to go by."""
    if platforms is None or channel.paused_reason or channel.platform == "console":
        return None
    state = platforms.get(channel.platform)
    if not isinstance(state, dict):
        return f"{channel.platform} not running: `newsdigest run` did not start it"
    problem = state.get("problem")
    if not state.get("running"):
        return f"{channel.platform} not running: {problem or 'not started'}"
    if state.get("webhooks_only"):
        # Discord started for its webhook channels alone: the others need the bot.
        return None if channel.webhook_url else f"{channel.platform} bot not running: {problem}"
    # Running, but its token refused mid-run (its posts wait in the outbox), say.
    return f"{channel.platform}: {problem}" if problem else None
