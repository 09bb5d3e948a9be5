"""An instant channel posted a one-outlet story its topic picked by the lead; a second outlet then
covers it without the word. The story as it is no longer matches, but the channel's thread still
gets its update, and the card keeps naming the topic it was posted for
(`bot.store.topic_matches`). Real feeds on 127.0.0.1, a real poll, clusterer, planner and outbox
(tests/_newsroom.py)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _newsroom import Newsroom

from bot.pipeline.digest import matching_topics
from bot.store import articles as article_store
from bot.store import channels as channel_store

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
FEEDS = {
    "alpha": ("Alpha", "https://alpha.example"),
    "beta": ("Beta", "https://beta.example"),
}
# Only Alpha's lead says "craft".
ALPHA = (
    "Kestrel lander touches down near lunar south pole",
    "The European Space Agency said on Monday its Kestrel lander touched down near the lunar"
    " south pole after a three day descent, making it the first European craft to land there.",
)
BETA = (
    "European Kestrel lander reaches the Moon's south pole",
    "Europe's Kestrel probe landed on the Moon on Monday, space agency officials said, after a"
    " descent lasting three days. Mission controllers in Darmstadt celebrated as telemetry showed"
    " the lander upright and drawing power from its panels.",
)


async def test_a_posted_story_that_grew_keeps_its_updates_and_its_topic(tmp_path: Path) -> None:
    async with Newsroom(tmp_path, FEEDS, T0 - timedelta(days=30)) as room:
        await room.poll()  # the feeds' first read, empty
        while room.service.poller.inflight:
            await asyncio.sleep(0.01)
        db = room.core.db
        channel = channel_store.get_channel(db, "slack", "C1")
        assert channel is not None
        channel = channel_store.update_channel(db, channel.id, min_sources=1)
        channel_store.upsert_topic(db, "spacecraft", "craft", origin="chat")
        channel_store.follow(db, channel.id, "spacecraft", now=room.now)

        room.now = T0
        room.publish("alpha", "a1", *ALPHA)
        await room.poll()
        (card,) = room.chat.cards()
        story_id = card.story_id
        assert story_id is not None

        room.now += timedelta(hours=1)
        room.publish("beta", "b1", *BETA)
        await room.poll()
        members = article_store.story_articles(db, story_id)
        assert {a.source for a in members} == {"Alpha", "Beta"}
        topics = channel_store.channel_topics(db, channel.id)
        assert not matching_topics(topics, members)  # one outlet's aside now

        (update,) = room.chat.updates()
        assert update.thread_ref == card.ref
        assert update.new_outlets == ["Beta"]
        now_card = await room.service.card_for_async(story_id, channel)
        assert now_card is not None
        assert now_card.topics == ["spacecraft"]
