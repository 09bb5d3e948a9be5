"""`stories` with nothing to list after a poll whose feeds failed points at the errors, not at
running `poll` again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.feedserver import FeedServer, Reply

EMPTY = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'


@pytest.fixture
def server() -> Iterator[FeedServer]:
    routes = {"/a": Reply(status=500), "/b": Reply(status=500), "/quiet": Reply(body=EMPTY)}
    with FeedServer(routes) as srv:
        yield srv


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    config = tmp_path / "nd.toml"
    config.write_text("[polling]\nallow_private_networks = true\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    return CliRunner()


def test_every_feed_failed(server: FeedServer, runner: CliRunner) -> None:
    for path in ("/a", "/b"):
        assert runner.invoke(cli, ["feeds", "add", server.url(path)]).exit_code == 0
    # Before any poll, polling is what to do.
    assert "Run `newsdigest poll` first." in runner.invoke(cli, ["stories"]).output
    assert runner.invoke(cli, ["poll"]).exit_code == 1
    result = runner.invoke(cli, ["stories"])
    assert result.exit_code == 0
    assert result.output == (
        "No stories in the last 48h. The last poll failed for every feed (2): "
        "`newsdigest feeds list` shows the errors.\n"
    )


def test_some_feeds_failed(server: FeedServer, runner: CliRunner) -> None:
    for path in ("/a", "/quiet"):
        assert runner.invoke(cli, ["feeds", "add", server.url(path)]).exit_code == 0
    assert runner.invoke(cli, ["poll"]).exit_code == 0
    assert runner.invoke(cli, ["stories"]).output == (
        "No stories in the last 48h. 1 of 2 feeds failed at the last poll: "
        "`newsdigest feeds list` shows the errors.\n"
    )
