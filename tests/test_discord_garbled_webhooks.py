"""Webhook posts answered in ways discord.py does not expect. A 429 whose body is a page, not
Discord's JSON (Cloudflare's, with a `Via` added by a proxy on the way), is a rate limit: nothing
was posted, so nothing to look for, and no attempt is used; discord.py itself crashed reading
`retry_after` from it.

Real outbox and Discord adapter against the fake REST API; assertions on what the fake recorded."""

from __future__ import annotations

import logging
from typing import Any

import discord
import pytest
from fakes.discord_api import HTML_PAGE, FakeDiscord
from fakes.discord_channel import CHANNEL, HOOK_POST
from test_discord_garbled_posts import World, assert_no_tracebacks

RATE_LIMITED = {"Via": "1.1 google", "Retry-After": "1"}


@pytest.mark.parametrize("bot", [True, False], ids=["with-bot", "no-bot"])
async def test_a_webhook_429_page_is_a_rate_limit_and_the_card_goes_out_once(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    caplog: pytest.LogCaptureFixture,
    bot: bool,
) -> None:
    caplog.set_level(logging.INFO)
    world = World(discord_api, discord_client, session, "webhook", bot=bot)
    discord_api.garble_next("POST", HOOK_POST, HTML_PAGE, status=429, headers=RATE_LIMITED)
    await world.drain_hours(3)
    [card] = world.cards()
    [row] = world.rows("story")
    assert row.state == "sent" and row.message_ref == card["id"] and row.attempts == 1
    assert [c.status for c in discord_api.calls("POST", HOOK_POST)] == [429, 200]
    # Refused, not maybe posted: nothing to look for.
    assert not discord_api.calls("GET", rf"/channels/{CHANNEL}/messages")
    assert "may have been posted" not in caplog.text
    assert_no_tracebacks(caplog)


@pytest.mark.parametrize("answer", ["502", "html"])
async def test_without_a_bot_a_maybe_posted_card_is_resent_with_a_warning(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    caplog: pytest.LogCaptureFixture,
    answer: str,
) -> None:
    # No bot token: nothing can read the webhook's channel, so whether the card landed cannot be
    # known. It is resent (a story must not be lost), and the admin is told it may show twice.
    caplog.set_level(logging.INFO)
    world = World(discord_api, discord_client, session, "webhook", bot=False)
    if answer == "502":
        discord_api.fail_next("POST", HOOK_POST, 502, {"message": "Bad Gateway"}, landed=True)
    else:
        discord_api.garble_next("POST", HOOK_POST, HTML_PAGE, landed=True)
    await world.drain_hours(3)
    assert len(world.cards()) == 2
    [row] = world.rows("story")
    assert row.state == "sent" and row.message_ref == world.cards()[-1]["id"]
    [warning] = [r for r in caplog.records if "no bot token" in r.getMessage()]
    assert warning.levelno == logging.WARNING and "twice" in warning.getMessage()
    assert_no_tracebacks(caplog)
