"""A Discord bot token revoked (or reset) while the bot runs is fatal for Discord alone: the real
service, the real Discord platform and adapters, the fake Discord REST API and gateway on loopback.

A post refused with 401 is neither marked sent nor failed and is not retried this run; Discord is
stopped, the error names DISCORD_TOKEN, and polling and the other platforms carry on. Channels
that post through a webhook URL need no bot token and keep posting (without the bot: an update
is a follow-up in the channel); only the bot's channels wait. A dead webhook (401 on its URL) is
that channel's problem, not the platform's."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.chat import FakeChatAdapter
from fakes.discord_api import FakeDiscord
from fakes.runner import delivery_rows, discord_service, queue_story, running, stop
from fakes.stories import add_story, grow_story

from bot.adapters.discord.bot import DiscordPlatform
from bot.config import ChannelConfig
from bot.runner import digests, update_planner
from bot.runner.service import Service
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store

T0 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)
BOT_CHANNELS = ("111111111111111111", "222222222222222222")
HOOK_CHANNEL = "333333333333333333"
WEBHOOK_ID = 444444444444444444
WEBHOOK_URL = f"https://discord.com/api/webhooks/{WEBHOOK_ID}/{'T' * 68}"


@pytest.fixture
def api(discord_gateway: FakeDiscord) -> FakeDiscord:
    discord_gateway.webhook_channels[WEBHOOK_ID] = int(HOOK_CHANNEL)
    return discord_gateway


def make_service(tmp_path: Path, *, webhook: bool = False) -> Service:
    channels = [ChannelConfig(platform="discord", id=c, min_sources=1) for c in BOT_CHANNELS]
    if webhook:
        channels.append(
            ChannelConfig(
                platform="discord", id=HOOK_CHANNEL, min_sources=1, webhook_url=WEBHOOK_URL
            )
        )
    return discord_service(tmp_path, channels, clock=lambda: T0)


@pytest.fixture
async def service(api: FakeDiscord, tmp_path: Path) -> AsyncIterator[Service]:
    async with running(make_service(tmp_path)) as service:
        yield service


def discord_platform(service: Service) -> DiscordPlatform:
    (platform,) = [p for p in service.platforms if p.name == "discord"]
    assert isinstance(platform, DiscordPlatform)
    return platform


def queue_digests(service: Service) -> None:
    queue_story(service, "s1", T0)


def discord_rows(service: Service) -> list[tuple[str, int, str | None]]:
    return [(r.state, r.attempts, r.last_error) for r in delivery_rows(service, "discord")]


def slack_cards(service: Service) -> list[str]:
    slack = service.outbox.adapters["slack"]
    assert isinstance(slack, FakeChatAdapter)
    return [m.channel_id for m in slack.cards()]


async def eventually(check: Callable[[], bool], timeout: float = 5.0) -> None:
    async def poll() -> None:
        while not check():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


def assert_stopped_for_good(service: Service, platform: DiscordPlatform) -> None:
    error = service.platform_errors["discord"]
    assert "DISCORD_TOKEN" in error and "not retried" in error
    assert "discord" not in {p.name for p in service.platforms}
    health = service.health()
    assert health["status"] == "degraded" and not health["critical"]
    assert any("DISCORD_TOKEN" in p for p in health["problems"])
    assert health["paused_channels"] == []
    assert service.state == "running" and service.scheduler.running


async def test_revoked_bot_token_on_a_send_stops_discord_and_keeps_its_posts(
    service: Service, api: FakeDiscord
) -> None:
    platform = discord_platform(service)
    client = platform.client
    assert client is not None
    api.revoke_token(gateway=False)
    queue_digests(service)
    await service.outbox.drain()

    tried = len(api.calls("POST", r"/channels/\d+/messages"))
    assert tried == 2  # the channels drain in parallel; both were under way
    rows = discord_rows(service)
    assert [(state, attempts) for state, attempts, _ in rows] == [("pending", 0), ("pending", 0)]
    assert all("DISCORD_TOKEN" in (error or "") for _, _, error in rows)
    outage = service.health()["delivery_outages"]["discord"]
    assert outage["fatal"] is True and outage["next_retry"] is None
    assert "401" in outage["error"] and "DISCORD_TOKEN" in outage["error"]
    assert_stopped_for_good(service, platform)
    # The gateway is closed too, not left reconnecting.
    await eventually(client.is_closed)

    later = T0 + timedelta(days=1)
    service.outbox.clock = lambda: later
    service.outbox.kick()
    await service.outbox.drain()
    assert len(api.calls("POST", r"/channels/\d+/messages")) == tried
    assert [s for s, _, _ in discord_rows(service)] == ["pending", "pending"]
    assert slack_cards(service) == ["C1"]


async def test_gateway_refusing_the_token_on_a_reconnect_stops_discord(
    service: Service, api: FakeDiscord
) -> None:
    platform = discord_platform(service)
    client = platform.client
    assert client is not None
    api.revoke_token()
    # Discord drops the websocket; resuming with the reset token is refused with 4004.
    await api.drop_gateway()
    await eventually(lambda: "discord" in service.platform_errors)

    assert "4004" in service.platform_errors["discord"]
    assert_stopped_for_good(service, platform)
    await eventually(client.is_closed)
    # Its posts wait for a restart with a new token, without an attempt used up; the rest goes on.
    queue_digests(service)
    await service.outbox.drain()
    assert api.calls("POST", r"/channels/\d+/messages") == []
    rows = discord_rows(service)
    assert [(state, attempts) for state, attempts, _ in rows] == [("pending", 0), ("pending", 0)]
    assert service.health()["delivery_outages"]["discord"]["fatal"] is True
    assert slack_cards(service) == ["C1"]


@pytest.mark.parametrize("where", ["login", "gateway"])
async def test_token_refused_at_start_is_not_retried_and_names_the_variable(
    api: FakeDiscord, tmp_path: Path, where: str
) -> None:
    # At login Discord answers 401 (LoginFailure); a token reset between login and IDENTIFY is
    # refused by the gateway with 4004 instead.
    api.revoke_token(rest=where == "login")
    service = make_service(tmp_path)
    await service.start()
    try:
        error = service.platform_errors["discord"]
        assert "DISCORD_TOKEN" in error and "not retried" in error
        assert service.starter.pending == []  # no background retry
        assert "discord" not in {p.name for p in service.platforms}
        assert service.state == "running"
        queue_digests(service)
        await service.outbox.drain()
        assert slack_cards(service) == ["C1"]
    finally:
        await stop(service)


async def test_dead_webhook_pauses_its_channel_only(api: FakeDiscord, tmp_path: Path) -> None:
    service = make_service(tmp_path, webhook=True)
    await service.start()
    try:
        # The channel's webhook URL is refused (deleted, or its token wrong) with a bare 401.
        api.fail_next(
            "POST", rf"/webhooks/{WEBHOOK_ID}/.+", 401, {"message": "401: Unauthorized", "code": 0}
        )
        queue_digests(service)
        await service.outbox.drain()

        hook = channel_store.get_channel(service.db, "discord", HOOK_CHANNEL)
        assert hook is not None and hook.paused_reason and "webhook" in hook.paused_reason
        assert "discord" not in service.outbox.outages
        assert "discord" not in service.platform_errors
        assert {p.name for p in service.platforms} == {"discord"}
        # The bot's channels got their cards.
        assert {m["channel_id"] for c in BOT_CHANNELS for m in api.channel_messages(int(c))} == set(
            BOT_CHANNELS
        )
        assert slack_cards(service) == ["C1"]
    finally:
        await stop(service)


def rows_of(service: Service, channel_id: str) -> list[tuple[str, str, int]]:
    """(kind, state, attempts) of one Discord channel's deliveries, oldest first."""
    channel = channel_store.get_channel(service.db, "discord", channel_id)
    assert channel is not None
    rows = [
        r
        for state in ("pending", "sending", "sent", "failed")
        for r in delivery_store.in_state(service.db, state)
        if r.channel_pk == channel.id
    ]
    return [(r.kind, r.state, r.attempts) for r in sorted(rows, key=lambda r: r.id)]


def hook_posts(api: FakeDiscord) -> list[dict[str, object]]:
    return [m for m in api.channel_messages(int(HOOK_CHANNEL)) if m.get("webhook_id")]


def refused_requests(api: FakeDiscord) -> int:
    return sum(r.status == 401 for r in api.requests)


def assert_bot_channels_wait(service: Service) -> None:
    """The bot's channels: every row pending, no attempt used, the error naming the variable."""
    for channel_id in BOT_CHANNELS:
        rows = rows_of(service, channel_id)
        assert rows and all((state, attempts) == ("pending", 0) for _, state, attempts in rows)
    bot_errors = [e for state, _, e in discord_rows(service) if state == "pending"]
    assert bot_errors and all("DISCORD_TOKEN" in (e or "") for e in bot_errors)


def assert_token_named_in_health(service: Service) -> None:
    health = service.health()
    assert health["status"] == "degraded" and not health["critical"]
    assert "DISCORD_TOKEN" in service.platform_errors["discord"]
    assert "not retried" in service.platform_errors["discord"]
    assert any(p.startswith("discord: ") and "DISCORD_TOKEN" in p for p in health["problems"])
    outages = health["delivery_outages"]
    assert outages["discord"]["fatal"] is True and "DISCORD_TOKEN" in outages["discord"]["error"]
    assert "discord-webhook" not in outages
    assert health["paused_channels"] == []


async def test_revoked_bot_token_on_a_send_leaves_webhook_channels_posting(
    api: FakeDiscord, tmp_path: Path
) -> None:
    async with running(make_service(tmp_path, webhook=True)) as service:
        platform = discord_platform(service)
        client = platform.client
        assert client is not None
        api.revoke_token(gateway=False)
        queue_digests(service)
        await service.outbox.drain()

        # The webhook needs no bot token: its card went out and is recorded as sent.
        (card,) = hook_posts(api)
        assert card["webhook_id"] == str(WEBHOOK_ID)
        assert len(api.calls("POST", rf"/webhooks/{WEBHOOK_ID}/.+")) == 1
        assert rows_of(service, HOOK_CHANNEL) == [("story", "sent", 1)]
        # The bot's channels wait for a new token, no attempt used; /healthz names the variable.
        assert_bot_channels_wait(service)
        assert_token_named_in_health(service)
        # Only the bot's client is closed: Discord still runs, for its webhooks.
        await eventually(client.is_closed)
        assert discord_platform(service) is platform
        assert slack_cards(service) == ["C1"]

        # Later posts: the webhook channel's new story and its update (the story grew) go out,
        # the update as a follow-up in the channel as without a bot, and nothing more is sent
        # with the refused token.
        refused = refused_requests(api)
        grow_story(service.db, "s1", ["C"], now=T0 - timedelta(hours=1))
        update_planner.enqueue_updates(service.db, ["s1"], now=T0, interval=timedelta(0))
        add_story(service.db, "s2", ["A", "B"], now=T0 - timedelta(hours=1))
        hook = channel_store.get_channel(service.db, "discord", HOOK_CHANNEL)
        assert hook is not None
        digests.enqueue_digest(service.db, hook, now=T0 + timedelta(hours=1))
        await service.outbox.drain()
        assert [kind for kind, state, _ in rows_of(service, HOOK_CHANNEL) if state == "sent"] == [
            "story",
            "update",
            "story",
        ]
        assert len(hook_posts(api)) == 3
        assert refused_requests(api) == refused
        assert_bot_channels_wait(service)


async def test_gateway_refusing_the_token_leaves_webhook_channels_posting(
    api: FakeDiscord, tmp_path: Path
) -> None:
    async with running(make_service(tmp_path, webhook=True)) as service:
        platform = discord_platform(service)
        client = platform.client
        assert client is not None
        api.revoke_token()
        await api.drop_gateway()
        await eventually(lambda: "discord" in service.platform_errors)
        assert "4004" in service.platform_errors["discord"]
        await eventually(client.is_closed)

        queue_digests(service)
        await service.outbox.drain()
        assert len(hook_posts(api)) == 1
        assert rows_of(service, HOOK_CHANNEL) == [("story", "sent", 1)]
        assert api.calls("POST", r"/channels/\d+/messages") == []
        assert_bot_channels_wait(service)
        assert_token_named_in_health(service)
        assert discord_platform(service) is platform
        assert slack_cards(service) == ["C1"]


async def test_bot_token_refused_for_a_webhook_channels_thread_is_the_bots_outage(
    api: FakeDiscord, tmp_path: Path
) -> None:
    async with running(make_service(tmp_path, webhook=True)) as service:
        # Only the webhook channel was shown the story.
        add_story(service.db, "s1", ["A", "B"], now=T0 - timedelta(hours=2))
        hook = channel_store.get_channel(service.db, "discord", HOOK_CHANNEL)
        assert hook is not None
        digests.enqueue_digest(service.db, hook, now=T0)
        await service.outbox.drain()
        assert rows_of(service, HOOK_CHANNEL) == [("story", "sent", 1)]

        # The story grows; its update goes to the card's thread, which the bot must start, and
        # the bot's token is refused there (the webhook's own request is not).
        api.revoke_token(gateway=False)
        grow_story(service.db, "s1", ["C"], now=T0 - timedelta(hours=1))
        update_planner.enqueue_updates(service.db, ["s1"], now=T0, interval=timedelta(0))
        await service.outbox.drain()
        # Refused, it used no attempt, and the next try went without the bot: a follow-up in the
        # channel. (The service's own outbox loop may have made that try already.)
        await service.outbox.drain()
        assert [r.status for r in api.calls("POST", r"/channels/\d+/messages/\d+/threads")] == [401]
        assert rows_of(service, HOOK_CHANNEL) == [("story", "sent", 1), ("update", "sent", 1)]
        assert len(hook_posts(api)) == 2
        hook = channel_store.get_channel(service.db, "discord", HOOK_CHANNEL)
        assert hook is not None and hook.paused_reason is None
        assert_token_named_in_health(service)


@pytest.mark.parametrize("where", ["login", "gateway"])
async def test_token_refused_at_start_leaves_webhook_channels_posting(
    api: FakeDiscord, tmp_path: Path, where: str
) -> None:
    api.revoke_token(rest=where == "login")
    async with running(make_service(tmp_path, webhook=True)) as service:
        assert service.starter.pending == []  # no background retry
        platform = discord_platform(service)
        assert platform.client is None  # no bot: webhooks only
        identified = len(api.identified)
        refused = refused_requests(api)
        queue_digests(service)
        await service.outbox.drain()

        assert len(hook_posts(api)) == 1
        assert rows_of(service, HOOK_CHANNEL) == [("story", "sent", 1)]
        assert api.calls("POST", r"/channels/\d+/messages") == []
        assert refused_requests(api) == refused  # the refused token is not tried again
        assert len(api.identified) == identified
        assert_bot_channels_wait(service)
        assert_token_named_in_health(service)
        assert slack_cards(service) == ["C1"]
