"""What `newsdigest status` reports, read from the database file and its lock, as one JSON-ready
dict whose keys are stable (scripts and monitors read `status --json`; `bot.cli.status` draws the
same dict as text).

Only reads: the file is opened as `backup` opens it (`open_to_copy`: neither migrated nor
written, whatever version wrote it), and `run`'s lock is probed without being taken
(`bot.store.lock.lock_holder`). A file an older version wrote is read section by section: what its
schema lacks is reported as unavailable, the rest as usual."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from bot.feed_status import feed_status
from bot.store import articles as article_store
from bot.store import channels as channel_store
from bot.store import delivery_counts, digest_headings, digest_runs, service_state
from bot.store import feeds as feed_store
from bot.store import stories as story_store
from bot.store.database import applied_migrations, iso, parse_iso
from bot.store.lock import LockHolder, lock_holder
from bot.store.migrations import MIGRATIONS
from bot.store.stories import StoryRow

# The failing and disabled feeds named one by one; the rest only counted.
WORST_FEEDS = 5
RECENT = timedelta(hours=24)
LATEST_SCHEMA = max(version for version, _, _ in MIGRATIONS)


def upgrade_hint(holder: LockHolder) -> str:
    """How to upgrade a file an older version wrote. A `run` holding it is that older version
    (this one would have upgraded it): every command refuses to migrate under it, so it goes
    first."""
    anything = "then any command but `backup` upgrades it, as `run` does"
    if holder.held:
        pid = f" (pid {holder.pid})" if holder.pid else ""
        return f"an older newsdigest run{pid} holds it: stop it, {anything}"
    return "any command but `backup` upgrades it (`newsdigest stories`, or `run` at its start)"


def read_status(
    db: sqlite_utils.Database, path: str, *, now: datetime, story_window: timedelta
) -> dict[str, Any]:
    """Everything `status` shows. A section the schema cannot answer (an older version's file)
    is `{"unavailable": "<why>"}`."""
    schema = max(applied_migrations(db), default=0)
    holder = lock_holder(path)
    # What the `run` holding the lock started (`bot.runner.platform_state`); None without one.
    platforms = service_state.running_platforms(db, holder.pid) if holder.held else None
    sections: dict[str, Callable[[], Any]] = {
        "feeds": lambda: _feeds(db),
        "stories": lambda: _stories(db, now, story_window),
        "channels": lambda: _channels(db, now, platforms),
    }
    report: dict[str, Any] = {"database": _database(db, path, schema, holder)}
    for name, read in sections.items():
        try:
            report[name] = read()
        except sqlite3.OperationalError as exc:
            # Mostly a table or column a later migration adds, which the database line's hint
            # covers; else the file's own trouble (locked, unreadable), said as it is.
            why = f"needs schema {LATEST_SCHEMA} (the file's is {schema})"
            report[name] = {"unavailable": why if schema < LATEST_SCHEMA else str(exc)}
            report[name]["error"] = str(exc)
    report["service"] = _service(db, holder, platforms)
    return report


def _database(
    db: sqlite_utils.Database, path: str, schema: int, holder: LockHolder
) -> dict[str, Any]:
    last_prune: dict[str, Any] | None = None
    with contextlib.suppress(sqlite3.OperationalError):  # no service_state table yet
        last_prune = service_state.load(db, service_state.LAST_PRUNE)
    return {
        "path": os.path.abspath(path),
        "size_bytes": _size(path),
        "wal_bytes": _size(f"{path}-wal"),
        "schema": schema,
        "latest_schema": LATEST_SCHEMA,
        # An older file: this version reads what it can, and says how to upgrade it.
        "upgrade_needed": schema < LATEST_SCHEMA,
        "upgrade_hint": upgrade_hint(holder) if schema < LATEST_SCHEMA else None,
        "last_prune": last_prune.get("at") if last_prune else None,
        "last_pruned": last_prune.get("counts") if last_prune else None,
    }


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _feeds(db: sqlite_utils.Database) -> dict[str, Any]:
    feeds = feed_store.list_feeds(db)
    # The one reading of a feed's state that `feeds list` and `/feeds list` show.
    states = {feed.id: feed_status(feed) for feed in feeds}
    failing = [f for f in feeds if states[f.id].alarm == "failing"]
    disabled = [f for f in feeds if states[f.id].alarm == "disabled"]
    # Parked with `feeds disable`: no alarm, but not "ok" either.
    parked = [f for f in feeds if feed_store.disabled_by_operator(f.disabled_reason)]
    never = [
        f
        for f in feeds
        if f.last_polled_at is None and states[f.id].alarm is None and f not in parked
    ]
    # The worst first: the longest run of failures, then the longest since a success.
    failing.sort(key=lambda f: (-f.consecutive_failures, iso(f.last_success_at) or "", f.id))
    last_poll = max((f.last_polled_at for f in feeds if f.last_polled_at), default=None)
    return {
        "total": len(feeds),
        "ok": len(feeds) - len(failing) - len(disabled) - len(never) - len(parked),
        "failing": len(failing),
        "disabled": len(disabled),
        "disabled_by_operator": len(parked),
        "not_polled_yet": len(never),
        # The last poll of any feed: when the last poll pass (the service's, a cron `poll`) ran.
        "last_poll": iso(last_poll),
        "worst_failing": [
            {
                "id": f.id,
                "name": f.display_name,
                "failures": f.consecutive_failures,
                "error": f.last_error,
                "last_success": iso(f.last_success_at),
                "next_try": iso(f.next_poll_at),
                # `feeds list`'s words for it, whole: "2 failures: HTTP 503 (last success ...)".
                "state": states[f.id].line(),
            }
            for f in failing[:WORST_FEEDS]
        ],
        "disabled_feeds": [
            {
                "id": f.id,
                "name": f.display_name,
                "reason": f.disabled_reason,
                "state": states[f.id].line(),
            }
            for f in disabled[:WORST_FEEDS]
        ],
    }


def _stories(db: sqlite_utils.Database, now: datetime, window: timedelta) -> dict[str, Any]:
    newest = _newest_story(db)
    live = db.execute("SELECT COUNT(*) FROM stories WHERE merged_into IS NULL").fetchone()[0]
    recent = db.execute(
        "SELECT COUNT(*) FROM stories WHERE merged_into IS NULL AND article_count > 0"
        " AND first_seen >= ?",
        [iso(now - RECENT)],
    ).fetchone()[0]
    return {
        "articles": article_store.count(db),
        "stories": live,
        # Still taking new articles: updated within the clustering window.
        "open": story_store.count_active(db, now - window),
        "last_24h": recent,
        "newest": (
            {"slug": newest.slug, "headline": newest.headline, "first_seen": iso(newest.first_seen)}
            if newest
            else None
        ),
    }


def _newest_story(db: sqlite_utils.Database) -> StoryRow | None:
    """The live story with the newest report, among those first seen in the last poll's day.

    `first_seen` alone ties: every story of an OPML import's first poll has the same one, and
    the newest was then whichever the batch stored last (a years-old blog post). A report's time
    is when it was published, never later than when the bot stored it (a feed's future dates
    do not win), or when it was stored if the feed gave none."""
    latest = story_store.newest_story(db)
    if latest is None:
        return None
    row = db.execute(
        "SELECT s.id FROM stories s JOIN articles a ON a.story_id = s.id"
        " WHERE s.merged_into IS NULL AND s.article_count > 0 AND s.first_seen >= ?"
        " GROUP BY s.id"
        " ORDER BY MAX(MIN(COALESCE(a.published, a.seen_at), a.seen_at)) DESC,"
        " s.first_seen DESC, s.rowid DESC LIMIT 1",
        [iso(latest.first_seen - RECENT)],
    ).fetchone()
    return story_store.get_story(db, row[0]) if row else latest


def _last_digest(db: sqlite_utils.Database, channel_pk: int) -> datetime | None:
    """When the channel's last digest ran, whatever it held. A heading is posted only for 2 or
    more cards, so headings alone said "never" for a channel whose digests had 0 or 1. A
    baseline (sign-up, first start, a switch to digest mode) is no digest: its `stories` say so
    (`digest_runs.BASELINE`): guessed from a run of no card recorded at its slot, it took a
    `/digest` that found nothing new for one. A heading still counts."""
    heading = digest_headings.last(db, channel_pk)
    ran: datetime | None = None
    row = db.execute(
        "SELECT ran_at FROM digest_runs WHERE channel_pk = ? AND stories != ?",
        [channel_pk, digest_runs.BASELINE],
    ).fetchone()
    if row:
        ran = parse_iso(row[0])
    found = [when for when in (ran, heading[1] if heading else None) if when is not None]
    return max(found, default=None)


def _channels(
    db: sqlite_utils.Database, now: datetime, platforms: dict[str, Any] | None
) -> list[dict[str, Any]]:
    pending = channel_store.pending_posts(db)
    failed: dict[int, int] | None = None
    # Read through migration 43's index: an older file's channels are listed without it.
    with contextlib.suppress(sqlite3.OperationalError):
        failed = delivery_counts.failed_posts_by_channel(db, now - RECENT)
    found = []
    for channel in channel_store.list_channels(db):
        found.append(
            {
                "channel": channel.key,
                "platform": channel.platform,
                "id": channel.channel_id,
                "name": channel.name,
                "mode": channel.mode,
                "schedule": channel.schedule,
                "timezone": channel.timezone,
                "paused": channel.paused_reason,
                # Unpaused, yet its platform not running in the `run` holding the lock: why.
                "not_posting": service_state.not_posting(channel, platforms),
                "last_digest": iso(_last_digest(db, channel.id)),
                "pending": pending.get(channel.id, 0),
                "failed_last_24h": None if failed is None else failed.get(channel.id, 0),
            }
        )
    return found


def _service(
    db: sqlite_utils.Database, holder: LockHolder, platforms: dict[str, Any] | None
) -> dict[str, Any]:
    probe = None
    try:
        # `/healthz` commits this row at each request (`bot.runner.status.write_problem`): the
        # last time a health check reached a running service.
        row = db.execute("SELECT written_at FROM write_probe WHERE id = 1").fetchone()
        probe = parse_iso(row[0]) if row else None
    except sqlite3.OperationalError:
        pass
    return {
        "running": holder.held,
        "pid": holder.pid if holder.held else None,
        "lock_file": str(holder.path),
        "last_health_check": iso(probe),
        # The running `run`'s chat platforms: {name: {running, problem, webhooks_only}}; null
        # when none runs (or it has not said yet).
        "platforms": platforms,
    }
