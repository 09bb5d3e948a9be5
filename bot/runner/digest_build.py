"""A digest's selection, and an instant channel's, worked out off the event loop.

Choosing a digest reads every story of its window with its articles and ranks them, counting each
one's independent sources (`bot.pipeline.digest_rank`): on a database of months, seconds per
channel. Done on the loop, a start-up catching up a dozen channels, or channels sharing a
schedule, kept `/healthz`, slash commands and the outbox waiting for as long. So the reads run in
a worker thread, on a read-only connection of its own (the loop's is never used from two threads;
`NewsDigest.find_story_async` does the same), inside one read transaction, so they all see one
commit while the loop goes on writing. Only the short write that queues the digest
(`bot.runner.digests.enqueue_digest`) is left to the loop. An in-memory database exists only on
the loop's connection: its selection is made there.

An instant channel's stories are chosen the same way (`enqueue_instant_off_loop`): at a start's
catch-up, where every instant channel reads and ranks the stories of the last six hours (on a
six-month database 0.3-0.9 s for three instant channels by the machine's load, most of it the
first, its caches cold; /healthz and chat waited), at each poll pass, whose first after a start
has the stories of the downtime to choose from, and when a setting lets more stories through.
The write that queues them (about 30 ms a channel) reads the channel again
(`meanwhile.still_wanted`: paused, no longer instant, a story muted or a minimum of sources
raised meanwhile). One channel's choosing and writing go one at a time (`channel_lock`): two
at once (a start's catch-up beside its first poll pass, a look at another process's stories, a
/watchlist change) each read before the other wrote, and their cards and notices together went
past the limit, some cards lost to the limit twice over and the notice posted twice.
"""

from __future__ import annotations

import asyncio
import weakref
from datetime import datetime

import sqlite_utils

from bot.pipeline.digest import Selection
from bot.runner import digests
from bot.runner.digests import digest_selection
from bot.store.channels import ChannelRow
from bot.store.database import BUSY_TIMEOUT_SECONDS, connect_read_only, database_file, snapshot


async def selection_off_loop(
    db: sqlite_utils.Database,
    channel: ChannelRow,
    *,
    now: datetime,
    slot: datetime,
    default_size: int,
) -> Selection:
    """`digest_selection` for the channel's digest of `slot`, read in a worker thread."""
    path = database_file(db)
    if path is None:
        return digest_selection(db, channel, now=now, slot=slot, default_size=default_size)
    return await asyncio.to_thread(_select_in_file, path, channel, now, slot, default_size)


def _select_in_file(
    path: str, channel: ChannelRow, now: datetime, slot: datetime, default_size: int
) -> Selection:
    conn = connect_read_only(path, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        db = sqlite_utils.Database(conn)
        with snapshot(db):
            return digest_selection(db, channel, now=now, slot=slot, default_size=default_size)
    finally:
        conn.close()


# Per database (a test's services each have their own, on loops of their own), per channel pk.
_LOCKS: weakref.WeakKeyDictionary[sqlite_utils.Database, dict[int, asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)


def channel_lock(db: sqlite_utils.Database, channel_pk: int) -> asyncio.Lock:
    """The lock held while the channel's instant stories are chosen and queued."""
    return _LOCKS.setdefault(db, {}).setdefault(channel_pk, asyncio.Lock())


async def enqueue_instant_off_loop(
    db: sqlite_utils.Database,
    channel: ChannelRow,
    *,
    now: datetime,
    story_ids: set[str] | None = None,
) -> int:
    """`digests.enqueue_instant`, its stories chosen in a worker thread (`instant_selection`)
    and queued on the loop, checked again in the write transaction. How many were queued.
    Waits for another choosing for the channel to be queued first, so it reads those rows."""
    path = database_file(db)
    if channel.paused_reason or path is None:
        return digests.enqueue_instant(db, channel, now=now, story_ids=story_ids)
    async with channel_lock(db, channel.id):
        selection = await asyncio.to_thread(_instant_in_file, path, channel, now, story_ids)
        return digests.enqueue_instant(
            db, channel, now=now, story_ids=story_ids, selection=selection
        )


def _instant_in_file(
    path: str, channel: ChannelRow, now: datetime, story_ids: set[str] | None
) -> Selection:
    conn = connect_read_only(path, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        db = sqlite_utils.Database(conn)
        with snapshot(db):
            return digests.instant_selection(db, channel, now=now, story_ids=story_ids)
    finally:
        conn.close()
