"""The bot's Discord gateway unreachable mid-run (an outage discord.py rides out by itself):
/healthz says so once it has been down past a routine reconnect, the log says so once each way,
and when it is back the posts waiting out Discord's backoff go at once, the bot's and the
webhooks'. The real service, Discord platform and adapters against the fake Discord REST API and
gateway; the service's clock stands still, so only the reconnect can bring the posts forward."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
from fakes.discord_api import FakeDiscord
from fakes.runner import delivery_rows, discord_service, queue_story, running

from bot.adapters import connection_watch
from bot.adapters.discord import gateway_watch
from bot.adapters.discord.bot import DiscordPlatform
from bot.adapters.discord.gateway_watch import GatewayWatch
from bot.config import ChannelConfig, Config
from bot.runner.service import Service

T0 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)
BOT_CHANNEL = 111111111111111111
HOOK_CHANNEL = 333333333333333333
WEBHOOK_ID = 444444444444444444
WEBHOOK_URL = f"https://discord.com/api/webhooks/{WEBHOOK_ID}/{'T' * 68}"
DOWN = {"message": "upstream connect error", "code": 0}


@pytest.fixture
async def service(
    discord_gateway: FakeDiscord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Service]:
    # Seconds shrunk to fractions: the watch's look and its grace.
    monkeypatch.setattr(connection_watch, "WATCH_INTERVAL", 0.02)
    monkeypatch.setattr(connection_watch, "DOWN_GRACE", 0.5)
    discord_gateway.webhook_channels[WEBHOOK_ID] = HOOK_CHANNEL
    channels = [
        ChannelConfig(platform="discord", id=str(BOT_CHANNEL), min_sources=1),
        ChannelConfig(
            platform="discord", id=str(HOOK_CHANNEL), min_sources=1, webhook_url=WEBHOOK_URL
        ),
    ]
    service = discord_service(tmp_path, channels, clock=lambda: T0, with_slack=False)
    async with running(service):
        yield service


async def eventually(check: Callable[[], object], timeout: float = 15.0) -> None:
    async def poll() -> None:
        while not check():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


def discord_problems(health: dict[str, Any]) -> list[str]:
    return [p for p in health["problems"] if p.startswith("discord")]


async def test_a_lost_gateway_shows_in_healthz_and_is_logged_once_each_way(
    service: Service, discord_gateway: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    api = discord_gateway
    caplog.set_level(logging.INFO)
    assert service.health()["disconnected"] == {}
    # The gateway drops and cannot be reached for a while; discord.py keeps retrying.
    api.gateway_down = True
    await api.drop_gateway(4000)
    await eventually(lambda: service.health()["disconnected"])
    health = service.health()
    assert health["status"] == "degraded" and not health["critical"]
    [problem] = discord_problems(health)
    assert "gateway disconnected" in problem and "slash commands" in problem
    # Posting is REST, not the gateway: /healthz says it goes on, and it does, on both routes.
    assert "posts from the bot and from webhooks" in problem and "go on over REST" in problem
    assert health["disconnected"]["discord"]["since"] is not None
    # Nothing is queued, so no failed post would have told /healthz: both channels post.
    queue_story(service, "s1", T0)
    await service.outbox.drain()
    assert len(api.channel_messages(BOT_CHANNEL)) == 1
    assert len(api.channel_messages(HOOK_CHANNEL)) == 1

    api.gateway_down = False  # Discord is back: discord.py resumes the session
    await eventually(lambda: not service.health()["disconnected"])
    assert api.resumed >= 1
    assert discord_problems(service.health()) == []
    ours = [r for r in caplog.records if r.name == gateway_watch.__name__]
    assert [r.levelname for r in ours] == ["WARNING", "INFO"]
    assert "gateway disconnected" in ours[0].getMessage()
    assert "back after" in ours[1].getMessage()


async def test_its_return_sends_the_posts_waiting_out_the_backoff_on_both_routes(
    service: Service, discord_gateway: FakeDiscord
) -> None:
    api = discord_gateway
    # Discord fails a post on each route (a 503: it may have landed): both routes back off, and
    # the rows wait for the end of the backoff, which the standing clock never reaches.
    api.fail_next("POST", r"/channels/\d+/messages", 503, DOWN)
    api.fail_next("POST", rf"/webhooks/{WEBHOOK_ID}/\w+", 503, DOWN)
    queue_story(service, "s1", T0)
    await service.outbox.drain()
    assert {r.state for r in delivery_rows(service, "discord")} == {"sending"}
    assert set(service.outbox.outages) == {"discord", "discord-webhook"}
    assert all(o.retry_at > T0 for o in service.outbox.outages.values())

    api.gateway_down = True
    await api.drop_gateway(4000)
    [platform] = [p for p in service.platforms if isinstance(p, DiscordPlatform)]
    # Down past the grace: an outage, declared, whose end says Discord is reachable again.
    await eventually(lambda: platform.watch is not None and platform.watch.warned)
    await service.outbox.drain()
    assert api.channel_messages(BOT_CHANNEL) == []  # still waiting out the backoff

    api.gateway_down = False
    await eventually(lambda: {r.state for r in delivery_rows(service, "discord")} == {"sent"})
    # Each looked for first (it may have landed), then posted once.
    assert len(api.channel_messages(BOT_CHANNEL)) == 1
    assert len(api.channel_messages(HOOK_CHANNEL)) == 1
    assert service.outbox.outages == {}
    await asyncio.sleep(0.2)  # the watch keeps looking: no second retry, nothing posted twice
    assert len(api.channel_messages(BOT_CHANNEL)) == 1


async def test_a_webhook_only_discord_has_no_gateway_to_report(
    discord_api: FakeDiscord, tmp_path: Path
) -> None:
    discord_api.webhook_channels[WEBHOOK_ID] = HOOK_CHANNEL
    channels = [
        ChannelConfig(
            platform="discord", id=str(HOOK_CHANNEL), min_sources=1, webhook_url=WEBHOOK_URL
        )
    ]
    service = discord_service(tmp_path, channels, clock=lambda: T0, with_slack=False)
    service.env = {}  # no DISCORD_TOKEN: webhooks alone
    async with running(service):
        [platform] = [p for p in service.platforms if p.name == "discord"]
        assert isinstance(platform, DiscordPlatform) and platform.client is None
        assert platform.connection_problem() is None
        assert service.health()["disconnected"] == {}


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


async def test_a_routine_reconnect_is_silent_and_retries_no_route(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Discord asks for a reconnect now and then: back within the grace, no outage was declared,
    # so nothing says Discord was unreachable and no route's backoff is cut short.
    caplog.set_level(logging.INFO)
    state = {"up": True}
    backs: list[int] = []
    clock = Clock()
    watch = GatewayWatch(
        lambda: state["up"], on_back=lambda: backs.append(1), grace=45, clock=clock
    )
    await watch.check()
    state["up"] = False
    await watch.check()
    clock.now += timedelta(seconds=5)
    await watch.check()
    assert watch.problem() is None  # within the grace
    state["up"] = True
    await watch.check()
    await watch.check()
    assert backs == []
    assert [r for r in caplog.records if r.name == gateway_watch.__name__] == []


async def test_the_end_of_a_declared_outage_retries_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    state = {"up": False}
    backs: list[int] = []
    clock = Clock()
    watch = GatewayWatch(
        lambda: state["up"], on_back=lambda: backs.append(1), grace=45, clock=clock
    )
    await watch.check()
    clock.now += timedelta(seconds=50)
    await watch.check()  # past the grace: the down notice
    state["up"] = True
    await watch.check()
    await watch.check()
    assert backs == [1]  # once for the return, not at every look
    ours = [r.levelname for r in caplog.records if r.name == gateway_watch.__name__]
    assert ours == ["WARNING", "INFO"]


async def test_a_look_that_raises_counts_as_down() -> None:
    # A client being torn down may raise when asked: taken as down for now, not a crash.
    def torn_down() -> bool:
        raise AttributeError("ws")

    watch = GatewayWatch(torn_down, grace=45, clock=Clock())
    await watch.check()
    assert watch.down_since == T0


async def test_a_long_drop_warns_once_and_reports_since_when(
    caplog: pytest.LogCaptureFixture,
) -> None:
    state = {"up": False}
    clock = Clock()
    watch = GatewayWatch(lambda: state["up"], grace=45, clock=clock)
    await watch.check()
    for _ in range(20):
        clock.now += timedelta(seconds=10)
        await watch.check()
    problem = watch.problem()
    assert problem is not None and problem[0] == T0
    warnings = [r for r in caplog.records if r.name == gateway_watch.__name__]
    assert [r.levelname for r in warnings] == ["WARNING"]


async def test_a_gateway_given_up_on_shows_only_why_not_a_disconnect_that_waits_for_its_return(
    service: Service, discord_gateway: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    # Privileged intents switched off mid-run (close code 4014): not retried, as it cannot come
    # back before a config change and a restart, so no "until it is back" beside the reason.
    caplog.set_level(logging.INFO)
    discord_gateway.close_at_identify(4014)
    await discord_gateway.drop_gateway(4014)
    await eventually(lambda: "discord" in service.platform_errors)
    await asyncio.sleep(connection_watch.DOWN_GRACE * 2)  # past the watch's grace
    health = service.health()
    [problem] = discord_problems(health)
    assert "not retried" in problem and "4014" in problem
    assert health["disconnected"] == {}
    assert [r for r in caplog.records if r.name == gateway_watch.__name__] == []


@pytest.mark.parametrize(
    "ended", [discord.PrivilegedIntentsRequired(None), RuntimeError("socket gone")]
)
async def test_without_a_runner_to_retry_it_an_ended_gateway_stops_being_watched(
    ended: Exception,
) -> None:
    # Run without the runner's callbacks: the gateway is given up on for the rest of the run.
    platform = DiscordPlatform(Config(), token="t")

    async def gateway() -> None:
        raise ended

    task = asyncio.create_task(gateway())
    await asyncio.wait({task})
    platform._gateway = task
    unused: Any = object()  # neither the client nor the adapter is looked at on these paths
    platform._watch_gateway(unused, None)
    watching = platform._watching
    assert watching is not None and platform.watch is not None
    platform._gateway_ended(task, unused, lost=None, dropped=None)
    assert platform.connection_problem() is None
    await asyncio.sleep(0)
    assert watching.cancelled()
