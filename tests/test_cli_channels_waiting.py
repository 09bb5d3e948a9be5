"""`channels list`'s "waiting" column says what waits and when the next may go out: a bare
"waiting 1" could be a card stuck for days or one held for the night's quiet hours. Real SQLite
file, the real CLI (piped: every cell whole)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.stories import add_channel, add_story

from bot.cli import cli
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store.database import open_database, utcnow


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "nd.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    return tmp_path / "nd.db"


def _rows(db_path: Path) -> dict[str, str]:
    result = CliRunner().invoke(cli, ["channels", "list"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith("│ slack:")]
    return {row.split("│")[1].strip(): row.split("│")[4].strip() for row in rows}


def test_the_waiting_column_says_what_waits_and_when(db_path: Path) -> None:
    db = open_database(db_path)
    now = utcnow()
    quiet = add_channel(db, "CQUIET")
    due = add_channel(db, "CDUE")
    paused = add_channel(db, "CPAUSED")
    add_channel(db, "CNONE")
    for name in ("a", "b", "c", "d"):
        add_story(db, name, ["Gazette"], now=now)
    # Held for quiet hours three hours from now; due now, with an update; held by a pause.
    delivery_store.queue_story(db, "a", quiet.id, now=now, not_before=now + timedelta(hours=3))
    delivery_store.queue_story(db, "b", due.id, now=now)
    delivery_store.queue_story(db, "c", due.id, now=now)
    delivery_store.enqueue_update(db, "d", due.id, now=now, not_before=None)
    delivery_store.queue_story(db, "d", paused.id, now=now)
    channel_store.update_channel(db, paused.id, paused_reason="the bot was removed")
    db.conn.commit()
    db.close()
    cells = _rows(db_path)
    assert cells["slack:CQUIET"] in ("1 (1 card; next in 3h)", "1 (1 card; next in 2h)")
    assert cells["slack:CDUE"] == "3 (2 cards, 1 update; due now)"
    assert cells["slack:CPAUSED"] == "1 (1 card; held until resumed)"
    assert cells["slack:CNONE"] == "0"
