"""The outbox's card source: which topic a card's Follow button offers a channel."""

from __future__ import annotations

from datetime import UTC, datetime

from fakes.stories import add_story

from bot.adapters.slack.blocks import ACTION_FOLLOW, card_actions
from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.runner.cards import CardSource
from bot.store import channels as channel_store

NOW = datetime(2027, 3, 8, 12, tzinfo=UTC)


async def test_follow_button_offers_a_matching_topic_the_channel_does_not_follow(
    core: NewsDigest,
) -> None:
    add_story(core.db, "moon", ["A", "B"], now=NOW)  # titles "A on moon", "B on moon"
    channel_store.upsert_topic(core.db, "luna", "moon", origin="chat")
    channel_store.upsert_topic(core.db, "tax", "tax", origin="chat")
    source = CardSource(core, clock=lambda: NOW)

    fresh = channel_store.ensure_channel(core.db, "slack", "C7")
    card = await source.card_for_async("moon", fresh)
    assert card is not None and (card.topics, card.follow_topics) == ([], ["luna"])
    [button] = [
        e
        for e in card_actions(card, full=False)["elements"]
        if e["action_id"].startswith(ACTION_FOLLOW)
    ]
    assert (button["text"]["text"], button["value"]) == ("Follow luna", "luna")
    # Clicking it follows the topic (the button's value is what /follow gets).
    ctx = CommandContext(platform="slack", channel_id="C7", user_id="U1")
    clicked = await Commands(core).dispatch("follow", button["value"], ctx)
    assert clicked.text == "This channel now follows luna."

    # Now it follows luna: the card shows the topic and offers no button that would do nothing,
    # only one to name a new topic.
    card = await source.card_for_async("moon", fresh)
    assert card is not None and (card.topics, card.follow_topics) == (["luna"], [])
    labels = [e["text"]["text"] for e in card_actions(card, full=False)["elements"]]
    assert labels == ["Full breakdown", "Follow topic", "Mute story"]
