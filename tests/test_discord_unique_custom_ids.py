"""Discord refuses a whole message (400, COMPONENT_CUSTOM_ID_DUPLICATED) whose components repeat
a custom id. A /digest reply puts up to five cards' buttons under one message, and every card
offering the same topic gave its follow button the same id, `nd:follow:<topic>`: the reply
failed. The follow button's id now names its card's story too; a button posted before, with the
old id, still follows its topic.

The renderer's real output checked with the fake Discord's own validation (`validate_message`,
which refuses a repeated id as Discord does), and clicks through the real client and core."""

from __future__ import annotations

import re

from _render_cards import make_card, make_digest
from fakes.discord_api import FakeDiscord, validate_message
from test_discord_commands import SIGNED_UP_DISCORD, answer, click, interact

from bot.adapters.discord.bot import DiscordBot
from bot.adapters.discord.interactions import render_reply
from bot.adapters.discord.views import card_view
from bot.app import NewsDigest
from bot.commands.base import Reply
from bot.store import channels as channel_store


def payload(view_components: list[dict[str, object]]) -> dict[str, object]:
    return {"content": "digest", "components": view_components}


def custom_ids(components: list[dict[str, object]]) -> list[str]:
    return [
        str(button["custom_id"])
        for row in components
        for button in row["components"]  # type: ignore[attr-defined]
    ]


def test_the_fake_refuses_a_message_that_repeats_a_custom_id() -> None:
    button = {"type": 2, "style": 2, "label": "Follow chips", "custom_id": "nd:follow:chips"}
    twice = [{"type": 1, "components": [button]}, {"type": 1, "components": [button]}]
    assert validate_message(payload(twice)) == {
        "components": "Component custom id cannot be duplicated"
    }
    assert validate_message(payload(twice[:1])) == {}


def test_a_digest_reply_of_cards_offering_one_topic_has_unique_ids_discord_takes() -> None:
    cards = [
        make_card(story_id=f"{n:012x}", slug=f"story-{n}", follow_topics=["chips", "fabs"])
        for n in range(1, 8)
    ]
    messages = render_reply(Reply(text="", ephemeral=False, digest=make_digest(*cards)))
    with_buttons = [m for m in messages if m.view is not None]
    assert len(with_buttons) == 2  # five cards, then two
    for message in with_buttons:
        assert message.view is not None
        components = message.view.to_components()
        assert validate_message(payload(components)) == {}
        ids = custom_ids(components)
        assert len(ids) == len(set(ids))
    first = custom_ids(with_buttons[0].view.to_components())  # type: ignore[union-attr]
    assert "nd:follow:chips:000000000001" in first and "nd:follow:chips:000000000002" in first


def test_a_card_of_its_own_names_its_story_in_the_follow_id_within_discords_limit() -> None:
    topic = "t" * 63  # the longest topic name chat accepts
    view = card_view([make_card(story_id="a1b2c3d4e5f6", follow_topics=[topic])])
    ids = custom_ids(view.to_components())
    assert f"nd:follow:{topic}:a1b2c3d4e5f6" in ids
    assert all(len(i) <= 100 for i in ids)
    assert validate_message(payload(view.to_components())) == {}


async def test_a_follow_button_follows_its_topic_with_the_old_id_and_the_new(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    channel_store.upsert_topic(core.db, "harbor", "harbor")
    channel_store.upsert_topic(core.db, "coast", "coast")
    await interact(bot, click("nd:follow:harbor:a1b2c3d4e5f6"))
    assert answer(discord_api)["content"] == "This channel now follows harbor." + SIGNED_UP_DISCORD
    # Cards posted before the story joined the id: their buttons still work.
    await interact(bot, click("nd:follow:coast"))
    assert re.match(r"This channel now follows coast\.", answer(discord_api)["content"])
