"""A compact Discord card shows every TL;DR bullet, each cut at a word (as Slack cuts it), rather
than the first two whole and a bare "…" for the rest; a bullet that still does not fit is named
with the card's "+N more (use /story ...)", never dropped without a word.

The real bot adapter against the fake Discord REST API (which refuses bodies over Discord's
limits); assertions read the description it received."""

from __future__ import annotations

import discord
from fakes.discord_api import FakeDiscord
from fakes.discord_channel import BOT_POST
from fakes.stories import channel_row
from test_discord_delivery import CHANNEL, card

from bot.adapters.discord.adapter import DiscordBotAdapter
from bot.adapters.discord.embeds import BULLET_CHARS
from bot.models import Bullet
from bot.render.cuts import units

SENTENCE = (
    "The council said on Tuesday that the grant, the largest in the programme's history, would "
    "fund the restoration of twelve lighthouses along the northern coast, "
) * 7


async def posted_description(client: discord.Client, fake: FakeDiscord, bullets: int) -> str:
    story = card()
    story.tldr = [Bullet(f"({k}) " + SENTENCE[:990], story.outlets[:2]) for k in range(bullets)]
    await DiscordBotAdapter(client).post_card(channel_row(CHANNEL), story, nonce="p1")
    [post] = fake.calls("POST", BOT_POST)
    return str(post.body["embeds"][0]["description"])


async def test_three_long_bullets_all_show_each_cut_at_a_word(
    discord_api: FakeDiscord, discord_client: discord.Client
) -> None:
    description = await posted_description(discord_client, discord_api, 3)
    lines = [line for line in description.split("\n") if line.startswith("• ")]
    assert [line[2:5] for line in lines] == ["(0)", "(1)", "(2)"]
    for line in lines:
        text, backing = line[2:].split(" *(", 1)
        assert backing == "reported by 2 of 3)*"
        assert text.endswith("…") and units(text) <= BULLET_CHARS
        # Cut between words: what is shown ends on a whole word of the sentence.
        assert SENTENCE.startswith(text.removesuffix("…")[4:] + " ")
    assert "\n…" not in description


async def test_bullets_past_the_room_are_named_with_the_story_command(
    discord_api: FakeDiscord, discord_client: discord.Client
) -> None:
    description = await posted_description(discord_client, discord_api, 8)
    shown = description.count("\n• ")
    assert 0 < shown < 8
    assert description.endswith(f"\n+{8 - shown} more (use /story lighthouse-grant)")
    assert units(description) <= 2500
