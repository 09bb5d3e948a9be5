"""What a failed send does to its delivery row: retried with backoff, held `sending` to be
checked before resending (it may have posted), given up after too many attempts, kept pending
while its channel is paused, or waiting out its route's trouble.

Attempts are for failures that are the row's own: its payload refused, its card not built, an
error nobody recognised. A platform that cannot be reached, fails (5xx) or rate-limits us
(`TransientDeliveryError`) says nothing about the row: it waits as long as that lasts, with a
growing backoff, and only `OutboxSettings.stale_after` ends it (for every kind of row:
`bot.store.stale.stale_cutoff`), or an hour's outage would drop every story queued meanwhile.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.delivery.adapter import (
    DeferredDeliveryError,
    PermanentDeliveryError,
    PlatformDeliveryError,
    RateLimitedDeliveryError,
    TransientDeliveryError,
)
from bot.delivery.pauses import pause_refused
from bot.delivery.rate_limits import LOOKUP, POST, call_of, put_off_posts, wait_over
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store import queued_posts, route_waits, stale
from bot.store.channels import ChannelRow
from bot.store.deliveries import DeliveryRow

if TYPE_CHECKING:
    from bot.delivery.outbox import DrainReport, Outbox

log = logging.getLogger(__name__)


def retry(
    outbox: Outbox,
    row: DeliveryRow,
    error: str,
    report: DrainReport,
    *,
    limit: int | None = None,
) -> None:
    now = outbox.clock()
    attempts = max(row.attempts, 1)
    if attempts >= min(limit or outbox.settings.max_attempts, outbox.settings.max_attempts):
        give_up_unsent(outbox, row, error, report, attempts=attempts)
        return
    delay = outbox.backoff(attempts)
    store.release(
        outbox.db, row.id, now=now, next_attempt_at=now + timedelta(seconds=delay), error=error
    )
    report.retried += 1
    log.warning("delivery %d failed (%s); retrying in %.0fs", row.id, error, delay)


def give_up_unsent(
    outbox: Outbox, row: DeliveryRow, error: str, report: DrainReport, *, attempts: int
) -> None:
    """Out of attempts, and surely not posted (refused, or looked for and not there): failed,
    for the operator to see (`/healthz`'s `failed_last_24h`), but for an instant post in flight
    at a switch to digest mode, whose story returns to the digest pool as it would have at any
    earlier retry (`queued_posts.give_up_unsent`). One given up while it may have landed stays failed
    whatever it was: queued again, it could post twice."""
    if queued_posts.give_up_unsent(outbox.db, row.id, now=outbox.clock(), error=error):
        log.info(
            "delivery %d was not posted (%s); its story waits for the channel's next digest",
            row.id,
            error,
        )
        return
    report.failed += 1
    log.error("delivery %d gave up after %d attempts: %s", row.id, attempts, error)


# A lookup put off this long (each wait short, but again and again) is worth the operator's eye:
# the channel's later posts wait behind it.
LONG_LOOKUP_WAIT = timedelta(minutes=5)


@dataclass(slots=True)
class _PutOff:
    """A row's run of lookups put off: since when, the error each put-off left on the row (the
    next one continues the run only if nothing has changed it since), and whether it was said."""

    nonce: str
    since: datetime
    error: str
    warned: bool = False


# Rows whose lookup is being put off, per outbox, by row id.
_put_off: weakref.WeakKeyDictionary[Outbox, dict[int, _PutOff]] = weakref.WeakKeyDictionary()
_PUT_OFF_ROWS = 1024


def _long_wait(outbox: Outbox, row: DeliveryRow, now: datetime, error: str) -> None:
    """Warn once when `row`'s lookup has been put off, again and again, for over
    `LONG_LOOKUP_WAIT`. Only one run of put-offs counts: one that ended (the lookup went
    through, or failed otherwise, and the row was resent or checked again) is no part of a later
    one, or a row put off for a moment at 09:00 was said at once to have waited hours when put
    off again at noon, and a row said once was never said again. The run goes on only while the
    row is as the last put-off left it (its error, and a row id reused is another row: its
    nonce) and it is checked again once its wait is over, not hours after (its channel paused,
    its route down meanwhile)."""
    rows = _put_off.setdefault(outbox, {})
    run = rows.get(row.id)
    due = row.next_attempt_at
    if (
        run is None
        or run.nonce != row.nonce
        or run.error != row.last_error
        or due is None
        or now - due > LONG_LOOKUP_WAIT
    ):
        if len(rows) >= _PUT_OFF_ROWS:
            rows.clear()  # rows long since checked or dropped; the rest start counting again
        rows[row.id] = _PutOff(row.nonce, now, error)
        return
    run.error = error
    if not run.warned and now - run.since > LONG_LOOKUP_WAIT:
        run.warned = True
        log.warning(
            "delivery %d to channel %d has waited %.0f min to be checked, and its channel's "
            "later posts with it: %s",
            row.id,
            row.channel_pk,
            (now - run.since).total_seconds() / 60,
            error,
        )


def defer(
    outbox: Outbox, row: DeliveryRow, exc: DeferredDeliveryError, report: DrainReport
) -> datetime:
    """Something only this row needs is rate limited: the row waits out the Retry-After and
    gives back the claim's attempt; the route is not marked down, so other channels go on.
    Returns when the row is tried again. A post holds the later posts to its place (the channel
    for a card, the story's thread for an update) until then (`put_off_posts`), so they do not
    overtake it: a digest's cards stay in order."""
    now = outbox.clock()
    later = wait_over(now, exc.retry_after)
    store.unclaim(outbox.db, row.id, now=now, next_attempt_at=later, error=str(exc), waited=False)
    if call_of(row) == POST:
        put_off_posts(outbox, row, later)
    report.retried += 1
    log.warning("delivery %d waits %.0fs: %s", row.id, (later - now).total_seconds(), exc)
    return later


def wait_for_route(
    outbox: Outbox,
    row: DeliveryRow,
    exc: TransientDeliveryError,
    route: str,
    report: DrainReport,
    *,
    mark: int | None = None,
) -> datetime | None:
    """The platform did not take a claimed send: unreachable, failing, rate limiting us, or
    refusing every post (`PlatformDeliveryError`). The route is held back as a whole (every other
    channel would fail alike) and the row waits without using an attempt; but for a call that
    failed alone (`_row_wait`, `mark` read before it): it waits its own backoff, and, as a
    deferred row does (`defer`), holds its place's later posts as long (`put_off_posts`), so a
    digest's top card does not come out under the others. Returns when the row is tried again
    in that case, for the drain to pass its place's later rows over; else None (the route is
    down, and the channel's drain stops at its next row). A send that may have landed all the
    same (`maybe_sent`: a timeout after the request went out, a 5xx) stays `sending`, to be
    looked for before it is resent."""
    now = outbox.clock()
    # `mark` counts the channel's route: another route's trouble (`exc.route`) holds it back.
    own_route = exc.route in (None, route)
    wait_until, own, alone = _row_wait(
        outbox, row, exc, exc.route or route, now, mark=mark if own_route else None
    )
    if exc.maybe_sent:
        store.hold_sending(
            outbox.db,
            row.id,
            now=now,
            check_at=wait_until,
            error=str(exc),
            attempts=-1,
            waited=own,
        )
        log.warning(
            "delivery %d may have been posted (%s); checking the channel at %s before resending",
            row.id,
            exc,
            f"{wait_until:%H:%M:%S}",
        )
    else:
        store.unclaim(
            outbox.db, row.id, now=now, next_attempt_at=wait_until, error=str(exc), waited=own
        )
    report.retried += 1
    if not alone:
        return None
    if call_of(row) == POST:
        put_off_posts(outbox, row, wait_until)
    return wait_until


def _row_wait(
    outbox: Outbox,
    row: DeliveryRow,
    exc: TransientDeliveryError,
    route: str,
    now: datetime,
    *,
    retry_at: Callable[[datetime], datetime] | None = None,
    mark: int | None = None,
) -> tuple[datetime, bool, bool]:
    """Marks the route down; returns when the row is tried again, whether this failure is the
    row's own wait (`DeliveryRow.waits`), and whether it failed alone (the route left up).

    But for a call that failed alone: unreachable or failing (a timeout, a 5xx, not a refusal
    of the route nor its rate limit) while another channel's send on the route got through
    (`Outages.through_since` the `mark` read before the call). One channel's call the platform
    never answered is that channel's trouble: its row waits its own backoff, and the route's
    other channels go on, not held back after it for the route's backoff. The channel's later
    posts wait behind it (the callers' `put_off_posts`): the order is the channel's own.

    A route already down when the row failed (its outage not ended by a send since) failed the
    row as it fails every row: the row is tried when the route is, and the wait is not the
    row's, so after a long outage a channel's oldest row, the one that probed the route each
    time, goes out with the rest, not its own backoff later. A failure with the route up (it
    recovered, the row failed again: a payload some server chokes on) is the row's: from its
    second such wait on, its own backoff applies, so one such row neither retries every half
    minute for two days nor holds its route up as often. `retry_at` adjusts the route's time."""
    if (
        mark is not None
        and not isinstance(exc, PlatformDeliveryError)
        and not exc.rate_limited
        and outbox.outages.through_since(route, mark)
    ):
        delay = exc.retry_after or outbox.backoff(row.waits + 1)
        return now + timedelta(seconds=delay), True, True
    own = route not in outbox.outages
    route_retry = outbox.outages.down(route, exc, now=now, backoff=outbox.backoff)
    if retry_at is not None:
        route_retry = retry_at(route_retry)
    waits = row.waits + 1
    if not own or waits < 2:
        return route_retry, own, False
    return max(route_retry, now + timedelta(seconds=outbox.backoff(waits))), own, False


def is_stale(outbox: Outbox, row: DeliveryRow, now: datetime) -> bool:
    """Queued longer than `stale_after`: old news, given up (`bot.store.stale.stale_cutoff`)."""
    return stale.is_stale(row, now=now, stale_after=outbox.settings.stale_after)


def check_later(outbox: Outbox, row: DeliveryRow, error: str, report: DrainReport) -> None:
    now = outbox.clock()
    if row.attempts >= outbox.settings.max_attempts:
        # Out of attempts: give up without resending, so it cannot post twice either way.
        store.mark_failed(outbox.db, row.id, now=now, error=error)
        report.failed += 1
        log.error("delivery %d gave up after %d attempts: %s", row.id, row.attempts, error)
        return
    delay = outbox.backoff(max(row.attempts, 1))
    store.hold_sending(
        outbox.db, row.id, now=now, check_at=now + timedelta(seconds=delay), error=error
    )
    report.retried += 1
    log.warning(
        "delivery %d may have been posted (%s); checking in %.0fs before resending",
        row.id,
        error,
        delay,
    )


def lookup_failed(
    outbox: Outbox,
    channel: ChannelRow,
    row: DeliveryRow,
    exc: Exception,
    report: DrainReport,
    *,
    mark: int | None = None,
) -> None:
    """Reconcile could not find out whether a `sending` row landed. The row stays `sending`
    (resending blindly could post twice), but it must not be asked about again on every drain:
    a channel that refuses us is paused (checked again on resume), a route that refuses us or
    cannot be reached is held back (`Outages.down`; no attempt used, but a row of any kind queued
    longer than `stale_after` is given up, not resent), and anything else is checked again with
    backoff, each check using up an attempt, so a lookup that never works ends in a visible
    failure, not a loop. `mark`, the channel's route's read before the lookup: one that failed
    alone holds back no route (`_row_wait`), only the channel's later posts."""
    now = outbox.clock()
    error = f"could not check whether it was posted: {type(exc).__name__}: {exc}"
    if isinstance(exc, PermanentDeliveryError):
        store.hold_sending(outbox.db, row.id, now=now, check_at=now, error=error)
        pause_refused(outbox, channel, exc, report)
        return
    if isinstance(exc, TransientDeliveryError | DeferredDeliveryError):
        if is_stale(outbox, row, now):
            # Failed, never resent: whether or not it landed, it cannot post twice.
            store.mark_failed(outbox.db, row.id, now=now, error=f"stale; {error}")
            report.failed += 1
            log.info(
                "delivery %d to %s dropped: queued since %s", row.id, channel.key, row.created_at
            )
            return
        if isinstance(exc, RateLimitedDeliveryError):
            # Lookups are limited on the route: this row and every other check wait it out,
            # posts go on (`bot.delivery.rate_limits`).
            # The route that refused it: a webhook channel's history is read by the bot.
            until = outbox.rate_limits.hold(exc.route or outbox.route_of(channel), LOOKUP, exc, now)
            store.hold_sending(outbox.db, row.id, now=now, check_at=until, error=error)
            return
        if isinstance(exc, DeferredDeliveryError):
            # Only this check's lookup is limited (Slack's conversations.list for a channel
            # set by name): checked after it, the route left alone. The channel's later posts
            # wait for it too: resent after them, the row would come out of order.
            later = wait_over(now, exc.retry_after)
            store.hold_sending(outbox.db, row.id, now=now, check_at=later, error=error)
            put_off_posts(outbox, row, later)
            _long_wait(outbox, row, now, error)
            return
        route = exc.route or outbox.route_of(channel)

        def given_up(retry_at: datetime) -> datetime:
            if retry_at <= now and route != outbox.route_of(channel):
                # Another route than the channel's own, given up for the run (a Discord
                # webhook channel's lookup needs the bot, whose token was refused): `blocked`
                # holds back only the channel's own route, so without a later time the row
                # would be asked about on every drain. It waits for a restart; looked at again
                # hourly meanwhile.
                return now + timedelta(seconds=outbox.settings.max_backoff)
            return retry_at

        own_route = route == outbox.route_of(channel)
        check_at, own, alone = _row_wait(
            outbox, row, exc, route, now, retry_at=given_up, mark=mark if own_route else None
        )
        store.hold_sending(outbox.db, row.id, now=now, check_at=check_at, error=error, waited=own)
        if alone:
            # Its route left up, the channel's drain goes on: its later posts wait for it, or,
            # resent after them, it would come out of order (as for `defer`).
            put_off_posts(outbox, row, check_at)
        return
    attempts = row.attempts + 1
    if attempts >= outbox.settings.max_attempts:
        store.mark_failed(outbox.db, row.id, now=now, error=error)
        report.failed += 1
        log.error("delivery %d gave up after %d attempts: %s", row.id, attempts, error)
        return
    delay = outbox.backoff(attempts)
    store.hold_sending(
        outbox.db,
        row.id,
        now=now,
        check_at=now + timedelta(seconds=delay),
        error=error,
        attempts=1,
    )
    report.retried += 1
    log.warning(
        "could not check delivery %d in %s (%s); checking again in %.0fs",
        row.id,
        channel.key,
        exc,
        delay,
    )


def retry_route(outbox: Outbox, route: str) -> None:
    """The route's connection is back (Slack's Socket Mode reconnected) before its backoff ended:
    its posts are tried now, once, rather than up to an hour later. The rows that waited for it
    come first again, so a channel's posts still go out in order; should the route fail again,
    it backs off as before."""
    now = outbox.clock()
    outage = outbox.outages.get(route)
    if outage is None or outage.fatal or outage.retry_at <= now:
        return
    until, outage.retry_at = outage.retry_at, now
    channels = [c.id for c in channel_store.list_channels(outbox.db) if outbox.route_of(c) == route]
    rows = route_waits.retry_now(outbox.db, channels, now=now, until=until)
    log.info("%s is back: its %d waiting post(s) are tried now", route, rows)
    outbox.kick()
