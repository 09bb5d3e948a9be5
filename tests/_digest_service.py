"""A runner `Service` on a real database in `tmp_path`, one Slack digest channel (C1, 09:00) and
a fake chat adapter: what a test of the running bot's polls and health needs, with no pacing."""

from __future__ import annotations

from pathlib import Path

from fakes.chat import FakeChatAdapter

from bot.app import NewsDigest
from bot.config import ChannelConfig, Config
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import open_database


def digest_service(tmp_path: Path) -> Service:
    config = Config(
        database=str(tmp_path / "nd.db"),
        channels=[ChannelConfig(platform="slack", id="C1", schedule="0 9 * * *")],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=None, post_pace=0, start_spread=0)
    service = Service(config, core=core, settings=settings, env={})
    service.register_adapter(FakeChatAdapter("slack"))
    return service
