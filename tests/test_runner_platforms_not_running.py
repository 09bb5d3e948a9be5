"""A chat platform `newsdigest run` did not start (its token not set, a setting missing, its start
failing) is seen where an operator looks: `channels list` and `status` (the running service
records its platforms in the database, `bot.runner.platform_state`), the start line's count,
and the terminal stand-in, which prints while no platform started. The channel's stories wait,
unqueued and undelivered, and go out once a restart starts the platform.

The service runs in-process as the other runner tests run it, holding the database's real lock
as `run` does; the command line is the real `newsdigest`, read from the same file."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fakes.chat import FakeChatAdapter
from fakes.stories import add_story

from bot.app import NewsDigest
from bot.cli import cli
from bot.config import Config, Secrets, parse_config
from bot.runner import platforms as platform_module
from bot.runner.console import STANDING_IN
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store import digest_runs, service_state
from bot.store.database import open_database
from bot.store.lock import lock_database
from tests._cli_env import cli_env

T0 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)

CHANNELS = [
    {"platform": "discord", "id": "123456789012345678", "mode": "instant", "min_sources": 1},
    {"platform": "slack", "id": "C0123456789", "mode": "instant", "min_sources": 1},
]
TOML = "".join(
    "[[channels]]\n"
    f'platform = "{c["platform"]}"\nid = "{c["id"]}"\nmode = "instant"\nmin_sources = 1\n'
    for c in CHANNELS
)


class FakeSlack:
    """Slack as `run` starts it, its start failing with `errors` first."""

    name = "slack"

    def __init__(self, errors: list[Exception] | None = None) -> None:
        self.errors = list(errors or [])
        self.adapter = FakeChatAdapter("slack")

    async def start(self, service: Service) -> None:
        if self.errors:
            raise self.errors.pop(0)
        service.register_adapter(self.adapter)

    async def stop(self, deadline: float | None = None) -> None:
        return None


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cli_env(tmp_path, monkeypatch, TOML)
    return tmp_path / "nd.db"


@asynccontextmanager
async def running(
    db_path: Path, env: Mapping[str, str], channels: list[dict[str, Any]] = CHANNELS
) -> AsyncIterator[Service]:
    """The service started as `run` starts it, holding the database's lock until it stops."""
    config = parse_config({"channels": channels})
    lock = lock_database(str(db_path))
    core = NewsDigest(config, db=open_database(db_path))
    settings = RunnerSettings(
        health_port=None,
        post_pace=0,
        start_spread=0,
        platform_retry_initial=0.001,
        platform_retry_max=0.004,
    )
    service = Service(config, core=core, settings=settings, clock=lambda: T0, env=env)
    try:
        await service.start()
        yield service
    finally:
        await service.stop()
        core.close()
        if lock is not None:
            lock.release()


def _cli(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _rows(output: str) -> dict[str, str]:
    """`channels list`'s rows (piped: each cell whole), channel key -> its state cell."""
    rows = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip("│┃ ").split("│")]
        if len(cells) == 5 and ":" in cells[0]:
            rows[cells[0]] = cells[4]
    return rows


def _status_json() -> dict[str, Any]:
    report: dict[str, Any] = json.loads(_cli("status", "--json"))
    return report


async def test_no_tokens_at_all_channels_list_and_status_say_so(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.runner.service")
    async with running(db_path, env={}):
        listed = _cli("channels", "list")
        status = _cli("status")
        report = _status_json()
    # Was "posting" for both, 0 waiting, with nothing on the command line saying otherwise.
    assert _rows(listed) == {
        "discord:123456789012345678": "discord not running: DISCORD_TOKEN is not set",
        "slack:C0123456789": "slack not running: SLACK_BOT_TOKEN is not set",
        "console:terminal": "posting",
    }
    assert "2 channels not posting: fix what the state names (the service's environment" in listed
    assert "no restart needed" not in listed
    assert (
        "slack:C0123456789: instant; not posting: slack not running: SLACK_BOT_TOKEN is not set"
    ) in status
    assert "          slack not running: SLACK_BOT_TOKEN is not set" in status.splitlines()
    by_key = {c["channel"]: c["not_posting"] for c in report["channels"]}
    assert by_key == {
        "discord:123456789012345678": "discord not running: DISCORD_TOKEN is not set",
        "slack:C0123456789": "slack not running: SLACK_BOT_TOKEN is not set",
        "console:terminal": None,
    }
    assert report["service"]["platforms"] == {
        "discord": {
            "running": False,
            "problem": "DISCORD_TOKEN is not set",
            "webhooks_only": False,
        },
        "slack": {
            "running": False,
            "problem": "SLACK_BOT_TOKEN is not set",
            "webhooks_only": False,
        },
    }
    # Was "3 active channels": only the terminal posts.
    (started,) = [
        r.getMessage() for r in caplog.records if r.getMessage().startswith("newsdigest running")
    ]
    assert started == (
        "newsdigest running: 0 feeds, 1 active channel (2 not posting: discord, slack not "
        "running), platforms: console"
    )
    # Stopped: no `run` holds the database, and the record says nothing of the next one.
    assert _rows(_cli("channels", "list"))["slack:C0123456789"] == "posting"
    assert _status_json()["service"]["platforms"] is None


async def test_slack_without_its_app_token_is_named_and_the_terminal_still_prints(
    db_path: Path,
) -> None:
    # SLACK_BOT_TOKEN set, SLACK_APP_TOKEN forgotten: Slack is not started (a setting to
    # change, not retried). The terminal stand-in was paused all the same, so nothing was
    # printed or posted anywhere.
    async with running(db_path, env={"SLACK_BOT_TOKEN": "xoxb-fake"}) as service:
        rows = _rows(_cli("channels", "list"))
        terminal = channel_store.get_channel(service.db, "console", "terminal")
        assert terminal is not None and terminal.paused_reason is None
        assert terminal.id in {c.id for c in service.digest_channels()}
    assert rows["slack:C0123456789"].startswith(
        "slack not running: SLACK_MODE=socket needs SLACK_APP_TOKEN"
    )
    assert rows["console:terminal"] == "posting"


async def test_a_platform_retried_is_not_running_until_it_starts(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    platform = FakeSlack([ConnectionError("refused")] * 3)
    monkeypatch.setitem(
        platform_module.PLATFORM_FACTORIES, "SLACK_BOT_TOKEN", lambda c, s: platform
    )
    async with running(db_path, env={"SLACK_BOT_TOKEN": "xoxb-fake"}) as service:
        retries = list(service.starter.tasks)
        listed = _cli("channels", "list")
        assert _rows(listed)["slack:C0123456789"] == (
            "slack not running: ConnectionError: refused; retrying in the background"
        )
        # It comes up by itself: a restart would only begin the same retries. Discord's token
        # is not set, and that one a restart with it set does fix.
        assert "1 channel waiting for `newsdigest run` to reach its platform" in listed
        assert "no restart needed" in listed
        assert "1 channel not posting: fix what the state names" in listed
        # Being retried, it will start by itself: no terminal stand-in meanwhile.
        assert channel_store.list_channels(service.db, "console") == []
        await asyncio.wait_for(asyncio.gather(*retries), timeout=5)
        assert _rows(_cli("channels", "list"))["slack:C0123456789"] == "posting"
        assert _status_json()["service"]["platforms"]["slack"] == {
            "running": True,
            "problem": None,
            "webhooks_only": False,
        }


async def test_a_platform_that_started_pauses_the_terminal_stand_in(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running(db_path, env={}):
        pass  # the terminal channel made, with no platform
    platform = FakeSlack()
    monkeypatch.setitem(
        platform_module.PLATFORM_FACTORIES, "SLACK_BOT_TOKEN", lambda c, s: platform
    )
    async with running(db_path, env={"SLACK_BOT_TOKEN": "xoxb-fake"}) as service:
        terminal = channel_store.get_channel(service.db, "console", "terminal")
        assert terminal is not None and terminal.paused_reason == STANDING_IN
        assert _rows(_cli("channels", "list"))["slack:C0123456789"] == "posting"


async def test_a_record_an_earlier_run_left_is_not_taken_for_this_ones(db_path: Path) -> None:
    async with running(db_path, env={}) as service:
        assert service.state == "running"  # it records its platforms, then stops
    db = open_database(db_path)
    try:
        record = service_state.load(db, service_state.PLATFORMS)
        assert record["pid"] == os.getpid()
        service_state.save(db, service_state.PLATFORMS, {**record, "pid": 1}, now=T0)
    finally:
        db.conn.close()
    lock = lock_database(str(db_path))  # another `run`, still loading: it has said nothing yet
    try:
        assert _rows(_cli("channels", "list"))["slack:C0123456789"] == "posting"
        assert _status_json()["channels"][1]["not_posting"] is None
    finally:
        assert lock is not None
        lock.release()


async def test_stories_wait_for_a_restart_with_the_token_and_none_is_lost(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What README says of such a channel: nothing is queued or marked delivered while its
    # platform is not running; the start that runs it catches up as after any time down: an
    # instant channel on what qualified in the instant window (6 h), a digest channel on the
    # digest it missed within the catch-up window (its 09:00 one, an hour ago; it had
    # yesterday's before Slack stopped starting).
    channels = [
        *CHANNELS,
        {"platform": "slack", "id": "C2", "schedule": "0 9 * * *", "min_sources": 1},
    ]
    db = open_database(db_path)
    try:
        add_story(db, "fresh", ["A"], now=T0 - timedelta(hours=1))
        add_story(db, "old", ["B"], now=T0 - timedelta(hours=7))
    finally:
        db.conn.close()
    async with running(db_path, env={}, channels=channels) as service:
        slack = channel_store.get_channel(service.db, "slack", "C0123456789")
        assert slack is not None
        c2 = channel_store.get_channel(service.db, "slack", "C2")
        assert c2 is not None
        yesterday = T0 - timedelta(days=1, hours=1)
        digest_runs.record_digest_run(
            service.db, c2.id, scheduled_for=yesterday, now=yesterday, stories=0
        )
        await service.outbox.drain()
        assert channel_store.pending_posts(service.db) == {}
        assert delivery_store.story_post(service.db, "fresh", slack.id) is None
        assert _rows(_cli("channels", "list"))["slack:C0123456789"].startswith("slack not running")
    platform = FakeSlack()
    monkeypatch.setitem(
        platform_module.PLATFORM_FACTORIES, "SLACK_BOT_TOKEN", lambda c, s: platform
    )
    env = {"SLACK_BOT_TOKEN": "xoxb-fake"}
    async with running(db_path, env=env, channels=channels) as service:
        await service.outbox.drain()
        posted = sorted((m.channel_id, m.story_id) for m in platform.adapter.cards())
    assert posted == [("C0123456789", "fresh"), ("C2", "fresh"), ("C2", "old")]


def test_a_platform_not_installed_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(config: Config, secrets: Secrets) -> FakeSlack:
        raise ModuleNotFoundError("No module named 'slack_bolt'", name="slack_bolt")

    monkeypatch.setitem(platform_module.PLATFORM_FACTORIES, "SLACK_BOT_TOKEN", missing)
    platforms, errors = platform_module.configured_platforms(
        parse_config({}), {"SLACK_BOT_TOKEN": "xoxb-fake"}
    )
    assert platforms == []
    assert errors == {"slack": "not installed: No module named 'slack_bolt'"}


async def test_discord_started_for_webhooks_alone_names_the_channels_that_need_its_bot(
    db_path: Path,
) -> None:
    webhook = f"https://discord.com/api/webhooks/123456789012345678/{'T' * 68}"
    channels = [
        {"platform": "discord", "id": "234567890123456789", "webhook_url": webhook},
        {"platform": "discord", "id": "234567890123456790"},
    ]
    async with running(db_path, env={}, channels=channels):
        rows = _rows(_cli("channels", "list"))
        platforms = _status_json()["service"]["platforms"]
    assert rows == {
        "discord:234567890123456789": "posting",
        "discord:234567890123456790": "discord bot not running: DISCORD_TOKEN is not set",
    }
    assert platforms == {
        "discord": {"running": True, "problem": "DISCORD_TOKEN is not set", "webhooks_only": True}
    }


async def test_a_token_refused_mid_run_is_shown_within_the_minute(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    platform = FakeSlack()
    monkeypatch.setitem(
        platform_module.PLATFORM_FACTORIES, "SLACK_BOT_TOKEN", lambda c, s: platform
    )
    async with running(db_path, env={"SLACK_BOT_TOKEN": "xoxb-fake"}) as service:
        assert _rows(_cli("channels", "list"))["slack:C0123456789"] == "posting"
        service.platform_lost("slack", "token_revoked: set a new SLACK_BOT_TOKEN")
        await service.sync_jobs_job()  # the minute's job
        state = _rows(_cli("channels", "list"))["slack:C0123456789"]
        status = _cli("status")
    assert state == (
        "slack: authentication failed, not retried: token_revoked: set a new SLACK_BOT_TOKEN"
    )
    assert (
        "          slack running: authentication failed, not retried: token_revoked: set a new "
        "SLACK_BOT_TOKEN"
    ) in status.splitlines()
