"""A Slack channel the bot cannot post to is paused with a reason an operator can act on: which
config entry it is (for one the file declares) and the fix for Slack's answer
(channel_not_found: check the id; not_in_channel: invite the bot). `/healthz` reports the posts
such a pause holds apart from the backlog, and `newsdigest channels` shows and resumes the pause,
after which the held post goes out, the same message that was refused. The real service and Slack
platform against the fake Slack Web API; real SQLite; the CLI through CliRunner."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.runner import queue_story, running
from fakes.slack_api import APP_TOKEN, BOT_TOKEN, FakeSlackAPI

from bot.app import NewsDigest
from bot.cli import cli
from bot.config import load_config
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import channels as channel_store
from bot.store.database import open_database

T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)
CONFIG = """
[[channels]]
platform = "slack"
id = "C0NEWS1"
name = "#news"
min_sources = 1
"""


@pytest.fixture
def site(tmp_path: Path, slack_api: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "nd.toml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(tmp_path / "nd.toml"))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    monkeypatch.setenv("SLACK_API_URL", slack_api.api_url)
    monkeypatch.setenv("SLACK_MODE", "socket")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def slack_service(site: Path) -> Service:
    config = load_config(str(site / "nd.toml"))
    core = NewsDigest(config, db=open_database(site / "nd.db"))
    settings = RunnerSettings(health_port=None, post_pace=0, start_spread=0)
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN}
    return Service(config, core=core, settings=settings, env=env, clock=lambda: T0)


def posts_to(slack_api: FakeSlackAPI, channel: str) -> list[dict[str, object]]:
    return [c for c in slack_api.calls_to("chat.postMessage") if c.get("channel") == channel]


async def test_refused_channels_say_the_fix_and_are_resumed_from_the_cli(
    site: Path, slack_api: FakeSlackAPI
) -> None:
    slack_api.channel_errors = {"C0NEWS1": "channel_not_found", "C0TEAM2": "not_in_channel"}
    async with running(slack_service(site)) as service:
        # C0TEAM2 was signed up in chat: no config entry to name.
        channel_store.ensure_channel(service.db, "slack", "C0TEAM2", name="#team")
        channel_store.update_channel(
            service.db, channel_store.get_channel(service.db, "slack", "C0TEAM2").id, min_sources=1
        )
        queue_story(service, "s1", T0)
        await service.outbox.drain()
        news = channel_store.get_channel(service.db, "slack", "C0NEWS1")
        team = channel_store.get_channel(service.db, "slack", "C0TEAM2")
        assert news is not None and team is not None
        assert news.paused_reason == (
            "slack refused to post (Slack chat.postMessage: channel_not_found) on 2027-05-03 10:00 UTC: "
            "check the channel id (Slack shows it at the bottom of the channel's details, and it "
            "ends the channel's link), and for a private channel invite the bot with /invite "
            "@newsdigest in the channel; it is the config file's [[channels]] entry with "
            'platform = "slack", id = "C0NEWS1"'
        )
        assert team.paused_reason == (
            "slack refused to post (Slack chat.postMessage: not_in_channel) on 2027-05-03 10:00 UTC: invite "
            "the bot with /invite @newsdigest in the channel"
        )
        health = service.health()
        # Held by the pauses, not a backlog: a monitor on pending_deliveries stays quiet.
        assert health["pending_deliveries"] == 0
        assert health["held_for_paused_channels"] == 2
        assert health["deliveries"]["pending"] == 2
        (refused,) = posts_to(slack_api, "C0NEWS1")

    runner = CliRunner()
    listed = runner.invoke(cli, ["channels", "list"])
    assert listed.exit_code == 0, listed.output
    rows = [line for line in listed.stdout.splitlines() if line.startswith("│ slack:C0")]
    assert len(rows) == 2
    news_row, team_row = rows
    for cell in ("slack:C0NEWS1", "#news", "digest", "daily 09:00 UTC", " 1 ", "paused since "):
        assert cell in news_row
    assert (
        "2027-05-03 10:00: slack refused to post (Slack chat.postMessage: channel_not_found)"
        in news_row
    )
    assert "#team" in team_row and "not_in_channel" in team_row
    assert "2 channels paused: fix the cause, then `newsdigest channels resume slack:C0NEWS1`" in (
        listed.stdout
    )

    preview = runner.invoke(cli, ["digest", "slack:C0NEWS1"])
    assert preview.exit_code == 0, preview.output
    (note,) = [line for line in preview.stderr.splitlines() if line.startswith("Note: posting")]
    assert note.startswith(
        "Note: posting to slack:C0NEWS1 is paused since 2027-05-03 10:00 UTC (slack refused to "
        "post (Slack chat.postMessage: channel_not_found)"
    )
    assert note.endswith("until it is resumed: `newsdigest channels resume slack:C0NEWS1`")

    resumed = runner.invoke(cli, ["channels", "resume", "#news"])
    assert resumed.exit_code == 0, resumed.output
    assert resumed.stdout.startswith(
        "Resumed #news (slack:C0NEWS1), paused since 2027-05-03 10:00: slack refused to post"
    )
    assert "1 post it held will go out" in resumed.stdout
    again = runner.invoke(cli, ["channels", "resume", "slack:C0NEWS1"])
    assert (
        again.stdout
        == "Channel #news (slack:C0NEWS1) is not paused, so there is nothing to resume.\n"
    )
    listed = runner.invoke(cli, ["channels", "list"])
    assert "posting" in next(line for line in listed.stdout.splitlines() if "C0NEWS1" in line)
    assert "1 channel paused" in listed.stdout

    slack_api.channel_errors = {"C0TEAM2": "not_in_channel"}  # the id in the file was right
    async with running(slack_service(site)) as service:
        await service.outbox.drain()
        first, sent = posts_to(slack_api, "C0NEWS1")
        # The held message itself, as first sent: the same JSON (blocks, metadata, nonce).
        assert first == refused and sent == refused
        assert service.health()["held_for_paused_channels"] == 1  # #team's, still paused


def test_channels_resume_names_what_it_cannot_find(site: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["poll"]).exit_code in (0, 1)  # syncs the config's channel
    missing = runner.invoke(cli, ["channels", "resume", "#nope"])
    assert missing.exit_code == 1
    assert missing.output == "Error: no channel '#nope' (known: #news (slack:C0NEWS1))\n"
    helped = runner.invoke(cli, ["channels", "--help"])
    assert "channels resume" in helped.output and "webhook" in helped.output
