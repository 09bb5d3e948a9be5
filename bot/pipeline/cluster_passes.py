"""The clustering pass over the backlog, as `NewsDigest.cluster_backlog` runs it: one pass at a
time, tried again while another process's commits refuse its batches, its commits waiting
for another process's write lock with the event loop free, and the stories of a pass
that failed or was cancelled reported by the next one to finish.

Imports no clusterer of its own: `NewsDigest` hands it the clusterer on first use, so a command
that only reads what is stored never loads the clustering stage.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import closing
from typing import TYPE_CHECKING

from bot.store import articles as article_store

if TYPE_CHECKING:
    from bot.pipeline.clustering import StoryClusterer

log = logging.getLogger(__name__)

# Passes over the backlog when another process keeps clustering into the database meanwhile,
# and the pause before each pass after the first (doubling from the first, up to the last): a
# process working through a big backlog commits every few tenths of a second, so passes straight
# after each other were all refused within seconds.
CLUSTER_ATTEMPTS = 5
CLUSTER_RETRY_PAUSE = (0.5, 4.0)

# The pause before a commit that met another process's write lock is tried again, doubling from
# the first up to the last, the loop free meanwhile (`loop_waits`' own).
LOCK_PAUSE = (0.05, 0.5)

# Told how many of the backlog's articles are clustered so far, and how many there are.
ClusterProgress = Callable[[int, int], None]


class ClusterPasses:
    """The backlog passes of one `NewsDigest`. `clusterer` gives its clusterer when a pass first
    needs it (making one imports the whole clustering stage)."""

    def __init__(self, clusterer: Callable[[], StoryClusterer]) -> None:
        self._clusterer = clusterer
        # One clustering at a time: passes overlap in the service, and the clusterer takes one
        # batch at a time (`assign_in_batches` yields the loop between its commits).
        self._clustering = asyncio.Lock()
        # Stories changed by the committed batches of a pass that then failed or was cancelled:
        # the next pass to finish reports them, or the service's planner (instant posts, thread
        # updates) would not hear of them until they changed again. In memory is enough: at
        # start, catch-up plans instant posts and updates from what is stored.
        self._unreported: set[str] = set()

    async def take_up(self) -> None:
        """Have the clusterer made and warmed up ahead of the next pass, all off the loop (making
        it imports the clustering stage): `NewsDigest.poll` starts this once a feed stored
        something to cluster, so the warm-up overlaps the rest of the fetch. Whatever fails here fails again in the pass, which reports it."""
        async with self._clustering:
            clusterer = await asyncio.to_thread(self._clusterer)
            from bot.pipeline.warm_up import take_up_off_loop  # imported with the clusterer

            await take_up_off_loop(clusterer)

    async def cluster_backlog(
        self, touched: set[str], *, on_progress: ClusterProgress | None = None
    ) -> int:
        """`NewsDigest.cluster_backlog`: how many articles were clustered, the stories that
        changed added to `touched` once the pass has finished."""
        async with self._clustering:
            # The earlier passes' stories go through this pass's batches, so a story merged
            # into another meanwhile is reported as the one it became.
            changed, self._unreported = self._unreported, set()
            clustered = 0
            try:
                for attempt in range(CLUSTER_ATTEMPTS):
                    if attempt:
                        first, last = CLUSTER_RETRY_PAUSE
                        await asyncio.sleep(min(first * 2 ** (attempt - 1), last))
                    done, finished = await self._cluster_once(changed, on_progress)
                    clustered += done
                    if finished:
                        break
                    # Its batches committed stay; what the other process left unclustered is
                    # read afresh, its stories now known.
                    log.info("another process clustered meanwhile: taking up its stories")
                else:
                    # The next pass (this process's, or a running bot's within its poll
                    # interval) clusters the rest: said, as a report of "0 stories" reads as
                    # nothing found.
                    log.warning(
                        "another process kept clustering: the articles left are clustered by "
                        "the next pass (a running newsdigest run picks them up)",
                        extra={"event": "cluster_left"},
                    )
            except BaseException:
                self._unreported = changed
                raise
            touched.update(changed)
            return clustered

    async def _cluster_once(
        self, changed: set[str], on_progress: ClusterProgress | None
    ) -> tuple[int, bool]:
        """One pass over the backlog as it is now: how many articles it clustered, and whether it
        finished (not stopped by another process's commit, `ClusteredElsewhere`)."""
        # Made off the loop: the first time imports the whole clustering stage (most of a second).
        clusterer = await asyncio.to_thread(self._clusterer)
        from bot.pipeline.clustering import LOCKED, ClusteredElsewhere  # with the clusterer
        from bot.pipeline.warm_up import take_up_off_loop

        if not article_store.any_unclustered(clusterer.db):
            # Nothing to cluster (a poll that found nothing new): no warm-up for it either.
            return 0, True
        # A warm-up profiles the whole window again (seconds): done in a worker thread, so the
        # service's loop keeps answering meanwhile; `backlog` then finds the clusterer in step.
        await take_up_off_loop(clusterer)
        articles = clusterer.backlog()
        if on_progress is not None:
            on_progress(0, len(articles))
        done = 0
        pause = LOCK_PAUSE[0]
        try:
            # A commit meeting another process's write lock waits for it with the loop free
            # (`LOCKED`): waited in SQLite, the loop stood still for up to 30 s.
            batches = clusterer.assign_in_batches(articles, changed, wait_briefly=True)
            with closing(batches):
                for step in batches:
                    if step == LOCKED:
                        await asyncio.sleep(pause)
                        pause = min(pause * 2, LOCK_PAUSE[1])
                        continue
                    done, pause = step, LOCK_PAUSE[0]
                    if on_progress is not None:
                        on_progress(done, len(articles))
                    await asyncio.sleep(0)
        except ClusteredElsewhere:
            return done, False
        return done, True
