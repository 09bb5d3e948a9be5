"""The bot's pointers to its commands are the core's, in each platform's form
(`bot.commands.hints`): /watchlist's listing ends with how to change it on Slack and on Discord
(once Slack's alone), and a mention's help names the commands as the platform takes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters.discord.interactions import render_reply
from bot.adapters.slack.escape import escape_trusted
from bot.adapters.slack.replies import reply_messages
from bot.app import NewsDigest
from bot.commands.base import CommandContext, Reply
from bot.commands.core import Commands
from bot.commands.hints import mention_help, watchlist_hint
from bot.config import Config
from bot.store import channels as channel_store
from bot.store.database import open_database

SLACK_HINT = (
    "Change it: `/watchlist schedule weekdays 09:00 Europe/Berlin` · `/watchlist mode "
    "digest|instant` · `/watchlist min-sources N` · `/follow <topic> [query]` · `/unfollow <topic>`"
)
DISCORD_HINT = (
    "Change it: `/watchlist schedule when:weekdays 09:00 Europe/Berlin` · `/watchlist mode "
    "mode:digest|instant` · `/watchlist min-sources count:N` · `/follow topic:<topic> "
    "[query:<query>]` · `/unfollow topic:<topic>`"
)


@pytest.fixture
def commands(tmp_path: Path) -> Commands:
    path = tmp_path / "nd.db"
    return Commands(NewsDigest(Config(database=str(path)), db=open_database(path)))


async def _watchlist(commands: Commands, platform: str) -> Reply:
    args = "show" if platform == "discord" else ""
    return await commands.dispatch("watchlist", args, CommandContext(platform, "C1", "U1"))


def _as_sent(hint: str, platform: str) -> str:
    """`hint` as the platform's message carries it: Slack's mrkdwn escaped, as it reads `<topic>`
    as a link even inside a code span."""
    return escape_trusted(hint) if platform == "slack" else hint


def _last_line(reply: Reply, platform: str) -> str:
    if platform == "slack":
        (message,) = reply_messages(reply)
        last = message.blocks[-1]
        # The hint is a context line of its own; the reply's text is in sections.
        if last["type"] == "context":
            return str(last["elements"][0]["text"])
        return str(last["text"]["text"]).split("\n")[-1]
    (only,) = render_reply(reply)
    return (only.content or "").split("\n")[-1]


@pytest.mark.parametrize(("platform", "hint"), [("slack", SLACK_HINT), ("discord", DISCORD_HINT)])
async def test_both_platforms_end_the_watchlist_with_how_to_change_it(
    commands: Commands, platform: str, hint: str
) -> None:
    channel_store.ensure_channel(commands.core.db, platform, "C1")
    reply = await _watchlist(commands, platform)
    assert reply.hint == watchlist_hint(platform) == hint
    assert _last_line(reply, platform) == _as_sent(hint, platform)


@pytest.mark.parametrize(("platform", "hint"), [("slack", SLACK_HINT), ("discord", DISCORD_HINT)])
async def test_a_channel_not_signed_up_gets_the_hint_too(
    commands: Commands, platform: str, hint: str
) -> None:
    # A setting changed there signs the channel up, so the hint applies as much.
    reply = await _watchlist(commands, platform)
    assert reply.text.startswith("This channel gets no posts from me yet.")
    assert _last_line(reply, platform) == _as_sent(hint, platform)


def test_a_mentions_help_names_the_commands_as_the_platform_takes_them() -> None:
    assert mention_help("slack") == (
        "I post news digests. Commands (each takes `help`): `/story <slug or words>`, "
        "`/follow <topic> [query]`, `/unfollow <topic>`, `/watchlist`, `/digest`, `/feeds list`."
    )
    assert mention_help("discord") == (
        "I post news digests. Commands: `/story query:<slug or words>`, `/follow topic:<topic> "
        "[query:<query>]`, `/unfollow topic:<topic>`, `/watchlist show`, `/digest`, `/feeds list`."
    )
