"""Platforms plugged in with `register_platform` are stopped at shutdown whether their `stop`
takes the deadline or not: one written to the interface before the deadline (`async def
stop(self)`) was handed `deadline=` and failed with a TypeError, so it was never stopped. The
real service with the fake chat adapter."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fakes.chat import FakeChatAdapter
from fakes.runner import stop

from bot.app import NewsDigest
from bot.config import ChannelConfig, Config
from bot.runner import platforms as platforms_module
from bot.runner.platforms import register_platform
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import open_database


class OldPlatform:
    """Written to the interface before the deadline: its stop takes no arguments."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.stops = 0

    async def start(self, service: Service) -> None:
        service.register_adapter(FakeChatAdapter(self.name))

    async def stop(self) -> None:
        self.stops += 1


class DeadlinePlatform(OldPlatform):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.deadlines: list[float | None] = []

    async def stop(self, deadline: float | None = None) -> None:
        self.stops += 1
        self.deadlines.append(deadline)


async def test_a_platform_whose_stop_takes_no_deadline_is_stopped_at_shutdown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # A copy, so what this test registers is gone after it.
    monkeypatch.setattr(
        platforms_module, "PLATFORM_FACTORIES", dict(platforms_module.PLATFORM_FACTORIES)
    )
    old, new = OldPlatform("oldchat"), DeadlinePlatform("newchat")
    register_platform("OLDCHAT_TOKEN", lambda config, secrets: old)
    register_platform("NEWCHAT_TOKEN", lambda config, secrets: new)
    config = Config(
        database=str(tmp_path / "nd.db"),
        channels=[
            ChannelConfig(platform="oldchat", id="C1"),
            ChannelConfig(platform="newchat", id="C2"),
        ],
    )
    service = Service(
        config,
        core=NewsDigest(config, db=open_database(tmp_path / "nd.db")),
        settings=RunnerSettings(health_port=None, start_spread=0, shutdown_grace=2.0),
        env={"OLDCHAT_TOKEN": "t", "NEWCHAT_TOKEN": "t"},
    )
    await service.start()
    assert {p.name for p in service.platforms} == {"oldchat", "newchat"}
    with caplog.at_level(logging.ERROR):
        await stop(service)
    assert old.stops == 1
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    # A stop that takes the deadline still gets it.
    assert new.stops == 1 and len(new.deadlines) == 1 and new.deadlines[0] is not None
