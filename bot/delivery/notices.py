"""Sending the outbox's plain notices (`alerts`: a feed this channel relies on was disabled).

A notice is simpler than a story post: nothing threads on it, so it is never lost rather than
reconciled row by row. A notice too long for one message goes out as several pieces, each recorded
once it landed (`bot.store.alerts.note_pieces`): a resend after a failure partway (a 429 or a 5xx on
the second piece) or a crash goes on from the first piece not recorded, never repeating one
recorded. That piece may have landed when its answer was lost (a timeout, a 5xx) or a crash came
mid-send (`requeue_stale_alerts`): the notice is marked `unsure`, and where the adapter can look
(`find_text`: a Discord webhook channel, through the bot, as Execute Webhook takes no nonce) the
piece is looked for before it is sent again (`_landed`); where it cannot, it is sent again, a rare
duplicate piece being accepted rather than a notice left short, and so is one that could not be
looked for `LOOKUP_TRIES` times in a row (the bot's token refused, the bot away). The bot's pieces
carry the notice's nonce (`notice_nonce`) and their number, which Discord de-duplicates for a few
minutes.

A notice put off for its channel's own rate limit (a Discord bucket's 429) holds the channel's cards
and notices queued after it (`store.hold_cards`, `notice_first`): they go out after it, as after a
card put off. Only while it is rate limited: once it fails otherwise (a 5xx, a lookup of its piece
failing) it waits on its own backoff and holds nothing, as a notice failing never holds its route
back. One the channel refuses (a 403 or 404: the channel is paused) keeps its hold, which costs
nothing while the channel is paused: resumed, it goes before those cards, as it was queued. A digest's backlog's message waits for that digest's list however the
list was put off (`store.leading_alert`: a 5xx's own backoff too), so the two keep their order; the
list holds no other notice. Both wait for the digest's cards: while a card queued with them or
before them is still to go (put off by a rate limit, a Discord bucket's 429 or its heading's,
retrying after a failure, or to be looked for), they wait for the last of them
(`store.cards_ahead`), and go once every one is sent or given up (out of attempts, stale). Like every outbox row it is given up once queued longer than
`stale_after` (`bot.store.alerts.expire_stale`), except a "feed disabled" notice while its feed
stays disabled: still news, and queued only once per disabling.
"""

from __future__ import annotations

import logging
import math
import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

import sqlite_utils

from bot.delivery.adapter import (
    ChatAdapter,
    DeferredDeliveryError,
    DeliveryError,
    PermanentDeliveryError,
    RateLimitedDeliveryError,
    TransientDeliveryError,
)
from bot.delivery.pauses import pause_refused
from bot.delivery.rate_limits import POST, wait_over
from bot.delivery.send import settle
from bot.runner.feed_alerts import disabled_feed_text_now
from bot.runner.schedule import quiet_until
from bot.store import alerts as store
from bot.store import channels as channel_store
from bot.store.channels import ChannelRow
from bot.store.database import is_busy
from bot.store.deliveries import DeliveryRow

if TYPE_CHECKING:
    from bot.delivery.outbox import DrainReport, Outbox

log = logging.getLogger(__name__)

# Lookups of a piece that may have landed (`_landed`) failing in a row before it is sent again
# anyway: on its own backoff, which doubles with its age, some half an hour for a notice that
# just failed, hours for one queued long before. A repeated notice is harmless (it is
# at-least-once), one never sent is not.
LOOKUP_TRIES = 6


async def send_alerts(outbox: Outbox, report: DrainReport, channel_pk: int) -> None:
    """The channel's due notices, after its cards (at the end of its drain,
    `bot.delivery.channel_drain`: a notice that hangs holds up no other channel's)."""
    now = outbox.clock()
    for alert in store.due_alerts(outbox.db, now):
        if alert.channel_pk != channel_pk:
            continue
        channel = channel_store.get_channel_by_pk(outbox.db, alert.channel_pk)
        if channel is None or channel.paused_reason:
            continue
        if (sender := outbox.sender(channel, now)) is None:
            continue
        ahead = store.holding_alert(outbox.db, channel.id, now)
        if ahead is not None and ahead.id < alert.id:
            # An earlier notice put off for the channel's limit: this one goes after it.
            until = ahead.next_attempt_at if ahead.next_attempt_at else now
            store.set_alert_state(
                outbox.db, alert.id, "pending", now=now, next_attempt_at=max(until, now)
            )
            continue
        if (lead := store.leading_alert(outbox.db, alert, now)) is not None:
            # Its digest's list is still to go out (a 5xx put it off on its own backoff, a
            # look for a lost piece could not be made): this one, the backlog's message, waits
            # as long, not sent before the list it follows.
            until = lead.next_attempt_at if lead.next_attempt_at else now
            store.set_alert_state(
                outbox.db, alert.id, "pending", now=now, next_attempt_at=max(until, now)
            )
            continue
        if (waited := store.cards_ahead(outbox.db, alert, now)) is not None:
            # A digest's list or backlog's message, with a card of its digest (or an earlier
            # one) still to go: it waits for the last of them, so it closes the digest as it
            # says. Due now (the card not sent this drain), it stays due: no wake-up for it.
            if waited > now:
                store.set_alert_state(
                    outbox.db, alert.id, "pending", now=now, next_attempt_at=waited
                )
            continue
        await send_notice(outbox, channel, alert, sender, report)


async def notice_first(
    outbox: Outbox, channel_pk: int, report: DrainReport
) -> store.AlertRow | None:
    """Before a channel's cards: its notice put off for the channel's own limit (`hold_cards`),
    sent now if due, so the cards queued after it do not overtake it. The notice if it is
    still pending (its cards queued after it wait for it), else None."""
    now = outbox.clock()
    alert = store.holding_alert(outbox.db, channel_pk, now)
    if alert is None:
        return None
    channel = channel_store.get_channel_by_pk(outbox.db, channel_pk)
    sender = None if channel is None else outbox.sender(channel, now)
    if channel is None or channel.paused_reason or sender is None:
        return alert
    if alert.next_attempt_at is None or alert.next_attempt_at <= now:
        await send_notice(outbox, channel, alert, sender, report)
    return store.holding_alert(outbox.db, channel_pk, outbox.clock())


def held_by(notice: store.AlertRow, row: DeliveryRow) -> bool:
    """Whether a channel's `row` waits for its `notice` put off ahead of it: a card queued after
    it (`store.hold_cards`)."""
    return row.kind == "story" and row.created_at is not None and row.created_at > notice.created_at


async def send_notice(
    outbox: Outbox,
    channel: ChannelRow,
    alert: store.AlertRow,
    sender: tuple[ChatAdapter, str],
    report: DrainReport,
) -> None:
    """One notice's send and its outcome."""
    now = outbox.clock()
    adapter, route = sender
    if (until := quiet_until(now, channel.quiet_hours, channel.timezone)) is not None:
        store.set_alert_state(outbox.db, alert.id, "pending", now=now, next_attempt_at=until)
        return
    if (until := outbox.rate_limits.until(route, POST, now)) is not None:
        # The route's posts are rate limited (`bot.delivery.rate_limits`): it would be refused.
        store.set_alert_state(outbox.db, alert.id, "pending", now=now, next_attempt_at=until)
        return
    start = alert.pieces_posted
    if alert.unsure:
        found = await _landed(outbox, channel, alert, adapter)
        if found is None:
            return  # could not look: it waits, not sent blind
        start = found
    if alert.key.startswith("feed-disabled:") and not alert.pieces_posted and not alert.unsure:
        text = disabled_feed_text_now(outbox.db, alert.key, alert.text, channel.platform)
        if text != alert.text:
            store.rewrite_text(outbox.db, alert.id, text)
            alert = replace(alert, text=text)
    await outbox.pace_channel(channel.id)
    store.set_alert_state(outbox.db, alert.id, "sending", now=now)
    pieces = _Pieces(outbox.db, alert.id)
    error: Exception | None = None
    try:
        await adapter.post_text(
            channel,
            alert.text,
            start=start,
            posted=pieces,
            nonce=notice_nonce(alert),
        )
    except Exception as exc:  # settled below, the pieces that landed recorded first
        error = exc
    outcome = partial(_outcome, outbox, channel, alert, route, now, error, pieces, report)
    settle(outbox, f"notice {alert.id}", outcome)


def _outcome(
    outbox: Outbox,
    channel: ChannelRow,
    alert: store.AlertRow,
    route: str,
    now: datetime,
    error: Exception | None,
    pieces: _Pieces,
    report: DrainReport,
) -> None:
    """What the notice's send came to, written: run again while another process holds the
    write lock (`bot.delivery.send.settle`), so it must be safe to repeat."""
    pieces.write()
    try:
        if error is not None:
            raise error
    except RateLimitedDeliveryError as exc:
        # Refused, not sent: it and the route's other posts wait for the Retry-After.
        until = outbox.rate_limits.hold(route, POST, exc, outbox.clock())
        store.set_alert_state(
            outbox.db, alert.id, "pending", now=now, error=str(exc), next_attempt_at=until
        )
    except DeferredDeliveryError as exc:
        # Only this channel's limit (a Discord bucket's): the notice waits it out, using no
        # attempt, and the route's other posts go on; the channel's cards queued after it wait
        # for it, as they would for a card put off (`store.hold_cards`).
        until = wait_over(outbox.clock(), exc.retry_after)
        store.set_alert_state(
            outbox.db, alert.id, "pending", now=now, error=str(exc), next_attempt_at=until
        )
        store.hold_cards(outbox.db, alert, now=now, until=until)
    except TransientDeliveryError as exc:
        if exc.maybe_sent:
            store.set_unsure(outbox.db, alert.id, True)
        # The route was taking posts when this went out (`sender` let it through, after this
        # drain's story posts), so the notice waits on its own backoff and does not hold its
        # route back: a notice the platform always chokes on would otherwise stop every
        # channel's posts on each retry. A real outage is found and shown by the posts that
        # fail too. No attempt is used (`set_alert_state` gives back the one 'sending'
        # took); the stale rule ends a wait that never does.
        # Put off for its channel's limit before, it no longer holds the channel's cards (but
        # for another 429): they would wait out its own backoff with it, for ever if it never
        # works (a "feed disabled" notice never goes stale).
        delay = _put_off(
            outbox,
            alert,
            exc,
            now,
            error=str(exc),
            holds_cards=None if exc.rate_limited else False,
        )
        log.warning(
            "notice %d to %s failed (%s); retrying in %.0fs", alert.id, channel.key, exc, delay
        )
    except PermanentDeliveryError as exc:
        # The channel is paused, and nothing goes to it until it is resumed: a hold the notice
        # had is kept, so then it still goes before the cards queued after it (`notice_first`)
        # rather than after them. Dropped, the cards came out first.
        store.set_alert_state(outbox.db, alert.id, "pending", now=now, error=str(exc))
        pause_refused(outbox, channel, exc, report)
    except Exception as exc:
        store.set_unsure(outbox.db, alert.id, True)  # unknown: it may have landed
        state = "failed" if alert.attempts + 1 >= outbox.settings.max_attempts else "pending"
        retry = now + timedelta(seconds=outbox.backoff(alert.attempts + 1))
        store.set_alert_state(
            outbox.db,
            alert.id,
            state,
            now=now,
            error=str(exc),
            next_attempt_at=retry,
            attempt_used=True,
            holds_cards=False,
        )
    else:
        outbox.outages.up(route)
        store.set_alert_state(outbox.db, alert.id, "sent", now=outbox.clock())
        report.alerts += 1


async def _landed(
    outbox: Outbox, channel: ChannelRow, alert: store.AlertRow, adapter: ChatAdapter
) -> int | None:
    """The pieces of a notice that landed, its first piece not recorded included if it did: the
    piece whose answer was lost is looked for in the channel first (`find_text`, where the
    adapter can look: a Discord webhook channel through the bot, as a webhook takes no nonce),
    rather than sent again blind. None when it could not be looked for now (the bot away or
    rate limited, history failing): the notice waits its own backoff and looks again, up to
    `LOOKUP_TRIES` times in a row; then it is sent again, and may show twice."""
    piece = alert.pieces_posted + 1
    find = getattr(adapter, "find_text", None)
    if find is None:
        return alert.pieces_posted
    now = outbox.clock()
    try:
        found = await find(channel, alert.text, piece=piece, since=alert.created_at)
    except DeliveryError as exc:
        failed = store.lookup_failed(outbox.db, alert.id)
        if failed >= LOOKUP_TRIES:
            # The bot refused or away for good (a token Discord refused waits for a restart):
            # not held for ever, which a "feed disabled" notice, never stale, would be. Sent
            # again, as where nothing can look.
            log.warning(
                "notice %d to %s: piece %d may have been posted already, and is resent after "
                "%d failed lookups (%s); it may show twice",
                alert.id,
                channel.key,
                piece,
                failed,
                exc,
            )
            store.set_unsure(outbox.db, alert.id, False)
            return alert.pieces_posted
        delay = _put_off(
            outbox,
            alert,
            exc,
            now,
            error=f"looking for piece {piece}: {exc}",
            holds_cards=False,  # on its own backoff, as after a failed send
            at_least=1.0,
        )
        log.warning(
            "notice %d to %s: could not look for piece %d (%s); looking again in %.0fs",
            alert.id,
            channel.key,
            piece,
            exc,
            delay,
        )
        return None
    if found:
        log.info("notice %d to %s: piece %d had landed", alert.id, channel.key, piece)
        store.note_pieces(outbox.db, alert.id, piece)
        return piece
    store.set_unsure(outbox.db, alert.id, False)
    return alert.pieces_posted


class _Pieces:
    """The `posted` callback of a notice's send: each piece that landed recorded at once
    (`store.note_pieces`), or, met by another process's write lock, with the send's outcome."""

    def __init__(self, db: sqlite_utils.Database, alert_id: int) -> None:
        self.db = db
        self.alert_id = alert_id
        self.unwritten = 0

    def __call__(self, posted: int) -> None:
        try:
            store.note_pieces(self.db, self.alert_id, posted)
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
            self.unwritten = max(self.unwritten, posted)

    def write(self) -> None:
        if self.unwritten:
            store.note_pieces(self.db, self.alert_id, self.unwritten)
            self.unwritten = 0


def notice_nonce(alert: store.AlertRow) -> str:
    """The notice's nonce, the same on every resend: its row's id, and when it was queued, so
    another database's notice of the same id (a second install posting to one channel) is not
    taken for it."""
    return f"notice-{alert.id}-{alert.created_at:%Y%m%d%H%M%S}"


def _put_off(
    outbox: Outbox,
    alert: store.AlertRow,
    exc: DeliveryError,
    now: datetime,
    *,
    error: str,
    holds_cards: bool | None,
    at_least: float | None = None,
) -> float:
    """The notice `exc` failed back to pending, until the wait the platform asked for
    (`retry_after`), else its own backoff, has passed, and `at_least` seconds where given.
    Returns that wait, as asked for, for the log."""
    delay = exc.retry_after if isinstance(exc, TransientDeliveryError) else None
    if delay is None:
        delay = _own_backoff(outbox, alert, now)
    wait = delay if at_least is None else max(delay, at_least)
    store.set_alert_state(
        outbox.db,
        alert.id,
        "pending",
        now=now,
        error=error,
        next_attempt_at=now + timedelta(seconds=wait),
        holds_cards=holds_cards,
    )
    return delay


def _own_backoff(outbox: Outbox, alert: store.AlertRow, now: datetime) -> float:
    """Seconds a notice the platform failed waits before it is tried again.

    Its transient failures use no attempt, so `attempts` cannot count them; the notice's age
    does instead. Waiting about as long as it has been queued doubles the wait on each failure,
    i.e. `Outbox.backoff` at the failure count that age implies (same base, cap and jitter as
    every row's). Not `bot.delivery.failures`' route wait: that marks the route down, which a
    notice must not do (see `send_alerts`)."""
    base = outbox.settings.base_backoff
    age = max((now - alert.created_at).total_seconds(), base)
    return outbox.backoff(1 + math.floor(math.log2(age / base)))
