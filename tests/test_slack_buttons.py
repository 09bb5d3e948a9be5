"""A button whose work fails after the ack still answers the user (as slash commands do)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_story

from bot.adapters.slack.adapter import ChannelPacer
from bot.adapters.slack.app import SlackBot
from bot.adapters.slack.replies import FAILED
from bot.adapters.slack.settings import SlackSettings
from bot.app import NewsDigest
from bot.commands.core import Commands
from bot.config import Config
from bot.store import channels as channel_store
from bot.store.database import open_database, utcnow


@pytest.fixture
def core(tmp_path: Path) -> Iterator[NewsDigest]:
    c = NewsDigest(Config(database=str(tmp_path / "nd.db")), db=open_database(tmp_path / "nd.db"))
    yield c
    c.close()


@pytest.fixture
def bot(slack_api: FakeSlackAPI, core: NewsDigest) -> SlackBot:
    settings = SlackSettings(
        bot_token=BOT_TOKEN, mode="http", signing_secret="s", api_url=slack_api.api_url
    )
    return SlackBot(Commands(core), settings, pacer=ChannelPacer(0))


async def ack(**_: Any) -> None:
    return None


def body(key: str, slack_api: FakeSlackAPI) -> dict[str, Any]:
    return {
        "user": {"id": "U1"},
        "channel": {"id": "C1", "name": "news"},
        "response_url": slack_api.response_url(key),
        "trigger_id": key,
    }


def locked(*_: Any, **__: Any) -> None:
    raise sqlite3.OperationalError("database is locked")


async def test_mute_that_fails_answers_with_an_apology(
    slack_api: FakeSlackAPI, core: NewsDigest, bot: SlackBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_story(core.db, "s1", ["Reuters", "AP"], now=utcnow())
    channel_store.ensure_channel(core.db, "slack", "C1")
    monkeypatch.setattr(channel_store, "mute_story", locked)
    await bot._on_mute(ack, body("m", slack_api), {"value": "s1"})
    [answer] = slack_api.calls_to("response_url:m")
    assert answer["response_type"] == "ephemeral" and answer["text"] == FAILED


@pytest.mark.parametrize("handler", ["_on_full", "_on_follow"])
async def test_full_and_follow_that_fail_answer_with_an_apology(
    slack_api: FakeSlackAPI, bot: SlackBot, monkeypatch: pytest.MonkeyPatch, handler: str
) -> None:
    # Commands.dispatch reads the channel's row before its own error handling.
    monkeypatch.setattr(bot.commands, "_channel", locked)
    await getattr(bot, handler)(ack, body("b", slack_api), {"value": "s1"})
    [answer] = slack_api.calls_to("response_url:b")
    assert answer["text"] == FAILED
