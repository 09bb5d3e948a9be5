"""A backtick pair inside words ("it`s not what you`re told", a feed's apostrophes) is no code
span on a posted card: Slack gets look-alikes for every backtick (its formatting reference sets
no word-edge rule for code), Discord a backslash before each. Real outbox and adapters against
the fake Slack Web API and Discord REST API; assertions are on the JSON the fakes recorded."""

from __future__ import annotations

import json
from typing import Any

import discord
from fakes.discord_api import FakeDiscord
from fakes.slack_api import FakeSlackAPI
from test_discord_garbled_posts import ROUTES
from test_discord_garbled_posts import World as DiscordWorld
from test_slack_blocks import make_card
from test_slack_garbled_posts import World as SlackWorld

from bot.adapters.slack.blocks import card_messages
from bot.adapters.slack.escape import slack_escape
from bot.cards import SourceLink
from bot.models import Bullet

HEADLINE = "Harbour chief: it`s not what you`re told"


def _backticked(db: Any) -> None:
    """The story's headline uses backticks for apostrophes."""
    db.execute("UPDATE stories SET headline = ? WHERE id = 's1'", [HEADLINE])


def _mrkdwn(value: Any) -> list[str]:
    """Every mrkdwn string of a recorded Slack message: its top-level `text` and each mrkdwn
    text object of its blocks (plain_text formats nothing)."""
    found: list[str] = []
    if isinstance(value, dict):
        if value.get("type") == "mrkdwn" and isinstance(value.get("text"), str):
            found.append(value["text"])
        for item in value.values():
            found += _mrkdwn(item)
    elif isinstance(value, list):
        for item in value:
            found += _mrkdwn(item)
    return found


def test_slack_escape_swaps_a_mid_word_backtick_pair() -> None:
    assert slack_escape("it`s not what you`re told") == "itˋs not what youˋre told"
    # Other markers inside a word still format nothing in Slack and stay as written.
    assert slack_escape("snake_case 3*4 a~b") == "snake_case 3*4 a~b"


async def test_slack_card_shows_no_backtick_from_feed_text(slack_api: FakeSlackAPI) -> None:
    world = SlackWorld(slack_api)
    _backticked(world.db)
    await world.drain_hours(0)
    [card] = world.cards()
    # The notification text is mrkdwn: the headline there is feed text.
    assert card["text"] == "Harbour chief: itˋs not what youˋre told (2 sources)"
    assert not any("`" in t for t in [card["text"], *_mrkdwn(card["blocks"])])


def test_slack_card_blocks_show_no_backtick_from_feed_text() -> None:
    # No angles: a compact card's "+3 more (use `/story …`)" is the bot's own code span.
    card = make_card(
        angles=[],
        tldr=[Bullet("The pier is closed, but it`s not what you`re told.", ["Harbor Ledger"])],
        sources=[SourceLink("Harbor Ledger", "It`s not what you`re told", "https://e.example/p")],
    )
    texts = [t for message in card_messages(card) for t in _mrkdwn(message.blocks)]
    assert any("but itˋs not what youˋre told." in t for t in texts), texts
    assert any("|Itˋs not what youˋre told>" in t for t in texts), texts
    assert not any("`" in t for t in texts), texts


@ROUTES
async def test_discord_card_escapes_every_backtick_from_feed_text(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any, route: str
) -> None:
    world = DiscordWorld(discord_api, discord_client, session, route)
    _backticked(world.db)
    await world.drain_hours(0)
    [card] = world.cards()
    recorded = json.dumps(card["embeds"], ensure_ascii=False)
    # In JSON a backslash is written twice: each backtick arrives as "\`", shown literally.
    assert "it\\\\`s not what you\\\\`re told" in recorded, recorded
    assert recorded.count("`") == recorded.count("\\\\`"), recorded
