"""The times `stories` and `feeds list` show are UTC, and their column headers say so: on a
machine in another time zone an unlabelled time reads as local."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.feedserver import FeedServer


def test_time_columns_say_utc(
    sample_server: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    monkeypatch.setenv("TZ", "Europe/Berlin")
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["feeds", "add", sample_server.url("/civic-wire/feed")]).exit_code == 0
    )
    assert runner.invoke(cli, ["poll"]).exit_code == 0
    stories = runner.invoke(cli, ["stories"]).stdout
    header = stories.splitlines()[1]
    assert [c.strip() for c in header.split("┃")[1:-1]] == [
        "slug",
        "sources",
        "headline",
        "updated (UTC)",
    ]
    feeds = runner.invoke(cli, ["feeds", "list"]).stdout
    header = feeds.splitlines()[1]
    assert "last poll (UTC)" in [c.strip() for c in header.split("┃")]
