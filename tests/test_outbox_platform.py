"""A platform-wide failure (a missing scope) pauses no channel: it backs off, shows in /healthz and
recovers by itself once the platform accepts posts again. A refused token is not retried at all
(tests/test_slack_token_revoked.py). Outages are per delivery route: a platform with two (Discord's
bot and webhooks) keeps posting through the one that still works."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.stories import add_channel, add_story, make_card_source

from bot.app import NewsDigest
from bot.cards import StoryCard
from bot.config import Config
from bot.delivery.adapter import AuthDeliveryError, PlatformDeliveryError, PostedMessage
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store.channels import ChannelRow
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)


async def test_platform_refusal_pauses_no_channel_and_recovers() -> None:
    db = open_database(":memory:")
    clock = Clock(T0)
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    chat = FakeChatAdapter("slack")
    outbox.register(chat)
    channels = [add_channel(db, "C1"), add_channel(db, "C2")]
    add_story(db, "s1", ["A", "B"], now=T0)
    for channel in channels:
        digests.enqueue_digest(db, channel, now=T0)
    chat.failures = [PlatformDeliveryError("Slack chat.postMessage: missing_scope")]
    report = await outbox.drain()
    assert report.paused == [] and chat.calls == 1  # the second channel was not even tried
    assert all(not channel_store.get_channel_by_pk(db, c.id).paused_reason for c in channels)  # type: ignore[union-attr]
    assert "missing_scope" in outbox.outages["slack"].error
    assert [r.attempts for r in store.in_state(db, "pending")] == [0, 0]
    await outbox.drain()  # still backing off
    assert chat.calls == 1
    clock.now = outbox.outages["slack"].retry_at
    await outbox.drain()
    assert len(chat.cards()) == 2 and "slack" not in outbox.outages


async def test_outage_shows_in_healthz(tmp_path: Path) -> None:
    core = NewsDigest(Config(), db=open_database(tmp_path / "nd.db"))
    service = Service(
        Config(), core=core, settings=RunnerSettings(health_port=None), env={}, clock=lambda: T0
    )
    service.outbox.outages.down(
        "slack", PlatformDeliveryError("Slack: missing_scope"), now=T0, backoff=lambda n: 60.0
    )
    health = service.health()
    assert health["delivery_outages"]["slack"]["error"] == "Slack: missing_scope"
    assert health["paused_channels"] == []
    core.close()


class TwoRouteAdapter(FakeChatAdapter):
    """A platform with two delivery routes, like Discord's bot and webhooks: channels whose id
    starts with "H" go through "chat-hook", the rest through "chat" (the platform's name)."""

    def __init__(self) -> None:
        super().__init__("chat")
        # Raised by the next posts to the hook channel, in order.
        self.hook_failures: list[Exception] = []

    def route(self, channel: ChannelRow) -> str:
        return "chat-hook" if channel.channel_id.startswith("H") else "chat"

    async def post_card(self, channel: ChannelRow, card: StoryCard, *, nonce: str) -> PostedMessage:
        if self.route(channel) == "chat-hook" and self.hook_failures:
            raise self.hook_failures.pop(0)
        return await super().post_card(channel, card, nonce=nonce)


def two_route_outbox() -> tuple[Outbox, TwoRouteAdapter, Clock, list[ChannelRow]]:
    db = open_database(":memory:")
    clock = Clock(T0)
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    chat = TwoRouteAdapter()
    outbox.register(chat)
    channels = [add_channel(db, "B1", platform="chat"), add_channel(db, "H1", platform="chat")]
    add_story(db, "s1", ["A", "B"], now=T0)
    for channel in channels:
        digests.enqueue_digest(db, channel, now=T0)
    return outbox, chat, clock, channels


def rows_by_channel(outbox: Outbox, channels: list[ChannelRow]) -> dict[str, tuple[str, int]]:
    keys = {c.id: c.channel_id for c in channels}
    return {
        keys[r.channel_pk]: (r.state, r.attempts)
        for state in ("pending", "sending", "sent", "failed")
        for r in store.in_state(outbox.db, state)
    }


async def test_a_refused_token_blocks_only_its_own_route() -> None:
    outbox, chat, _clock, channels = two_route_outbox()
    fatal: list[tuple[str, str]] = []
    outbox.outages.on_fatal = lambda route, error: fatal.append((route, error))
    outbox.outages.down(
        "chat", AuthDeliveryError("token refused: set CHAT_TOKEN"), now=T0, backoff=lambda n: 1.0
    )
    assert fatal == [("chat", "token refused: set CHAT_TOKEN")]
    await outbox.drain()
    assert [m.channel_id for m in chat.cards()] == ["H1"]
    assert rows_by_channel(outbox, channels) == {"B1": ("pending", 0), "H1": ("sent", 1)}
    assert set(outbox.outages) == {"chat"}


async def test_a_refusal_naming_another_route_is_that_routes_outage() -> None:
    outbox, chat, _clock, channels = two_route_outbox()
    fatal: list[str] = []
    outbox.outages.on_fatal = lambda route, error: fatal.append(route)
    # The hook channel's post needed the other route's token too (Discord: a webhook channel's
    # thread started by the bot), and that token was refused.
    chat.hook_failures = [AuthDeliveryError("bot token refused", route="chat")]
    await outbox.drain()
    assert fatal == ["chat"] and set(outbox.outages) == {"chat"}
    assert "chat-hook" not in outbox.outages
    # The hook row used no attempt and is due again (the other channel may have gone out in the
    # same drain, before the refusal); from then on only the refused route's channel waits.
    assert rows_by_channel(outbox, channels)["H1"] == ("pending", 0)
    await outbox.drain()
    assert [m.channel_id for m in chat.cards()].count("H1") == 1
    assert rows_by_channel(outbox, channels)["H1"] == ("sent", 1)


async def test_a_withdrawn_route_waits_until_its_adapter_registers_again() -> None:
    outbox, chat, _clock, channels = two_route_outbox()
    outbox.withdraw("chat")
    await outbox.drain()
    assert [m.channel_id for m in chat.cards()] == ["H1"]
    assert rows_by_channel(outbox, channels) == {"B1": ("pending", 0), "H1": ("sent", 1)}
    assert outbox.outages == {}
    outbox.register(chat)
    await outbox.drain()
    assert rows_by_channel(outbox, channels) == {"B1": ("sent", 1), "H1": ("sent", 1)}
