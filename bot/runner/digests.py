"""Deciding what each channel gets, as outbox rows: scheduled digests, instant posts, updates to
stories that grew, and the one-time alert for a disabled feed.

Nothing here talks to a chat platform; the outbox sends what these functions enqueue. Each function
commits its rows (and its bookkeeping, such as the digest run) in one durable transaction, so a
crash leaves either the whole decision or none of it.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

import sqlite_utils

from bot.commands.base import story_usage, watchlist_command
from bot.cron import cron_trigger
from bot.pipeline.digest import (
    DEFAULT_LIMIT,
    DEFAULT_WINDOW,
    MAX_LOOKBACK,
    Selection,
    digest_since,
    remember_matches,
    select,
)
from bot.runner.backlog import dropped_stories
from bot.runner.meanwhile import removed_meanwhile, still_wanted
from bot.runner.overflow import OverflowNotice, overflow_notice
from bot.runner.schedule import missed_digest, next_fire, quiet_period, quiet_until
from bot.store import alerts, counted_stories, digest_runs, listed_stories, quiet_holds
from bot.store import deliveries as delivery_store
from bot.store.channels import ChannelRow
from bot.store.database import iso
from bot.textutil import plural

log = logging.getLogger(__name__)

# Instant mode posts news, not backlog: a story whose newest report was published (not merely
# stored: a feed's first poll stores days of items at once) within this window. A story that
# crossed the threshold just before a restart is still posted, but a first start, a channel
# switched to instant or a big OPML import does not dump days of old news on it.
INSTANT_WINDOW = timedelta(hours=6)
# At most this many stories at once on every path (a poll pass, the catch-up at start, a lowered
# bar); the rest are announced in a notice.
INSTANT_LIMIT = 50


def enqueue_digest(
    db: sqlite_utils.Database,
    channel: ChannelRow,
    *,
    now: datetime,
    scheduled_for: datetime | None = None,
    default_size: int = DEFAULT_LIMIT,
    selection: Selection | None = None,
) -> int:
    """Queue one digest for the channel and record the run. Returns the number of stories.

    The digest covers what changed since the channel's previous digest (see `digest_start`), so a
    Monday digest after a weekend, or a weekly one, does not lose the days a fixed window would.
    It has the channel's `digest_size` cards (else `default_size`), newest to the channel first
    (`digest_selection`); the stories that qualify beyond them are listed after the cards
    (`bot.runner.overflow`) instead of dropped silently. `selection`: the digest's
    `digest_selection`, when the caller made it already (off the loop: `bot.runner.digest_build`)."""
    slot = scheduled_for or now
    if selection is None:
        selection = digest_selection(db, channel, now=now, slot=slot, default_size=default_size)
    not_before = quiet_until(now, channel.quiet_hours, channel.timezone)
    with delivery_store.durable(db):
        if removed_meanwhile(db, channel, "digest"):
            return 0
        channel, selection = still_wanted(db, channel, selection, default_size=default_size)
        if held := held_stories(db, channel, now=now):
            # Sent with them at the quiet hours' end, under their heading, a second digest made
            # the channel's one twice its size. Its stories wait for the digest after that one.
            if scheduled_for is not None:
                # The held digest stands for this slot: a restart after the quiet hours caught
                # it up as missed, a second digest carding what the held one only listed.
                digest_runs.mark_slot_covered(db, channel.id, slot=scheduled_for)
            log.info(
                "digest for %s: %s already held for its quiet hours; no second digest",
                channel.key,
                plural(held, "post", "posts"),
            )
            return 0
        cards = _queue_cards(db, channel, selection, now=now, not_before=not_before)
        queued = len(cards)
        # Read before the rows of the stories it drops go: it counts them, rather than drop
        # them unsaid. The preview reads it the same way (`bot.runner.preview`).
        notice = digest_notice(
            db, channel, selection, now=now, cards=digest_size(channel, default_size)
        )
        counted_stories.forget_settled(db, channel.id, expired_before=now - MAX_LOOKBACK)
        noticed = _enqueue_overflow(db, channel, notice, slot=slot, now=now)
        # Kept once the card or notice reaches the channel (`bot.store.topic_matches`).
        remember_matches(db, channel, selection, now=now, cards=cards, noticed=noticed)
        digest_runs.record_digest_run(
            db, channel.id, scheduled_for=scheduled_for or now, now=now, stories=queued
        )
    log.info(
        "digest for %s: %s (%d more did not fit)",
        channel.key,
        plural(queued, "story", "stories"),
        selection.more,
        extra={"event": "digest", "channel": channel.key, "stories": queued},
    )
    return queued


def held_stories(db: sqlite_utils.Database, channel: ChannelRow, *, now: datetime) -> int:
    """The digest posts held for the channel's quiet hours at `now` (a `/digest`'s or a scheduled
    one's, queued in them: its cards, or its list alone; `quiet_holds.held_digest`): none outside
    its quiet hours, where queued posts are being sent and a new digest goes out after them."""
    if (period := quiet_period(now, channel.quiet_hours, channel.timezone)) is None:
        return 0
    return sum(quiet_holds.held_digest(db, channel.id, since=period[0]))


def _queue_cards(
    db: sqlite_utils.Database,
    channel: ChannelRow,
    selection: Selection,
    *,
    now: datetime,
    not_before: datetime | None,
) -> dict[str, int]:
    """The selection's cards queued as outbox rows: each story's row id (none for one the
    channel has or had a row for already)."""
    cards: dict[str, int] = {}
    for c in selection.chosen:
        row_id = delivery_store.queue_story(
            db, c.story.id, channel.id, now=now, not_before=not_before
        )
        if row_id is not None:
            cards[c.story.id] = row_id
    return cards


def _enqueue_overflow(
    db: sqlite_utils.Database,
    channel: ChannelRow,
    notice: OverflowNotice | None,
    *,
    slot: datetime,
    now: datetime,
) -> dict[str, int]:
    """The notice listing the stories beyond the digest's cards (`digest_notice`) queued, and the
    record of what it lists, so the next digest does not list them again unless they grew.
    Returns the notice that lists or counts each story beyond the cards (none if not queued)."""
    if notice is None:
        return {}
    # The key the count had: a digest queued again (a restart's catch-up) gets one list.
    alert_id = alerts.queue_alert(db, channel.id, f"digest-more:{iso(slot)}", notice.text, now=now)
    if alert_id is None:
        return {}
    noticed = {c.story.id: alert_id for c in notice.listed + notice.counted}
    listed = [(c.story.id, c.story.source_count) for c in notice.listed]
    # Counted as listed only once the notice is sent (`bot.store.listed_stories`).
    listed_stories.record_listed(db, channel.id, listed, alert_id=alert_id, now=now)
    if notice.backlog is not None:
        # The backlog's message, a notice of its own after the list (it waits for the list:
        # `alerts.leading_alert`), its listings counting by its own fate.
        backlog_id = alerts.queue_alert(
            db, channel.id, f"digest-backlog:{iso(slot)}", notice.backlog.text, now=now
        )
        if backlog_id is not None:
            waited = [(c.story.id, c.story.source_count) for c in notice.backlog.listed]
            listed_stories.record_listed(db, channel.id, waited, alert_id=backlog_id, now=now)
            noticed |= {c.story.id: backlog_id for c in notice.backlog.listed}
    # Only counted, they are listed first next time (`bot.store.counted_stories`).
    counted_stories.record_counted(db, channel.id, [c.story.id for c in notice.counted], now=now)
    return noticed


def digest_notice(
    db: sqlite_utils.Database,
    channel: ChannelRow,
    selection: Selection,
    *,
    now: datetime,
    cards: int,
) -> OverflowNotice | None:
    """The notice (and backlog message) a digest of `selection` at `now` posts after its `cards`
    cards (`bot.runner.overflow`), given what earlier digests listed and counted: whether the
    channel is behind, and the stories dropped after waiting their longest
    (`bot.runner.backlog`). Reads only: the digest and its preview both ask this, so a preview
    shows what is posted."""
    dropped = dropped_stories(db, channel, selection, now=now)
    ids = [c.story.id for c in selection.overflow]
    return overflow_notice(
        channel.platform,
        selection.overflow,
        listed_stories.listed_sources(db, channel.id, ids),
        # Without the counts the digest forgets as expired, before it builds its notice.
        counted_stories.counted_before(db, channel.id, ids, expired_before=now - MAX_LOOKBACK),
        cards=cards,
        min_sources=channel.min_sources,
        dropped=len(dropped),
    )


def digest_size(channel: ChannelRow, default_size: int = DEFAULT_LIMIT) -> int:
    """The cards in the channel's digest: its own `digest_size`, else the configured default."""
    return channel.digest_size or default_size


def digest_selection(
    db: sqlite_utils.Database,
    channel: ChannelRow,
    *,
    now: datetime,
    slot: datetime | None = None,
    default_size: int = DEFAULT_LIMIT,
    include_delivered: bool = False,
) -> Selection:
    """The digest the channel gets for `slot` (default `now`): its window (`digest_start`), its
    size, and the rank by what is new since its last digest (`bot.pipeline.digest_rank`). The
    scheduled digest and every preview use this one rule, so a preview shows what is posted."""
    since = digest_start(db, channel, now=now, slot=slot)
    last = digest_runs.last_digest_ran_at(db, channel.id)
    # A channel never sent a digest has seen none of the window; nor has one whose last digest
    # is older than the window's start.
    seen_since = since if last is None or last < since else last
    picked = select(
        db,
        channel,
        since=since,
        # A story an earlier digest only counted waits for its line however long ago it changed
        # (`bot.store.counted_stories`), up to MAX_LOOKBACK after it was counted.
        also=counted_stories.waiting(db, channel.id, since=now - MAX_LOOKBACK),
        limit=digest_size(channel, default_size),
        include_delivered=include_delivered,
        seen_since=seen_since,
    )
    # A story an earlier digest's notice, not sent yet, gives a line gets no card until it is
    # sent: held with that notice, the card went out above a list saying it had none.
    lines = listed_stories.pending_lines(db, channel.id)
    if not lines.intersection(c.story.id for c in picked.chosen):
        return picked
    return replace(picked, line_only=picked.line_only | lines).resized(
        digest_size(channel, default_size)
    )


def digest_start(
    db: sqlite_utils.Database, channel: ChannelRow, *, now: datetime, slot: datetime | None = None
) -> datetime:
    """Where the channel's digest for `slot` (default `now`) starts looking: at its previous
    digest, within DEFAULT_WINDOW and MAX_LOOKBACK of `now` (`digest_since`).

    A channel never sent a digest (or whose record is not before `slot`) looks back to its
    schedule's previous slot instead, so a weekly channel's first digest covers the week. The
    scheduled digest and the preview (`NewsDigest.digest`, `/digest`, the CLI) both use this one
    rule: had each its own, the preview could show other stories than the schedule then posts."""
    slot = slot or now
    previous = digest_runs.digest_window_start(db, channel.id)
    if previous is None or previous >= slot:
        previous = _previous_slot(channel, slot)
    return digest_since(now, previous)


def _previous_slot(channel: ChannelRow, slot: datetime) -> datetime | None:
    """The channel's schedule slot before `slot`, for a channel with no digest on record. None if
    a slot falls within DEFAULT_WINDOW (that floor covers it anyway) or the schedule is invalid;
    MAX_LOOKBACK back if there is no slot in that span (a monthly schedule)."""
    try:
        trigger = cron_trigger(channel.schedule, channel.timezone)
    except (ValueError, KeyError):
        return None
    floor = slot - DEFAULT_WINDOW
    nearest = next_fire(trigger, floor)
    if nearest is not None and nearest < slot:
        return None
    # The latest slot in (slot - MAX_LOOKBACK, floor]: the same walk as a missed digest's.
    earliest = slot - MAX_LOOKBACK
    found = missed_digest(trigger, last_run=earliest, now=floor, window=MAX_LOOKBACK)
    return found or earliest


def enqueue_instant(
    db: sqlite_utils.Database,
    channel: ChannelRow,
    *,
    now: datetime,
    story_ids: set[str] | None = None,
    selection: Selection | None = None,
) -> int:
    """Queue the stories that have reached the channel's minimum number of independent sources,
    were last reported within INSTANT_WINDOW, and it has not had: at most `INSTANT_LIMIT`, and a
    notice says how many more qualified. `story_ids` limits this to stories that just changed (a
    poll pass), before the limit applies. A paused channel gets nothing queued (it would all
    arrive at once on /watchlist resume). `selection`: the `instant_selection`, when the caller
    made it already (off the loop: `bot.runner.digest_build`); the channel is then read again in
    the write transaction, and nothing queued if it was paused or left instant mode meanwhile."""
    if channel.paused_reason:
        return 0
    chosen_before = selection is not None
    if selection is None:
        selection = instant_selection(db, channel, now=now, story_ids=story_ids)
    if not selection.chosen:
        return 0
    with delivery_store.durable(db):
        if removed_meanwhile(db, channel, "instant posts"):
            return 0
        if chosen_before:
            channel, selection = still_wanted(db, channel, selection, size=INSTANT_LIMIT)
            if channel.paused_reason or channel.mode != "instant" or not selection.chosen:
                return 0
        not_before = quiet_until(now, channel.quiet_hours, channel.timezone)
        cards = _queue_cards(db, channel, selection, now=now, not_before=not_before)
        queued = len(cards)
        notice = None
        if selection.more:
            notice = alerts.queue_alert(
                db,
                channel.id,
                f"{listed_stories.INSTANT_COUNT_KEY}{iso(now)}",
                instant_more_text(selection.more, channel.platform),
                now=now,
            )
        # The stories beyond the limit are given by the notice counting them, until they grow.
        noticed = {} if notice is None else {c.story.id: notice for c in selection.overflow}
        if notice is not None:
            told = [(c.story.id, c.story.source_count) for c in selection.overflow]
            listed_stories.record_listed(db, channel.id, told, alert_id=notice, now=now)
            # Only counted, with no line: back in digest mode, the next digest lists them first,
            # as a digest's own count (`bot.store.counted_stories`); waited out, they go here.
            counted_stories.forget_settled(db, channel.id, expired_before=now - MAX_LOOKBACK)
            counted_stories.record_counted(db, channel.id, noticed, now=now)
        remember_matches(db, channel, selection, now=now, cards=cards, noticed=noticed)
    if selection.more:
        log.info(
            "instant posts for %s: %d queued, %d more qualified",
            channel.key,
            queued,
            selection.more,
        )
    return queued


def instant_selection(
    db: sqlite_utils.Database,
    channel: ChannelRow,
    *,
    now: datetime,
    story_ids: set[str] | None = None,
) -> Selection:
    """What instant mode posts to the channel at `now` (paused or not: callers decide that), of
    `story_ids` if given. One rule for a poll pass, a resume and an unmute (`bot.runner.unmutes`),
    which must not post what the others would not. Reads only: no transaction of its own."""
    # Narrow to the touched stories before the limit: filtering after it dropped a story that
    # just qualified whenever 50 bigger undelivered ones were in the window. A touched story the
    # limit leaves out is not touched by the next pass: the notice counts it, /story finds it.
    since = now - INSTANT_WINDOW
    picked = select(
        db, channel, since=since, reported_since=since, limit=INSTANT_LIMIT, story_ids=story_ids
    )
    # Nor one a digest listed or an instant notice counted, unless it grew
    # (`listed_stories.not_grown`). One a digest only counted gets its card: nothing showed it.
    pool = {c.story.id: c.story.source_count for c in picked.chosen + picked.overflow}
    told = listed_stories.not_grown(db, channel.id, pool)
    return replace(
        picked,
        chosen=[c for c in picked.chosen if c.story.id not in told],
        overflow=[c for c in picked.overflow if c.story.id not in told],
    ).resized(INSTANT_LIMIT)


def instant_more_text(more: int, platform: str) -> str:
    """The notice for qualifying stories an instant channel's catch-up had no room for. It
    names commands that work there: /digest refuses in instant mode, so not it, but /story and
    the switch to digest mode, as `platform` takes it."""
    switch = watchlist_command(platform, "mode", "digest")
    story = story_usage(platform)
    return (
        f"...and {plural(more, 'more story', 'more stories')} reached this channel's minimum "
        f"number of sources, more than it is sent at once. {story} finds any of them; "
        f"{switch} switches the channel to digests on its schedule."
    )
