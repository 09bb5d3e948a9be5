"""A feed id that is huge or not ASCII digits names no feed, in chat and on the command line."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.cli import fresh_cli

from bot.app import NewsDigest
from bot.cli import cli
from bot.commands import CommandContext, Commands
from bot.store import feeds as feed_store

ADMIN = CommandContext(platform="slack", channel_id="C9", user_id="U2", is_admin=True)
# Past SQLite's 64-bit integers; superscript two and Arabic-Indic one pass str.isdigit().
ODD_IDS = ["99999999999999999999", "#99999999999999999999", "²", "#²", "١", "#١"]


@pytest.mark.parametrize("ref", ODD_IDS)
async def test_feeds_remove_with_an_odd_id_is_no_feed(
    core: NewsDigest, ref: str, caplog: pytest.LogCaptureFixture
) -> None:
    before = len(feed_store.list_feeds(core.db))
    with caplog.at_level(logging.ERROR):
        reply = await Commands(core).dispatch("feeds", f"remove {ref}", ADMIN)
    assert reply.text.startswith(f"No feed {ref!r}"), reply.text
    assert not caplog.records, caplog.text
    assert len(feed_store.list_feeds(core.db)) == before


async def test_feeds_remove_by_id_still_works(core: NewsDigest) -> None:
    commands = Commands(core)
    await commands.dispatch("feeds", "add https://example.com/feed", ADMIN)
    feed = feed_store.get_feed(core.db, "https://example.com/feed")
    assert feed is not None
    reply = await commands.dispatch("feeds", f"remove #{feed.id}", ADMIN)
    assert reply.text == "Removed feed `https://example.com/feed`.", reply.text


@pytest.mark.parametrize("action", ["remove", "enable"])
@pytest.mark.parametrize("ref", ["99999999999999999999", "²", "١"])
def test_cli_feeds_with_an_odd_id_is_no_feed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, action: str, ref: str
) -> None:
    runner: CliRunner = fresh_cli(tmp_path, monkeypatch)
    assert runner.invoke(cli, ["feeds", "add", "https://example.org/a.xml"]).exit_code == 0
    result = runner.invoke(cli, ["feeds", action, ref])
    assert result.exit_code == 1, result.output
    assert f"no feed {ref!r}" in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
