"""Slack's Socket Mode connection lost mid-run: /healthz says so once it has been down past a
routine reconnect, the log says so once (not slack-sdk's ERROR at every retry), and when it is
back the posts waiting out Slack's backoff go at once. The real service, Slack platform and adapter
against the fake Slack Web API and its websocket; the service's clock stands still, so only the
reconnect can bring the posts forward."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.runner import delivery_rows, queue_story, stop
from fakes.slack_api import APP_TOKEN, BOT_TOKEN, FakeSlackAPI

from bot.adapters import connection_watch
from bot.adapters.slack import socket as slack_socket
from bot.adapters.slack import socket_watch
from bot.adapters.slack.socket_watch import SocketWatch, sdk_logger
from bot.app import NewsDigest
from bot.config import ChannelConfig, Config
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)


@pytest.fixture
async def service(
    tmp_path: Path, slack_api: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Service]:
    # Seconds shrunk to fractions: slack-sdk's retry, the watch's look and its grace.
    monkeypatch.setattr(slack_socket, "PING_INTERVAL", 0.2)
    monkeypatch.setattr(connection_watch, "WATCH_INTERVAL", 0.02)
    monkeypatch.setattr(connection_watch, "DOWN_GRACE", 0.5)
    config = Config(
        database=str(tmp_path / "nd.db"),
        channels=[ChannelConfig(platform="slack", id="C1", min_sources=1)],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    monkeypatch.setenv("SLACK_API_URL", slack_api.api_url)
    monkeypatch.setenv("SLACK_MODE", "socket")
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN}
    settings = RunnerSettings(health_port=None, post_pace=0, start_spread=0)
    service = Service(config, core=core, settings=settings, clock=lambda: T0, env=env)
    await service.start()
    try:
        yield service
    finally:
        await stop(service)


async def eventually(check: Callable[[], object], timeout: float = 10.0) -> None:
    async def poll() -> None:
        while not check():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


def slack_problems(health: dict[str, Any]) -> list[str]:
    return [p for p in health["problems"] if p.startswith("slack")]


async def test_a_lost_socket_shows_in_healthz_logs_once_and_its_return_sends_the_waiting_posts(
    service: Service, slack_api: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    # Slack fails a post (a 503: it may have landed): the route backs off, the row waits to be
    # looked for at the end of the backoff, which the standing clock never reaches.
    slack_api.script("chat.postMessage", status=503, body={"ok": False, "error": "fatal_error"})
    queue_story(service, "s1", T0)
    await service.outbox.drain()
    [row] = delivery_rows(service, "slack")
    assert row.state == "sending" and row.next_attempt_at is not None
    assert row.next_attempt_at > T0

    # The websocket drops and Slack cannot give a new one for a while.
    def refused(body: dict[str, Any]) -> dict[str, Any]:
        return {"ok": False, "error": "internal_error"}

    slack_api._apps_connections_open = refused  # type: ignore[method-assign]
    assert slack_api.socket is not None
    await slack_api.socket.close()
    await eventually(lambda: service.health()["disconnected"])
    health = service.health()
    assert health["status"] == "degraded" and not health["critical"]
    [problem] = slack_problems(health)
    assert "Socket Mode disconnected" in problem and "posts still go out" in problem
    assert health["disconnected"]["slack"]["since"] is not None
    # Several of slack-sdk's retries go by: none of them is logged.
    opened = len(slack_api.calls_to("apps.connections.open"))
    await eventually(lambda: len(slack_api.calls_to("apps.connections.open")) >= opened + 3)
    assert len(slack_api.calls_to("chat.postMessage")) == 1  # nothing retried meanwhile

    del slack_api._apps_connections_open  # Slack is back
    await eventually(lambda: delivery_rows(service, "slack")[0].state == "sent")
    assert len(slack_api.calls_to("chat.postMessage")) == 2
    assert slack_api.calls_to("conversations.history")  # looked first: it may have landed
    await eventually(lambda: not service.health()["disconnected"])
    assert slack_problems(service.health()) == []

    sdk = [r for r in caplog.records if r.name.startswith(("slack_sdk", "slack_bolt"))]
    assert [r.getMessage() for r in sdk if r.levelno >= logging.WARNING] == []
    ours = [r for r in caplog.records if r.name == socket_watch.__name__]
    assert [r.levelname for r in ours] == ["WARNING", "INFO"]
    assert "Socket Mode disconnected" in ours[0].getMessage()
    assert "back after" in ours[1].getMessage()


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


async def test_a_routine_reconnect_is_silent_but_still_retries_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    state = {"up": True}
    backs: list[int] = []

    async def connected() -> bool:
        return state["up"]

    clock = Clock()
    watch = SocketWatch(connected, on_back=lambda: backs.append(1), grace=45, clock=clock)
    await watch.check()
    state["up"] = False
    await watch.check()
    clock.now += timedelta(seconds=5)
    await watch.check()
    assert watch.problem() is None  # within the grace
    state["up"] = True
    await watch.check()
    await watch.check()
    assert backs == [1]  # once for the return, not at every look
    assert [r for r in caplog.records if r.name == socket_watch.__name__] == []


async def test_a_long_drop_warns_once_and_reports_since_when() -> None:
    state = {"up": False}

    async def connected() -> bool:
        return state["up"]

    clock = Clock()
    watch = SocketWatch(connected, grace=45, clock=clock)
    await watch.check()
    for _ in range(20):
        clock.now += timedelta(seconds=10)
        await watch.check()
    problem = watch.problem()
    assert problem is not None and problem[0] == T0
    assert watch.warned


def test_slack_sdks_reconnect_loop_is_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    logger = sdk_logger()
    logger.error("Failed to check the current session (s_1) or reconnect to the server (x)")
    logger.warning("Failed to send a ping message (s_1): x")
    logger.info("A new session (s_2) has been established")
    logger.error("Failed to receive or enqueue a message: SlackApiError, x (s_1)")
    logger.error("Failed to retrieve WSS URL: The request to the Slack API failed.\nx")
    logger.error("Failed to receive or enqueue a message: ValueError, x (s_2)")
    assert [r.getMessage() for r in caplog.records] == [
        "Failed to receive or enqueue a message: ValueError, x (s_2)"
    ]
