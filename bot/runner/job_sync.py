"""A service's digest jobs made to match the database (`Service.sync_jobs`): at start, each
minute, and after a chat command changed a channel. Resumed channels are seen here and their
catch-ups started; a digest channel with no run yet gets its baseline (one signed up in chat has
its first run with its row: `digest_runs.record_first_run`; this is for the config file's, made
at a start or by another process's `poll`, and older databases). Each write waits
briefly for another process's lock (the event loop stays free), and one it meets is left to the
next sync."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.runner.changes import record_baseline, resume_soon
from bot.store import digest_runs
from bot.store.loop_waits import brief_lock_wait

if TYPE_CHECKING:
    from bot.runner.service import Service

log = logging.getLogger("bot.runner.service")


def sync_jobs(service: Service) -> set[int]:
    """Digest jobs as the database says; returns the channels (pks) seen resumed since the
    last look, whose catch-up (`changes.resume_soon`) this started. Its writes wait briefly
    for another process's lock (on the loop), and one it meets is the next sync's."""
    now = service.clock()
    with brief_lock_wait(service.db.conn):
        resumed = service.schedule_changes.record(service.db, now=now)
    if service.state != "running":
        # Not caught up here: start's catch-up queues what every channel missed. One resumed
        # while it runs may have been skipped (paused at its turn), and this look is the only
        # one to see the resume: noted, for the catch-up to choose it once done. After a
        # stop, the next start's catch-up has it.
        if service.state == "starting":
            service.changed_while_starting.update(c.id for c in resumed if c.mode == "instant")
        resumed = []
    for channel in resumed:
        log.info("channel %s was resumed: catching up on what its pause held", channel.key)
        resume_soon(service, channel)
    channels = service.digest_channels()
    for channel in channels:
        if digest_runs.last_digest_run(service.db, channel.id) is None:
            with brief_lock_wait(service.db.conn):
                record_baseline(service.db, channel, now=now)
    changed, removed = service.jobs.sync(channels)
    if changed or removed:
        log.info("digest jobs: %d added or changed, %d removed", changed, removed)
    return {c.id for c in resumed}
