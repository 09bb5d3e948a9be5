"""The thread-update planner: which channels get a reply (or a silent card edit) because a story
they were shown has grown since.

After every poll pass, after a post is recorded, at start and on resume or unmute, this looks at
the sent posts whose stories gained independent sources or an outlet with reporting of its own
(`bot.delivery.updates`), queues an `update` row paced from the channel's last post or reply
about the story (`bot.delivery.update_pacing`), and while that reply waits queues an edit of the
card (`bot.store.card_refreshes`) so its count stays current. Nothing here talks to a chat
platform; the outbox sends what is queued.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import NamedTuple

import sqlite_utils

from bot.cluster.wire import independent_sources
from bot.delivery.adapter import platform_edits_cards
from bot.delivery.update_pacing import reply_gap
from bot.delivery.updates import unseen_outlets, worth_an_update
from bot.models import Article
from bot.outlets import story_outlets
from bot.runner.schedule import release_time
from bot.store import articles as article_store
from bot.store import card_refreshes, grown_posts
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store


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
