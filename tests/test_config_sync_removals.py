"""What a config sync removes or pauses is said (CLI: stderr; `run`: a WARNING), and the demo's
database is not emptied by syncing an unrelated config file into it."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.runner import stop

from bot.app import NewsDigest
from bot.cli import cli
from bot.config import ChannelConfig, Config, load_config
from bot.demo.run import DEMO_CHANNEL, run_demo
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store.database import open_database
from bot.store.sync import sync_config
from bot.store.sync_report import sync_notes

FULL = """
[polling]
allow_private_networks = true  # `feeds add` takes the loopback feed below
[[feeds]]
url = "http://127.0.0.1:9/rss"
[[feeds]]
url = "http://127.0.0.1:9/other"
[[topics]]
slug = "chips"
query = "chip"
[[channels]]
platform = "slack"
id = "C1"
name = "#news"
topics = ["chips"]
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "newsdigest.toml").write_text(FULL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_poll_says_what_the_sync_removed_and_paused(site: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["feeds", "add", "http://127.0.0.1:9/mine"]).exit_code == 0
    first = runner.invoke(cli, ["poll"])
    # What it added is said too (`sync_news`), once: a channel that starts getting posts.
    assert [line for line in first.stderr.splitlines() if line.startswith("config:")] == [
        "config: added 2 feeds from config/newsdigest.toml",
        "config: added 1 topic from config/newsdigest.toml: chips",
        "config: added 1 channel from config/newsdigest.toml: #news (slack:C1)",
    ]
    (site / "config" / "newsdigest.toml").write_text("", encoding="utf-8")

    result = runner.invoke(cli, ["poll"])

    lines = [line for line in result.stderr.splitlines() if line.startswith("config:")]
    assert lines == [
        "config: removed 2 feeds no longer in config/newsdigest.toml: "
        "http://127.0.0.1:9/rss, http://127.0.0.1:9/other",
        "config: removed 1 topic no longer in config/newsdigest.toml: chips",
        "config: paused 1 channel no longer in config/newsdigest.toml: #news (slack:C1)",
    ]
    assert "config:" not in result.stdout
    # Only what the file had made went: the feed added on the command line stays.
    db = open_database(site / "nd.db")
    try:
        assert [f.url for f in feed_store.list_feeds(db)] == ["http://127.0.0.1:9/mine"]
    finally:
        db.close()


def test_an_unchanged_config_says_nothing(site: Path) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["poll"])
    again = runner.invoke(cli, ["poll"])
    assert "config:" not in again.stderr


def test_feeds_added_on_the_command_line_or_by_import_survive_an_empty_config(
    tmp_path: Path,
) -> None:
    db = open_database(tmp_path / "nd.db")
    try:
        feed_store.add_feed(db, "http://127.0.0.1:9/cli", origin="cli")
        feed_store.add_feed(db, "http://127.0.0.1:9/opml", origin="opml")
        channel_store.upsert_topic(db, "mine", "chip", origin="cli")
        empty = tmp_path / "empty.toml"
        empty.write_text("", encoding="utf-8")
        report = sync_config(db, load_config(empty))
        assert sync_notes(report, "x") == []
        assert len(feed_store.list_feeds(db)) == 2
        assert [t.slug for t in channel_store.list_topics(db)] == ["mine"]
    finally:
        db.close()


async def test_run_logs_what_the_sync_removed_at_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db_path = tmp_path / "nd.db"
    seeded = Config(
        database=str(db_path),
        channels=[ChannelConfig(platform="console", id="old", name="#old")],
    )
    core = NewsDigest(seeded, db=open_database(db_path))
    core.sync_config()
    core.close()
    empty = tmp_path / "newsdigest.toml"
    empty.write_text(f"database = {str(db_path)!r}\n", encoding="utf-8")
    config = load_config(empty)
    core = NewsDigest(config, db=open_database(db_path))
    settings = RunnerSettings(health_port=None, post_pace=0, start_spread=0)
    service = Service(config, core=core, settings=settings, env={})
    with caplog.at_level(logging.WARNING):
        # Started and stopped with nothing in between: the sync (and its warning) runs at start.
        await service.start()
        await stop(service)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert f"config: paused 1 channel no longer in {empty}: #old (console:old)" in warnings


def test_the_demo_database_survives_a_sync_with_an_unrelated_config(tmp_path: Path) -> None:
    from rich.console import Console

    summary = run_demo(tmp_path / "out", Console(file=io.StringIO()))
    empty = tmp_path / "newsdigest.toml"
    empty.write_text("", encoding="utf-8")
    db = open_database(summary.db_path)
    try:
        before = [f.url for f in feed_store.list_feeds(db)]
        report = sync_config(db, load_config(empty))
        assert sync_notes(report, str(empty)) == []
        assert [f.url for f in feed_store.list_feeds(db)] == before
        assert len(before) == summary.feeds_polled
        channel = channel_store.get_channel(db, "console", DEMO_CHANNEL)
        assert channel is not None and channel.paused_reason is None
    finally:
        db.close()


def test_a_channel_name_in_a_sync_note_cannot_drive_the_terminal(site: Path) -> None:
    # The file named its channel with a colour code, a bell and an OSC 8 hyperlink.
    config = site / "config" / "newsdigest.toml"
    name = "#news \\u001b[31mred\\u0007 \\u001b]8;;https://evil.example\\u001b\\\\click"
    config.write_text(FULL.replace('"#news"', f'"{name}"'), encoding="utf-8")
    runner = CliRunner()
    runner.invoke(cli, ["poll"])  # its feeds fail to fetch: not what is tested
    config.write_text("", encoding="utf-8")
    result = runner.invoke(cli, ["poll"])
    (paused,) = [line for line in result.stderr.splitlines() if "paused 1 channel" in line]
    assert paused.endswith(": #news [31mred ]8;;https://evil.example \\click (slack:C1)")
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
