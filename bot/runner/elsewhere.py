"""Stories changed by another process, planned by the running service as its own passes' are.

`newsdigest poll` may run beside `newsdigest run` (cron, an operator at a shell). Its pass
clusters into the same database, but only the service plans what channels get after a pass:
instant posts, thread updates, card edits (`plan_changed`). Scheduled digests find such stories
by themselves; without this, an instant channel never got one and a posted card never showed the
growth until the service restarted (its catch-up plans from what is stored).

Every commit numbers the stories it changed with its process's token (`bot.store.story_changes`).
The service's minute job (`Service.sync_jobs_job`, which also picks up `channels resume`) asks
SQLite's `data_version` whether another connection committed since it last looked, and only then
reads the stories changed after the last number it handled, by any process but itself: its own
passes' stories it plans when the pass ends (`Service.on_poll_pass`), so none is planned twice for
being seen both ways. Another process's pass that overlaps the service's own (a CLI poll while
the service is mid-pass) is covered too: whichever process clusters an article, the story is
planned by the service, from its pass or from here. A feed another process's poll disabled is
alerted to the channels that relied on it in the same look. Planning is idempotent where it matters: a
channel gets one row per story (`deliveries`' unique story and channel), an update is queued only
when none waits, so a story both ways see is still posted once; and so a look moves on past the
stories it read only once they are planned: one that fails is made again the next minute.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

import sqlite_utils

from bot.runner import feed_alerts, update_planner
from bot.runner.digest_build import enqueue_instant_off_loop
from bot.store import story_changes

if TYPE_CHECKING:
    from bot.runner.service import Service

log = logging.getLogger(__name__)


async def plan_changed(
    service: Service,
    story_ids: set[str],
    *,
    now: datetime,
    recounted: set[str] | frozenset[str] = frozenset(),
) -> None:
    """What a pass's changed stories bring each channel: instant posts where they now qualify
    (chosen off the loop: a start's first pass has the downtime's stories to choose from),
    thread updates and card edits where a posted story grew. The stories a poll `recounted`
    (`bot.pipeline.story_upkeep.recount_feed_stories`) are offered to instant channels too,
    where a higher count may lift one over `min_sources`; never planned as growth (their cards
    were edited as the recount was). Queued only: the caller kicks the outbox."""
    if not story_ids and not recounted:
        return
    for channel in service.instant_channels():
        await enqueue_instant_off_loop(
            service.db, channel, now=now, story_ids=set(story_ids) | set(recounted)
        )
    if not story_ids:
        return
    update_planner.enqueue_updates(
        service.db, story_ids, now=now, interval=service.settings.update_interval
    )


class ChangesElsewhere:
    """Which stories other processes changed since the last look (`changed`)."""

    def __init__(self, db: sqlite_utils.Database, *, origin: str) -> None:
        self.db = db
        self.origin = origin
        self.seq = 0
        self.version: int | None = None
        # Where the last `changed` read up to, taken as the next look's start only once what it
        # read was planned (`handled`): a look that fails is made again, not lost.
        self._read: tuple[int, int] | None = None

    def start(self) -> None:
        """Look from here on: start's catch-up plans from what is stored, all of it."""
        self.version = story_changes.data_version(self.db)
        self.seq = story_changes.latest(self.db)
        self._read = None

    def changed(self) -> set[str] | None:
        """The live stories other processes changed since the last look that was `handled` (or
        `start`); None when no other process committed anything since."""
        # Read before the rows: a commit after this read moves it again for the next look.
        version = story_changes.data_version(self.db)
        if version == self.version:
            return None  # the common minute
        stories, seq = story_changes.changed_since(self.db, self.seq, besides=self.origin)
        self._read = (version, seq)
        return stories

    def handled(self) -> None:
        """What the last `changed` read is planned: the next look reads only what came after.
        Until then, every look reads it again (planning it twice is harmless: a channel gets one
        row per story, an update is queued only when none waits)."""
        if self._read is not None:
            self.version, self.seq = self._read
            self._read = None


async def plan_elsewhere(service: Service) -> int:
    """Plan the stories other processes changed since the last look, as a pass of the service's
    own would have, and alert the channels relying on a feed another process's poll disabled;
    returns how many stories."""
    stories = service.elsewhere.changed()
    if stories is None:
        return 0
    now = service.clock()
    # Idempotent (each disabled feed is alerted once) and cheap: only disabled feeds not yet
    # alerted are read. The service's own passes alert only after a failure of their own.
    alerted = feed_alerts.alert_disabled_feeds(service.db, now=now)
    if not stories:
        service.elsewhere.handled()
        if alerted:
            service.kick()
        return 0
    log.info(
        "%d stories changed by another process (a `newsdigest poll`): planning their posts",
        len(stories),
        extra={"event": "stories_elsewhere", "stories": len(stories)},
    )
    await plan_changed(service, stories, now=now)
    # Only now: a look whose alert or planning failed (a database busy past its timeout, a bug)
    # reads the same stories again next minute, rather than leaving them unplanned until a restart.
    service.elsewhere.handled()
    service.kick()
    return len(stories)
