"""An instant post in flight when its channel switches to digest mode (`return_to_digest_pool`
marks it) that is then given up: surely not posted (its payload refused on its last try, or
looked for after a crash on its last attempt and not there), its story returns to the digest
pool, as it would have at any earlier retry, and the next digest gives it a card. Given up while
it may have landed (stale, its lookup failing), it stays failed, as any post given up so is:
never posted twice, and counted for the operator in `/healthz`'s `failed_last_24h`. Real outbox
and Slack adapter against the fake Web API, on a real SQLite file."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import sqlite_utils
from fakes.slack_api import FakeSlackAPI
from fakes.slack_outbox import T0, SlackOutbox
from fakes.stories import add_channel, make_card_source

from bot.pipeline.digest import delivered_story_ids
from bot.runner import digests
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store import delivery_counts
from bot.store.channels import ChannelRow
from bot.store.database import transaction
from bot.store.queued_posts import return_to_digest_pool

REFUSED = {"ok": False, "error": "invalid_blocks"}


def _to_digest(db: sqlite_utils.Database, channel: ChannelRow) -> None:
    """`/watchlist mode digest`, as the command writes it."""
    with transaction(db):
        channel_store.update_channel(db, channel.id, mode="digest")
        return_to_digest_pool(db, channel.id)


def _posted(fake: FakeSlackAPI, channel: str) -> list[str]:
    return [
        m["metadata"]["event_payload"]["story_id"]
        for m in fake.messages[channel]
        if "metadata" in m
    ]


async def test_refused_on_its_last_try_after_the_switch_it_waits_for_the_digest(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world = SlackOutbox(db, slack_api, make_card_source(db, T0), sleep=asyncio.sleep)
    channel = add_channel(db, "C1", mode="instant")
    [row_id] = world.queue(channel, "quay")
    # Refused twice as an instant post: its third try is its last.
    for _ in range(2):
        slack_api.script("chat.postMessage", body=REFUSED)
        await world.drain()
        world.now = world.row(row_id).next_attempt_at or world.now
    assert world.row(row_id).state == "pending" and world.row(row_id).attempts == 2
    slack_api.script("chat.postMessage", body=REFUSED)
    gate = slack_api.hold("chat.postMessage")
    drain = asyncio.ensure_future(world.drain())
    await gate.arrived()
    _to_digest(db, channel)  # lands while the post is in flight
    gate.open()
    report = await drain
    # Not posted, and not given up for the channel: its story is in the pool.
    assert store.get(db, row_id) is None and report.failed == 0
    assert "quay" not in delivered_story_ids(db, channel.id)
    assert delivery_counts.failed_since(db, T0 - timedelta(days=1)) == {"posts": 0, "card_edits": 0}
    channel = channel_store.get_channel_by_pk(db, channel.id) or channel
    world.now += timedelta(hours=1)
    assert digests.enqueue_digest(db, channel, now=world.now, scheduled_for=world.now) == 1
    await world.drain()
    assert _posted(slack_api, "C1") == ["quay"]


async def test_not_found_after_a_crash_on_its_last_attempt_it_waits_for_the_digest(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world = SlackOutbox(db, slack_api, make_card_source(db, T0), sleep=asyncio.sleep)
    world.outbox.settings = replace(world.outbox.settings, max_attempts=1)
    channel = add_channel(db, "C1", mode="instant")
    [row_id] = world.queue(channel, "quay")
    # A process claimed it and died before the call's answer; the switch came meanwhile.
    assert store.claim(db, row_id, world.now) is not None
    _to_digest(db, channel)
    report = await world.drain()
    assert slack_api.calls_to("conversations.history")  # looked for: not there
    assert store.get(db, row_id) is None and report.failed == 0
    assert "quay" not in delivered_story_ids(db, channel.id)


async def test_given_up_stale_while_it_may_have_landed_it_stays_failed_and_counted(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    """A guard: whether it landed is unknown, so it is never queued again (it could post
    twice); the operator sees it as any post given up."""
    world = SlackOutbox(db, slack_api, make_card_source(db, T0), sleep=asyncio.sleep)
    channel = add_channel(db, "C1", mode="instant")
    [row_id] = world.queue(channel, "quay")
    assert store.claim(db, row_id, world.now) is not None
    _to_digest(db, channel)
    world.now += world.outbox.settings.stale_after + timedelta(minutes=1)
    slack_api.script("conversations.history", status=503, body={"ok": False})
    report = await world.drain()
    row = world.row(row_id)
    assert row.state == "failed" and (row.last_error or "").startswith("stale")
    assert report.failed == 1
    assert "quay" in delivered_story_ids(db, channel.id)
    assert delivery_counts.failed_since(db, world.now - timedelta(days=1))["posts"] == 1
