"""`help` after a command asks for its usage, so a topic named `help` could be created in chat
but then never followed or unfollowed by name. No new topic may take the name (chat and the
CLI say so and suggest another); one saved by an older version stays reachable by name on Slack
and Discord; /story can still search for the word help, quoted."""

from __future__ import annotations

import html
import json
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fakes.discord_api import FakeDiscord
from fakes.slack_api import FakeSlackAPI
from fakes.stories import grow_story
from test_discord_commands import CHANNEL, answer, make_bot, slash
from test_slack_app import Harness, ack_text, make_harness

from bot.app import NewsDigest
from bot.cli import cli
from bot.config import Config
from bot.store import channels as channel_store
from bot.store import stories as story_store
from bot.store.database import open_database, utcnow


@pytest.fixture
def help_core(tmp_path: Path) -> Iterator[NewsDigest]:
    path = tmp_path / "nd.db"
    core = NewsDigest(Config(database=str(path)), db=open_database(path))
    yield core
    core.close()


@pytest.fixture
async def h(slack_api: FakeSlackAPI, help_core: NewsDigest) -> AsyncIterator[Harness]:
    async for harness in make_harness(slack_api, help_core):
        yield harness


def said(body: object) -> str:
    """A Slack answer's text as read: Slack's `&lt;` escapes undone."""
    return html.unescape(ack_text(body))  # type: ignore[arg-type]


def followed(core: NewsDigest, platform: str, channel_id: str) -> list[str]:
    channel = channel_store.get_channel(core.db, platform, channel_id)
    return [t.slug for t in channel_store.channel_topics(core.db, channel.id)] if channel else []


async def test_slack_refuses_a_new_topic_named_help(h: Harness) -> None:
    _, body = await h.slash("/follow", "help query: rescue")
    assert ack_text(body).startswith("'help' cannot be a topic name")
    assert "/follow help-topic query: <query>" in said(body)
    # Words after the name offer the name they make together instead.
    _, body = await h.slash("/follow", "help desk")
    assert "such as 'help-desk': /follow help-desk query: <query>" in said(body)
    assert channel_store.get_topic(h.core.db, "help") is None
    # Nothing was created, so the channel was not signed up either.
    assert channel_store.get_channel(h.core.db, "slack", "C1") is None
    # `help` alone is still the usage.
    _, body = await h.slash("/follow", "help")
    assert said(body).startswith("/follow <topic> [query]")


async def test_slack_topic_option_help_shows_the_usage_it_names(h: Harness) -> None:
    """`/follow topic:help` is Discord's form of `/follow help`, typed on Slack: its usage, where
    it answered "Create it with a query, e.g. /follow help …", a command refused in turn."""
    for typed in ("topic:help", "topic: help"):
        _, body = await h.slash("/follow", typed)
        assert said(body).startswith("/follow <topic> [query]"), body
    _, body = await h.slash("/unfollow", "topic:help")
    assert said(body).startswith("/unfollow <topic>")
    # A name that comes to `help` otherwise (a stray hyphen dropped) gets the reserved name's
    # answer, with a name that can be created.
    _, body = await h.slash("/follow", "help-")
    assert said(body).startswith("'help' cannot be a topic name")
    assert "Create it with" not in said(body)
    assert channel_store.get_channel(h.core.db, "slack", "C1") is None
    # A help topic saved before is followed by the option's form too.
    channel_store.upsert_topic(h.core.db, "help", "rescue OR lifeboat", origin="chat")
    await h.slash("/follow", "topic:help")
    assert followed(h.core, "slack", "C1") == ["help"]


async def test_slack_reaches_a_topic_named_help_saved_before(h: Harness) -> None:
    channel_store.upsert_topic(h.core.db, "help", "rescue OR lifeboat", origin="chat")
    await h.slash("/follow", "help")
    assert followed(h.core, "slack", "C1") == ["help"]
    await h.slash("/unfollow", "help")
    assert followed(h.core, "slack", "C1") == []
    # The usage is still there for whoever wants it.
    _, body = await h.slash("/unfollow", "--help")
    assert said(body).startswith("/unfollow <topic>")


async def test_discord_refuses_a_new_help_topic_and_reaches_an_old_one(
    discord_api: FakeDiscord, help_core: NewsDigest
) -> None:
    bot = await make_bot(help_core)
    try:
        await slash(bot, "follow", topic="help", query="rescue")
        assert answer(discord_api)["content"].startswith("'help' cannot be a topic name")
        assert "/follow topic:help-topic query:<query>" in answer(discord_api)["content"]
        channel_store.upsert_topic(help_core.db, "help", "rescue OR lifeboat", origin="chat")
        await slash(bot, "follow", topic="help")
        assert followed(help_core, "discord", str(CHANNEL)) == ["help"]
        await slash(bot, "unfollow", topic="help")
        assert answer(discord_api)["content"].startswith("This channel no longer follows help.")
        assert followed(help_core, "discord", str(CHANNEL)) == []
    finally:
        await bot.close()


async def test_story_searches_the_word_help_when_quoted(h: Harness) -> None:
    now = utcnow() - timedelta(hours=1)
    story_store.create_story(h.core.db, "s1", "volunteers-help", "Volunteers help rebuild", now)
    grow_story(h.core.db, "s1", ["Harbor Ledger", "Valley Times"], now=now)
    _, body = await h.slash("/story", "help")
    assert 'To search for the word help itself: /story "help"' in ack_text(body)
    status, body = await h.slash("/story", '"help"')
    assert (status, body) == (200, "")  # the card, posted for the channel
    [card] = await h.slack_api.wait_for("chat.postMessage")
    assert '"value": "s1"' in json.dumps(card)  # the card of the story found


def test_cli_refuses_a_new_topic_named_help(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "nd.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    result = CliRunner().invoke(cli, ["topics", "add", "help", "rescue"])
    assert result.exit_code == 1
    assert "'help' cannot be a topic name" in result.output
