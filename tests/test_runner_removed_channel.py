"""A channel deleted from the config file: the sync pauses it, on purpose, so `/healthz` lists it
as information (`removed_channels`) and stays "ok"; a channel paused for a delivery problem still
degrades it. The start-up log counts active channels. Real config file, SQLite file, health
server."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock

from bot.app import NewsDigest
from bot.config import load_config
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.channels import PAUSED_IN_CHAT
from bot.store.database import open_database

T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)

CHANNEL = """
[[channels]]
platform = "slack"
id = "{id}"
schedule = "0 9 * * *"
"""


def _write_config(tmp_path: Path, *ids: str) -> Path:
    path = tmp_path / "newsdigest.toml"
    path.write_text("".join(CHANNEL.format(id=i) for i in ids), encoding="utf-8")
    return path


async def _healthz(tmp_path: Path, *ids: str, pause: str | None = None) -> httpx.Response:
    config = load_config(_write_config(tmp_path, *ids))
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=0, post_pace=0, start_spread=300)
    service = Service(config, core=core, settings=settings, clock=Clock(T0), env={})
    service.register_adapter(FakeChatAdapter("slack"))
    await service.start()
    try:
        if pause is not None:
            service.db.execute("UPDATE channels SET paused_reason = ? WHERE channel_id = ?", pause)
        assert service.health_server is not None
        async with httpx.AsyncClient() as client:
            return await client.get(f"http://127.0.0.1:{service.health_server.port}/healthz")
    finally:
        await service.stop()
        core.close()


async def test_a_channel_removed_from_the_config_does_not_degrade_healthz(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = await _healthz(tmp_path, "C1", "C2")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bot.runner.service"):
        # The admin deletes C2's [[channels]] block and restarts.
        after = await _healthz(tmp_path, "C1")
    assert first.json()["status"] == "ok"
    body = after.json()
    assert after.status_code == 200
    assert body["status"] == "ok" and body["problems"] == [], body["problems"]
    assert body["paused_channels"] == []
    assert body["removed_channels"] == ["slack:C2"]
    started = [r.getMessage() for r in caplog.records if "newsdigest running" in r.getMessage()]
    assert started == [
        "newsdigest running: 0 feeds, 1 active channel (1 removed from the config), "
        "platforms: console, slack"
    ]


async def test_a_channel_paused_for_a_delivery_problem_still_degrades_healthz(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    await _healthz(tmp_path, "C1", "C2", "C3")
    with caplog.at_level(logging.INFO, logger="bot.runner.service"):
        await _healthz(tmp_path, "C1", "C3", pause=("channel archived", "C3"))
        after = await _healthz(tmp_path, "C1", "C3")
    body = after.json()
    assert after.status_code == 200
    assert body["status"] == "degraded" and body["critical"] is False
    assert body["problems"] == ["1 channel(s) paused"]
    assert body["paused_channels"] == [{"channel": "slack:C3", "reason": "channel archived"}]
    assert body["removed_channels"] == ["slack:C2"]
    started = [r.getMessage() for r in caplog.records if "newsdigest running" in r.getMessage()]
    assert started[-1] == (
        "newsdigest running: 0 feeds, 1 active channel (1 paused, 1 removed from the config), "
        "platforms: console, slack"
    )


async def test_a_removed_channel_back_in_the_config_is_active_again(tmp_path: Path) -> None:
    await _healthz(tmp_path, "C1", "C2")
    await _healthz(tmp_path, "C1")
    back = (await _healthz(tmp_path, "C1", "C2")).json()
    assert back["status"] == "ok"
    assert back["removed_channels"] == [] and back["paused_channels"] == []


async def test_a_channel_paused_in_chat_is_listed_but_no_problem(tmp_path: Path) -> None:
    # `/watchlist pause`: asked for, so nothing to fix and no alert; still listed with its reason.
    await _healthz(tmp_path, "C1", "C3")
    after = await _healthz(tmp_path, "C1", "C3", pause=(PAUSED_IN_CHAT, "C3"))
    body = after.json()
    assert body["status"] == "ok" and body["problems"] == [], body["problems"]
    assert body["paused_channels"] == [{"channel": "slack:C3", "reason": PAUSED_IN_CHAT}]
