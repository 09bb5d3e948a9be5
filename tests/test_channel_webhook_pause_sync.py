"""A webhook-only Discord channel (no bot token, so no /watchlist) paused because Discord refused
its webhook is resumed by fixing its entry: a new `webhook_url` in the config file lifts that pause
at the next sync, says so, and the post the pause held goes out through the new webhook, the very
card that was refused. Other changes to the entry leave the pause, and a pause for another reason
is not this one. The real service and Discord adapters against the fake Discord REST API; real
SQLite."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes.discord_api import FakeDiscord
from fakes.runner import queue_story, running

from bot.app import NewsDigest
from bot.config import ChannelConfig, Config
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store.database import open_database
from bot.store.sync import REMOVED_FROM_CONFIG, sync_config
from bot.store.sync_report import sync_notes

T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)
HOOK_CHANNEL = "333333333333333333"
OLD_ID, NEW_ID = 444444444444444444, 555555555555555555
OLD_URL = f"https://discord.com/api/webhooks/{OLD_ID}/{'T' * 68}"
NEW_URL = f"https://discord.com/api/webhooks/{NEW_ID}/{'N' * 68}"


def hook_entry(url: str | None, **settings: object) -> ChannelConfig:
    return ChannelConfig(
        platform="discord",
        id=HOOK_CHANNEL,
        name="#news",
        min_sources=1,
        webhook_url=url,
        **settings,
    )


def webhook_service(tmp_path: Path, channel: ChannelConfig) -> Service:
    """No DISCORD_TOKEN: Discord runs for the webhook channel alone."""
    config = Config(database=str(tmp_path / "nd.db"), channels=[channel])
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=None, post_pace=0, start_spread=0)
    return Service(config, core=core, settings=settings, env={}, clock=lambda: T0)


async def test_a_new_webhook_url_lifts_the_pause_and_sends_what_it_held(
    discord_api: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    discord_api.webhook_channels[NEW_ID] = int(HOOK_CHANNEL)
    discord_api.fail_next(
        "POST", rf"/webhooks/{OLD_ID}/.+", 404, {"message": "Unknown Webhook", "code": 10015}
    )
    async with running(webhook_service(tmp_path, hook_entry(OLD_URL))) as service:
        queue_story(service, "s1", T0)
        await service.outbox.drain()
        channel = channel_store.get_channel(service.db, "discord", HOOK_CHANNEL)
        assert channel is not None and channel.paused_reason is not None
        assert channel.paused_reason.startswith(
            f"discord refused to post (webhook post story-s1 to discord:{HOOK_CHANNEL}: Unknown "
            "Webhook) on 2027-05-03 10:00 UTC: make a new webhook"
        )
        # Which entry to fix, and that the fix is the file's.
        assert "webhook_url in the config file" in channel.paused_reason
        assert f'[[channels]] entry with platform = "discord", id = "{HOOK_CHANNEL}"' in (
            channel.paused_reason
        )
        assert channel.paused_at == T0
        (refused,) = discord_api.calls("POST", rf"/webhooks/{OLD_ID}/.+")

    caplog.set_level(logging.WARNING, logger="bot.runner.service")
    async with running(webhook_service(tmp_path, hook_entry(NEW_URL))) as service:
        channel = channel_store.get_channel(service.db, "discord", HOOK_CHANNEL)
        assert channel is not None and channel.paused_reason is None and channel.paused_at is None
        assert any(
            f"channel #news (discord:{HOOK_CHANNEL}): its webhook_url changed, so its pause is "
            "lifted and posting resumes (it was paused: discord refused to post" in r.getMessage()
            for r in caplog.records
        )
        await service.outbox.drain()
        (sent,) = discord_api.calls("POST", rf"/webhooks/{NEW_ID}/.+")
        # The card the pause held, as it was refused: the same JSON, through the new webhook.
        assert sent.body == refused.body and sent.status == 200
        assert [r.state for r in delivery_store.in_state(service.db, "sent")] == ["sent"]
        assert len(discord_api.calls("POST", rf"/webhooks/{OLD_ID}/.+")) == 1


def refused(db_path: Path, channel: ChannelConfig) -> tuple[Config, int]:
    config = Config(database=str(db_path), channels=[channel])
    db = open_database(db_path)
    sync_config(db, config)
    row = channel_store.get_channel(db, channel.platform, channel.id)
    assert row is not None
    channel_store.update_channel(
        db, row.id, paused_reason="discord refused to post (Discord post: Unknown Webhook) on x"
    )
    return config, row.id


def test_the_sync_lifts_a_refusal_only_when_the_webhook_changes(tmp_path: Path) -> None:
    _, pk = refused(tmp_path / "nd.db", hook_entry(OLD_URL))
    db = open_database(tmp_path / "nd.db")
    # Another setting of the entry changed: the webhook is as refused as it was.
    later = Config(database="", channels=[hook_entry(OLD_URL, schedule="0 8 * * *")])
    report = sync_config(db, later)
    assert report.lifted_pauses == [] and sync_notes(report, "nd.toml") == []
    row = channel_store.get_channel_by_pk(db, pk)
    assert row is not None and row.paused_reason and row.schedule == "0 8 * * *"

    # Bot delivery instead (no webhook_url): another way to post, so it is tried.
    report = sync_config(db, Config(database="", channels=[hook_entry(None)]))
    assert sync_notes(report, "nd.toml") == [
        f"config: channel #news (discord:{HOOK_CHANNEL}): its webhook_url changed, so its pause "
        "is lifted and posting resumes (it was paused: discord refused to post (Discord post: "
        "Unknown Webhook) on x)"
    ]
    row = channel_store.get_channel_by_pk(db, pk)
    assert row is not None and row.paused_reason is None and row.webhook_url is None


def test_a_pause_that_is_no_refusal_stays_when_the_webhook_changes(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    sync_config(db, Config(database="", channels=[hook_entry(OLD_URL)]))
    # Out of the file: paused by the sync. Back with another webhook: un-paused as back in the
    # file, said as such (not as a lifted refusal).
    sync_config(db, Config(database="", channels=[]))
    row = channel_store.get_channel(db, "discord", HOOK_CHANNEL)
    assert row is not None and row.paused_reason == REMOVED_FROM_CONFIG
    report = sync_config(db, Config(database="", channels=[hook_entry(NEW_URL)]))
    assert report.lifted_pauses == [] and report.channels_resumed == 1


def test_a_new_id_is_another_channel_and_not_paused(tmp_path: Path) -> None:
    slack = ChannelConfig(platform="slack", id="C0WRONG1")
    db = open_database(tmp_path / "nd.db")
    sync_config(db, Config(database="", channels=[slack]))
    row = channel_store.get_channel(db, "slack", "C0WRONG1")
    assert row is not None
    channel_store.update_channel(
        db, row.id, paused_reason="slack refused to post (Slack post: channel_not_found) on x"
    )
    sync_config(db, Config(database="", channels=[ChannelConfig(platform="slack", id="C0RIGHT1")]))
    fixed = channel_store.get_channel(db, "slack", "C0RIGHT1")
    assert fixed is not None and fixed.paused_reason is None
    old = channel_store.get_channel(db, "slack", "C0WRONG1")
    assert old is not None and old.paused_reason == REMOVED_FROM_CONFIG
