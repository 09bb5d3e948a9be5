"""A digest heading Discord refuses is named as one in the log ("digest heading to …"), not as
a notice: headings go out as plain text like notices, and were logged as "notice to …", sending
an admin looking for a notice that never was.

Real SQLite file and outbox, the Discord adapters (bot and webhook routes) against the fake
Discord REST API on 127.0.0.1."""

from __future__ import annotations

import itertools
import logging
from datetime import timedelta
from typing import Any

import discord
import pytest
from fakes.discord_api import FakeDiscord
from fakes.stories import add_story
from test_digest_notices_after_cards import TUESDAY, DiscordDigest
from test_discord_garbled_posts import ROUTES
from test_outbox_deferred_order import bucket_429

from bot.runner import digests


@ROUTES
@pytest.mark.parametrize("scope", ["bucket", "global"])
async def test_a_rate_limited_digest_heading_is_logged_as_a_heading(
    tmp_path: Any,
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    caplog: pytest.LogCaptureFixture,
    route: str,
    scope: str,
) -> None:
    world = DiscordDigest(tmp_path, discord_api, discord_client, session, route)
    world.now = TUESDAY
    for i in range(3):
        add_story(world.db, f"s{i}", ["A", "B"], now=TUESDAY - timedelta(hours=1))
    digests.enqueue_digest(world.db, world.channel, now=TUESDAY, scheduled_for=TUESDAY)
    body, headers = bucket_429("60")
    if scope == "global":
        body, headers = body | {"global": True}, headers | {"X-RateLimit-Global": "true"}
    discord_api.fail_next("POST", world.post, 429, body, headers=headers)

    with caplog.at_level(logging.INFO):
        await world.outbox.drain()
    assert world.shown(0) == []  # the heading refused, its cards put off
    said = "\n".join(r.getMessage() for r in caplog.records)
    assert f"digest heading to {world.channel.key}" in said
    assert "notice to" not in said
    world.db.close()


async def two_digests_in_one_minute(
    world: DiscordDigest, api: FakeDiscord, *, first_landed: bool
) -> None:
    """Two digests of two cards in the same minute (a scheduled one, then /digest), each heading
    answered by a 5xx: the first's landed or not as `first_landed` says, the second's never."""
    world.now = TUESDAY
    # Discord's ids carry the time it made the message: made now, as by the real one.
    api._ids = itertools.count(discord.utils.time_snowflake(TUESDAY))
    for batch in (("s1", "s2"), ("s3", "s4")):
        for story in batch:
            add_story(world.db, story, ["A", "B"], now=TUESDAY - timedelta(hours=1))
        digests.enqueue_digest(world.db, world.channel, now=TUESDAY, scheduled_for=TUESDAY)
        if batch[0] == "s3" or first_landed:
            landed = batch[0] == "s1"
            api.fail_next(
                "POST", world.post, 500, {"message": "Internal Server Error"}, landed=landed
            )
        await world.outbox.drain()


@ROUTES
async def test_a_lost_heading_in_the_same_minute_is_posted_again(
    tmp_path: Any,
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    caplog: pytest.LogCaptureFixture,
    route: str,
) -> None:
    # The second digest's heading never landed, and the first's, reading the same, is passed over.
    world = DiscordDigest(tmp_path, discord_api, discord_client, session, route)
    with caplog.at_level(logging.INFO):
        await two_digests_in_one_minute(world, discord_api, first_landed=False)
    assert world.shown(0) == ["heading", "card", "card", "heading", "card", "card"]
    said = "\n".join(r.getMessage() for r in caplog.records)
    assert "not in the channel): posting it again" in said


@ROUTES
async def test_a_heading_found_by_lookup_is_passed_over_by_the_next_lost_one(
    tmp_path: Any,
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    route: str,
) -> None:
    # The first digest's heading landed but its answer was lost: found by the lookup, its id is
    # recorded, so the second digest's lost heading (same minute, same count) does not take it
    # for its own and goes out again above its cards.
    world = DiscordDigest(tmp_path, discord_api, discord_client, session, route)
    await two_digests_in_one_minute(world, discord_api, first_landed=True)
    assert world.shown(0) == ["heading", "card", "card", "heading", "card", "card"]
