"""A digest's list ("Also matching this channel…") and its backlog's message close the digest:
they go out after its cards even when a card is put off (a Discord bucket's 429, a card retrying
its own backoff), not in the gap the put-off card leaves. Once the card is settled (sent, failed
for good, stale) they go.

Real SQLite files, the real digest planner and outbox; the Discord adapters (bot and webhook
routes) against the fake Discord REST API on 127.0.0.1, and a fake Slack."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
import sqlite_utils
from fakes.chat import FakeChatAdapter
from fakes.discord_api import FakeDiscord
from fakes.discord_channel import CHANNEL, DiscordChannel
from fakes.stories import add_channel, add_story, make_card_source
from test_discord_garbled_posts import ROUTES
from test_outbox_deferred_order import bucket_429

from bot.adapters.discord.errors import SEND_TIMEOUT
from bot.delivery.adapter import DeliveryError
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests
from bot.runner.overflow import MAX_LISTED
from bot.store.channels import ChannelRow
from bot.store.database import open_database

MONDAY = datetime(2027, 6, 7, 9, 0, tzinfo=UTC)
TUESDAY = MONDAY + timedelta(days=1)
CARDS = 4
LIST = "Also matching this channel"
BACKLOG = "More without a card"


def _behind(db: sqlite_utils.Database, channel: ChannelRow) -> None:
    """Monday's digest queued, counting more stories than its list holds, so Tuesday's has a
    list and a backlog's message; the stories are older than Monday's digest."""
    for i in range(1 + MAX_LISTED + 15):
        add_story(db, f"a{i:02}", ["Gazette", "Courier"], now=MONDAY - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=MONDAY, scheduled_for=MONDAY, default_size=1)


def _tuesday(db: sqlite_utils.Database, channel: ChannelRow) -> None:
    for i in range(5):
        add_story(db, f"b{i:02}", ["Gazette", "Courier"], now=TUESDAY - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=TUESDAY, scheduled_for=TUESDAY, default_size=CARDS)
    keys = [r[0] for r in db.execute("SELECT key FROM alerts WHERE state = 'pending'")]
    assert sorted(k.split(":")[0] for k in keys) == ["digest-backlog", "digest-more"]


class DiscordDigest(DiscordChannel):
    """One Discord digest channel (the bot's, or a webhook's) on a real database file."""

    def __init__(
        self,
        tmp_path: Path,
        fake: FakeDiscord,
        client: discord.Client,
        session: Any,
        route: str,
        *,
        send_timeout: float = SEND_TIMEOUT,
    ) -> None:
        db = open_database(tmp_path / "nd.db")
        card_source = make_card_source(db, TUESDAY)
        super().__init__(
            db, card_source, fake, client, session, route, now=MONDAY, send_timeout=send_timeout
        )

    def real_time_passed(self) -> None:
        """The buckets keep the event loop's clock: as they stand once the wait passed."""
        for rest in (self.adapter.bot.rest, self.adapter.webhooks.rest):  # type: ignore[union-attr]
            rest._refills.clear()

    def shown(self, since: int) -> list[str]:
        """The channel's messages from the `since`th on, in the order they appeared."""
        out = []
        for message in self.fake.channel_messages(CHANNEL)[since:]:
            text = message.get("content") or ""
            if message.get("embeds"):
                out.append("card")
            elif "News digest" in text:
                out.append("heading")
            else:
                out.append(next((k for k in (LIST, BACKLOG) if k in text), text))
        return out


@ROUTES
@pytest.mark.parametrize(
    ("after", "before"), [(2, ["heading", "card"]), (0, [])], ids=["card", "heading"]
)
async def test_a_bucket_429_keeps_the_list_and_backlog_after_the_digests_cards(
    tmp_path: Path,
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    route: str,
    after: int,
    before: list[str],
) -> None:
    """The second card meets its bucket's 429 (the heading and the first card went out), or
    the heading does, putting off every card."""
    world = DiscordDigest(tmp_path, discord_api, discord_client, session, route)
    _behind(world.db, world.channel)
    await world.outbox.drain()
    world.now = TUESDAY
    _tuesday(world.db, world.channel)
    start = len(discord_api.channel_messages(CHANNEL))
    body, headers = bucket_429("120")
    discord_api.fail_next("POST", world.post, 429, body, headers=headers, after=after)

    await world.outbox.drain()
    assert world.shown(start) == before
    pending = world.db.execute(
        "SELECT next_attempt_at FROM alerts WHERE state = 'pending'"
    ).fetchall()
    put_off = (TUESDAY + timedelta(seconds=120)).isoformat()
    assert [r[0] for r in pending] == [put_off, put_off]  # waiting for the card, not due

    world.now = TUESDAY + timedelta(seconds=60)
    await world.outbox.drain()
    assert world.shown(start) == before

    world.real_time_passed()
    world.now = TUESDAY + timedelta(seconds=120)
    await world.outbox.drain()
    assert world.shown(start) == ["heading"] + ["card"] * CARDS + [LIST, BACKLOG]
    world.db.close()


async def _slack_tuesday(tmp_path: Path) -> tuple[sqlite_utils.Database, FakeChatAdapter]:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    _behind(db, channel)
    chat = FakeChatAdapter("slack")
    await _drain(db, MONDAY, chat)
    _tuesday(db, channel)
    chat.messages.clear()
    return db, chat


async def _drain(db: sqlite_utils.Database, now: datetime, chat: FakeChatAdapter) -> None:
    outbox = Outbox(
        db, make_card_source(db, now), settings=OutboxSettings(pace=0), clock=lambda: now
    )
    outbox.register(chat)
    await outbox.drain()


def _kinds(chat: FakeChatAdapter) -> list[str]:
    return [
        "card"
        if m.kind == "card"
        else next((k for k in (LIST, BACKLOG) if m.text.startswith(k)), m.text)
        for m in chat.messages
    ]


async def test_a_card_retrying_on_slack_keeps_the_list_and_backlog_after_it(
    tmp_path: Path,
) -> None:
    db, chat = await _slack_tuesday(tmp_path)
    chat.failures = [None, DeliveryError("invalid_blocks")]  # the second card, refused once
    await _drain(db, TUESDAY, chat)
    assert _kinds(chat) == ["card"] * (CARDS - 1)
    await _drain(db, TUESDAY + timedelta(hours=1), chat)
    assert _kinds(chat) == ["card"] * CARDS + [LIST, BACKLOG]
    db.close()


async def test_a_card_given_up_holds_the_list_no_longer(tmp_path: Path) -> None:
    """Bounded: a card refused until it is out of attempts fails, and the list and backlog go."""
    db, chat = await _slack_tuesday(tmp_path)
    refused = OutboxSettings().max_refused_attempts
    chat.failures = [None, DeliveryError("invalid_blocks")]
    await _drain(db, TUESDAY, chat)
    now = TUESDAY
    for _ in range(refused - 1):
        assert _kinds(chat) == ["card"] * (CARDS - 1)
        now += timedelta(hours=1)
        chat.failures = [DeliveryError("invalid_blocks")]  # the second card's each try
        await _drain(db, now, chat)
    assert _kinds(chat) == ["card"] * (CARDS - 1) + [LIST, BACKLOG]
    (failed,) = db.execute("SELECT COUNT(*) FROM deliveries WHERE state = 'failed'").fetchone()
    assert failed == 1
    db.close()
