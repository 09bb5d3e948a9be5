"""What a poll does to its feed's row: validators, backoff, errors, a move to a new address.

The feed's stored state (`FeedPollState`, what `bot.ingest.policy` decides the next poll from)
and the one place a decided `PollOutcome` is written back, so every path of a poll (stored,
crashed, stored one entry at a time) records it alike; then what the poll came to and noted, for
`feeds list` (`remember_poll`); and the daily retries missed by more than their day
(`missed_retries`), spread by `run` (`spread_missed_retries`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from datetime import datetime, timedelta
from functools import partial

import sqlite_utils

from bot.ingest.errors import retried_daily
from bot.ingest.parser import ParsedFeed
from bot.ingest.policy import RETRY_DISABLED, FeedPollState, PollOutcome
from bot.pipeline.story_upkeep import recount_feed_stories
from bot.store import feeds as feed_store
from bot.store import item_sites
from bot.store.database import iso, transaction
from bot.store.feeds import RETRIED_DAILY_SQL, FeedRow
from bot.store.item_sites import items_site
from bot.store.loop_waits import when_free
from bot.textutil import plural

log = logging.getLogger(__name__)


def poll_state(feed: FeedRow) -> FeedPollState:
    """What `bot.ingest.policy` decides the feed's next poll from."""
    return FeedPollState(
        url=feed.url,
        etag=feed.etag,
        last_modified=feed.last_modified,
        consecutive_failures=feed.consecutive_failures,
        poll_interval=feed.poll_interval,
        disabled_reason=feed.disabled_reason,
        next_poll_at=feed.next_poll_at,
        last_error=feed.last_error,
        last_polled_at=feed.last_polled_at,
        failing_since=feed.failing_since if feed.consecutive_failures else None,
    )


def record_outcome(
    db: sqlite_utils.Database,
    feed: FeedRow,
    outcome: PollOutcome,
    parsed: ParsedFeed | None,
    now: datetime,
    recounted: set[str] | None = None,
) -> PollOutcome:
    """Store `outcome` on the feed; returns it as stored (a move may have disabled the feed).
    The stories whose counts the poll's recount changed are added to `recounted`, if given:
    no story change is recorded for a recount (it is no growth), so the pass's instant
    planning learns of one lifted over a channel's `min_sources` only from there."""
    outcome = _settle_move(db, feed, outcome)
    fields: dict[str, object] = {
        "etag": outcome.etag,
        "last_modified": outcome.last_modified,
        "consecutive_failures": outcome.consecutive_failures,
        "next_poll_at": outcome.next_poll_at,
        "last_polled_at": now,
        "last_error": outcome.last_error,
        "disabled_reason": outcome.disabled_reason,
        "failing_since": outcome.failing_since,
    }
    if outcome.disabled_reason and (
        not feed.disabled_reason
        or (retried_daily(feed.disabled_reason) and not retried_daily(outcome.disabled_reason))
    ):
        # Disabled now, or for good now (a 410 at its daily try): a new `disabled_at` is what
        # makes `bot.runner.feed_alerts` alert the new reason, which needs a hand this time.
        # Not logged here: `run` logs it once, with the channels it alerts
        # (`bot.runner.feed_alerts`), and `poll` prints it; both here and there said it twice.
        fields["disabled_at"] = now
    elif feed.disabled_reason and not outcome.disabled_reason:
        fields["disabled_at"] = None
        # Its daily retry worked (`bot.ingest.policy.retried_daily`): said once, here, for `run`
        # and `poll` alike; `bot.runner.poll_log` leaves it to this line.
        log.info(
            "feed %s works again: enabled again after %s (it was disabled: %s)",
            feed.url, plural(feed.consecutive_failures, "failed poll"), feed.disabled_reason,
            extra={"event": "feed_reenabled", "feed": feed.url},
        )  # fmt: skip
    if outcome.last_error is None:
        fields["last_success_at"] = now
        if outcome.has_new_body:
            # A full answer, not a 304: a day without one and the next poll asks unconditionally.
            fields["last_full_at"] = now
    # A failure is not logged here: at every failed poll that was a warning each pass while a
    # feed was down. `newsdigest poll` reports it, and `run` logs it once as the feed starts
    # failing and once as it works again (`bot.runner.poll_log`).
    if outcome.url != feed.url:
        log.info("feed %s moved permanently to %s", feed.url, outcome.url)
        fields["url"] = outcome.url
    if parsed is not None:
        fields["title"] = parsed.title
        # The site link decides which outlet the feed is (bot.store.feed_outlets.outlet_key).
        fields["site_url"] = parsed.link
        # The column holds whatever the publisher asked for, so a 304 honours a sy: period too.
        fields["ttl_minutes"] = parsed.asked_minutes
    guarded: dict[str, object] = {}
    if not feed_store.disabled_by_operator(feed.disabled_reason):
        # A `feeds disable` while this poll was in flight: the operator's word stands, the poll
        # (read before it) would lift it. Written only where the row is not parked now.
        keys = ("disabled_reason", "disabled_at", "next_poll_at")
        guarded = {key: fields.pop(key) for key in keys if key in fields}
    with transaction(db):
        feed_store.update_feed(db, feed.id, **fields)
        if guarded:
            feed_store.update_unless_parked(db, feed.id, **guarded)
    if parsed is not None:
        feed_store.mark_first_read(db, feed.id, now)
    # A new site link, address or items' site may make it another outlet, or another feed that
    # shares its link (`bot.store.item_sites`): their stories' stored counts follow.
    item_site = items_site(e.url for e in parsed.entries) if parsed else feed.item_site
    was = (feed.url, feed.site_url, feed.item_site, feed.outlet_site)
    changed = recount_feed_stories(db, item_sites.settle(db, feed.id, item_site, was=was), now=now)
    if recounted is not None:
        recounted |= changed
    return outcome


# Over how long the daily retries missed by more than their day are spread: the jitter each daily
# retry gets (`bot.ingest.policy.record_failure`), so they come back as they were spread.
MISSED_RETRY_SPREAD = timedelta(hours=1)


def missed_retries(db: sqlite_utils.Database, now: datetime) -> list[int]:
    """The feeds disabled for their failures whose daily retry was missed by over a day."""
    rows = db.execute(
        f"SELECT id, disabled_reason FROM feeds WHERE {RETRIED_DAILY_SQL}"
        " AND (next_poll_at IS NULL OR next_poll_at <= ?)",
        [iso(now - RETRY_DISABLED)],
    ).fetchall()
    return [feed_id for feed_id, reason in rows if retried_daily(reason)]


def spread_missed_retries(db: sqlite_utils.Database, now: datetime) -> list[int]:
    """Give each of the `missed_retries` a stable time in [now, now + `MISSED_RETRY_SPREAD`);
    returns their ids. After the upgrade every feed an older version disabled by the count
    ("disabled after 10 consecutive failures") was months overdue, and `run` retried them all in
    its first five minutes, hundreds of dead hosts at once. A retry due within the day is left
    due. For `run` only: `newsdigest poll` is one pass, and the next may come days later (a cron
    every other day, a poll by hand), by when a feed moved past this pass was missed by over a
    day again and moved again, never tried; `poll` tries them in its pass, after the enabled
    feeds (`bot.store.feeds.due_feeds`)."""
    missed = missed_retries(db, now)
    if not missed:
        return []
    window = MISSED_RETRY_SPREAD.total_seconds()
    with transaction(db):
        for feed_id in missed:
            # Stable per feed, as `bot.runner.schedule.poll_jitter`: a restart keeps the spread.
            digest = hashlib.blake2b(f"{feed_id}:missed".encode(), digest_size=8).digest()
            offset = int.from_bytes(digest, "big") / 2**64 * window
            db.execute(
                "UPDATE feeds SET next_poll_at = ? WHERE id = ?",
                [iso(now + timedelta(seconds=offset)), feed_id],
            )
    return missed


# The outcome `feeds list` shows for a poll's status (`poll.FeedResult.status`).
_OUTCOMES = {"unchanged": "nothing new", "not_modified": "not modified"}


async def remember_poll(
    db: sqlite_utils.Database,
    feed_id: int,
    status: str,
    new: int,
    notes: tuple[str | None, ...],
) -> None:
    """Keep what the poll came to ("3 new", "not modified") and, unless it failed (the feed's
    last_error says why), the `notes` it printed, for `feeds list`. A failure to keep them is
    logged, never the poll's: its articles and state are stored already. Another process's
    write lock is waited out with the loop free (`loop_waits.when_free`)."""
    outcome = f"{new} new" if status == "new" else _OUTCOMES.get(status, status)
    failed = status in ("failed", "disabled")
    note = None if failed else "; ".join(n for n in notes if n) or None
    try:
        await when_free(db, partial(feed_store.record_poll, db, feed_id, outcome, note))
    except Exception:
        log.exception("recording the outcome of feed %d's poll crashed", feed_id)


def _settle_move(db: sqlite_utils.Database, feed: FeedRow, outcome: PollOutcome) -> PollOutcome:
    """A permanent redirect moves the feed to its new address, unless another feed has it
    already: the URL is UNIQUE, and polling on through the redirect would fetch that feed twice
    every pass. The feed is then disabled, naming the one it became; its articles stay. Unless
    that one is disabled itself (it failed, or someone turned it off): then nothing polls the
    address, so this feed keeps its URL and goes on polling through the redirect."""
    if outcome.url == feed.url:
        return outcome
    other = feed_store.get_feed(db, outcome.url)
    if other is None:
        return outcome
    if other.disabled_reason:
        log.info(
            "feed %s moved permanently to %s, the address of disabled feed %d: kept polling it"
            " through the redirect",
            feed.url, outcome.url, other.id,
        )  # fmt: skip
        return dataclasses.replace(outcome, url=feed.url)
    reason = f"moved permanently to {outcome.url}, which is feed {other.id}; remove this one"
    return dataclasses.replace(
        outcome, url=feed.url, disabled_reason=outcome.disabled_reason or reason
    )
