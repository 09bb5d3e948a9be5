"""`newsdigest run` stopping while a Slack card's overflow waits out a rate limit in the
background: the platform's stop ends within the runner's share of the grace (the overflow gets
what is left, then is given up with an ERROR naming the part), with no "stopping platform slack
failed" traceback; and an overflow posted after the Slack platform was stopped mid-run (its
token refused, while the outbox still posts with its adapter) is finished at shutdown too, not
left running or dropped in silence; and one waiting when the platform is stopped so goes on (its
parts go out once the rate limit ends), not given up by that stop as if at shutdown. The real service, Slack platform (HTTP mode) and adapter,
the fake Slack Web API on loopback."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from pathlib import Path

import pytest
from fakes.runner import stop
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel
from test_slack_http_port import http_mode
from test_slack_overflow import RATE_LIMITED, big_card

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.slack.platform import SlackPlatform
from bot.app import NewsDigest
from bot.config import ChannelConfig, Config
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import open_database

# One second per platform's stop (the runner gives each grace / 2).
GRACE = 2.0


async def started(tmp_path: Path) -> Service:
    config = Config(
        database=str(tmp_path / "nd.db"), channels=[ChannelConfig(platform="slack", id="C1")]
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=None, start_spread=0, shutdown_grace=GRACE)
    service = Service(config, core=core, settings=settings, env={"SLACK_BOT_TOKEN": BOT_TOKEN})
    await service.start()
    return service


def free_port() -> int:
    # PORT takes no 0; a port just free is free for the moment the test needs it.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def slack_of(service: Service) -> SlackPlatform:
    platform = next(p for p in service.platforms if p.name == "slack")
    assert isinstance(platform, SlackPlatform) and platform.bot is not None
    return platform


async def overflow_waiting(
    service: Service, adapter: SlackAdapter, fake: FakeSlackAPI, wait: int = 20
) -> None:
    """A card posted whose second message is refused for `wait` seconds: it waits in the
    background."""
    channel = add_channel(service.core.db, "C1")
    fake.script_usual("chat.postMessage")
    fake.script("chat.postMessage", headers={"Retry-After": str(wait)}, **RATE_LIMITED)
    await asyncio.wait_for(adapter.post_card(channel, big_card("s1", 25), nonce="n1"), 5)
    assert len(adapter.overflow.tasks) == 1


def card_ts(fake: FakeSlackAPI) -> str:
    """The ts Slack gave the card `overflow_waiting` posted, which its overflow's log names."""
    return str(fake.messages["C1"][0]["ts"])


def errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_the_slack_stop_ends_within_the_runners_share_of_the_grace(
    tmp_path: Path,
    slack_api: FakeSlackAPI,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    http_mode(monkeypatch, slack_api, "127.0.0.1", free_port())
    service = await started(tmp_path)
    bot = slack_of(service).bot
    assert bot is not None
    await overflow_waiting(service, bot.adapter, slack_api)
    # Closing the listener takes a moment, as a real socket's may: the overflow's 2 s grace
    # on top of it would run past the 1 s the runner gives the stop.
    close = bot.endpoint.stop

    async def slow_close() -> None:
        await asyncio.sleep(0.4)
        await close()

    monkeypatch.setattr(bot.endpoint, "stop", slow_close)
    with caplog.at_level(logging.INFO):
        await stop(service)
    assert not bot.adapter.overflow.tasks
    # The overflow given up by the Slack stop itself, within its deadline: a stop that ran past
    # its share is cut by the runner, which logs "stopping platform slack failed" with its
    # traceback. Read from the log, not a stopwatch, so a busy machine's slow stop still passes.
    assert [r.getMessage() for r in errors(caplog)] == [
        f"Slack: part(s) 2 of 2 of {card_ts(slack_api)} in C1 not posted: "
        "stopped before they were posted (shutdown)"
    ]
    assert all(r.exc_info is None for r in errors(caplog))


async def test_an_overflow_posted_after_the_platform_stopped_is_finished_at_shutdown(
    tmp_path: Path,
    slack_api: FakeSlackAPI,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    http_mode(monkeypatch, slack_api, "127.0.0.1", free_port())
    service = await started(tmp_path)
    platform = slack_of(service)
    assert platform.bot is not None
    adapter = platform.bot.adapter
    # Stopped mid-run for a refused token; the adapter stays with the outbox.
    service.platform_lost("slack", "invalid_auth")
    await asyncio.wait_for(asyncio.gather(*service.starter.stopping), 5)
    assert platform.bot is None and service.outbox.adapters["slack"] is adapter
    await overflow_waiting(service, adapter, slack_api)
    task = next(iter(adapter.overflow.tasks))
    with caplog.at_level(logging.INFO):
        await stop(service)
    assert task.done() and not adapter.overflow.tasks
    assert f"part(s) 2 of 2 of {card_ts(slack_api)} in C1 not posted" in caplog.text


async def test_a_mid_run_stop_leaves_the_overflow_of_the_adapter_still_posting(
    tmp_path: Path,
    slack_api: FakeSlackAPI,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The stop gave the overflow 2 s, then cancelled it with "stopped before they were posted
    # (shutdown)", though the outbox kept posting with the adapter and its bot token worked.
    http_mode(monkeypatch, slack_api, "127.0.0.1", free_port())
    service = await started(tmp_path)
    platform = slack_of(service)
    assert platform.bot is not None
    adapter = platform.bot.adapter
    await overflow_waiting(service, adapter, slack_api, wait=3)
    task = next(iter(adapter.overflow.tasks))
    with caplog.at_level(logging.INFO):
        begun = time.monotonic()
        service.platform_lost("slack", "apps.connections.open: invalid_auth")
        await asyncio.wait_for(asyncio.gather(*service.starter.stopping), 5)
        took = time.monotonic() - begun
        assert platform.bot is None and service.outbox.adapters["slack"] is adapter
        assert took < 1.0, f"the stop took {took:.2f}s"
        assert not task.done()
        # The part goes out once the 3 s are over: the card, the 429, the part.
        posts = await slack_api.wait_for("chat.postMessage", 3, timeout=6)
        await asyncio.wait_for(task, 2)
    assert posts[2]["thread_ts"] == card_ts(slack_api)
    assert [r.getMessage() for r in errors(caplog)] == [
        "platform slack stopped, not retrying: authentication failed: "
        "apps.connections.open: invalid_auth"
    ]
    await stop(service)


async def test_an_overflow_left_going_by_a_mid_run_stop_is_finished_at_shutdown(
    tmp_path: Path,
    slack_api: FakeSlackAPI,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    http_mode(monkeypatch, slack_api, "127.0.0.1", free_port())
    service = await started(tmp_path)
    platform = slack_of(service)
    assert platform.bot is not None
    adapter = platform.bot.adapter
    await overflow_waiting(service, adapter, slack_api)
    task = next(iter(adapter.overflow.tasks))
    service.platform_lost("slack", "apps.connections.open: invalid_auth")
    await asyncio.wait_for(asyncio.gather(*service.starter.stopping), 5)
    assert not task.done()
    caplog.clear()
    with caplog.at_level(logging.INFO):
        await stop(service)
    assert task.done() and not adapter.overflow.tasks
    # Given up within the runner's deadline for it: one that outlasted it is cut with
    # "finishing the slack adapter's background work failed" and its traceback.
    assert [r.getMessage() for r in errors(caplog)] == [
        f"Slack: part(s) 2 of 2 of {card_ts(slack_api)} in C1 not posted: "
        "stopped before they were posted (shutdown)"
    ]
    assert all(r.exc_info is None for r in errors(caplog))
