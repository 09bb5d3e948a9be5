"""Helpers for tests that run the whole service."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path

from _fresh_database import open_fresh

from bot.app import NewsDigest
from bot.config import ChannelConfig, Config
from bot.runner import digests
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store.deliveries import DeliveryRow
from fakes.chat import FakeChatAdapter
from fakes.stories import add_story


async def stop(service: Service) -> None:
    """Stop the service and close its database, as the process would on exit."""
    await service.stop()
    service.core.close()


def slack_service(
    tmp_path: Path,
    clock: Callable[[], datetime],
    *channels: ChannelConfig,
    health: bool = False,
) -> tuple[Service, FakeChatAdapter]:
    """A service over `channels` (no feeds) on `clock`, posting to Slack through the fake chat
    adapter it returns; not started. `health`: its /healthz on a free loopback port
    (`health_url`)."""
    config = Config(database=str(tmp_path / "nd.db"), channels=list(channels))
    core = NewsDigest(config, db=open_fresh(tmp_path / "nd.db"))
    port = 0 if health else None
    settings = RunnerSettings(health_port=port, health_host="127.0.0.1", post_pace=0)
    service = Service(config, core=core, settings=settings, clock=clock, env={})
    chat = FakeChatAdapter("slack")
    service.register_adapter(chat)
    return service, chat


async def start_slack_service(
    tmp_path: Path, clock: Callable[[], datetime], *channels: ChannelConfig, health: bool = False
) -> tuple[Service, FakeChatAdapter]:
    """`slack_service`, started: stop it with `stop`."""
    service, chat = slack_service(tmp_path, clock, *channels, health=health)
    await service.start()
    return service, chat


def health_url(service: Service) -> str:
    """The started `service`'s /healthz, made with `health=True`."""
    assert service.health_server is not None
    return f"http://127.0.0.1:{service.health_server.port}/healthz"


@asynccontextmanager
async def running(service: Service) -> AsyncIterator[Service]:
    """`service` started, and stopped (see `stop`) however the block ends."""
    await service.start()
    try:
        yield service
    finally:
        await stop(service)


def discord_service(
    tmp_path: Path,
    channels: list[ChannelConfig],
    *,
    retry: float | None = None,
    clock: Callable[[], datetime] | None = None,
    with_slack: bool = True,
) -> Service:
    """A service with Discord on the fake's token and `channels`. `with_slack` adds a Slack
    channel on a fake adapter: another platform, which must carry on whatever happens to Discord.
    `retry`: the platform starter's backoff, fixed (seconds)."""
    if with_slack:
        channels = [*channels, ChannelConfig(platform="slack", id="C1", min_sources=1)]
    config = Config(database=str(tmp_path / "nd.db"), channels=channels)
    core = NewsDigest(config, db=open_fresh(tmp_path / "nd.db"))
    backoff = (
        {} if retry is None else {"platform_retry_initial": retry, "platform_retry_max": retry}
    )
    settings = RunnerSettings(health_port=None, post_pace=0, start_spread=0, **backoff)
    extra = {} if clock is None else {"clock": clock}
    service = Service(
        config, core=core, settings=settings, env={"DISCORD_TOKEN": "fake-token"}, **extra
    )
    if with_slack:
        service.register_adapter(FakeChatAdapter("slack"))
    return service


def queue_story(service: Service, story_id: str, now: datetime) -> None:
    """A story from two outlets, first reported two hours before `now`, queued as every
    channel's digest."""
    add_story(service.db, story_id, ["A", "B"], now=now - timedelta(hours=2))
    for channel in channel_store.list_channels(service.db):
        digests.enqueue_digest(service.db, channel, now=now)


def delivery_rows(service: Service, platform: str) -> list[DeliveryRow]:
    """The delivery rows of the platform's channels, pending, sending, sent, then failed."""
    pks = {c.id for c in channel_store.list_channels(service.db, platform)}
    return [
        r
        for state in ("pending", "sending", "sent", "failed")
        for r in delivery_store.in_state(service.db, state)
        if r.channel_pk in pks
    ]
