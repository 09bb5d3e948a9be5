"""Two feeds migration 26 found to be one URL spelt two ways (`%7E` and `~`) are both kept and
polled, and the upgrade's warning is logged once: `feeds list` marks each "same feed as #N" for
as long as both are there, so an operator sees it later. Real SQLite file, the real migration."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.store import database
from bot.store.database import open_database, transaction
from bot.store.migrations import MIGRATIONS
from tests._cli_env import cli_env


def test_feeds_list_marks_a_feed_spelt_two_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_env(tmp_path, monkeypatch)
    with monkeypatch.context() as patch:
        patch.setattr(database, "MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 25])
        db = open_database(tmp_path / "nd.db")
        with transaction(db):
            for url in (
                "https://news.example.com/%7Eharbour/rss",
                "https://news.example.com/~harbour/rss",
                "https://news.example.com/ferries/rss",
            ):
                db.execute(
                    "INSERT INTO feeds (url, poll_interval, consecutive_failures, created_at)"
                    " VALUES (?, 900, 0, '2026-11-01T08:00:00+00:00')",
                    [url],
                )
        db.conn.close()

    result = CliRunner().invoke(cli, ["feeds", "list"])

    assert result.exit_code == 0, result.output
    rows = {
        line.split()[1]: line for line in result.stdout.splitlines() if "news.example.com" in line
    }
    assert "same feed as #2" in rows["1"] and "same feed as #1" in rows["2"]
    assert "same feed as" not in rows["3"]
