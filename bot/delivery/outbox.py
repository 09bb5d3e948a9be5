"""The delivery outbox: effectively-once posting of story cards, updates and notices.

Deciding what a channel gets (bot.runner.digests, bot.runner.update_planner) only inserts
`deliveries` rows. This module sends them, each channel in a drain of its own and paced
(`bot.delivery.channel_drain`: a call one platform never answers holds up no other channel),
and brackets every chat API call with durable state changes (one row's claim, call and outcome
are `bot.delivery.send`):

    pending --claim (fsync)--> sending --API call--> sent (fsync)
                                      \\-> pending again (retry with backoff / channel paused)
                                      \\-> pending, no attempt used (the platform unreachable)
                                      \\-> pending until its Retry-After (rate limited)
                                      \\-> failed (out of attempts, or waiting past stale_after)

A crash between the claim and the final commit leaves the row in `sending`; such rows are
reconciled before anything else is sent (`bot.delivery.reconcile`). A send that failed
ambiguously (`TransientDeliveryError(maybe_sent=True)`: a timeout or dropped connection after the
request went out, a 5xx) and any unexpected exception take the same path on purpose: the row stays
`sending` with a `next_attempt_at`, and once that time comes it is reconciled like a crash leftover
instead of being resent blindly (`bot.delivery.failures`). Attempts count only failures that are
the row's own (a refused payload, an unknown error): a platform that cannot be reached or fails
holds its route back (`bot.delivery.outages`) and the row waits, until it is sent or goes stale
(waiting `stale_after` past when it was meant to go out: a story post, an update or a notice
alike; a hold for quiet hours or an update's interval is not waiting, `bot.store.stale`). A rate
limit holds only the kind of call refused (a post, an edit, a lookup) on its route until its
Retry-After, and the rows that need it wait without using anything; the drain goes on with the
rest at once (`bot.delivery.rate_limits`).
Building the card and settling rows that should no longer go out is
`bot.delivery.prepare`; notices are `bot.delivery.notices`. An update whose reply landed but whose
edit of the original card failed is sent all the same, and the edit becomes a row of its own
(`bot.store.card_refreshes`), retried like a post but never resending the reply.
A drain's steps wait only briefly for another process's write lock, the event loop free
(`bot.store.loop_waits.brief_steps`); what met it is drained again shortly (`bot.delivery.send`).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import random
import sqlite3
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

import sqlite_utils

from bot.cards import StoryCard
from bot.delivery.adapter import ChatAdapter, delivery_route
from bot.delivery.channel_drain import ChannelDrains
from bot.delivery.digest_heading import Headings
from bot.delivery.failures import retry_route
from bot.delivery.outages import Outages
from bot.delivery.rate_limits import RateLimits, hold_posts
from bot.delivery.reconcile import release_leftovers
from bot.delivery.send import Outcome, settle_at_stop, settle_unsettled
from bot.runner import update_planner
from bot.store import alerts as alert_store
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store import due_rows, stale
from bot.store.channels import ChannelRow
from bot.store.database import is_busy, utcnow
from bot.store.digest_headings import unsettled as unsettled_headings
from bot.store.loop_waits import brief_steps

log = logging.getLogger(__name__)

# Builds the card for a story as the channel should see it now; None if the story is gone. May be
# a coroutine function, so a slow summary does not block the event loop.
CardSource = Callable[[str, ChannelRow], StoryCard | Awaitable[StoryCard | None] | None]
Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]

# How soon a drain that met another process's write lock is tried again, growing to the longest
# while the lock lasts: a poll's batch is over within the first, a prune's or import's later.
_FIRST_LOCK_PAUSE = 0.25
_LONGEST_LOCK_PAUSE = 2.0


@dataclass(slots=True)
class OutboxSettings:
    # Slack and Discord both throttle at about one message per second per channel.
    pace: float = 1.0
    max_attempts: int = 8
    # For failures a retry is unlikely to fix: a card that cannot be built, a refused payload.
    max_refused_attempts: int = 3
    base_backoff: float = 30.0
    max_backoff: float = 3600.0
    # A row still waiting this long after it was meant to go out (a channel paused for days,
    # then resumed; a platform failing for days) is old news: story post, update or notice, it
    # is dropped as "stale" instead of flooding the channel or waiting forever. The story
    # window. A deliberate hold (quiet hours, an update's interval) does not count.
    stale_after: timedelta = timedelta(hours=48)
    # The shortest time between a channel's post about a story and its first update (the
    # runner's); later ones are paced from it (`bot.delivery.update_pacing`).
    update_interval: timedelta = timedelta(hours=1)


@dataclass(slots=True)
class DrainReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    reconciled: int = 0
    alerts: int = 0
    paused: list[str] = field(default_factory=list)


class Outbox:
    def __init__(
        self,
        db: sqlite_utils.Database,
        card_source: CardSource,
        *,
        settings: OutboxSettings | None = None,
        clock: Clock = utcnow,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.db = db
        self.card_source = card_source
        self.settings = settings or OutboxSettings()
        self.clock = clock
        self.sleep = sleep
        self.adapters: dict[str, ChatAdapter] = {}
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._last_post: dict[int, float] = {}
        # Rows whose API call this process has started and not yet settled. Reconcile must never
        # take one of these for a crash leftover: resending it would post twice.
        self.in_flight: set[int] = set()
        # One lost post's lookup at a time per lookup route (`reconcile`), by route.
        self.lookups: dict[str, asyncio.Lock] = {}
        # Outcomes of sends made whose writing met another process's write lock, by row id:
        # written by the next drain first (`bot.delivery.send.settle`); their rows stay in flight.
        self.unsettled: dict[int | str, Outcome] = {}
        # Whether the last drain left writes to a later one for another process's write lock.
        self.met_lock = False
        self.outages = Outages()
        # Kinds of call a platform rate limits, held per route until its Retry-After.
        self.rate_limits = RateLimits()
        # The digest headings posted, for their cards held back after them (`digest_heading`).
        self.headings = Headings(db)
        # Delivery routes held back while their connection is restarted (`withdraw`).
        self.withdrawn: set[str] = set()
        # Set on shutdown: finish the send in progress, start no new one.
        self.halted = False
        # Told each channel it pauses, by pk (`bot.runner.changes.ScheduleChanges.saw_paused`).
        self.on_pause: Callable[[int], None] | None = None
        # The channels' drains under way, each a task of its own (`channel_drain`).
        self.channel_drains = ChannelDrains()
        # Whether `run` is looping, and its retry after another process's write lock.
        self._running = False
        self._lock_retry: asyncio.TimerHandle | None = None
        self._lock_pause = _FIRST_LOCK_PAUSE

    def register(self, adapter: ChatAdapter) -> None:
        self.adapters[adapter.platform] = adapter
        # Posts it makes outside any row (Slack's overflow) hold the route's posts when limited.
        listen = getattr(adapter, "listen_for_rate_limits", None)
        if callable(listen):
            listen(partial(hold_posts, self, adapter.platform))
        self.withdrawn.discard(adapter.platform)
        self.kick()

    def unregister(self, platform: str) -> None:
        """Stop posting to this platform (its client is being closed): its rows stay pending, and
        a send already under way settles as usual (a failure is checked before resending)."""
        self.adapters.pop(platform, None)

    def withdraw(self, route: str) -> None:
        """Hold back one delivery route's posts (its connection is being restarted) while the
        adapter's other routes go on (Discord's webhooks, during a gateway restart): the rows stay
        pending, using no attempt, until `register` brings the platform's adapter back."""
        self.withdrawn.add(route)

    def route_of(self, channel: ChannelRow) -> str:
        """The delivery route a channel's posts take (`bot.delivery.adapter.delivery_route`)."""
        adapter = self.adapters.get(channel.platform)
        return channel.platform if adapter is None else delivery_route(adapter, channel)

    def sender(self, channel: ChannelRow, now: datetime) -> tuple[ChatAdapter, str] | None:
        """The adapter and route for a channel's posts now; None while they wait: no adapter,
        or its route withdrawn or blocked by an outage."""
        adapter = self.adapters.get(channel.platform)
        if adapter is None:
            return None
        route = delivery_route(adapter, channel)
        if route in self.withdrawn or self.outages.blocked(route, now):
            return None
        return adapter, route

    def kick(self) -> None:
        """Ask the background loop to drain now (new rows were enqueued)."""
        self._wake.set()

    def retry_route(self, *routes: str) -> None:
        """The routes' connection is back: try their posts now (`failures.retry_route`)."""
        for route in routes:
            retry_route(self, route)

    # --- the background loop ----------------------------------------------------------------

    async def run(self, stop: asyncio.Event, *, idle: float = 30.0) -> None:
        """Drain whenever kicked, when a deferred row comes due, or every `idle` seconds. Each
        drain starts the channels' drains and does not wait for them (`channel_drain`)."""
        self._running = True
        try:
            while not stop.is_set() and not self.halted:
                self._wake.clear()
                started = self.clock()
                try:
                    await self.start_drain(DrainReport())
                except sqlite3.OperationalError as exc:
                    if not is_busy(exc):
                        log.exception("outbox drain failed; retrying shortly")
                    self.lock_met()
                except Exception:
                    log.exception("outbox drain failed; retrying shortly")
                if self.unsettled:
                    self.lock_met()  # outcomes to write once another process's lock is free
                elif not self.met_lock:
                    self._lock_pause = _FIRST_LOCK_PAUSE
                await self._sleep(stop, started, idle)
            await self.channel_drains.finish()  # each ends after its send in progress
        finally:
            self._running = False
            if self._lock_retry is not None:
                self._lock_retry.cancel()
                self._lock_retry = None
            await self.channel_drains.cancel()  # none left but when the loop was cancelled
        await settle_at_stop(self)

    async def _sleep(self, stop: asyncio.Event, started: datetime, idle: float) -> None:
        """Until kicked, stopped, `idle` seconds on, or a deferred row comes due. Rows that were
        due when the drain started and still wait cannot go out yet; a resume, a registered
        adapter or the idle timer picks them up. Each channel's drain that ends may have put a
        row off to sooner than the wait chosen (`channel_drain`): the wait is chosen again."""
        loop = asyncio.get_running_loop()
        end = loop.time() + idle
        while (timeout := end - loop.time()) > 0:
            self.channel_drains.ended.clear()
            due = due_rows.next_attempt_time(self.db, after=started)
            if due is not None:
                timeout = min(timeout, max(0.05, (due - self.clock()).total_seconds()))
            waits = [self._wake.wait(), stop.wait(), self.channel_drains.ended.wait()]
            futures = [asyncio.ensure_future(wait) for wait in waits]
            try:
                await asyncio.wait(futures, timeout=timeout, return_when="FIRST_COMPLETED")
            finally:
                for future in futures:
                    future.cancel()
            if not self.channel_drains.ended.is_set() or self._wake.is_set() or stop.is_set():
                return  # kicked, stopped, or its time came

    def lock_met(self) -> None:
        """Another process's write lock stopped part of a drain: drained again shortly, after
        a pause that grows while the lock lasts (a poll's batch is over within the first, a
        prune's or import's later); the loop free meanwhile."""
        self.met_lock = True
        if not self._running or self._lock_retry is not None:
            return
        pause = self._lock_pause
        self._lock_pause = min(pause * 2, _LONGEST_LOCK_PAUSE)
        self._lock_retry = asyncio.get_running_loop().call_later(pause, self._retry_after_lock)

    def _retry_after_lock(self) -> None:
        self._lock_retry = None
        self.kick()

    @property
    def draining(self) -> bool:
        """Whether a drain is under way: its pass, or a channel's drain (`channel_drain`)."""
        return self._lock.locked() or bool(self.channel_drains.tasks)

    async def drain(self) -> DrainReport:
        """Reconcile, then send everything due, each channel in a drain of its own, in parallel
        and paced within the channel; returns once they are over. The channels' drains already
        under way (the loop's) are waited for too, then what is due is drained again."""
        report = DrainReport()
        while True:
            started = await self.start_drain(report)
            under_way = [t for t in self.channel_drains.tasks.values() if t not in started]
            if started or under_way:
                await asyncio.wait([*started, *under_way])
            if not under_way:
                return report

    async def start_drain(self, report: DrainReport) -> list[asyncio.Task[None]]:
        """The drain's pass over every channel: the outcomes kept for the write lock written,
        leftovers that need no lookup released, stale rows dropped, and a drain started for
        each channel with something to do (`channel_drain`). Returns those drains, not waited
        for: a call one channel's platform never answers holds up no other channel."""
        async with self._lock:
            self.met_lock = False
            return await brief_steps(self.db.conn, self._pass(report))

    async def _pass(self, report: DrainReport) -> list[asyncio.Task[None]]:
        settle_unsettled(self)
        release_leftovers(self, report)
        now = self.clock()
        self._expire_stale(now, report)
        started = []
        for pk in self._with_work(now):
            if (task := self.channel_drains.start(self, pk, report)) is not None:
                started.append(task)
        return started

    def _with_work(self, now: datetime) -> list[int]:
        """The channels that can be posted to now with something to do: a row to look for or
        due, a notice due, a digest heading to settle."""
        ready = self.ready_channels(now)
        wanted = {row.channel_pk for row in due_rows.due(self.db, now, ready)}
        wanted |= {
            r.channel_pk
            for r in store.in_state(self.db, "sending")
            if r.id not in self.in_flight
            and (r.next_attempt_at is None or r.next_attempt_at <= now)
        }
        wanted |= {alert.channel_pk for alert in alert_store.due_alerts(self.db, now)}
        try:
            wanted |= {heading.channel_pk for heading in unsettled_headings(self.db)}
        except sqlite3.Error as exc:
            # Not settled now, which its channel's drain would log; its cards go out as ever.
            log.debug("digest headings not read: %s", exc)
        return [pk for pk in ready if pk in wanted]

    def ready_channels(self, now: datetime) -> list[int]:
        """The channels whose posts can go out now: not paused, their route registered, not
        withdrawn and not held back by an outage."""
        return [
            c.id
            for c in channel_store.list_channels(self.db)
            if not c.paused_reason and self.sender(c, now) is not None
        ]

    def _expire_stale(self, now: datetime, report: DrainReport) -> None:
        # Every drain, not only as rows come up: the rows of a paused channel or of a route that
        # is down or withdrawn never come up, and would pile up for as long as that lasts.
        stale_after = self.settings.stale_after
        expired = stale.expire_stale(self.db, now=now, stale_after=stale_after)
        expired += alert_store.expire_stale(self.db, now=now, stale_after=stale_after)
        if expired:
            report.failed += expired
            # In hours, as the window is thought of: a timedelta reads "2 days, 0:00:00".
            log.info(
                "%d queued post(s) dropped: overdue by over %g hours",
                expired,
                stale_after.total_seconds() / 3600,
            )

    # --- sending ----------------------------------------------------------------------------

    async def pace_channel(self, pk: int) -> None:
        last = self._last_post.get(pk)
        if last is not None and self.settings.pace > 0:
            wait = self.settings.pace - (time.monotonic() - last)
            if wait > 0:
                await self.sleep(wait)
        self._last_post[pk] = time.monotonic()

    def plan_update(self, story_id: str) -> None:
        """Once a post is recorded: if the story grew while it was being sent, queue the update
        now. The planner skipped it then (nothing to reply to yet) and the story may never be
        touched again."""
        try:
            update_planner.enqueue_updates(
                self.db, [story_id], now=self.clock(), interval=self.settings.update_interval
            )
        except Exception:  # the post is recorded; a failed plan must not stop the drain
            log.exception("planning an update for %s failed", story_id)

    async def card(self, story_id: str, channel: ChannelRow) -> StoryCard | None:
        """The card for a story as the channel should see it now (the card source may be async)."""
        card = self.card_source(story_id, channel)
        if inspect.isawaitable(card):
            return await card
        return card

    def backoff(self, attempts: int) -> float:
        base = min(self.settings.max_backoff, self.settings.base_backoff * 2 ** (attempts - 1))
        return base * random.uniform(0.8, 1.2)
