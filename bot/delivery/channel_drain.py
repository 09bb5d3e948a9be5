"""One channel's drain, in a task of its own: a call one channel's platform never answers holds up
that channel alone.

The outbox's drain used to send every channel's rows in parallel but waited for all of them
before it was over, and its next drain waited for it: a Slack chat.postMessage that never
answered (until the client's 15 s timeout) held back every other channel's new posts, Discord's
included, and every notice, lost post's lookup and heading's edit, which the drain made one
channel after another. Now each drain (`Outbox.drain`, the loop's `Outbox.start_drain`) is a
short pass over the database that starts a drain of each channel with something to do
(`ChannelDrains`), and no longer waits for the ones under way: a channel whose drain is still
running is passed over, and drained again as soon as its drain ends (`ChannelDrains.done`), so
its rows stay in order and none is sent by two drains at once.

A channel's drain does, in its channel, what the whole drain did in order before
(`drain_channel`): the rows a crash or an ambiguous failure left `sending` looked for first
(`reconcile`), then its due rows in order, paced (`send_rows`: its digest's heading first,
thread replies and card edits as rows of their own), then its digest heading's count settled
(`digest_heading_settle`) and its notices sent (`notices.send_alerts`). What it shares with the
others stays safe without the drain's lock around the sends: a row whose call is under way is in
`Outbox.in_flight` until its outcome is written, and nothing takes it for a crash leftover
meanwhile; notices left `sending` are requeued only while no channel's drain runs
(`reconcile.release_leftovers`), since one may be in flight. A crash mid-drain leaves rows
`sending` as before, looked for by the channel's first drain after the restart; a stop lets the
channels' drains finish their send in progress (`Outbox.halted`), and the loop waits for them.

A channel's drain that met another process's write lock, or ended with an outcome kept for it
(`send.settle`), has the loop drain again shortly (`Outbox.lock_met`): the loop's pass has
already looked at `Outbox.unsettled` by the time the channels' drains run, and at its next idle
wake the post would have stayed `sending` for up to 30 s. Any other error is logged once per run
of failures and the channel waits for the loop's next wake: retried as the lock is, a broken
schema would have been drained again, a traceback each time, four times a second.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from typing import TYPE_CHECKING

from bot.delivery.adapter import ChatAdapter
from bot.delivery.digest_heading import close_digest, open_digest
from bot.delivery.digest_heading_settle import settle_headings
from bot.delivery.notices import held_by, notice_first, send_alerts
from bot.delivery.prepare import Prepared, prepare_or_retry
from bot.delivery.rate_limits import CHANNEL, held, place_of
from bot.delivery.reconcile import reconcile
from bot.delivery.send import send_one
from bot.runner.schedule import quiet_until
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store import due_rows
from bot.store.channels import ChannelRow
from bot.store.database import is_busy
from bot.store.deliveries import DeliveryRow
from bot.store.loop_waits import brief_steps

if TYPE_CHECKING:
    from bot.delivery.outbox import DrainReport, Outbox

log = logging.getLogger(__name__)


class ChannelDrains:
    """The channels' drains under way, one task per channel at most, by channel pk."""

    def __init__(self) -> None:
        self.tasks: dict[int, asyncio.Task[None]] = {}
        # Channels a drain passed over while theirs ran: drained again once it is over, for
        # the rows queued meanwhile (a new digest's, an instant post) do not wait for the next.
        self.passed_over: set[int] = set()
        # Set as each ends: the loop's sleep is chosen again (`Outbox._sleep`).
        self.ended = asyncio.Event()
        # Channels whose last drain failed for something other than the write lock: said once,
        # with its traceback, until one of their drains ends well again.
        self.failing: set[int] = set()

    def start(self, outbox: Outbox, pk: int, report: DrainReport) -> asyncio.Task[None] | None:
        """Start the channel's drain; None when its drain is still under way (it is drained
        again after)."""
        if pk in self.tasks:
            self.passed_over.add(pk)
            return None
        task = asyncio.create_task(self._run(outbox, pk, report), name=f"outbox channel {pk}")
        self.tasks[pk] = task
        return task

    async def _run(self, outbox: Outbox, pk: int, report: DrainReport) -> None:
        # Its own steps wait briefly for another process's write lock too (`brief_steps`).
        try:
            await brief_steps(outbox.db.conn, drain_channel(outbox, pk, report))
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                self._failed(pk)
            else:
                log.info("channel %d waits for another process's write lock", pk)
                outbox.lock_met()  # drained again shortly; nothing was lost
        except Exception:
            # Not the lock: drained again at the loop's next wake (a kick, a row due, its idle
            # timer), not shortly, or an error that lasts (a broken schema) would spin the loop.
            self._failed(pk)
        else:
            self.failing.discard(pk)
        finally:
            del self.tasks[pk]
            self.ended.set()
            if outbox.unsettled:
                # An outcome kept for another process's lock (`send.settle`): written shortly,
                # not at the loop's next idle wake, its post `sending` meanwhile.
                outbox.lock_met()
            if pk in self.passed_over:
                self.passed_over.discard(pk)
                outbox.kick()

    def _failed(self, pk: int) -> None:
        """Its traceback once per run of failures, not at every drain that meets it again."""
        if pk in self.failing:
            log.debug("draining channel %d failed again", pk, exc_info=True)
            return
        self.failing.add(pk)
        log.exception("draining channel %d failed; its rows are retried by the next", pk)

    async def finish(self) -> None:
        """Wait for every channel's drain under way (at a stop: each ends after its send in
        progress)."""
        while self.tasks:
            await asyncio.wait(list(self.tasks.values()))

    async def cancel(self) -> None:
        """Cancel the channels' drains under way (the loop itself cancelled: a stop past its
        grace); a row one leaves `sending` is looked for before it is resent, as after a crash."""
        tasks = list(self.tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def drain_channel(outbox: Outbox, pk: int, report: DrainReport) -> None:
    """Everything the channel has due, in the order the whole drain did it: rows left `sending`
    looked for first, its due rows, its digest heading settled, its notices."""
    await reconcile(outbox, report, pk)
    rows = due_rows.due(outbox.db, outbox.clock(), [pk])
    if rows:
        await send_rows(outbox, pk, rows, report)
    if outbox.halted:
        return
    await settle_headings(outbox, pk)
    await send_alerts(outbox, report, pk)


async def send_rows(outbox: Outbox, pk: int, rows: list[DeliveryRow], report: DrainReport) -> None:
    """The channel's due rows, in order, paced."""
    # A digest channel's new stories due together are its digest: prepared before their
    # heading on a platform that shows one, which is closed after them (`digest_heading`).
    ready: dict[int, Prepared | None] = {}
    headed: tuple[ChatAdapter, ChannelRow] | None = None
    # The places (`place_of`: the channel, a story's thread) one of whose posts was put off
    # for a limit of its own (a Discord bucket's 429) or failed alone (a call the platform
    # never answered, others' got through): their later posts were put off as long
    # (`put_off_posts`) and wait, so each keeps its order; other places and edits go on.
    put_off: set[str] = set()
    # A notice put off for the channel's own limit goes before the cards queued after it.
    notice = await notice_first(outbox, pk, report)
    try:
        for index, row in enumerate(rows):
            if outbox.halted:
                return
            channel = channel_store.get_channel_by_pk(outbox.db, pk)
            if channel is None or channel.paused_reason:
                return
            now = outbox.clock()
            if (sender := outbox.sender(channel, now)) is None:
                return
            if (until := quiet_until(now, channel.quiet_hours, channel.timezone)) is not None:
                # Everything for this channel waits; store it so a restart keeps waiting
                # too. A deliberate hold: the stale rule counts from its end (`store.hold`).
                for waiting in rows[index:]:
                    store.hold(outbox.db, waiting.id, now=now, until=until)
                return
            if held(outbox, sender[1], row, now):
                # Its call is rate limited on the route: the row waits for the Retry-After
                # and the channel's rows that need another call go on.
                continue
            if place_of(row) in put_off:
                continue  # put off with the post before it, so as not to overtake it
            if notice is not None and held_by(notice, row):
                if notice.next_attempt_at is not None:
                    store.postpone(outbox.db, row.id, now=now, until=notice.next_attempt_at)
                continue  # queued after a notice that waits: not to overtake it
            await outbox.pace_channel(pk)
            if outbox.halted:
                return
            if headed is None and row.kind == "story" and channel.mode == "digest":
                headed = sender[0], channel
                ready, heading_put_off = await open_digest(
                    outbox, channel, sender[0], rows[index:], report
                )
                if heading_put_off is not None:
                    put_off.add(CHANNEL)
                    continue  # the heading was put off, and its cards with it
            if row.id in ready:
                prepared = ready.pop(row.id)
            else:
                prepared = await prepare_or_retry(outbox, channel, row, report)
            if prepared is None:
                continue
            if held(outbox, sender[1], row, outbox.clock()):
                # Limited while this row waited its pace or its digest's heading.
                continue
            later = await send_one(outbox, channel, sender, row, prepared, report)
            if later is not None and (place := place_of(row)) is not None:
                put_off.add(place)
    finally:
        if headed is not None:
            close_digest(*headed)
