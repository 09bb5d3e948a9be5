"""A Discord card posted while three publishers' feeds shared one site link (one outlet: "1
source") is edited once when their feeds' own links make them three outlets: one PATCH of the
card's message, through the bot or the channel's webhook, and no reply in its thread.

Real SQLite file, outbox and Discord adapters against the fake Discord REST API on 127.0.0.1;
the feeds' site links changed as a poll stores them, then the recount that poll makes
(`recount_feed_stories`, as `bot.pipeline.feed_state.record_outcome` calls it)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import discord
from fakes.discord_api import FakeDiscord
from fakes.discord_channel import CHANNEL, WEBHOOK_ID
from test_digest_notices_after_cards import TUESDAY, DiscordDigest
from test_discord_garbled_posts import ROUTES

from bot.pipeline.clustering import DEFAULT_WINDOW
from bot.pipeline.story_upkeep import recount_feed_stories, refresh_counts
from bot.store import articles as article_store
from bot.store import deliveries as store
from bot.store import feeds as feed_store
from bot.store import stories as story_store
from bot.store.database import transaction


def sources_tracking(embeds: Any) -> int:
    """The count in the card's "N source(s) tracking this story"."""
    found = re.search(r"(\d+) sources? tracking this story", json.dumps(embeds))
    assert found is not None, embeds
    return int(found.group(1))


SITES = {"Alpha Post": "alphapost.example", "Beta Herald": "betaherald.example"}
SITES["Gamma Daily"] = "gammadaily.example"


def _file_story(world: DiscordDigest) -> list[int]:
    """Story s1: one report from each publisher's feed, all three feeds on one site link."""
    feed_ids = []
    with transaction(world.db):
        story_store.create_story(world.db, "s1", "port-strike", "Port strike", TUESDAY)
        for name, site in SITES.items():
            feed = feed_store.add_feed(world.db, f"http://10.0.0.5/{site}.xml", name=name)
            world.db.execute(
                "UPDATE feeds SET site_url = 'http://cms.example/' WHERE id = ?", [feed.id]
            )
            feed_ids.append(feed.id)
            row = {
                "feed_id": feed.id,
                "source": name,
                "guid": f"{site}-1",
                "url": f"http://cms.example/{site}/1",
                "title": f"{name}: dockers strike over cranes at the port",
                "seen_at": TUESDAY,
            }
            for article in article_store.insert_new(world.db, [row]):
                article_store.set_story(world.db, article.id, "s1")
        refresh_counts(world.db, "s1", window=DEFAULT_WINDOW)
    return feed_ids


@ROUTES
async def test_a_recount_edits_the_discord_card_once(
    tmp_path: Path,
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    route: str,
) -> None:
    world = DiscordDigest(tmp_path, discord_api, discord_client, session, route)
    world.now = TUESDAY
    feed_ids = _file_story(world)
    store.enqueue_story(world.db, "s1", world.channel.id, now=TUESDAY)
    await world.outbox.drain()
    [card] = discord_api.channel_messages(CHANNEL)
    assert sources_tracking(card["embeds"]) == 1
    start = len(discord_api.requests)
    # Each feed's poll stores its own site link, and counts its stories again.
    for feed_id, site in zip(feed_ids, SITES.values(), strict=True):
        with transaction(world.db):
            world.db.execute(
                "UPDATE feeds SET site_url = ? WHERE id = ?", [f"http://{site}/", feed_id]
            )
            recount_feed_stories(world.db, {feed_id}, now=TUESDAY)
    await world.outbox.drain()
    await world.outbox.drain()
    sent = [(r.method, r.path, r.status) for r in discord_api.requests[start:]]
    edit_path = (
        f"/channels/{CHANNEL}/messages/{card['id']}"
        if route == "bot"
        else f"/webhooks/{WEBHOOK_ID}/{'T' * 68}/messages/{card['id']}"
    )
    assert sent == [("PATCH", edit_path, 200)]  # the edit alone: no post, no thread, no reply
    [edit] = discord_api.requests[start:]
    # The card as posted, its count made 3.
    expected = json.loads(
        json.dumps(card["embeds"]).replace("1 source tracking", "3 sources tracking")
    )
    assert edit.body["embeds"] == expected
    [shown] = discord_api.channel_messages(CHANNEL)
    assert sources_tracking(shown["embeds"]) == 3
