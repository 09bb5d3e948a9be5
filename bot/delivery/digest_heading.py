"""The heading over a scheduled digest, on a platform that shows one (the console prints the
preview's "News digest · #team · … · 2 stories" above the cards; Slack and Discord post
"News digest · … · 2 stories" as a message of its own, so a team sees where a digest's cards
start). It gives the digest's time (`digest_time`: when its cards were queued to go out, not
when an outage let them out) and how many cards follow, so the digest's new stories are
prepared before it is shown: a row settled there (muted, merged into a story the channel has, story gone, no longer
wanted) is not counted. It is closed when the drain is done with the channel (`close_digest`),
so the adapter's state for it does not reach a later drain's posts, or a post of the channel
switched to instant; only the record of which rows a heading counted does (`Headings`, below).

A chat platform's heading is a plain message, not an outbox row, and it never holds the cards
back: one refused is logged and the cards go out without it; a drain cut short (a crash, an
outage) heads the cards still to go when it resumes. One refused for the platform's rate limit
is the exception: the cards would be refused as well, so they wait for its Retry-After
(`bot.delivery.rate_limits`; a Discord bucket's 429, the channel's own, puts off that channel's
posts alone) and get their heading then. A heading that was posted is remembered with the rows
it headed (`Headings`, in the database: `bot.store.digest_headings`): when its cards are held
back after it (a card refused for the rate limit, a route down for a moment or for hours), a
later drain posts them under it, not under a second heading, a restart between them or not,
however long they waited: the heading is tied to its digest's rows, not to a time window, while
the next digest's cards, new rows, get their own.

One whose post failed but may have landed (a timeout, a Slack internal_error, a Discord 5xx) is
looked for in the channel before its cards go (the adapter's `find_heading`, as a card's
`find_posted` is, `bot.delivery.reconcile`): found, it is recorded; not there, it is posted
again, once (lost again and not there, its cards go without it, and held back they get a
heading later). It is looked for among the messages made since it was first sent, less
`bot.delivery.adapter.LOOKUP_CLOCK_SKEW` (the platform stamps it with its own clock, which may
be behind ours). An earlier digest's heading of the same minute and count reads the same: the
channel's last heading, whose message the platform named when it was posted or found
(`store/digest_headings`' `message_ref`), is passed over with every message older than it, and
of the others the newest is taken.
Where nobody can look (a Discord webhook channel without a bot; the history
failing, or refused for a rate limit) it is recorded as shown, and said in the log: its held
cards go out under it, or under none if it never showed, rather than under two. Nothing is held
back or kept in memory to look for later, so neither a restart nor its cards leaving some other
way (the channel switched to instant, the cards expired) can leave a later digest unheaded. It
shows twice only when its record is lost (a crash between its post and its record, the
database refusing to write or read the record: logged) or a lookup missed it though it had
landed (the platform's clock more than `LOOKUP_CLOCK_SKEW` behind ours).
A heading some of whose cards will not show miscounts them: a switch to digest mode (instant and
back) returns the cards still waiting to the digest pool, as the switch's reply says, and the
next digest heads them, whether it lands while the heading's request is in flight, while its
cards wait their pace, or drains later while they are held back (a 429, a route down); a card
given up (failed) never shows either. Each drain ends by settling such headings
(`bot.delivery.digest_heading_settle`): over two or more left it is edited to their count, over
none or one it is deleted.
Every card stays a top-level message of its own, so each story's updates still thread under it.
"""

from __future__ import annotations

import inspect
import logging
import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING

import sqlite_utils

from bot.delivery.adapter import (
    ChatAdapter,
    DeferredDeliveryError,
    DeliveryError,
    RateLimitedDeliveryError,
    TransientDeliveryError,
)
from bot.delivery.prepare import Prepared, prepare_or_retry
from bot.delivery.rate_limits import POST, put_off_posts, wait_over
from bot.store import deliveries as store
from bot.store import digest_headings as heading_store
from bot.store.channels import ChannelRow
from bot.store.deliveries import DeliveryRow

if TYPE_CHECKING:
    from bot.delivery.outbox import DrainReport, Outbox

log = logging.getLogger(__name__)


class Headings:
    """Per channel (by pk): the rows the last heading posted there counted, and when; kept in
    the database (`bot.store.digest_headings`), so a restart does not forget them, until the
    channel's next heading replaces them."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        # A heading posted whose record another process's write lock refused: kept here and
        # written at the channel's next look, so the next drain does not head its cards again.
        self.unrecorded: dict[int, tuple[list[str], datetime, str | None, datetime | None]] = {}

    def _record_unrecorded(self, channel_pk: int) -> None:
        counted, now, ref, at = self.unrecorded[channel_pk]
        showing = heading_store.still_showing(self.db, channel_pk, counted)
        heading_store.record(self.db, channel_pk, showing, now, ref, at, len(set(counted)))
        del self.unrecorded[channel_pk]

    def shown(self, channel_pk: int, rows: list[DeliveryRow]) -> bool:
        """Whether the channel's last heading counted every one of `rows` (cards held back
        after it, however long ago it was posted). A row not among them is another digest's,
        which gets a heading of its own (with the held ones, if they go out together)."""
        if channel_pk in self.unrecorded:
            try:
                self._record_unrecorded(channel_pk)
            except sqlite3.Error:
                counted = self.unrecorded[channel_pk][0]
                return all(row.nonce in counted for row in rows)
        try:
            last = heading_store.last(self.db, channel_pk)
        except sqlite3.Error as exc:
            # Heading the cards again beats failing the drain, which would hold them back, or
            # sending them under no heading at all.
            log.warning("digest heading in channel %d not read: %s", channel_pk, exc)
            return False
        if last is None:
            return False
        # By nonce: a row id is given again once its row is deleted, a nonce never.
        return all(row.nonce in last[0] or row.id in last[0] for row in rows)

    def posted(
        self,
        channel_pk: int,
        rows: list[DeliveryRow],
        now: datetime,
        ref: str | None = None,
        at: datetime | None = None,
    ) -> None:
        # Cards that left while its request was in flight are counted by the message but not
        # kept: the drain's end settles it (`digest_heading_settle`).
        self.unrecorded[channel_pk] = ([row.nonce for row in rows], now, ref, at)
        try:
            self._record_unrecorded(channel_pk)
        except sqlite3.Error as exc:
            # The heading is out: its cards go on under it now, and the record waits in memory
            # for the next look. Failing the drain here would hold them back, to be headed
            # again by the next one.
            log.warning("digest heading in channel %d not recorded yet: %s", channel_pk, exc)

    def known(self, channel_pk: int) -> frozenset[str]:
        """The messages known to be other headings in the channel (its last one's, when the
        platform said which): a lookup for a lost heading passes over them."""
        if channel_pk in self.unrecorded and self.unrecorded[channel_pk][2] is not None:
            return frozenset({str(self.unrecorded[channel_pk][2])})
        try:
            ref = heading_store.last_message(self.db, channel_pk)
        except sqlite3.Error as exc:
            log.warning("digest heading in channel %d not read: %s", channel_pk, exc)
            return frozenset()
        return frozenset() if ref is None else frozenset({ref})


Opened = tuple[dict[int, Prepared | None], datetime | None]


async def open_digest(
    outbox: Outbox,
    channel: ChannelRow,
    adapter: ChatAdapter,
    rows: list[DeliveryRow],
    report: DrainReport,
) -> Opened:
    """Prepare the new stories among `rows` (a digest channel's, due now) and head the cards
    that will go out, if the adapter shows a heading; {} when it does not, and every row is
    prepared as it comes up, as on any other channel. Also, when the heading was put off by a
    rate limit of the channel's own, until when the channel's cards wait (they were put off)."""
    begin = getattr(adapter, "begin_digest", None)
    if begin is None:
        return {}, None
    ready: dict[int, Prepared | None] = {}
    for row in rows:
        if row.kind == "story":
            ready[row.id] = await prepare_or_retry(outbox, channel, row, report)
    # Only rows still pending now: a switch from instant to digest mode (`return_to_digest_pool`)
    # may have deleted them since the drain read them, during any await above, and a heading
    # counting cards whose claims will find their rows gone would head nothing.
    going = [
        row_id
        for row_id, prepared in ready.items()
        if prepared is not None and _still_pending(outbox, row_id)
    ]
    now = outbox.clock()
    # Cards a heading of ours already shows, posted before the drain that held them back.
    headed = [r for r in rows if r.id in going]
    if not going or outbox.headings.shown(channel.id, headed):
        return ready, None
    at = digest_time(headed, now)
    posted = begin(channel, len(going), at)
    if not inspect.isawaitable(posted):
        return ready, None  # the console's: printed
    for attempt in (1, 2):
        if attempt == 2:
            posted = begin(channel, len(going), at)
        try:
            posted = await posted
        except RateLimitedDeliveryError as exc:
            # Refused, so nothing shows; the cards would be refused too and wait for the
            # Retry-After with the route's other posts (`bot.delivery.rate_limits`), to go
            # out under a heading of their own then.
            route = outbox.route_of(channel)
            outbox.rate_limits.hold(route, POST, exc, outbox.clock())
            return ready, None
        except DeferredDeliveryError as exc:
            # The channel's own limit (a Discord bucket's): the same, for this channel
            # alone. Its cards wait out the Retry-After, to go out under their heading then.
            until = wait_over(outbox.clock(), exc.retry_after)
            put_off_posts(outbox, rows[0], until)
            log.info("digest heading for %s put off: %s", channel.key, exc)
            return ready, until
        except DeliveryError as exc:
            if not (isinstance(exc, TransientDeliveryError) and exc.maybe_sent):
                # Refused before it was processed: nothing shows, and it heads no cards.
                log.warning("digest heading for %s not posted: %s", channel.key, exc)
            # Looked for since the first try was sent: either try showing is the heading.
            elif landed := await _landed(
                outbox, channel, adapter, len(going), at, exc, since=now, again=attempt == 1
            ):
                ref = landed if isinstance(landed, str) else None
                outbox.headings.posted(channel.id, headed, now, ref, at)
            elif attempt == 1:
                continue  # looked for and not there: posted again, once
            posted = True  # a request was made
        else:
            if posted:
                # Slack's and Discord's say which message it is: a later lookup passes over it.
                ref = posted if isinstance(posted, str) else None
                outbox.headings.posted(channel.id, headed, now, ref, at)
        break
    if posted:
        # A chat post: the first card keeps the channel's pace after it.
        await outbox.pace_channel(channel.id)
    return ready, None


def _still_pending(outbox: Outbox, row_id: int) -> bool:
    row = store.get(outbox.db, row_id)
    return row is not None and row.state == "pending"


async def _landed(
    outbox: Outbox,
    channel: ChannelRow,
    adapter: ChatAdapter,
    count: int,
    at: datetime,
    error: DeliveryError,
    *,
    since: datetime,
    again: bool,
) -> bool | str:
    """A heading whose post failed but may have landed (a 5xx, a timeout): looked for in the
    channel (the adapter's `find_heading`) among the messages made since it was first sent
    (`since`; the adapter reaches back `LOOKUP_CLOCK_SKEW` more), before its cards go, as a card
    is (`reconcile`). False when it is not there: posted again if `again`, else its cards go
    without it and, held back, get a heading of their own later. True when it is there, or when
    nobody can tell (the lookup failed, a rate limit included: waiting for it would hold the
    cards on a promise a restart forgets): its cards go out as under it, and held back after it
    they get no second heading. Found, the message found when the adapter says which (a
    later lookup passes over it). The channel's last heading and anything older are passed over
    (`Headings.known`):
    an earlier digest of the same minute and count reads the same, and it is no proof this one
    landed."""
    find = getattr(adapter, "find_heading", None)
    why = "the platform cannot look for it"
    if find is not None:
        try:
            found = await find(
                channel, count, at, since=since, exclude=outbox.headings.known(channel.id)
            )
        except DeliveryError as exc:
            found, why = None, f"looking for it failed: {exc}"
        if found is False:
            log.warning(
                "digest heading for %s not posted (%s; not in the channel): %s",
                channel.key,
                error,
                "posting it again" if again else "its cards go without it",
            )
            return False
        if found:
            log.info(
                "digest heading for %s had landed (found in the channel's history) after: %s",
                channel.key,
                error,
            )
            return found
    log.warning(
        "digest heading for %s may not have been posted (%s), and %s: its cards go out as under it",
        channel.key,
        error,
        why,
    )
    return True


def digest_time(rows: list[DeliveryRow], now: datetime) -> datetime:
    """The time a digest's heading gives: when its cards were first meant to go out (queued by
    the schedule, or held to the end of quiet hours), not when a drain got to them. A digest
    held back by an outage from 09:00 to 12:00 is the 09:00 digest. Cards of two digests going
    out together (the 09:00 one held until the 21:00 one was queued) are headed with the later
    time: they are that digest, with the earlier one's cards caught up. A row from before that
    was recorded (no `release_at`) says nothing; with none recorded, `now` stands. Never later
    than `now`: rows held for quiet hours and let go early (`quiet off`, a new range or zone,
    `bot.store.quiet_holds`) keep the old quiet end as `release_at`, and a heading must not show
    a time still ahead. The drain computes it once and the lost-heading lookup (`_landed`) is
    given that same time, so the two always agree."""
    meant = [row.release_at for row in rows if row.release_at is not None]
    return min(max(meant), now) if meant else now


def close_digest(adapter: ChatAdapter, channel: ChannelRow) -> None:
    """The digest's cards are over, all sent or not: what the adapter posts next is on its own."""
    if (end := getattr(adapter, "end_digest", None)) is not None:
        end(channel)
