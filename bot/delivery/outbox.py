"""The delivery outbox: effectively-once posting of story cards, updates and notices.

Deciding what a channel gets (bot.runner.digests) only inserts `deliveries` rows. This module sends
them, and brackets every chat API call with durable state changes:

    pending --claim (fsync)--> sending --API call--> sent (fsync)
                                      \\-> pending again (retry with backoff / channel paused)
                                      \\-> failed (out of attempts)

A crash between the claim and the final commit leaves the row in `sending`. Before anything else
is sent, such rows are reconciled: the adapter's `find_posted` looks for the message (Slack: the
bot's message metadata in recent history); if it landed, the row is marked sent, otherwise it goes
back to pending and is resent with the same nonce (which Discord de-duplicates by itself).

A send that failed ambiguously (`TransientDeliveryError(maybe_sent=True)`: a timeout or dropped
connection after the request went out, a 5xx) and any unexpected exception take the same path on
purpose: the row stays `sending` with a `next_attempt_at`, and once that time comes it is
reconciled like a crash leftover instead of being resent blindly.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlite_utils

from bot.cards import StoryCard
from bot.delivery.adapter import (
    ChatAdapter,
    DeliveryError,
    PermanentDeliveryError,
    PlatformDeliveryError,
    PostedMessage,
    TransientDeliveryError,
)
from bot.delivery.notices import send_alerts
from bot.delivery.outages import Outages
from bot.delivery.updates import worth_an_update
from bot.runner.schedule import quiet_until
from bot.store import alerts as alert_store
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store import stories as story_store
from bot.store.channels import ChannelRow
from bot.store.database import utcnow
from bot.store.deliveries import DeliveryRow

log = logging.getLogger(__name__)

# Builds the card for a story as the channel should see it now; None if the story is gone. May be
# a coroutine function, so a slow summary does not block the event loop.
CardSource = Callable[[str, ChannelRow], StoryCard | Awaitable[StoryCard | None] | None]
Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(slots=True)
class OutboxSettings:
    # Slack and Discord both throttle at about one message per second per channel.
    pace: float = 1.0
    max_attempts: int = 8
    # For failures a retry is unlikely to fix: a card that cannot be built, a refused payload.
    max_refused_attempts: int = 3
    base_backoff: float = 30.0
    max_backoff: float = 3600.0
    # A story post still queued after this long (a channel paused for days, then resumed) is
    # old news: it is dropped as "stale" instead of flooding the channel. The story window.
    stale_after: timedelta = timedelta(hours=48)


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
        self.outages = Outages()
        # Set on shutdown: finish the send in progress, start no new one.
        self.halted = False

    def register(self, adapter: ChatAdapter) -> None:
        self.adapters[adapter.platform] = adapter
        self.kick()

    def kick(self) -> None:
        """Ask the background loop to drain now (new rows were enqueued)."""
        self._wake.set()

    # --- the background loop ----------------------------------------------------------------

    async def run(self, stop: asyncio.Event, *, idle: float = 30.0) -> None:
        """Drain whenever kicked, when a deferred row comes due, or every `idle` seconds."""
        while not stop.is_set() and not self.halted:
            self._wake.clear()
            try:
                await self.drain()
            except Exception:
                log.exception("outbox drain failed; retrying shortly")
            timeout = idle
            due = store.next_attempt_time(self.db)
            if due is not None:
                timeout = min(idle, max(0.05, (due - self.clock()).total_seconds()))
            waiter = asyncio.ensure_future(self._wake.wait())
            stopper = asyncio.ensure_future(stop.wait())
            try:
                await asyncio.wait(
                    {waiter, stopper}, timeout=timeout, return_when="FIRST_COMPLETED"
                )
            finally:
                waiter.cancel()
                stopper.cancel()

    async def drain(self) -> DrainReport:
        """Reconcile rows a crash left in `sending`, then send everything due, channel by channel
        in parallel and paced within each channel."""
        async with self._lock:
            report = DrainReport()
            await self._reconcile(report)
            now = self.clock()
            by_channel: dict[int, list[DeliveryRow]] = {}
            for row in store.due(self.db, now):
                by_channel.setdefault(row.channel_pk, []).append(row)
            await asyncio.gather(
                *(self._drain_channel(pk, rows, report) for pk, rows in by_channel.items())
            )
            await send_alerts(self, report)
            return report

    # --- reconciliation ---------------------------------------------------------------------

    async def _reconcile(self, report: DrainReport) -> None:
        # Only rows of platforms we can ask; others wait until their adapter registers. Inside the
        # drain lock no send is in flight, so every `sending` row is a crash or cancel leftover.
        for row in store.in_state(self.db, "sending"):
            if row.next_attempt_at is not None and row.next_attempt_at > self.clock():
                continue  # an ambiguous failure, checked once its backoff is over
            channel = channel_store.get_channel_by_pk(self.db, row.channel_pk)
            if channel is None:
                continue
            adapter = self.adapters.get(channel.platform)
            if adapter is None:
                continue
            now = self.clock()
            parent = None
            if row.kind == "update":
                first = store.story_post(self.db, row.story_id, row.channel_pk)
                if first is not None and first.message_ref:
                    parent = PostedMessage(first.message_ref, first.thread_ref)
            try:
                found = await adapter.find_posted(
                    channel, story_id=row.story_id, nonce=row.nonce, kind=row.kind, parent=parent
                )
            except Exception as exc:  # the lookup failing must not lose the row; retry later
                log.warning("could not check delivery %d in %s: %s", row.id, channel.key, exc)
                continue
            if found is not None:
                try:
                    card = await self._card(row.story_id, channel)
                except Exception:  # only the recorded count suffers; the row must be settled
                    log.exception("building the card for delivery %d failed", row.id)
                    card = None
                store.mark_sent(
                    self.db,
                    row.id,
                    message_ref=found.message_ref,
                    thread_ref=found.thread_ref,
                    source_count=card.source_count if card else row.source_count,
                    outlets=card.outlets if card else row.outlets,
                    now=now,
                )
                log.info("delivery %d to %s had landed before the crash", row.id, channel.key)
            elif row.attempts >= self.settings.max_attempts:
                error = row.last_error or "gave up"
                store.mark_failed(self.db, row.id, now=now, error=error)
                report.failed += 1
                log.error("delivery %d gave up after %d attempts: %s", row.id, row.attempts, error)
            else:
                store.release(self.db, row.id, now=now, next_attempt_at=None, error="resend")
                log.info("delivery %d to %s will be resent (same nonce)", row.id, channel.key)
            report.reconciled += 1
        if alert_store.requeue_stale_alerts(self.db):
            log.info("requeued notices interrupted by a crash")

    # --- sending ----------------------------------------------------------------------------

    async def _drain_channel(self, pk: int, rows: list[DeliveryRow], report: DrainReport) -> None:
        for row in rows:
            if self.halted:
                return
            channel = channel_store.get_channel_by_pk(self.db, pk)
            if channel is None or channel.paused_reason:
                return
            adapter = self.adapters.get(channel.platform)
            if adapter is None:
                return
            now = self.clock()
            if self.outages.blocked(channel.platform, now):
                return
            if (until := quiet_until(now, channel.quiet_hours, channel.timezone)) is not None:
                # Everything for this channel waits; store it so a restart keeps waiting too.
                for waiting in rows[rows.index(row) :]:
                    store.release(self.db, waiting.id, now=now, next_attempt_at=until)
                return
            await self.pace_channel(pk)
            if self.halted:
                return
            await self._send_one(channel, adapter, row, report)

    async def pace_channel(self, pk: int) -> None:
        last = self._last_post.get(pk)
        if last is not None and self.settings.pace > 0:
            wait = self.settings.pace - (time.monotonic() - last)
            if wait > 0:
                await self.sleep(wait)
        self._last_post[pk] = time.monotonic()

    async def _send_one(
        self, channel: ChannelRow, adapter: ChatAdapter, row: DeliveryRow, report: DrainReport
    ) -> None:
        # Build everything that can fail for local reasons before the claim, so a claimed row
        # means "an API call may have started" and nothing else.
        try:
            prepared = await self._prepare(channel, row)
        except Exception as exc:
            # The row was never claimed, so count this attempt here or it would retry forever.
            row.attempts = store.count_attempt(self.db, row.id, now=self.clock())
            if row.attempts == 1:
                log.exception("building delivery %d for %s failed", row.id, channel.key)
            error = f"could not build the card: {type(exc).__name__}: {exc}"
            self._retry(row, error, None, report, limit=self.settings.max_refused_attempts)
            return
        if prepared is None:
            return
        card, original, previous = prepared
        claimed = store.claim(self.db, row.id, self.clock())
        if claimed is None:
            return
        try:
            if original is None:
                posted = await adapter.post_card(channel, card, nonce=row.nonce)
            else:
                new_outlets = [o for o in card.outlets if o not in set(previous.outlets)]
                posted = await adapter.post_update(
                    channel, original, card, new_outlets=new_outlets, nonce=row.nonce
                )
        except PermanentDeliveryError as exc:
            self._pause(channel, str(exc), row, report)
        except PlatformDeliveryError as exc:
            retry_at = self.outages.down(
                channel.platform, exc, now=self.clock(), backoff=self.backoff
            )
            store.unclaim(
                self.db, row.id, now=self.clock(), next_attempt_at=retry_at, error=str(exc)
            )
            report.retried += 1
        except TransientDeliveryError as exc:
            if exc.maybe_sent:
                self._check_later(claimed, str(exc), exc.retry_after, report)
            else:
                self._retry(claimed, str(exc), exc.retry_after, report)
        except DeliveryError as exc:
            # The platform refused our payload (invalid_blocks, HTTP 400): the same card will be
            # refused again, so only a few tries (a later rebuild may differ), no traceback.
            self._retry(claimed, str(exc), None, report, limit=self.settings.max_refused_attempts)
        except Exception as exc:
            # Unknown errors (a network library's own exception, a bug) may have posted: look
            # before resending.
            log.exception("delivery %d to %s raised", row.id, channel.key)
            self._check_later(claimed, f"{type(exc).__name__}: {exc}", None, report)
        else:
            self.outages.up(channel.platform)
            store.mark_sent(
                self.db,
                row.id,
                message_ref=posted.message_ref,
                thread_ref=posted.thread_ref or posted.message_ref,
                source_count=card.source_count,
                outlets=list(card.outlets),
                now=self.clock(),
            )
            report.sent += 1
            log.info(
                "posted %s %s to %s",
                row.kind,
                row.story_id,
                channel.key,
                extra={"event": "delivered", "kind": row.kind, "story": row.story_id},
            )

    async def _card(self, story_id: str, channel: ChannelRow) -> StoryCard | None:
        card = self.card_source(story_id, channel)
        if inspect.isawaitable(card):
            return await card
        return card

    async def _prepare(
        self, channel: ChannelRow, row: DeliveryRow
    ) -> tuple[StoryCard, PostedMessage | None, DeliveryRow] | None:
        """The card, and for an update the message to reply to and what the channel saw last."""
        now = self.clock()
        if (
            row.kind == "story"
            and row.created_at
            and row.created_at < now - self.settings.stale_after
        ):
            store.mark_failed(self.db, row.id, now=now, error="stale")
            log.info(
                "delivery %d to %s dropped: queued since %s", row.id, channel.key, row.created_at
            )
            return None
        if not self._follow_merge(row):
            return None
        if store.is_muted(self.db, row.story_id, channel.id):
            # Muted after this row was queued: "no more posts or updates about that story".
            store.mark_failed(self.db, row.id, now=self.clock(), error="story muted")
            return None
        card = await self._card(row.story_id, channel)
        if card is None:
            store.mark_failed(self.db, row.id, now=self.clock(), error="story no longer exists")
            return None
        if row.kind != "update":
            return card, None, row
        first = store.story_post(self.db, row.story_id, row.channel_pk)
        previous = store.last_sent(self.db, row.story_id, row.channel_pk)
        if first is None or first.state != "sent" or previous is None or not first.message_ref:
            # The original post has not landed yet; it will carry the latest count itself.
            store.delete(self.db, row.id)
            return None
        if not worth_an_update(
            source_count=card.source_count,
            outlets=card.outlets,
            wire_groups=card.wire_groups,
            shown_count=previous.source_count,
            shown_outlets=previous.outlets,
        ):
            store.delete(self.db, row.id)  # nothing new since the last post or update
            return None
        return card, PostedMessage(first.message_ref, first.thread_ref), previous

    def _follow_merge(self, row: DeliveryRow) -> bool:
        """A row queued for a story that has since been merged goes to the survivor, unless the
        channel already has the survivor (then posting it would show the same story twice)."""
        resolved = story_store.resolve_id(self.db, row.story_id)
        if resolved == row.story_id:
            return True
        if row.kind == "story" and store.story_post(self.db, resolved, row.channel_pk):
            store.mark_failed(
                self.db, row.id, now=self.clock(), error=f"merged into {resolved}, already queued"
            )
            return False
        store.repoint(self.db, row.id, resolved)
        row.story_id = resolved
        return True

    def _retry(
        self,
        row: DeliveryRow,
        error: str,
        retry_after: float | None,
        report: DrainReport,
        *,
        limit: int | None = None,
    ) -> None:
        now = self.clock()
        attempts = max(row.attempts, 1)
        if attempts >= min(limit or self.settings.max_attempts, self.settings.max_attempts):
            store.mark_failed(self.db, row.id, now=now, error=error)
            report.failed += 1
            log.error("delivery %d gave up after %d attempts: %s", row.id, attempts, error)
            return
        delay = retry_after if retry_after is not None else self.backoff(attempts)
        store.release(
            self.db, row.id, now=now, next_attempt_at=now + timedelta(seconds=delay), error=error
        )
        report.retried += 1
        log.warning("delivery %d failed (%s); retrying in %.0fs", row.id, error, delay)

    def _check_later(
        self, row: DeliveryRow, error: str, retry_after: float | None, report: DrainReport
    ) -> None:
        now = self.clock()
        if row.attempts >= self.settings.max_attempts:
            # Out of attempts: give up without resending, so it cannot post twice either way.
            store.mark_failed(self.db, row.id, now=now, error=error)
            report.failed += 1
            log.error("delivery %d gave up after %d attempts: %s", row.id, row.attempts, error)
            return
        delay = retry_after if retry_after is not None else self.backoff(max(row.attempts, 1))
        store.hold_sending(
            self.db, row.id, now=now, check_at=now + timedelta(seconds=delay), error=error
        )
        report.retried += 1
        log.warning(
            "delivery %d may have been posted (%s); checking in %.0fs before resending",
            row.id,
            error,
            delay,
        )

    def backoff(self, attempts: int) -> float:
        base = min(self.settings.max_backoff, self.settings.base_backoff * 2 ** (attempts - 1))
        return base * random.uniform(0.8, 1.2)

    def _pause(
        self, channel: ChannelRow, error: str, row: DeliveryRow, report: DrainReport
    ) -> None:
        """The channel cannot take posts. Keep the row pending (nothing is lost) and pause the
        channel until someone fixes it and runs /watchlist resume."""
        now = self.clock()
        reason = f"{channel.platform} refused to post ({error}) on {now:%Y-%m-%d %H:%M} UTC"
        store.release(self.db, row.id, now=now, next_attempt_at=None, error=error)
        channel_store.update_channel(self.db, channel.id, paused_reason=reason)
        report.paused.append(channel.key)
        log.error(
            "pausing channel %s: %s",
            channel.key,
            reason,
            extra={"event": "channel_paused", "channel": channel.key},
        )
