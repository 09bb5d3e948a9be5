"""Deciding what each channel gets, as outbox rows: scheduled digests, instant posts, updates to
stories that grew, and the one-time alert for a disabled feed.

Nothing here talks to a chat platform; the outbox sends what these functions enqueue. Each function
commits its rows (and its bookkeeping, such as the digest run) in one durable transaction, so a
crash leaves either the whole decision or none of it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import sqlite_utils

from bot.cluster.wire import independent_sources
from bot.cron import cron_trigger
from bot.delivery.adapter import platform_edits_cards
from bot.delivery.update_pacing import reply_gap
from bot.delivery.updates import unseen_outlets, worth_an_update
from bot.ingest.policy import REFUSED
from bot.models import Article
from bot.outlets import story_outlets
from bot.pipeline.digest import (
    DEFAULT_LIMIT,
    DEFAULT_WINDOW,
    MAX_LOOKBACK,
    Selection,
    digest_since,
    matching_topics,
    select,
)
from bot.render.literal import strip_marks
from bot.runner.overflow import overflow_notice
from bot.runner.schedule import missed_digest, next_fire, quiet_until, release_time
from bot.store import alerts, card_refreshes, digest_runs, grown_posts, listed_stories
from bot.store import articles as article_store
from bot.store import channels as channel_store
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
) -> int:
    """Queue one digest for the channel and record the run. Returns the number of stories.

    The digest covers what changed since the channel's previous digest (see `digest_start`), so a
    Monday digest after a weekend, or a weekly one, does not lose the days a fixed window would.
    It has the channel's `digest_size` cards (else `default_size`), newest to the channel first
    (`digest_selection`); the stories that qualify beyond them are listed after the cards
    (`bot.runner.overflow`) instead of dropped silently."""
    slot = scheduled_for or now
    selection = digest_selection(db, channel, now=now, slot=slot, default_size=default_size)
    not_before = quiet_until(now, channel.quiet_hours, channel.timezone)
    with delivery_store.durable(db):
        queued = sum(
            delivery_store.enqueue_story(db, c.story.id, channel.id, now=now, not_before=not_before)
            for c in selection.chosen
        )
        _enqueue_overflow(db, channel, selection, slot=slot, now=now)
        digest_runs.record_digest_run(
            db, channel.id, scheduled_for=scheduled_for or now, now=now, stories=queued
        )
    log.info(
        "digest for %s: %d stories (%d more did not fit)",
        channel.key,
        queued,
        selection.more,
        extra={"event": "digest", "channel": channel.key, "stories": queued},
    )
    return queued


def _enqueue_overflow(
    db: sqlite_utils.Database,
    channel: ChannelRow,
    selection: Selection,
    *,
    slot: datetime,
    now: datetime,
) -> None:
    """The notice listing the stories beyond the digest's cards (`bot.runner.overflow`), and the
    record of what it lists, so the next digest does not list them again unless they grew."""
    ids = [c.story.id for c in selection.overflow]
    before = listed_stories.listed_sources(db, channel.id, ids)
    notice = overflow_notice(channel.platform, selection.overflow, before)
    # The key the count had: a digest queued again (a restart's catch-up) gets one list.
    if notice is None or not alerts.enqueue_alert(
        db, channel.id, f"digest-more:{iso(slot)}", notice.text, now=now
    ):
        return
    listed = [(c.story.id, c.story.source_count) for c in notice.listed]
    listed_stories.record_listed(db, channel.id, listed, now=now)


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
    return select(
        db,
        channel,
        since=since,
        limit=digest_size(channel, default_size),
        include_delivered=include_delivered,
        seen_since=seen_since,
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
    previous = digest_runs.last_digest_run(db, channel.id)
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
) -> int:
    """Queue the stories that have reached the channel's minimum number of independent sources,
    were last reported within INSTANT_WINDOW, and it has not had: at most `INSTANT_LIMIT`, and a
    notice says how many more qualified. `story_ids` limits this to stories that just changed (a
    poll pass), before the limit applies. A paused channel gets nothing queued (it would all
    arrive at once on /watchlist resume)."""
    if channel.paused_reason:
        return 0
    selection = instant_selection(db, channel, now=now, story_ids=story_ids)
    if not selection.chosen:
        return 0
    not_before = quiet_until(now, channel.quiet_hours, channel.timezone)
    with delivery_store.durable(db):
        queued = sum(
            delivery_store.enqueue_story(db, c.story.id, channel.id, now=now, not_before=not_before)
            for c in selection.chosen
        )
        if selection.more:
            alerts.enqueue_alert(
                db,
                channel.id,
                f"instant-more:{iso(now)}",
                instant_more_text(selection.more),
                now=now,
            )
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
    # limit leaves out is not touched by the next pass: the notice counts it, /digest posts it.
    since = now - INSTANT_WINDOW
    return select(
        db,
        channel,
        since=since,
        reported_since=since,
        limit=INSTANT_LIMIT,
        story_ids=story_ids,
    )


def instant_more_text(more: int) -> str:
    """The notice for qualifying stories an instant channel's catch-up had no room for."""
    return (
        f"...and {plural(more, 'more story', 'more stories')} reached this channel's minimum "
        "number of sources, more than "
        "it is sent at once. /digest posts the next ones; /story <words> finds any story."
    )


def enqueue_updates(
    db: sqlite_utils.Database,
    story_ids: Iterable[str],
    *,
    now: datetime,
    interval: timedelta,
    channel_pk: int | None = None,
) -> int:
    """Queue a thread update for each channel (with `channel_pk`, only that one) that was shown a
    story which has since gained independent sources or a new outlet with reporting of its own
    (`bot.delivery.updates`), paced from the channel's last post or reply about it
    (`bot.delivery.update_pacing`: `interval`, doubling while the story keeps growing); while a
    reply waits, an edit of the card keeps its count current. Returns the updates queued."""
    story_ids = list(story_ids)
    if not _grown_pairs(db, story_ids, channel_pk):
        return 0  # most calls: nothing grew, so no write lock (another process may hold it)
    with delivery_store.durable(db):  # read again under the lock: a /mute may have come between
        return _queue_updates(
            db, _grown_pairs(db, story_ids, channel_pk), now=now, interval=interval
        )


def plan_updates(
    db: sqlite_utils.Database,
    story_ids: Iterable[str],
    *,
    now: datetime,
    interval: timedelta,
    channel_pk: int | None = None,
) -> int:
    """`enqueue_updates` within the caller's durable transaction (an unmute's, which lifts the
    mute and queues its catch-up in one)."""
    return _queue_updates(db, _grown_pairs(db, story_ids, channel_pk), now=now, interval=interval)


def _grown_pairs(
    db: sqlite_utils.Database, story_ids: Iterable[str], channel_pk: int | None
) -> list[tuple[str, int]]:
    """(story, channel) for each post whose story has grown since, only `channel_pk`'s if given."""
    pairs = grown_posts.grown_posts(db, story_ids)
    if channel_pk is not None:
        pairs = [(story_id, pk) for story_id, pk in pairs if pk == channel_pk]
    return list(pairs)


def _queue_updates(
    db: sqlite_utils.Database, pairs: list[tuple[str, int]], *, now: datetime, interval: timedelta
) -> int:
    queued = 0
    sources: dict[str, _Story] = {}
    for story_id, pk in pairs:
        channel = channel_store.get_channel_by_pk(db, pk)
        last = delivery_store.last_sent(db, story_id, pk)
        if channel is None or channel.paused_reason or last is None or last.sent_at is None:
            continue
        if story_id not in sources:
            members = article_store.story_articles(db, story_id)
            count, groups = independent_sources(members)
            sources[story_id] = _Story(count, story_outlets(members), groups, members)
        story = sources[story_id]
        news = worth_an_update(
            source_count=story.sources,
            outlets=story.outlets,
            wire_groups=story.wire_groups,
            shown_count=last.source_count,
            shown_outlets=last.outlets,
            members=story.members,
        )
        due: datetime | None = None  # when the thread's next reply goes out; None: no reply
        if (waiting := grown_posts.waiting_update(db, story_id, pk)) is not None:
            due = waiting.next_attempt_at or now
        elif news:
            gap = reply_gap(grown_posts.sent_replies(db, story_id, pk), interval=interval)
            due = release_time(max(now, last.sent_at + gap), channel.quiet_hours, channel.timezone)
            queued += delivery_store.enqueue_update(
                db, story_id, pk, now=now, not_before=due if due > now else None
            )
        # The reply waits (or wire copy alone joined, worth none); the card need not: a silent
        # edit shows the count and outlets the story has reached.
        if (
            (due is None or due > now)
            and platform_edits_cards(channel.platform)
            and _card_behind(db, story_id, pk, story)
        ):
            card_refreshes.ensure(db, story_id, pk, now=now)
    return queued


class _Story(NamedTuple):
    sources: int  # independent sources
    outlets: list[str]
    wire_groups: list[list[str]]
    members: list[Article]


def _card_behind(db: sqlite_utils.Database, story_id: str, pk: int, story: _Story) -> bool:
    """Whether the story's card in the channel shows another count or misses an outlet."""
    shown = grown_posts.card_shows(db, story_id, pk)
    if shown is None:
        return False
    if shown.kind == card_refreshes.REFRESH and card_refreshes.shown_members(
        db, shown.id
    ) == card_refreshes.members_key(story.members):
        # Edited on its own from these very articles: it shows all the card source makes of
        # them. Were that ever to count otherwise than here, every drain's planning would edit
        # the card again, forever. Not "edited since the story last changed": a merge's
        # articles were seen before it, as were a poll pass's still coming in.
        return False
    if story.sources != shown.source_count:
        return True
    return bool(unseen_outlets(story.outlets, shown.outlets, story.members))


def enqueue_missed_updates(
    db: sqlite_utils.Database,
    *,
    now: datetime,
    window: timedelta,
    interval: timedelta,
    channel_pk: int | None = None,
) -> int:
    """Plan the updates poll passes did not: for posted stories (to `channel_pk`, or to any
    channel) that changed within `window` and after their post. Run at start, where a crash may
    have lost a pass's planning, and when a channel is resumed, as passes skip paused channels and
    do not touch a story again once it stops growing. Planning again only queues what is not
    queued or sent, so this is safe to repeat."""
    grown = grown_posts.posted_stories_changed_since(db, now - window, channel_pk=channel_pk)
    return enqueue_updates(db, grown, now=now, interval=interval, channel_pk=channel_pk)


def _interested_channels(
    db: sqlite_utils.Database, feed_id: int, *, stories: int = 50
) -> list[int]:
    """Channels following a topic that matches one of the feed's latest stories."""
    story_ids = [
        r[0]
        for r in db.execute(
            "SELECT story_id FROM articles WHERE feed_id = ? AND story_id IS NOT NULL"
            " GROUP BY story_id ORDER BY MAX(id) DESC LIMIT ?",
            [feed_id, stories],
        )
    ]
    members = [article_store.story_articles(db, sid) for sid in story_ids]
    found = []
    for channel in channel_store.list_channels(db):
        topics = channel_store.channel_topics(db, channel.id)
        if topics and any(m and matching_topics(topics, m) for m in members):
            found.append(channel.id)
    return found


def alert_disabled_feeds(db: sqlite_utils.Database, *, now: datetime) -> int:
    """One notice per disabled feed to the channels that relied on it: those that were posted a
    story with an article from it, else those following a topic that matches one of its stories.
    A feed no channel relied on alerts nobody (it is logged, and /healthz lists it): telling every
    channel about a feed none of them reads is noise. Re-disabling after a re-enable alerts again.

    The text is plain, and the feed's name, title and URL come from the feed itself: adapters
    escape notices as untrusted text."""
    feeds = db.execute_returning_dicts(
        "SELECT id, url, name, title, origin, disabled_reason, disabled_at, consecutive_failures"
        " FROM feeds WHERE disabled_reason IS NOT NULL"
        " AND (alert_sent_at IS NULL OR alert_sent_at < COALESCE(disabled_at, ''))"
    )
    queued = 0
    for feed in feeds:
        dependent = [
            r[0]
            for r in db.execute(
                "SELECT DISTINCT d.channel_pk FROM deliveries d"
                " JOIN articles a ON a.story_id = d.story_id WHERE a.feed_id = ?",
                [feed["id"]],
            )
        ]
        targets = dependent or _interested_channels(db, feed["id"])
        text = disabled_feed_text(feed)
        key = f"feed-disabled:{feed['id']}:{feed['disabled_at'] or ''}"
        with delivery_store.durable(db):
            for pk in targets:
                queued += alerts.enqueue_alert(db, pk, key, text, now=now)
            db.execute("UPDATE feeds SET alert_sent_at = ? WHERE id = ?", [iso(now), feed["id"]])
        log.warning(
            "feed %s disabled: %s; alerting %s (none relied on it)"
            if not targets
            else "feed %s disabled: %s; alerting %s",
            feed["url"],
            feed["disabled_reason"],
            plural(len(targets), "channel"),
            extra={"event": "feed_disabled", "feed": feed["url"]},
        )
    return queued


def disabled_feed_text(feed: dict[str, Any]) -> str:
    """The alert for a disabled feed. The commands it suggests name the feed by URL, not id: a
    feed's id is reused once it is removed (SQLite hands out the highest id again), so an old
    alert's id could point at another feed. A feed declared in the config file is removed there:
    /feeds remove refuses it, and the next start would add it back."""
    # Feed text may hold the marks of a link the adapters would open (`url_link`): stripped.
    feed = {k: strip_marks(v) if isinstance(v, str) else v for k, v in feed.items()}
    name = feed["name"] or feed["title"] or feed["url"]
    if feed["origin"] == "config":
        remove = "or remove it from the config file's [[feeds]]"
    else:
        remove = f"or remove it with /feeds remove {feed['url']}"
    how = "was disabled"
    if not feed["disabled_reason"].startswith(REFUSED):
        # A refused address as written is disabled at its first poll ("after 1 failed poll"
        # says nothing), and a lasting DNS refusal's reason counts its polls itself.
        how += f" after {plural(feed['consecutive_failures'], 'failed poll')}"
    return (
        f"The feed {name} ({feed['url']}, feed #{feed['id']}) {how}: {feed['disabled_reason']}. "
        f"Its stories will be missing until it is fixed. An admin can re-enable it with "
        f"newsdigest feeds enable {feed['url']}, {remove}."
    )
