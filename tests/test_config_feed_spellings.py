"""A config listing one feed in two spellings (`a%7eb` and `a~b`), which loaded as two feeds before
spellings were made one, still loads after the upgrade: the first entry is the feed, the other is
named in a warning that `run` logs and `poll`, `digest` and `feeds` print, and the bot starts."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.runner import stop

from bot.app import NewsDigest
from bot.cli import cli
from bot.config import load_config
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import feeds as feed_store
from bot.store.database import open_database

FILE = """database = "nd.db"

[[feeds]]
url = "https://feeds.example/a%7eb"
name = "Tilde"

[[feeds]]
url = "https://feeds.example/a~b"
name = "Tilde again"
interval = "2h"
"""
WARNING = (
    "feeds[1].url = 'https://feeds.example/a~b' is feeds[0].url = "
    "'https://feeds.example/a%7eb' spelt another way, one feed, https://feeds.example/a~b: "
    "loaded once, as feeds[0]; feeds[1] is ignored (its name and interval unused). "
    "Remove feeds[1] from the file."
)


@pytest.fixture
def config_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("NEWSDIGEST_DB", raising=False)
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "newsdigest.toml"
    path.write_text(FILE, encoding="utf-8")
    return path


def test_the_first_entry_is_the_feed_and_the_warning_names_both(config_path: Path) -> None:
    config = load_config(config_path)
    assert [(f.url, f.name) for f in config.feeds] == [("https://feeds.example/a~b", "Tilde")]
    assert config.warnings == [f"{config_path}: {WARNING}"]


def test_the_sync_adds_one_feed_and_feeds_list_prints_the_warning(config_path: Path) -> None:
    core = NewsDigest(load_config(config_path), db=open_database(config_path.parent / "nd.db"))
    try:
        core.sync_config()
        assert [(f.url, f.name) for f in feed_store.list_feeds(core.db)] == [
            ("https://feeds.example/a~b", "Tilde")
        ]
    finally:
        core.close()
    result = CliRunner().invoke(cli, ["feeds", "list", "--config", str(config_path)])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Warning: {config_path}: {WARNING}\n"


async def test_run_starts_and_logs_the_warning(
    config_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = load_config(config_path)
    core = NewsDigest(config, db=open_database(config_path.parent / "nd.db"))
    # No poll in the test's moment: feeds.example is never looked up.
    settings = RunnerSettings(
        health_port=None, health_host="127.0.0.1", post_pace=0, start_spread=3600
    )
    now = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    service = Service(config, core=core, settings=settings, clock=lambda: now, env={})
    with caplog.at_level(logging.WARNING):
        await service.start()
        assert service.state == "running"
        await stop(service)
    said = [r.getMessage() for r in caplog.records if "feeds[1]" in r.getMessage()]
    assert said == [f"{config_path}: {WARNING}"]
