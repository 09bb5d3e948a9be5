"""The thread-update planner: which channels get a reply (or a silent card edit) because a story
they were shown has grown since.

After every poll pass, after a post is recorded, at start and on resume or unmute, this looks at
the sent posts whose stories gained independent sources or an outlet with reporting of its own
(`bot.delivery.updates`), queues an `update` row paced from the channel's last post or reply
about the story (`bot.delivery.update_pacing`), and while that reply waits queues an edit of the
card (`bot.store.card_refreshes`) so its count stays current. Nothing here talks to a chat
platform; the outbox sends what is queued.

A recount (a feed's outlet decided anew, `bot.pipeline.story_upkeep.recount_stories`) is no
growth: the same articles, counted by their outlets as they are now. It gets a silent edit of
each posted card it changes (`edit_recounted_cards`) and never a reply, which would announce as
joined outlets whose reports the card had all along; the recount is not recorded as a story
change (`bot.store.story_changes`) either, which would plan it as growth.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
            sources[story_id] = _story(db, story_id)
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


def edit_recounted_cards(
    db: sqlite_utils.Database, recounted: Mapping[str, int], *, now: datetime
) -> int:
    """After a recount changed these stories' stored counts (`recounted`: each one's source
    count before it), an edit of each posted card that now shows another count or other
    outlets, once (one waiting is not doubled), in a paused channel too (it waits there with the
    channel's posts) and one that muted the story (its unmute sends it); no reply. A channel told the story's old count in its last post or reply,
    with no reply waiting, is recorded as told the new one (`card_refreshes.retell`): the edit
    tells it, and its next reply is then owed growth since, not the recount. One told another
    count (growth it is owed a reply for) keeps its record, and that reply tells the lot. A
    card that shows the story's count again (feeds sharing a link moved one poll at a time, the
    count split and joined again) has the edit a recount queued withdrawn, if not sent yet.
    Within the caller's transaction; returns the edits queued."""
    queued = 0
    stories: dict[str, _Story] = {}
    for story_id, pk in card_refreshes.posted_cards(db, recounted):
        channel = channel_store.get_channel_by_pk(db, pk)
        if channel is None or not platform_edits_cards(channel.platform):
            continue
        # What the card says: a recount's edit still waiting has not changed it yet.
        shows = card_refreshes.recounted_shows(db, story_id, pk)
        if shows is None:
            if (shown := grown_posts.card_shows(db, story_id, pk)) is None:
                continue
            shows = (shown.source_count, shown.outlets)
        if story_id not in stories:
            stories[story_id] = _story(db, story_id)
        story = stories[story_id]
        last = delivery_store.last_sent(db, story_id, pk)
        if (
            last is not None
            and last.source_count == recounted[story_id]
            and grown_posts.waiting_update(db, story_id, pk) is None
        ):
            told = [*last.outlets, *unseen_outlets(story.outlets, last.outlets, story.members)]
            card_refreshes.retell(db, last.id, source_count=story.sources, outlets=told)
        if _shows_otherwise(story, *shows):
            queued += card_refreshes.ensure_recounted(db, story_id, pk, now=now, shows=shows)
        else:
            card_refreshes.withdraw_recounted(db, story_id, pk)
    return queued


def _story(db: sqlite_utils.Database, story_id: str) -> _Story:
    members = article_store.story_articles(db, story_id)
    count, groups = independent_sources(members)
    return _Story(count, story_outlets(members), groups, members)


def _shows_otherwise(story: _Story, count: int, outlets: list[str]) -> bool:
    """Whether a card showing `count` sources and `outlets` shows another count than the story
    has, or outlets it no longer has or lacks. Unlike `_card_behind`, an edit made from these
    very articles is no answer: a recount changes how they count, not which they are."""
    if story.sources != count:
        return True
    return bool(
        unseen_outlets(story.outlets, outlets, story.members)
        or unseen_outlets(outlets, story.outlets, story.members)
    )


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
