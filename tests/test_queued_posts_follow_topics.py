"""A story post waiting in the outbox (held for quiet hours, or its turn) goes out only if the
channel still wants it: after `/unfollow` of the topic it was queued for, an admin narrowing
that topic's query, or `/watchlist min-sources` raised above the story's sources, it is dropped,
not posted the next morning. Dropped, not failed: the story is not counted as delivered, so it
still comes when the channel wants it again. Real outbox, SQLite and the fake chat adapter that
records what it is sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, add_story, grow_story, make_card_source

from bot.delivery.outbox import Outbox, OutboxSettings
from bot.pipeline.digest import delivered_story_ids
from bot.runner import digests
from bot.store import channels as channel_store
from bot.store.database import open_database

EVENING = datetime(2027, 5, 3, 23, 0, tzinfo=UTC)  # inside the channel's quiet hours
MORNING = datetime(2027, 5, 4, 7, 1, tzinfo=UTC)


async def _queue_then_send(change: str) -> tuple[list[str], set[str]]:
    db = open_database(":memory:")
    channel = add_channel(db, "C1", quiet_hours="22:00-07:00")
    channel_store.upsert_topic(db, "crypto", "crypto", title=None, origin="chat")
    channel_store.upsert_topic(db, "transport", "rail OR ferry", title=None, origin="chat")
    channel_store.follow(db, channel.id, "crypto")
    channel_store.follow(db, channel.id, "transport")
    for story in ("crypto", "rail", "ferry"):  # titled "<outlet> on <story>"
        add_story(db, story, ["A", "B"], now=EVENING - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=EVENING, scheduled_for=EVENING) == 3

    if change == "unfollow":
        channel_store.unfollow(db, channel.id, "crypto")
    elif change == "narrow":
        channel_store.upsert_topic(db, "transport", "rail", title=None, origin="chat")
    elif change == "min-sources":
        grow_story(db, "rail", ["C"], now=EVENING)
        channel_store.update_channel(db, channel.id, min_sources=3)

    chat = FakeChatAdapter("slack")
    outbox = Outbox(
        db, make_card_source(db, MORNING), settings=OutboxSettings(pace=0), clock=lambda: MORNING
    )
    outbox.register(chat)
    await outbox.drain()
    still_delivered = delivered_story_ids(db, channel.id)
    return sorted(m.story_id for m in chat.cards()), still_delivered


async def test_nothing_changed_everything_goes_out() -> None:
    posted, _ = await _queue_then_send("nothing")
    assert posted == ["crypto", "ferry", "rail"]


async def test_an_unfollowed_topics_queued_story_is_dropped() -> None:
    posted, delivered = await _queue_then_send("unfollow")
    assert posted == ["ferry", "rail"]
    # Following the topic again lets a later digest bring the story.
    assert delivered == {"ferry", "rail"}


async def test_a_narrowed_query_drops_what_it_no_longer_matches() -> None:
    posted, delivered = await _queue_then_send("narrow")
    assert posted == ["crypto", "rail"]
    assert delivered == {"crypto", "rail"}


async def test_raised_min_sources_drops_what_has_too_few_sources() -> None:
    posted, delivered = await _queue_then_send("min-sources")
    # Only "rail" grew to three outlets before the morning.
    assert posted == ["rail"]
    assert delivered == {"rail"}
