"""`newsdigest run` on a database it creates says so at WARNING, as commands say "Created a new
database at ...": a `database` path changed, or mistyped, silently started an empty one (only
"applying migration 1..44" at INFO), and the channels then got every story a second time. When a
database with this deployment's data is where it was kept before, the warning names it and how
to move it."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from bot.config import Config, load_config
from bot.runner import launch
from bot.runner.launch import run_service
from bot.runner.service import Service
from bot.store import channels as channel_store
from bot.store.database import open_database


@pytest.fixture
def started_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """`run` loads and opens the database, then stops at once."""

    async def stop_at_once(self: Service) -> None:
        if self.health_server is not None:
            await self.health_server.stop()
        self.core.close()

    for name in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("NEWSDIGEST_DB", raising=False)
    monkeypatch.setenv("NEWSDIGEST_HEALTH_PORT", "0")
    monkeypatch.setattr(launch, "configure_logging", lambda log_format: None)  # keep pytest's
    monkeypatch.setattr(Service, "run_until_stopped", stop_at_once)


def created(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if getattr(r, "event", None) == "database_created"]


def test_run_warns_when_it_creates_the_database_and_not_after(
    tmp_path: Path, started_only: None, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "data" / "nd.db"
    path.parent.mkdir()
    with caplog.at_level(logging.INFO):
        run_service(Config(database=str(path)))
    [record] = created(caplog)
    assert record.levelno == logging.WARNING
    assert record.getMessage() == f"Created a new database at {path}: it starts empty"
    caplog.clear()
    with caplog.at_level(logging.INFO):
        run_service(Config(database=str(path)))
    assert created(caplog) == []


def test_run_names_the_database_a_checkout_kept_before(
    tmp_path: Path,
    started_only: None,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A checkout's database where the shipped config keeps it, with a channel in it; the config
    # then changed to an absolute path elsewhere.
    checkout = tmp_path / "checkout"
    (checkout / "config").mkdir(parents=True)
    old = open_database(checkout / "newsdigest.db")
    channel_store.ensure_channel(old, "console", "news")
    old.close()
    moved = tmp_path / "var" / "newsdigest.db"
    moved.parent.mkdir()
    config = checkout / "config" / "newsdigest.toml"
    config.write_text(f"database = {str(moved)!r}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with caplog.at_level(logging.INFO):
        run_service(load_config(str(config)))
    [record] = created(caplog)
    message = record.getMessage()
    assert message.startswith(
        f"Created a new database at {moved}: it starts empty, while"
        f" {checkout / 'newsdigest.db'} holds a newsdigest database ("
    )
    assert "1 channel" in message and os.fspath(moved) in message
    assert "move that file (with its -wal and -shm files)" in message
    assert "docs/DEPLOY.md, 'Moving the database'" in message
