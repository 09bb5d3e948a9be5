"""A platform's rate limit met by the outbox: the kind of call refused waits, nothing sleeps.

Slack limits chat.postMessage to about one message per second per channel (short bursts
allowed), with limits over the whole workspace on top; chat.update and the history lookups
have limits of their own, per workspace. A 429 does not say which limit it was, so a refused
post holds every post on the route (all of the workspace's channels) until its Retry-After:
the safe reading, as posting on in other channels could be refused in turn, while our own
pacing (one post a second per channel) keeps a channel's own limit from being the usual cause.
Discord's 429 says its scope: only its global limit is held here, a bucket's puts off just the
row (`DeferredDeliveryError`, `bot.delivery.failures.defer`), and with it the posts queued after
it to the same place (`put_off_posts`), which would otherwise overtake it: a digest's cards would
come out of order. The place is the channel for a card, the story's thread for an update (on
Discord's bot route a channel of its own, with its own bucket; a webhook's posts share one
bucket, so there a card after an update's 429 may meet one too, and is put off in turn): a
thread's slowmode holds neither the channel's cards nor other threads. A Slack lookup of a
channel's id, limited, for a post it must look for, puts off that channel's posts the same way.
Sleeping through it inside the call (slack-sdk's retry handler did) held the drain, and with it
every channel and platform, for up to a minute. Instead the adapter raises
`RateLimitedDeliveryError` at once and the outbox holds that kind of call on that route until
the Retry-After has passed:

    post    a new message: a card, an update's thread reply, a notice, a digest's heading
    edit    a posted card made to show its story now (`refresh_card`)
    lookup  whether a post landed (`find_posted`, during reconcile)

The row that was refused and every row of the route that needs the same call are put off to
that time (`bot.store.deliveries.postpone`), using no attempt and counting no wait of their own,
so the drain goes on with the rest at once: other kinds of call, other routes, other platforms.
A 429 means the platform refused the request, so the row is resent, never looked for first.
A post the adapter makes outside any row, the rest of a card too big for one message (Slack's
overflow, posted in the card's thread in a background task that waits out its own Retry-After),
sets the same hold when refused (`hold_posts`, the listener the outbox gives an adapter that
asks for one at `register`): otherwise the rows queued behind the card would be sent into the
limit while the part waits, each refused in turn. No
channel is paused and the route is not marked down (no `/healthz` problem): being asked to slow
down is no outage, but the holds in force are listed in `/healthz` (`rate_limits`: route,
call, until), so a long one shows. The holds live in memory; after a restart a held row is
simply due at its stored time. After the wall clock steps back, the holds and the rows' waits
end as much earlier (`pull_back`, `bot.runner.clock_waits`). Which call an adapter method makes is the outbox's knowledge,
not the adapter's: the adapter only says "rate limited, for so long".
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.delivery.adapter import RateLimitedDeliveryError
from bot.store import card_refreshes
from bot.store import deliveries as store
from bot.store.deliveries import DeliveryRow

if TYPE_CHECKING:
    from bot.delivery.outbox import DrainReport, Outbox

log = logging.getLogger(__name__)

POST = "post"
EDIT = "edit"
LOOKUP = "lookup"
# A card's place (`place_of`); an update's is its story's thread.
CHANNEL = "channel"

# The shortest wait after a 429, whatever it asks: Retry-After 0 is no invitation to resend at
# once.
MIN_WAIT = 1.0
# The longest: the outbox's own backoff tops out hourly, and a Retry-After of a million seconds
# (a proxy's mistake, a garbled header) would hold every post of the workspace for days, until
# the stale rule gave them all up.
MAX_WAIT = 3600.0


def call_of(row: DeliveryRow) -> str:
    """The call a row's send makes: an edit of its card, or a new message (a card, a reply)."""
    return EDIT if row.kind == card_refreshes.REFRESH else POST


class RateLimits:
    """(route, call) -> when the platform takes that call again."""

    def __init__(self) -> None:
        self._until: dict[tuple[str, str], datetime] = {}

    def until(self, route: str, call: str, now: datetime) -> datetime | None:
        """When `call` may go to `route` again; None when it may now."""
        until = self._until.get((route, call))
        if until is None:
            return None
        if until <= now:
            del self._until[(route, call)]
            return None
        return until

    def active(self, now: datetime) -> list[tuple[str, str, datetime]]:
        """The holds in force: (route, call, until), soonest over first."""
        held = [(route, call, until) for (route, call), until in self._until.items() if until > now]
        return sorted(held, key=lambda hold: (hold[2], hold[0], hold[1]))

    def pull_back(self, step: timedelta, now: datetime) -> None:
        """The wall clock stepped back by `step` (`bot.runner.clock_watch`): each hold, a
        Retry-After counted from the clock before it, ends as much earlier (never before now)."""
        self._until = {key: max(now, until - step) for key, until in self._until.items()}

    def hold(self, route: str, call: str, exc: RateLimitedDeliveryError, now: datetime) -> datetime:
        """Record the refusal; returns when the call may be made again. Said once per episode,
        as a warning: sends that were already under way when it began add nothing to say."""
        later = wait_over(now, exc.retry_after)
        current = self.until(route, call, now)
        self._until[(route, call)] = max(later, current) if current is not None else later
        if current is None:
            log.warning(
                "%s rate limits our %s calls (%s); none is made for %.0fs, the rows that need "
                "one wait until then",
                route,
                call,
                exc,
                (later - now).total_seconds(),
                extra={"event": "platform_rate_limited", "platform": route, "call": call},
            )
        return self._until[(route, call)]


def hold_posts(outbox: Outbox, route: str, exc: RateLimitedDeliveryError) -> None:
    """A post of the adapter's own on `route` (a card's overflow part) was refused for the rate
    limit: the route's posts are held as for a row's 429, and the rows that need one wait it
    out, using no try, as they come up (`held`)."""
    outbox.rate_limits.hold(exc.route or route, POST, exc, outbox.clock())


def wait_over(now: datetime, retry_after: float) -> datetime:
    """When a wait of `retry_after` seconds asked at `now` is over, to the second after it: rows
    store times to the second, and rounded down, a held row would come due, and wake the outbox,
    a moment before the wait ends. At least `MIN_WAIT`: a 429 asking for no wait (Retry-After
    0) would otherwise have its row sent again at once, into the limit. At most `MAX_WAIT`, and
    a wait that is no number (NaN) is the longest: asked to wait, never resend at once."""
    wait = min(retry_after, MAX_WAIT) if retry_after == retry_after else MAX_WAIT
    later = now + timedelta(seconds=max(wait, MIN_WAIT))
    if later.microsecond:
        later = later.replace(microsecond=0) + timedelta(seconds=1)
    return later


def place_of(row: DeliveryRow) -> str | None:
    """Where a row's post shows, whose order it keeps: the channel for a card, the story's
    thread for an update; None for an edit, which shows in no order."""
    if call_of(row) != POST:
        return None
    return f"thread:{row.story_id}" if row.kind == "update" else CHANNEL


def put_off_posts(outbox: Outbox, row: DeliveryRow, until: datetime) -> None:
    """A post (`row`) waits for `until` (a Discord bucket's 429, a digest heading refused by one,
    a Slack lookup limited): the posts queued after it to the same place (`place_of`) wait as
    long, so none overtakes it and a digest's cards keep their order. Other places go on: a
    thread's limit is not its channel's, nor a card's the threads'."""
    story_id = row.story_id if row.kind == "update" else None
    store.postpone_posts(
        outbox.db,
        row.channel_pk,
        from_id=row.id,
        story_id=story_id,
        now=outbox.clock(),
        until=until,
    )


def held(outbox: Outbox, route: str, row: DeliveryRow, now: datetime) -> bool:
    """Whether the row's call is held on its route: if so it is put off until the hold ends."""
    until = outbox.rate_limits.until(route, call_of(row), now)
    if until is None:
        return False
    store.postpone(outbox.db, row.id, now=now, until=until)
    return True


def wait_out(
    outbox: Outbox,
    row: DeliveryRow,
    exc: RateLimitedDeliveryError,
    route: str,
    report: DrainReport,
) -> None:
    """A claimed row's send was refused for the rate limit: nothing was sent, so the row goes
    back to pending for after the Retry-After, its claim's attempt given back and no wait of its
    own counted (the limit is the route's, not the row's), and its call is held on the route."""
    now = outbox.clock()
    until = outbox.rate_limits.hold(route, call_of(row), exc, now)
    store.unclaim(outbox.db, row.id, now=now, next_attempt_at=until, error=str(exc), waited=False)
    report.retried += 1
