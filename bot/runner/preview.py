"""What a digest preview (`newsdigest digest CHANNEL`, `NewsDigest.digest`) says beside its cards:
the messages the channel would get after them, and, when it has no card, why.

A preview is read-only: it records nothing a digest records (what it listed, what it counted),
so previewing twice shows the same thing and the next digest is not changed by it. It shares
`bot.runner.digests`' rules, so what it shows is what the channel would get."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import sqlite_utils

from bot.pipeline.digest import MAX_LOOKBACK, Selection, select
from bot.runner.digests import digest_notice, digest_start
from bot.store import channels as channel_store
from bot.store import counted_stories
from bot.store.channels import ChannelRow
from bot.store.stale import STALE_CARD
from bot.store.stories import StoryRow
from bot.textutil import plural


def preview_notices(
    db: sqlite_utils.Database,
    channel: ChannelRow,
    selection: Selection,
    *,
    now: datetime,
    cards: int,
) -> list[str]:
    """The messages a digest of `selection` at `now` would post after its `cards` cards, as
    `enqueue_digest` queues them (the list, then the backlog's message): a preview that listed
    every extra story on its own terms showed what the channel never gets."""
    notice = digest_notice(db, channel, selection, now=now, cards=cards)
    if notice is None:
        return []
    return [notice.text] + ([notice.backlog.text] if notice.backlog is not None else [])


def empty_reason(
    db: sqlite_utils.Database,
    channel: ChannelRow,
    *,
    now: datetime,
    include_delivered: bool = False,
) -> str:
    """Why the channel's digest at `now` has no card, as a sentence: what its window holds that
    its topics match, and what keeps each out (too few sources for its minimum, given to it
    already: posted, queued or given up, muted there). "0 stories" alone left an operator
    comparing it with `topics test`, which counts one-source stories, and guessing."""
    since = digest_start(db, channel, now=now)
    window = f"since {since:%Y-%m-%d %H:%M} UTC"
    topics = channel_store.channel_topics(db, channel.id)
    # The same pool at any number of sources, posted or not.
    pool = select(
        db,
        replace(channel, min_sources=1),
        since=since,
        limit=0,
        include_delivered=True,
        also=counted_stories.waiting(db, channel.id, since=now - MAX_LOOKBACK),
    )
    stories = [c.story for c in pool.chosen + pool.overflow]
    what = "matches its topics" if topics else "was reported"
    if not stories:
        muted = " that is not muted there" if channel_store.muted_story_ids(db, channel.id) else ""
        return f"no story {window}{muted} {what}"
    matching = (
        f"{plural(len(stories), 'story matches', 'stories match')} its topics"
        if topics
        else f"{plural(len(stories), 'story was', 'stories were')} reported"
    )
    few = [s for s in stories if s.source_count < channel.min_sources]
    cards = _card_states(db, channel.id)
    given = [s for s in stories if s.id in cards and s.source_count >= channel.min_sources]
    why = []
    if few:
        why.append(
            f"{len(few)} {'has' if len(few) == 1 else 'have'} fewer than "
            f"{plural(channel.min_sources, 'source')} (min_sources)"
        )
    if given and not include_delivered:
        why.append(_given(given, cards) + " (--all shows them)")
    return f"{matching} {window}, but " + " and ".join(why) if why else f"{matching} {window}"


def _card_states(db: sqlite_utils.Database, channel_pk: int) -> dict[str, str]:
    """The state of each story's card row in the channel: the stories its digests leave out
    (`bot.pipeline.digest.delivered_story_ids`), sent or not; a card given up as stale never
    went out, and leaves nothing out."""
    rows = db.execute(
        "SELECT story_id, state FROM deliveries WHERE channel_pk = ? AND kind = 'story'"
        f" AND NOT {STALE_CARD}",
        [channel_pk],
    ).fetchall()
    return {story_id: state for story_id, state in rows}


def _given(given: list[StoryRow], states: dict[str, str]) -> str:
    """What became of the cards of the stories `given` to the channel already, as it is: one
    held for quiet hours, or one the platform refused, was never posted to it."""
    sent = sum(states[s.id] == "sent" for s in given)
    failed = sum(states[s.id] == "failed" for s in given)
    queued = len(given) - sent - failed
    parts = []
    if sent:
        parts.append(f"{sent} {'was' if sent == 1 else 'were'} posted to it already")
    if queued:
        parts.append(f"{queued} {'is' if queued == 1 else 'are'} queued for it, not sent yet")
    if failed:
        parts.append(
            f"{failed} {'was' if failed == 1 else 'were'} given up on after failing to post "
            "(not queued again)"
        )
    return "; ".join(parts)
