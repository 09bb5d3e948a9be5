"""The daily `prune` job: retention (bot.store.retention) run inside the service.

The first run comes a while after start, not at it: a restart should not add a long delete to the
start-up's catch-up, and a bot restarted more often than daily still prunes. The prune runs in a
worker thread on a connection of its own (the loop's is never used from two threads), as
`NewsDigest.find_story_async` reads: on a database of months a fixed batch took most of a second,
and `PRAGMA optimize` half of one, which on the loop kept /healthz, commands and the outbox
waiting. The thread does not free the loop from the write lock, though: a write the loop makes
during a batch waits for it in the loop's thread. So each batch is sized to hold the lock about
BATCH_BUDGET (`retention.BatchSize`), and between batches it pauses about as long as the batch
took, so the loop's writes (and another process's) get the write lock in between instead of queuing
behind a backlog of batches. A stop of the service ends it after the batch in progress. An in-
memory database (tests) exists only on the loop's connection: pruned there, yielding the loop
between batches. A failure is logged and retried the next day; it never stops the service. The last
prune's time and counts are kept in the database (`bot.store.service_state`): /healthz shows them
after a restart, not "never" until the next.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import fields
from datetime import datetime, timedelta
from pathlib import Path

import sqlite_utils
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.store import retention, service_state
from bot.store.database import database_file, open_database, parse_iso, utcnow
from bot.store.retention import PruneCounts

log = logging.getLogger(__name__)

PRUNE_JOB = "prune"
PRUNE_EVERY = timedelta(days=1)
FIRST_PRUNE_AFTER = timedelta(minutes=10)
# The worker's pause after each batch: as long as the batch held the write lock, within these.
MIN_PAUSE, MAX_PAUSE = 0.05, 1.0
# How long a batch may hold the write lock (`retention.BatchSize`): the loop's own writes (the
# outbox's, a command's) wait in the loop's thread for it, so a batch is a stall of the loop.
BATCH_BUDGET = 0.1


class PruneStopped(Exception):
    """The service stopped during a prune: the batches done stay deleted, the rest waits."""


class Pruner:
    def __init__(
        self,
        db: sqlite_utils.Database,
        *,
        retention_days: int,
        window_hours: int,
        config_missing: Path | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.db = db
        self.retention_days = retention_days
        # The operator's config file not found (`Config.missing_path`): the retention read is the
        # shipped example's or the default, not the operator's (who may keep everything, or a
        # year), so nothing is deleted by it.
        self.config_missing = config_missing
        self.window = timedelta(hours=window_hours)
        self.clock = clock
        self.last_run: datetime | None = None
        self.last_counts: PruneCounts | None = None
        self.last_error: str | None = None
        self._failed_at: datetime | None = None
        self._unreadable = False
        # Set by `stop`: the worker ends after its batch in progress.
        self._halt = threading.Event()
        self.reload_last()

    def reload_last(self) -> None:
        """The last prune recorded, when it is later than this process's own: before this start,
        so /healthz does not say "never" after a restart, or one run by hand (`newsdigest prune`)
        while the bot runs, which /healthz then shows at once."""
        try:
            stored = service_state.load(self.db, service_state.LAST_PRUNE)
            if stored:
                at = parse_iso(stored["at"])
                if at is None or (self.last_run is not None and at <= self.last_run):
                    return
                self.last_run = at
                if self._failed_at is not None and at > self._failed_at:
                    self.last_error = None  # a later prune did what the failed one did not
                # Only the counts this version knows: an older or newer one may store others.
                known = {f.name for f in fields(PruneCounts)}
                counts = {k: int(v) for k, v in stored["counts"].items() if k in known}
                self.last_counts = PruneCounts(**counts)
        except Exception:  # only /healthz's history suffers; said once, not at every /healthz
            if not self._unreadable:
                log.warning("could not read the last prune's record", exc_info=True)
            self._unreadable = True

    def _save_last(self, now: datetime, counts: PruneCounts) -> None:
        try:
            service_state.record_prune(self.db, counts.as_dict(), now=now)
        except Exception:  # the prune is done; only its record after a restart is lost
            log.warning("could not record the prune", exc_info=True)

    def schedule(self, scheduler: AsyncIOScheduler) -> None:
        if self.config_missing is not None:
            log.warning(
                "%s not found: nothing is pruned while this process runs (the retention read is "
                "not yours); put it back and restart",
                self.config_missing,
                extra={"event": "prune_skipped"},
            )
            return
        if not self.retention_days:
            log.info("retention is off (storage.retention_days = 0): nothing is pruned")
            return
        scheduler.add_job(
            self.run,
            "interval",
            seconds=int(PRUNE_EVERY.total_seconds()),
            id=PRUNE_JOB,
            # The scheduler's own clock, like the other fixed jobs: `self.clock` is the data's.
            next_run_time=utcnow() + FIRST_PRUNE_AFTER,
            replace_existing=True,
            # Late by up to a day still runs, once (coalesced): a host suspended over the prune's
            # time every day (30 s of grace skipped it) would otherwise never prune.
            coalesce=True,
            misfire_grace_time=int(PRUNE_EVERY.total_seconds()),
        )

    def stop(self) -> None:
        """End a prune in progress after its current batch (the service is stopping)."""
        self._halt.set()

    async def run(self) -> PruneCounts | None:
        """One prune; its counts, or None when it failed (logged, retried at the next run)."""
        now = self.clock()
        self._halt.clear()
        path = database_file(self.db)
        try:
            if path is None:
                total = await self._prune_on_loop(now)
            else:
                total = await asyncio.to_thread(self._prune_in_file, path, now)
        except asyncio.CancelledError:
            self._halt.set()  # the loop is going: the worker stops after its batch too
            raise
        except PruneStopped:
            log.info("pruning stopped with the service (the rest waits for the next run)")
            return None
        except Exception as exc:
            # Batches already committed stay deleted; the rest waits for tomorrow's run.
            self.last_error, self._failed_at = f"{type(exc).__name__}: {exc}", now
            log.exception(
                "pruning failed (retried at the next run)", extra={"event": "prune_failed"}
            )
            return None
        self.last_run, self.last_counts, self.last_error = now, total, None
        self._save_last(now, total)
        log.info(
            "pruned %d stories, %d articles, %d posts' records, %d finished notices,"
            " %d expired tombstones (older than %d days; %d old stories kept for posts still"
            " to send)",
            total.stories,
            total.articles,
            total.deliveries,
            total.alerts,
            total.tombstones_expired,
            self.retention_days,
            total.kept_pending,
            extra={"event": "pruned", **total.as_dict()},
        )
        return total

    async def _prune_on_loop(self, now: datetime) -> PruneCounts:
        total = PruneCounts()
        for counts, _examined in self._batches(self.db, now):
            total.add(counts)
            await asyncio.sleep(0)  # polls and the outbox get the loop between batches
        retention.tidy(self.db)
        return total

    def _prune_in_file(self, path: str, now: datetime) -> PruneCounts:
        """The prune in a worker thread, on its own connection, pausing after each batch."""
        db = open_database(path)
        try:
            total = PruneCounts()
            started = time.monotonic()
            for counts, _examined in self._batches(db, now):
                total.add(counts)
                took = time.monotonic() - started
                if self._halt.wait(min(max(took, MIN_PAUSE), MAX_PAUSE)):
                    raise PruneStopped
                started = time.monotonic()
            retention.tidy(db)
            return total
        finally:
            db.conn.close()

    def _batches(
        self, db: sqlite_utils.Database, now: datetime
    ) -> Iterator[tuple[PruneCounts, int]]:
        return retention.prune_batches(
            db,
            now=now,
            older_than=timedelta(days=self.retention_days),
            window=self.window,
            budget=BATCH_BUDGET,
        )
