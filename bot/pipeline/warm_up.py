"""The clusterer's warm-up: the active window's stories read from the database and rebuilt in a
clusterer (`StoryClusterer.warm_up`), and the same off the event loop.

Rebuilding profiles every open story's articles again: 0.8 s of CPU for a 48-hour window of
3,000 articles, seconds of wall time on a busy machine. On the service's event loop that held
`/healthz`, chat and the outbox for as long at its first poll pass, and again whenever another
process's `poll` made it take up the database's stories. So it runs in a worker thread, on a
read-only connection of its own (the loop's is never used from two threads, as in
`runner/digest_build`), into a clusterer nobody else holds until it is done; only the short
install is left to the loop, and the clusterer is made off it too (the first one made imports
the clustering stage, half a second). `NewsDigest.poll` starts it once a feed stored something to
cluster (`ClusterPasses.take_up`), so a cron `newsdigest poll`, a new process every time, warms
up while it waits on the rest of the fetch; a pass with nothing to cluster warms up not at all.
A state that can't be read, and an in-memory database, are still warmed up on the loop: the
first is withdrawn with a write (rare, and said in the log), the second exists only on the
loop's connection.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlite_utils

from bot.cluster.online import OnlineClusterer
from bot.store import articles as article_store
from bot.store import clusterer_state
from bot.store import stories as story_store
from bot.store.database import (
    BUSY_TIMEOUT_SECONDS,
    connect_read_only,
    database_file,
    snapshot,
    utcnow,
)

if TYPE_CHECKING:
    from bot.pipeline.clustering import StoryClusterer

# Warm-ups off the loop in a row before the pass settles for one on it: each retry means another
# process committed while the last one ran, which a busy pair of processes could keep doing.
OFF_LOOP_ATTEMPTS = 3


@dataclass(slots=True)
class Warmed:
    """A clusterer filled from one read of the database, for `StoryClusterer.install`."""

    clusterer: OnlineClusterer
    token: str | None  # of the saved state it was read with (None: none was ever saved)
    log: clusterer_state.Log  # the stored counts' sizes, when they are this clusterer's
    stories: int  # open stories in it
    # Articles whose stored profile could not be used (`OnlineClusterer.unreadable_profiles`):
    # deleted by the install, which writes on the loop's connection.
    unreadable: list[str] = field(default_factory=list)


def warm_window(
    db: sqlite_utils.Database,
    clusterer: OnlineClusterer,
    window: timedelta,
    now: datetime | None = None,
    *,
    use_saved: bool = True,
) -> Warmed:
    """Fill the fresh `clusterer` with the window's stories: from the saved state when there is
    one (exactly), else (or not `use_saved`) the stories updated within `window` before `now`,
    re-weighed. Raises whatever a saved state that can't be read raises; `clusterer` is then
    half filled, for the caller to drop."""
    # One read transaction: the state and the articles it names are of one commit, and the
    # profiling after it holds no read open (a long one keeps the WAL from being checkpointed).
    with snapshot(db):
        saved = clusterer_state.read(db) if use_saved else None
        token = saved.token if saved is not None else None
        if saved is not None and saved.state is not None:
            ids = [a for _sid, members in saved.stories for a in members]
            stored = article_store.clustered(db, ids)
        else:
            active = story_store.active_stories(db, (now or utcnow()) - window)
            members = article_store.articles_for_stories(db, [s.id for s in active])
    if saved is not None and saved.state is not None:
        clusterer.resume(saved.state, saved.counts, saved.stories, stored)
        opened = len(clusterer.active_story_ids())
        return Warmed(clusterer, token, saved.log, opened, clusterer.unreadable_profiles())
    for story in active:
        if members[story.id]:
            clusterer.restore(story.id, members[story.id])
    # The stored counts are not this clusterer's: its first save writes them whole.
    return Warmed(clusterer, token, clusterer_state.Log(), len(active))


async def take_up_off_loop(stage: StoryClusterer) -> None:
    """`stage.take_up()`, its warm-up done in a worker thread when there is one to do. What is
    left to do on the loop (an in-memory database, a state that can't be read, another process
    committing again meanwhile) is `take_up`'s as before."""
    path = database_file(stage.db)
    for _ in range(OFF_LOOP_ATTEMPTS if path is not None else 0):
        stage.drop_if_elsewhere()
        if stage.warmed:
            break
        assert path is not None
        fresh = stage.new_clusterer()
        try:
            warmed = await asyncio.to_thread(_warm_in_file, path, fresh, stage.window)
        except asyncio.CancelledError:
            # The thread goes on filling `fresh`, which nobody else holds: dropped with it.
            raise
        except Exception:
            fresh.close()
            break  # a state that can't be read: the loop's warm-up withdraws it and says so
        stage.install(warmed)
    stage.take_up()


def _warm_in_file(path: str, clusterer: OnlineClusterer, window: timedelta) -> Warmed:
    conn = connect_read_only(path, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        return warm_window(sqlite_utils.Database(conn), clusterer, window)
    finally:
        conn.close()
