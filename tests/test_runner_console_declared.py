"""A terminal channel the operator declares in the config file after `run` paused its stand-in
(a chat platform configured) is the file's: it never keeps the stand-in pause, which only the
runner's own channel may carry, and the next start with Slack leaves it posting."""

from __future__ import annotations

from pathlib import Path

from bot.config import load_config
from bot.runner.console import STANDING_IN, ensure_console_channel
from bot.store import channels as channel_store
from bot.store.database import open_database
from bot.store.sync import sync_config
from bot.store.sync_report import sync_notes

DECLARED = '[[channels]]\nplatform = "console"\nid = "terminal"\nschedule = "0 * * * *"\n'


def test_declaring_the_paused_stand_in_lifts_its_pause(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    ensure_console_channel(db, chat=False)  # the first run, no tokens: the stand-in
    ensure_console_channel(db, chat=True)  # started with Slack: the stand-in paused
    paused = channel_store.get_channel(db, "console", "terminal")
    assert paused is not None and paused.paused_reason == STANDING_IN
    cfg = tmp_path / "nd.toml"
    cfg.write_text(DECLARED, "utf-8")

    report = sync_config(db, load_config(cfg))
    ensure_console_channel(db, chat=True)  # the next start, Slack still configured

    row = channel_store.get_channel(db, "console", "terminal")
    assert row is not None and row.origin == "config"
    assert row.paused_reason is None and row.paused_at is None
    said = " ".join(sync_notes(report, str(cfg)))
    assert "console:terminal" in said and "pause `run` gave it as a stand-in" in said


def test_a_declared_channel_an_older_sync_left_paused_is_resumed_at_start(
    tmp_path: Path,
) -> None:
    # What an older version left: the file took the stand-in over, keeping its pause, and the
    # entry is unchanged since, so the sync does not touch the row again.
    db = open_database(tmp_path / "nd.db")
    channel = channel_store.ensure_channel(db, "console", "terminal", name="terminal")
    channel_store.update_channel(db, channel.id, origin="config", paused_reason=STANDING_IN)

    ensure_console_channel(db, chat=True)

    row = channel_store.get_channel(db, "console", "terminal")
    assert row is not None and row.paused_reason is None


def test_the_runners_own_stand_in_is_still_paused(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    ensure_console_channel(db, chat=False)
    ensure_console_channel(db, chat=True)
    row = channel_store.get_channel(db, "console", "terminal")
    assert row is not None and row.origin == "runner" and row.paused_reason == STANDING_IN
