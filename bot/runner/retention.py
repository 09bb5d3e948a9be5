"""The daily `prune` job: retention (bot.store.retention) run inside the service.

The first run comes a while after start, not at it: a restart should not add a long delete to the
start-up's catch-up, and a bot restarted more often than daily still prunes. The job runs on the
event loop (the shared SQLite connection lives there) and yields it between batches, so polls and
the outbox carry on while a large backlog is deleted. A failure is logged and retried the next day;
it never stops the service. The last prune's time and counts are kept in the database
(`bot.store.service_state`): /healthz shows them after a restart, not "never" until the next.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import fields
from datetime import datetime, timedelta
from pathlib import Path

import sqlite_utils
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.store import retention, service_state
from bot.store.database import iso, parse_iso, utcnow
from bot.store.retention import PruneCounts

log = logging.getLogger(__name__)

PRUNE_JOB = "prune"
PRUNE_EVERY = timedelta(days=1)
FIRST_PRUNE_AFTER = timedelta(minutes=10)


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
        self._load_last()

    def _load_last(self) -> None:
        """The last prune before this start, so /healthz does not say "never" after a restart."""
        try:
            stored = service_state.load(self.db, service_state.LAST_PRUNE)
            if stored:
                self.last_run = parse_iso(stored["at"])
                # Only the counts this version knows: an older or newer one may store others.
                known = {f.name for f in fields(PruneCounts)}
                counts = {k: int(v) for k, v in stored["counts"].items() if k in known}
                self.last_counts = PruneCounts(**counts)
        except Exception:  # only /healthz's history suffers
            log.warning("could not read the last prune's record", exc_info=True)

    def _save_last(self, now: datetime, counts: PruneCounts) -> None:
        try:
            service_state.save(
                self.db,
                service_state.LAST_PRUNE,
                {"at": iso(now), "counts": counts.as_dict()},
                now=now,
            )
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
        )

    async def run(self) -> PruneCounts | None:
        """One prune; its counts, or None when it failed (logged, retried at the next run)."""
        now = self.clock()
        total = PruneCounts()
        try:
            for counts, _examined in retention.prune_batches(
                self.db,
                now=now,
                older_than=timedelta(days=self.retention_days),
                window=self.window,
            ):
                total.add(counts)
                await asyncio.sleep(0)  # polls and the outbox get the loop between batches
            retention.tidy(self.db)
        except Exception as exc:
            # Batches already committed stay deleted; the rest waits for tomorrow's run.
            self.last_error = f"{type(exc).__name__}: {exc}"
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
