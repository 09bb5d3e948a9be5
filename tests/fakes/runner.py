"""Helpers for tests that run the whole service."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from bot.app import NewsDigest
from bot.config import ChannelConfig, Config
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import open_database
from fakes.chat import FakeChatAdapter


async def stop(service: Service) -> None:
    """Stop the service and close its database, as the process would on exit."""
    await service.stop()
    service.core.close()


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
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
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
