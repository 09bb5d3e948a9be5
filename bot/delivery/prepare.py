"""Preparing a due delivery before it is claimed: the card, and for an update the message to
reply to and what the channel saw last (for an edit of a card, `bot.store.card_refreshes`, the
message to edit); an update's or edit's card keeps the headline the card was posted with. Rows
that should no longer be sent are settled here instead (stale, muted, story gone, merged into one
the channel already has, an update with nothing new, an edit of a card merged away).
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.cards import StoryCard
from bot.delivery.adapter import PostedMessage, refreshes_cards
from bot.delivery.failures import is_stale, retry
from bot.delivery.updates import unseen_outlets, worth_an_update
from bot.pipeline.digest import matching_topics
from bot.store import articles as article_store
from bot.store import card_refreshes, topic_matches
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store import stories as story_store
from bot.store.channels import MUTED_ERROR, ChannelRow
from bot.store.database import is_busy
from bot.store.deliveries import DeliveryRow

if TYPE_CHECKING:
    from bot.delivery.outbox import DrainReport, Outbox

log = logging.getLogger(__name__)

# The card, and for an update the message to reply to and the outlets it names as new.
Prepared = tuple[StoryCard, PostedMessage | None, list[str]]


async def prepare_or_retry(
    outbox: Outbox, channel: ChannelRow, row: DeliveryRow, report: DrainReport
) -> Prepared | None:
    """`prepare`, with a card that cannot be built counted as one of the row's attempts and
    retried: the row was never claimed, so nothing else counts it and it would retry forever.
    Another process's write lock met meanwhile is not the row's failure: raised, for the drain
    to try it again shortly (`Outbox.run`), no attempt used."""
    try:
        return await prepare(outbox, channel, row)
    except Exception as exc:
        if isinstance(exc, sqlite3.OperationalError) and is_busy(exc):
            raise
        row.attempts = store.count_attempt(outbox.db, row.id, now=outbox.clock())
        if row.attempts == 1:
            log.exception("building delivery %d for %s failed", row.id, channel.key)
        error = f"could not build the card: {type(exc).__name__}: {exc}"
        retry(outbox, row, error, report, limit=outbox.settings.max_refused_attempts)
        return None


async def prepare(outbox: Outbox, channel: ChannelRow, row: DeliveryRow) -> Prepared | None:
    """The card, and for an update the message to reply to and the outlets it names as new."""
    now = outbox.clock()
    if is_stale(outbox, row, now):
        store.mark_failed(outbox.db, row.id, now=now, error="stale")
        log.info("delivery %d to %s dropped: queued since %s", row.id, channel.key, row.created_at)
        return None
    if row.kind == card_refreshes.REFRESH:
        return await _refresh(outbox, channel, row)
    if not follow_merge(outbox, row):
        return None
    if channel_store.is_muted(outbox.db, row.story_id, channel.id):
        # Muted after this row was queued: "no more posts or updates about that story". Never
        # claimed, so nothing reached the channel; an unmute catches up (`bot.runner.unmutes`).
        store.mark_failed(outbox.db, row.id, now=outbox.clock(), error=MUTED_ERROR)
        return None
    unwanted = _unwanted_because(outbox, channel, row) if row.kind == "story" else None
    if unwanted:
        # The channel's settings changed since the row was queued (a topic unfollowed or
        # narrowed, min-sources raised): held for quiet hours, it would otherwise arrive the next
        # morning all the same. Deleted, not failed: a failed row marks the story as delivered
        # for good, and it should still come when it matches again (a topic followed back, or
        # enough sources). Nothing was sent; the row was never claimed.
        store.delete(outbox.db, row.id)
        log.info("delivery %d to %s dropped: %s", row.id, channel.key, unwanted)
        return None
    card = await outbox.card(row.story_id, channel)
    if card is None:
        store.mark_failed(outbox.db, row.id, now=outbox.clock(), error="story no longer exists")
        return None
    if row.kind != "update":
        return card, None, []
    first = store.story_post(outbox.db, row.story_id, row.channel_pk)
    if first is not None and first.state == "sending":
        # The original post is in flight or waiting to be checked: it shows the card of its
        # claim, which may be older than this update's news. Wait until it is settled.
        retry_at = first.next_attempt_at
        if retry_at is None or retry_at <= now:
            retry_at = now + timedelta(seconds=outbox.settings.base_backoff)
        store.release(
            outbox.db, row.id, now=now, next_attempt_at=retry_at, error="original post unsettled"
        )
        return None
    previous = store.last_sent(outbox.db, row.story_id, row.channel_pk)
    if first is None or first.state != "sent" or previous is None or not first.message_ref:
        # The original post has not been sent yet (or never will be); if it is, it carries the
        # latest count itself.
        store.delete(outbox.db, row.id)
        return None
    members = article_store.story_articles(outbox.db, row.story_id)
    if not worth_an_update(
        source_count=card.source_count,
        outlets=card.outlets,
        wire_groups=card.wire_groups,
        shown_count=previous.source_count,
        shown_outlets=previous.outlets,
        members=members,
    ):
        store.delete(outbox.db, row.id)  # nothing new since the last post or update
        return None
    # Every outlet the channel has not been shown, wire copy's too (see bot.delivery.updates).
    new_outlets = unseen_outlets(card.outlets, previous.outlets, members)
    card = as_posted(card, first)
    # The channel's last news of the story is its card: no reply under it yet.
    replied = previous.kind != "story"
    return card, PostedMessage(first.message_ref, first.thread_ref, replied=replied), new_outlets


async def _refresh(outbox: Outbox, channel: ChannelRow, row: DeliveryRow) -> Prepared | None:
    """An edit of the story's card: the card as it is now, and the message to edit. Never moved
    to the story it was merged into, unlike a post: see `card_editable`."""
    now = outbox.clock()
    adapter = outbox.adapters.get(channel.platform)
    if adapter is not None and not refreshes_cards(adapter):
        # Queued before the planner knew the platform cannot edit (an older version's row):
        # nothing to send, and nothing the channel missed. Sent, it would raise and be checked
        # and retried as a send that may have landed.
        store.delete(outbox.db, row.id)
        log.info(
            "card edit %d in %s dropped: %s edits no card", row.id, channel.key, channel.platform
        )
        return None
    if not card_editable(outbox, row.story_id, row.channel_pk):
        # Told apart: an unmute makes the edit a mute held back (`bot.runner.unmutes`).
        merged = story_store.resolve_id(outbox.db, row.story_id) != row.story_id
        error = "story merged away" if merged else MUTED_ERROR
        store.mark_failed(outbox.db, row.id, now=now, error=error)
        log.info("card edit %d in %s dropped: %s", row.id, channel.key, error)
        return None
    first = store.story_post(outbox.db, row.story_id, row.channel_pk)
    if first is None or first.state != "sent" or not first.message_ref:
        store.mark_failed(outbox.db, row.id, now=now, error="no posted card to edit")
        return None
    members = article_store.story_articles(outbox.db, row.story_id)
    card_refreshes.note_members(outbox.db, row.id, members)
    card = await outbox.card(row.story_id, channel)
    if card is None:
        store.mark_failed(outbox.db, row.id, now=outbox.clock(), error="story no longer exists")
        return None
    return as_posted(card, first), PostedMessage(first.message_ref, first.thread_ref), []


def as_posted(card: StoryCard, post: DeliveryRow) -> StoryCard:
    """The card for an edit of `post` (and its thread's reply): the story as it is now under the
    headline the card was sent with. A team that saw a card should not find it renamed under
    them, nor its thread replies "on" a headline they never saw; `/story` and new posts show the
    story's headline now. A post sent before headlines were stored shows the current one."""
    if post.headline is None or post.headline == card.headline:
        return card
    # A copy: the card source may hand out a cached card, which others must see unchanged.
    return card.with_headline(post.headline)


def card_editable(outbox: Outbox, story_id: str, channel_pk: int) -> bool:
    """Whether the story's card in the channel may still be edited to the story as it is now.
    Not once the story was merged into another: a row keeps the absorbed id only when the
    channel has both cards (`_merge_deliveries` leaves the absorbed one as it was), and editing
    it would show the survivor twice. Not once muted in the channel either, as `prepare` sends it
    nothing more."""
    if story_store.resolve_id(outbox.db, story_id) != story_id:
        return False
    return not channel_store.is_muted(outbox.db, story_id, channel_pk)


def follow_merge(outbox: Outbox, row: DeliveryRow) -> bool:
    """A row queued for a story that has since been merged goes to the survivor, unless the
    channel already has the survivor (then posting it would show the same story twice)."""
    resolved = story_store.resolve_id(outbox.db, row.story_id)
    if resolved == row.story_id:
        return True
    if row.kind == "story" and store.story_post(outbox.db, resolved, row.channel_pk):
        store.mark_failed(
            outbox.db, row.id, now=outbox.clock(), error=f"merged into {resolved}, already queued"
        )
        return False
    store.repoint(outbox.db, row.id, resolved)
    row.story_id = resolved
    return True


def _unwanted_because(outbox: Outbox, channel: ChannelRow, row: DeliveryRow) -> str | None:
    """Why the channel, as it is set now, would no longer pick the row's story, or None if it
    would (`digest.select`'s rules: enough independent sources, and a topic that matches unless the
    channel follows none). Only a change to the channel drops a row, never the story's growth:
    a story its topics no longer pick as it is now is kept if the match it was queued by is kept
    (`bot.store.topic_matches`: a one-outlet story picked by its lead that a second outlet
    joined overnight), or, for a row queued before matches were kept, if they still pick it as
    it was when queued. Topics unfollowed, or a query changed, pick neither."""
    story = story_store.get_story(outbox.db, row.story_id)
    if story is not None and story.source_count < channel.min_sources:
        return f"fewer sources ({story.source_count}) than the channel's min-sources now"
    topics = channel_store.channel_topics(outbox.db, channel.id)
    if not topics:
        return None
    kept = topic_matches.kept_for(outbox.db, channel.id, row.story_id, queued=True)
    if kept & {t.slug for t in topics}:
        return None  # queued as matching, kept so (`bot.store.topic_matches`)
    members = article_store.story_articles(outbox.db, row.story_id)
    headline = story.headline if story else None
    if matching_topics(topics, members, headline):
        return None
    # A row queued before matches were kept: the story as it was when queued.
    queued = row.created_at
    then = [a for a in members if queued is not None and a.seen is not None and a.seen <= queued]
    if then and len(then) < len(members) and matching_topics(topics, then, headline):
        return None
    return "no longer matches the channel's topics"
