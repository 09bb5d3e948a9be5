"""The polling job: every few seconds, start polling the feeds that are due.

Each feed keeps its own `next_poll_at` (its interval, the server's Retry-After, failure backoff and
its RSS TTL are all folded into it by `bot.ingest.policy` and `bot.pipeline.poll`). This module
adds what only a long-running process needs:

- spreading: at start, the daily retries of feeds disabled for their failures missed by over a
  day are spread over an hour (`feed_state.spread_missed_retries`; `newsdigest poll` tries them),
  and overdue and never-polled feeds are given a stable per-feed offset within
  a few minutes instead of all firing in the first tick; feeds added while running (an OPML
  import, /feeds add, a config sync) get the same on the tick that first sees them; and each
  successful poll adds a little jitter so feeds that happened to poll together drift apart;
- overlap: a slow feed never holds up the next tick; a feed already being polled is skipped;
- one shared fetcher, so the per-host and total concurrency limits hold across ticks;
- a log line per pass, and a warning when a feed starts failing or works again (`poll_log`).
"""

from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

import sqlite_utils

from bot.ingest.errors import INTERNAL_ERROR
from bot.runner.poll_log import log_pass
from bot.runner.schedule import poll_jitter
from bot.store import feeds as feed_store
from bot.store.database import iso, transaction
from bot.store.loop_waits import when_free
from bot.store.storage_problems import write_refusal

if TYPE_CHECKING:
    from bot.app import NewsDigest, PassReport
    from bot.ingest.fetcher import FeedFetcher
    from bot.pipeline.poll import FeedResult

log = logging.getLogger(__name__)

PassHandler = Callable[["PassReport"], Awaitable[None]]

START_SPREAD = 300  # seconds over which overdue feeds are spread at start
MAX_BATCH = 200  # feeds started per tick; the rest wait for the next tick


def spread_overdue(
    db: sqlite_utils.Database,
    now: datetime,
    *,
    window: int = START_SPREAD,
    only_new: bool = False,
) -> int:
    """Give overdue and never-polled feeds a stable offset in [now, now + window) so a restart
    after downtime (or 1,000 feeds imported at once) does not fire everything in one second.

    `only_new`: just the never-polled ones (next_poll_at NULL), for a running poller: an overdue
    feed there is simply due, and pushing it back on every tick would starve it."""
    if only_new and window <= 0:
        return 0  # no spreading wanted (NEWSDIGEST_START_SPREAD=0): a new feed is due now
    if only_new:
        rows = db.execute(
            "SELECT id, poll_interval FROM feeds WHERE disabled_reason IS NULL"
            " AND next_poll_at IS NULL"
        ).fetchall()
    else:
        # The feeds `due_feeds` polls: a daily-retried one is overdue by months after an upgrade.
        rows = db.execute(
            "SELECT id, poll_interval FROM feeds WHERE"
            f" (disabled_reason IS NULL OR {feed_store.RETRIED_DAILY_SQL})"
            " AND (next_poll_at IS NULL OR next_poll_at <= ?)",
            [iso(now)],
        ).fetchall()
    if not rows:
        return 0  # the common tick: no write transaction for nothing
    with transaction(db):
        for feed_id, interval in rows:
            offset = poll_jitter(feed_id, max(1, min(interval, window)))
            db.execute(
                "UPDATE feeds SET next_poll_at = ? WHERE id = ?",
                [iso(now + timedelta(seconds=offset)), feed_id],
            )
    return len(rows)


def retry_internal_errors(db: sqlite_utils.Database, now: datetime) -> int:
    """Make the feeds whose last poll our own code failed due now. Their wait doubled while the
    bug or missing module lasted (up to a day, `record_internal_error`); a start is when a fix
    lands (a reinstall, an upgrade), so they are polled with the overdue feeds, spread alike,
    not a day later. Still broken, they are simply retried once more."""
    with transaction(db):
        cursor = db.execute(
            "UPDATE feeds SET next_poll_at = ? WHERE disabled_reason IS NULL"
            " AND substr(last_error, 1, ?) = ? AND next_poll_at > ?",
            [iso(now), len(INTERNAL_ERROR), INTERNAL_ERROR, iso(now)],
        )
    if cursor.rowcount:
        log.info(
            "%d feed(s) whose last poll failed with an internal error are polled again now",
            cursor.rowcount,
        )
    return cursor.rowcount


class Poller:
    def __init__(
        self,
        core: NewsDigest,
        on_pass: PassHandler,
        *,
        clock: Callable[[], datetime],
        fetcher: FeedFetcher | None = None,
    ) -> None:
        self.core = core
        self.on_pass = on_pass
        self.clock = clock
        self.fetcher = fetcher
        self._own_fetcher = fetcher is None
        self.inflight: set[int] = set()
        self.tasks: set[asyncio.Task[None]] = set()
        self.last_success: datetime | None = None
        self.last_pass: datetime | None = None
        self.closing = False
        self.spread = START_SPREAD
        # Each feed's next poll the database refused to store (a full disk): without it, a feed
        # whose row still says "due" would be fetched again on every 5-second tick.
        self.held: dict[int, datetime] = {}
        self.refusal: str | None = None  # what the database said, while it refuses writes

    async def open(self, *, spread: float = START_SPREAD) -> None:
        if self.fetcher is None:
            from bot.pipeline.poll import make_fetcher

            self.fetcher = make_fetcher(self.core.config.polling)
        self.spread = int(spread)
        # The config is read at start: a setting turned on since enables the feeds it allows.
        from bot.pipeline.feed_state import spread_missed_retries
        from bot.pipeline.internal_recovery import enable_internal_disabled
        from bot.pipeline.refusals import enable_allowed

        # Each waiting out another process's write lock with the
        # loop free: the chat platforms are up by now, their heartbeats on this loop.
        db = self.core.db
        allow = self.core.config.polling.allow_private_networks
        # A transaction a feed: run again, they enable only those still disabled.
        await when_free(
            db, partial(enable_allowed, db, allow_private_networks=allow), repeatable=True
        )
        # An older version disabled feeds for its own bugs; a start is when the fix lands.
        await when_free(db, partial(enable_internal_disabled, db), repeatable=True)
        await when_free(db, lambda: retry_internal_errors(db, self.clock()))
        # Before the spread below, which would fit them into its few minutes.
        if missed := await when_free(db, lambda: spread_missed_retries(db, self.clock())):
            log.info(
                "%d feed(s) disabled for their failures missed their daily try: tried over the"
                " next hour",
                len(missed),
            )
        await when_free(db, lambda: spread_overdue(db, self.clock(), window=self.spread))

    async def tick(self) -> int:
        """Start polling every due feed not already in flight. Returns how many were started."""
        if self.closing:
            return 0
        now = self.clock()
        # Feeds added since open() have no next_poll_at and would all be due at once, polled
        # together with one shared `now` and stay clustered on every later poll.
        try:
            db = self.core.db
            await when_free(db, partial(spread_overdue, db, now, window=self.spread, only_new=True))
        except sqlite3.Error as exc:
            if write_refusal(exc) is None:
                raise
            # A full disk: they are polled now, each then held to its interval (`held`).
        self.held = {feed_id: at for feed_id, at in self.held.items() if at > now}
        due = [
            f
            for f in feed_store.due_feeds(self.core.db, now)
            if f.id not in self.inflight and f.id not in self.held
        ]
        batch = due[:MAX_BATCH]
        if not batch:
            return 0
        self.inflight.update(f.id for f in batch)
        task = asyncio.create_task(self._run(batch, now), name=f"poll-{len(batch)}")
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return len(batch)

    async def _run(self, batch: list[feed_store.FeedRow], now: datetime) -> None:
        try:
            report = await self.core.poll(feeds=batch, now=now, fetcher=self.fetcher)
            self._hold_unstored(report.poll.feeds)
            ok = [r for r in report.poll.feeds if r.status not in ("failed", "disabled")]
            await when_free(self.core.db, partial(self._jitter, ok))
            if ok:
                self.last_success = self.clock()
            self.last_pass = self.clock()
            log_pass(report)
            await self.on_pass(report)
        except asyncio.CancelledError:
            # Shutdown: stored articles not yet clustered are picked up by the next start, whose
            # catch-up plans instant posts and updates for the batches this pass committed.
            raise
        except Exception:
            # The stories of the batches it committed are reported by the next pass (the core
            # keeps them until one finishes).
            log.exception("polling pass over %d feeds failed", len(batch))
        finally:
            self.inflight.difference_update(f.id for f in batch)

    def _hold_unstored(self, results: list[FeedResult]) -> None:
        """Keep in memory the next poll of each feed whose poll the database refused to store,
        and say so once when it starts refusing writes and once when it takes them again: a
        full disk is the operator's to fix, not a bug (no traceback), and `/healthz` says
        `critical` meanwhile."""
        refused = [r for r in results if r.hold_until is not None]
        for result in results:
            if result.hold_until is not None:
                self.held[result.feed.id] = result.hold_until
            else:
                self.held.pop(result.feed.id, None)
        if refused and self.refusal is None:
            self.refusal = refused[0].error
            log.error(
                "%s: polls store nothing until it takes writes again (free space on its disk);"
                " each feed still waits its interval",
                self.refusal,
                extra={"event": "database_refuses_writes"},
            )
        elif self.refusal is not None and len(refused) < len(results):
            self.refusal = None
            log.warning(
                "the database takes writes again: polls are stored",
                extra={"event": "database_takes_writes"},
            )

    def pull_held_back(self, step: timedelta, now: datetime) -> None:
        """The wall clock stepped back by `step` (`bot.runner.clock_watch`): each held feed's
        next poll, set on the clock before it, comes as much earlier (never before now)."""
        self.held = {feed_id: max(now, at - step) for feed_id, at in self.held.items()}

    def _jitter(self, results: list[FeedResult]) -> None:
        db = self.core.db
        with transaction(db):
            for result in results:
                row = db.execute(
                    "SELECT next_poll_at, poll_interval FROM feeds WHERE id = ?", [result.feed.id]
                ).fetchone()
                if not row or not row[0]:
                    continue
                # Only ever later: the feed's TTL and the server's Retry-After stay honoured.
                extra = random.uniform(0, min(row[1] * 0.05, 60))
                later = datetime.fromisoformat(row[0]) + timedelta(seconds=extra)
                db.execute(
                    "UPDATE feeds SET next_poll_at = ? WHERE id = ?", [iso(later), result.feed.id]
                )

    async def close(self, grace: float) -> None:
        """Let in-flight polls finish for up to `grace` seconds, then cancel them (a cancelled poll
        loses nothing: each feed commits on its own and unclustered articles are picked up later)."""
        self.closing = True
        if self.tasks:
            _done, pending = await asyncio.wait(set(self.tasks), timeout=grace)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
        if self.fetcher is not None and self._own_fetcher:
            await self.fetcher.aclose()
