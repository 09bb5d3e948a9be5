"""The rest of a message too big for one: its overflow messages, posted in its thread.

Once the first message landed, the post exists, so nothing here raises: raising would make the
caller post the whole message again, first part included. Each part is posted once, in order; a
part Slack provably did not take (a 429, a connection never made) is tried again, up to
`OVERFLOW_TRIES` times; any other failure is not retried, since the part may have landed or
would be refused again. A part given up, or left unposted at shutdown (the call or the task
cancelled, even while posting the parts that need no wait), is an ERROR in the log: none is
dropped silently. A part whose request was under way when cancelled is logged as one that may
not have been posted: Slack may have taken it.

Where a retry's wait happens depends on who is waiting:

- A card's overflow (the outbox's send, `max_wait=None`): the parts that need no wait are posted at
  once; the first that must wait out a Retry-After, and the parts after it, are handed to a
  background task, so the channel's drain (`bot.delivery.channel_drain`) returns at once, and its
  next card is not held behind a wait in another card's thread. The parts go into the card's thread,
  so their order against other cards is of no matter. Each 429 a part meets is told to the outbox
  (`on_limited`, set at its `register`), which holds the route's posts as for a row's 429
  (`bot.delivery.rate_limits.hold_posts`): the cards queued behind wait out the Retry-After, using
  no try, instead of being sent into the limit while the part waits. The task waits each Retry-After
  out (capped at `MAX_OVERFLOW_WAIT`); the adapter's `finish_overflow` lets the tasks finish for a
  grace period at shutdown, within the runner's deadline for the platform's stop, then cancels them.
  The runner also finishes, last, tasks its platform's stop did not (`finish_background`): a stop
  mid-run for a refused app token, while the outbox keeps posting with the adapter, leaves them
  going, and more may be posted after it.
- A command's reply (`max_wait` given, 3 s): the person is looking at the channel, so a short
  Retry-After is waited out once, in the call; a longer one, or a second, gives the rest up and
  the caller is told how many parts were not posted.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.adapters.slack.blocks import SlackMessage
from bot.adapters.slack.errors import RATE_LIMIT_WAIT, delivery_error
from bot.delivery.adapter import (
    DeliveryError,
    PermanentDeliveryError,
    PlatformDeliveryError,
    RateLimitedDeliveryError,
    TransientDeliveryError,
)

log = logging.getLogger(__name__)

# An overflow message Slack provably did not take is tried this often.
OVERFLOW_TRIES = 3
# Waited in a background task, where it holds nobody up: a Retry-After is waited out whole, as a
# retry inside it is refused again, up to Slack's rate limit window.
MAX_OVERFLOW_WAIT = RATE_LIMIT_WAIT

Post = Callable[[str, SlackMessage, str], Awaitable[Any]]
Sleep = Callable[[float], Awaitable[Any]]
OnLimited = Callable[[RateLimitedDeliveryError], None]


@dataclass(slots=True)
class Rest:
    """The overflow parts of one message still to post in its thread, in order."""

    channel_id: str
    thread_ts: str
    total: int
    parts: list[tuple[int, SlackMessage]]
    # Tries of parts[0] so far, and the wait its last refusal asked for before the next.
    tries: int = 0
    wait: float = 0.0
    # Parts known not to be posted (refused, given up).
    lost: list[int] = field(default_factory=list)
    # parts[0]'s request is under way: cut off now, it may have landed.
    in_flight: bool = False
    # A card's (the outbox's send): its 429s are told to the outbox, which holds its posts.
    card: bool = False

    def where(self, number: int) -> str:
        return f"part {number} of {self.total} of {self.thread_ts} in {self.channel_id}"

    def next_part(self) -> None:
        self.parts.pop(0)
        self.tries = 0

    def give_up(self, why: str) -> None:
        """Every part left is not posted: one ERROR naming them (and one for a part whose
        request was cut off, which may have landed)."""
        if self.in_flight and self.parts:
            number = self.parts.pop(0)[0]
            self.in_flight = False
            log.error("Slack: %s may not have been posted (cut off): %s", self.where(number), why)
        if not self.parts:
            return
        numbers = [number for number, _ in self.parts]
        log.error(
            "Slack: part(s) %s of %d of %s in %s not posted: %s",
            ", ".join(map(str, numbers)),
            self.total,
            self.thread_ts,
            self.channel_id,
            why,
        )
        self.lost += numbers
        self.parts.clear()


class OverflowPoster:
    """Posts overflow parts through `post` (the adapter's paced chat.postMessage in a thread);
    the background tasks of cards' overflow are kept here until done."""

    def __init__(self, post: Post, sleep: Sleep) -> None:
        self._post = post
        self._sleep = sleep
        self.tasks: set[asyncio.Task[None]] = set()
        # Told each 429 a card's part meets (the outbox's `hold_posts`): none when no outbox
        # sends through the adapter.
        self.on_limited: OnLimited | None = None

    async def post(
        self,
        channel_id: str,
        thread_ts: str,
        messages: list[SlackMessage],
        *,
        max_wait: float | None,
    ) -> list[int]:
        """Post `messages` (parts 2 on) in the thread; the part numbers known not posted when
        this returns. `max_wait` None: a wait goes to the background (a card); else the
        longest Retry-After waited out here, once (a reply)."""
        rest = Rest(channel_id, thread_ts, len(messages) + 1, list(enumerate(messages, 2)))
        rest.card = max_wait is None
        try:
            if await self._advance(rest):
                return rest.lost
            if max_wait is None:
                task = asyncio.create_task(self._finish(rest), name=f"slack-overflow-{thread_ts}")
                self.tasks.add(task)
                task.add_done_callback(self.tasks.discard)
                return rest.lost
            if rest.wait <= max_wait:
                log.info("Slack: %s waits %.1fs once", rest.where(rest.parts[0][0]), rest.wait)
                await self._sleep(rest.wait)
                if await self._advance(rest):
                    return rest.lost
        except asyncio.CancelledError:
            # The outbox's drain cut short at shutdown, or the command's task cancelled.
            rest.give_up("cancelled while posting them (shutdown)")
            raise
        rest.give_up(f"rate limited or unreachable, not waited for (Retry-After {rest.wait:.0f}s)")
        return rest.lost

    async def finish(self, grace: float) -> None:
        """Let the background parts go out for up to `grace` seconds, then cancel the tasks left
        (each logs the parts it did not post). Cancelled itself, it cancels them too."""
        if not self.tasks:
            return
        tasks = set(self.tasks)
        try:
            await asyncio.wait(tasks, timeout=grace)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _finish(self, rest: Rest) -> None:
        try:
            while True:
                await self._sleep(rest.wait)
                if await self._advance(rest):
                    return
        except asyncio.CancelledError:
            rest.give_up("stopped before they were posted (shutdown)")
            raise
        except Exception:
            log.exception("Slack: posting the overflow of %s failed", rest.thread_ts)
            rest.give_up("posting them failed")

    async def _advance(self, rest: Rest) -> bool:
        """Post the parts in order until all are settled (True) or the first left must wait
        `rest.wait` before its next try (False)."""
        while rest.parts:
            number, message = rest.parts[0]
            where = rest.where(number)
            rest.tries += 1
            rest.in_flight = True
            try:
                await self._post(rest.channel_id, message, rest.thread_ts)
            except Exception as exc:
                rest.in_flight = False
                error = _overflow_error(exc)
            else:
                rest.in_flight = False
                rest.next_part()
                continue
            if rest.card and isinstance(error, RateLimitedDeliveryError):
                # Even on its last try: the cards queued behind would meet the same limit.
                self._tell_limited(error)
            if isinstance(error, PermanentDeliveryError | PlatformDeliveryError):
                # The channel or the token refuses posts altogether: the rest would fail too.
                rest.give_up(f"the channel refuses posts: {error}")
                return True
            if isinstance(error, TransientDeliveryError) and error.maybe_sent:
                # Not resent (it would show twice if it did land); nor is its thread searched,
                # since overflow messages carry no metadata to find them by. An error all the
                # same: the card may be missing a part.
                log.error("Slack: %s may not have been posted (not resent): %s", where, error)
                rest.next_part()
                continue
            if not isinstance(error, TransientDeliveryError) or rest.tries >= OVERFLOW_TRIES:
                log.error("Slack: %s not posted (try %d, given up): %s", where, rest.tries, error)
                rest.lost.append(number)
                rest.next_part()
                continue
            wait = 1.0 if error.retry_after is None else error.retry_after
            rest.wait = min(max(wait, 0.0), MAX_OVERFLOW_WAIT)
            log.warning("Slack: %s not posted (try %d, retrying): %s", where, rest.tries, error)
            return False
        return True

    def _tell_limited(self, error: RateLimitedDeliveryError) -> None:
        """The outbox holds the route's posts for the Retry-After; never raises, as nothing
        here may (the card's post exists)."""
        if self.on_limited is None:
            return
        try:
            self.on_limited(error)
        except Exception:
            log.exception("Slack: could not tell the outbox of an overflow message's 429")


def _overflow_error(exc: Exception) -> DeliveryError:
    """Never raises: an error escaping here would reach `post_card`, which would report the
    whole card as failed and have it posted again, first message included."""
    try:
        return delivery_error(exc, "chat.postMessage")
    except Exception:
        log.exception("Slack: could not make sense of an overflow message's failure")
        return TransientDeliveryError(
            f"Slack chat.postMessage: {type(exc).__name__}: {exc}", maybe_sent=True
        )
