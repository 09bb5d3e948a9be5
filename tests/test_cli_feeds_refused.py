"""A feed refused at poll time (its address is one the network guard refuses) is disabled with the
reason, which `feeds list` and chat's /feeds list show; `feeds enable` checks the address again
and enables it only once it is allowed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from _refused_feeds import RSS, allow_private, refused_config, words
from click.testing import CliRunner

from bot.app import NewsDigest
from bot.cli import cli
from bot.commands import CommandContext, Commands
from bot.config import load_config
from bot.feedserver import FeedServer, Reply
from bot.store import feeds as feed_store
from bot.store.database import open_database


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return refused_config(tmp_path, monkeypatch)


def test_refused_feed_is_disabled_shown_and_enabled_once_allowed(
    config: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    with FeedServer({"/rss.xml": Reply(body=RSS)}) as server:
        url = server.url("/rss.xml")
        assert runner.invoke(cli, ["feeds", "add", "--no-check", url]).exit_code == 0
        allow_private(config, False)  # the operator turns the setting off: the feed is now refused

        polled = runner.invoke(cli, ["poll"])
        assert polled.exit_code == 1
        reason = (
            "refused: loopback address 127.0.0.1; set allow_private_networks = true under "
            "[polling] to allow it, or fix the address, then re-enable the feed (newsdigest feeds enable)"
        )
        assert reason in words(polled.output)
        assert server.requests == []

        listed = words(runner.invoke(cli, ["feeds", "list"]).output)
        assert f"disabled: {reason}" in listed

        # Chat's feed list shows the same reason.
        db = open_database(tmp_path / "nd.db")
        core = NewsDigest(load_config(config), db=db)
        ctx = CommandContext(platform="slack", channel_id="C7", user_id="U1", channel_name="news")
        reply = asyncio.run(Commands(core).dispatch("feeds", "list", ctx))
        assert any(f"(disabled: {reason})" == line.note for line in reply.lines)
        core.close()

        # No longer fetched, however the pass is asked for.
        assert runner.invoke(cli, ["poll", "--all"]).exit_code == 0
        assert server.requests == []

        # Enabling checks the address again: still refused, still disabled, and said.
        refused = runner.invoke(cli, ["feeds", "enable", "1"])
        assert refused.exit_code == 1
        assert f"feed 1 not enabled: {reason}" in words(refused.output)
        db = open_database(tmp_path / "nd.db")
        assert feed_store.get_feed(db, 1).disabled_reason == reason  # type: ignore[union-attr]
        db.close()

        allow_private(config, True)
        enabled = runner.invoke(cli, ["feeds", "enable", "1"])
        assert enabled.exit_code == 0, enabled.output
        assert enabled.output.strip() == f"Enabled feed 1: {url}"
        # Until its next poll the list says so, rather than the refusal or a bare "ok".
        assert "│ re-enabled │" in words(runner.invoke(cli, ["feeds", "list"]).output)
        polled = runner.invoke(cli, ["poll"])
        assert polled.exit_code == 0 and "1 new article" in polled.output
        # `feeds enable` went the way a poll goes (its GET, no body read), then the poll.
        assert len(server.requests) == 2
    listed = words(runner.invoke(cli, ["feeds", "list"]).output)
    assert "disabled" not in listed and "refused" not in listed
