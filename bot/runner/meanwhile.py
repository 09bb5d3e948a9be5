"""What changed while a digest's or an instant channel's stories were chosen (in a worker thread,
`bot.runner.digest_build`, while the loop ran on), asked again in the write transaction that
queues them (`bot.runner.digests`): the channel removed, or its settings, mutes, topics or posts
changed so that a chosen story is no longer wanted there."""

from __future__ import annotations

import logging
from dataclasses import replace

import sqlite_utils

from bot.pipeline.digest import (
    DEFAULT_LIMIT,
    Candidate,
    Selection,
    delivered_story_ids,
    followed_now,
)
from bot.store import channels as channel_store
from bot.store.channels import ChannelRow

# The digests' logger: these lines are part of queuing a digest, and filtered as such.
log = logging.getLogger("bot.runner.digests")


def removed_meanwhile(db: sqlite_utils.Database, channel: ChannelRow, what: str) -> bool:
    """Whether the channel was deleted since its row was read (`newsdigest channels remove`,
    another process): then nothing is queued for it, where the rows' foreign key would fail the
    whole write. Asked in the write transaction, so it cannot go after this. Said once: the
    row gone, nothing reads the channel again (its digest job goes at the next job sync)."""
    if channel_store.channel_exists(db, channel.id):
        return False
    log.info(
        "channel %s was removed (`newsdigest channels remove`) while its %s was being chosen: "
        "nothing queued for it",
        channel.key,
        what,
        extra={"event": "channel_removed", "channel": channel.key},
    )
    return True


def still_wanted(
    db: sqlite_utils.Database,
    channel: ChannelRow,
    selection: Selection,
    *,
    default_size: int = DEFAULT_LIMIT,
    size: int | None = None,
) -> tuple[ChannelRow, Selection]:
    """The channel as it is in the write transaction, and `selection` without the stories it no
    longer wants: muted, below a minimum of sources raised, no longer matching the topics it
    follows (unfollowed, removed or changed: `followed_now`), or given a row meanwhile (another
    choosing queued it), since the selection was read (in a worker thread while the loop ran
    on: `bot.runner.digest_build`). Neither a card nor a line of the notice goes to them. The cards are then taken again at the channel's size as it is
    now, in the selection's order (`Selection.resized`): a card dropped is replaced by the next
    story listed, rather than the digest going out short (or with no card and a list of what
    would have filled it), and a lowered `digest_size` lists the cards beyond it. `size`: the
    cards there are room for whatever the channel's `digest_size` (instant mode's limit)."""
    fresh = channel_store.get_channel_by_pk(db, channel.id) or channel
    # A story queued meanwhile would take a card that queues nothing (`_queue_cards`): the
    # next one listed gets it instead.
    gone = channel_store.muted_story_ids(db, channel.id) | delivered_story_ids(db, channel.id)

    def wanted(c: Candidate) -> bool:
        return c.story.id not in gone and c.story.source_count >= fresh.min_sources

    matching = followed_now(selection, channel_store.channel_topics(db, channel.id))
    kept = replace(
        matching,
        chosen=[c for c in matching.chosen if wanted(c)],
        overflow=[c for c in matching.overflow if wanted(c)],
    )
    return fresh, kept.resized(size if size is not None else (fresh.digest_size or default_size))
