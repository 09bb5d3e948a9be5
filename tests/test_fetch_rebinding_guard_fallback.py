"""The fetcher's DNS-rebinding guard replaces httpx's private transport pool. With the httpx
pyproject.toml allows it is installed; if a future httpx moved the pool, fetching falls back to
the plain transport, and the operator hears of it: one warning in the log naming the risk, and
`/healthz` lists it under `problems` with `rebinding_guard` false."""

from __future__ import annotations

import logging
import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import httpcore
import httpx
import pytest
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock

from bot.app import NewsDigest
from bot.config import ChannelConfig, Config
from bot.ingest import fetcher as fetcher_module
from bot.ingest import transport
from bot.ingest.fetcher import FeedFetcher
from bot.ingest.netguard import GuardedNetworkBackend
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import open_database

ROOT = Path(__file__).resolve().parent.parent


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version)[:3])


def test_the_installed_httpx_is_within_the_pinned_range() -> None:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    (spec,) = [d for d in deps if d.startswith("httpx")]
    bounds = dict(re.findall(r"(>=|<)\s*([\d.]+)", spec))
    assert set(bounds) == {">=", "<"}, "httpx needs an upper bound: the guard uses its internals"
    have = _numbers(httpx.__version__)
    assert _numbers(bounds[">="]) <= have < _numbers(bounds["<"])


async def test_the_pinned_httpx_takes_the_guard() -> None:
    async with FeedFetcher() as fetcher:
        assert fetcher.rebinding_guard
        pool = fetcher._client._transport._pool  # type: ignore[attr-defined]
        assert isinstance(pool, httpcore.AsyncConnectionPool)
        assert isinstance(pool._network_backend, GuardedNetworkBackend)
    assert transport.rebinding_guard()


class _MovedPool(transport.GuardedTransport):
    def __init__(self, **kwargs: object) -> None:
        raise RuntimeError("httpx transport layout changed; cannot install network guard")


async def test_a_lost_guard_is_warned_once_and_shown_in_health(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(transport, "_lost", [])
    monkeypatch.setattr(fetcher_module, "GuardedTransport", _MovedPool)
    with caplog.at_level(logging.WARNING, logger="bot.ingest.transport"):
        for _ in range(2):  # every poll pass may build one: still one warning
            async with FeedFetcher() as fetcher:
                assert not fetcher.rebinding_guard
    warned = [r.getMessage() for r in caplog.records if "rebinding guard" in r.getMessage()]
    assert len(warned) == 1
    assert "169.254.169.254" in warned[0] and httpx.__version__ in warned[0]

    config = Config(
        database=str(tmp_path / "nd.db"),
        channels=[ChannelConfig(platform="slack", id="C1", schedule="0 9 * * *")],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=None, post_pace=0, start_spread=300)
    clock = Clock(datetime(2027, 5, 3, 10, 0, tzinfo=UTC))
    service = Service(config, core=core, settings=settings, clock=clock, env={})
    service.register_adapter(FakeChatAdapter("slack"))
    await service.start()
    body = service.health()
    await service.stop()
    service.core.close()
    assert body["rebinding_guard"] is False
    assert body["status"] == "degraded" and body["critical"] is False
    assert any(p.startswith("fetch: ") and "rebinding" in p for p in body["problems"])
