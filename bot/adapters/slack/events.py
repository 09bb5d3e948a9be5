"""The Slack events the bot answers: a mention (with its help, never echoing what was typed) and
its own joining a channel (with a greeting saying what the channel gets)."""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.slack.blocks import SlackMessage
from bot.adapters.slack.escape import escape_trusted
from bot.adapters.slack.short_waits import once_more_if_short
from bot.adapters.slack.text_lists import text_blocks
from bot.commands.hints import mention_help
from bot.store import channels as channel_store

if TYPE_CHECKING:
    from bot.commands.core import Commands

log = logging.getLogger(__name__)


async def answer_mention(adapter: SlackAdapter, event: dict[str, Any]) -> None:
    # Never echo the mention's text: it is whatever the user typed.
    help_text = mention_help("slack")
    message = SlackMessage(text=escape_trusted(help_text), blocks=text_blocks(help_text))
    thread = event.get("thread_ts") or event.get("ts")
    channel_id = str(event.get("channel", ""))
    try:
        await once_more_if_short(
            partial(adapter.post_message, channel_id, message, thread_ts=thread),
            what=f"an answer to a mention in {channel_id}",
        )
    except SlackApiError as exc:
        log.info("Slack: could not answer a mention: %s", exc.response.get("error"))


async def greet_channel(
    adapter: SlackAdapter, commands: Commands, event: dict[str, Any], context: dict[str, Any]
) -> None:
    """The greeting when the bot itself joins a channel; other members' joins are no news."""
    if event.get("user") != context.get("bot_user_id"):
        return
    db = commands.core.db
    # Its first digest run with its row, as a chat sign-up's: left to the runner's job sync, a
    # restart within that minute took the restart as the first and lost the slots missed.
    channel = channel_store.ensure_channel(
        db, "slack", str(event.get("channel", "")), first_run=commands.clock()
    )
    text = (
        "Hello! I will post news digests here. "
        + commands.describe_channel(channel)
        + "\nSee and change what this channel gets with `/watchlist`."
    )
    hello = SlackMessage(text=escape_trusted(text), blocks=text_blocks(text))
    try:
        await once_more_if_short(
            partial(adapter.post_message, channel.channel_id, hello),
            what=f"the greeting in {channel.channel_id}",
        )
    except SlackApiError as exc:
        log.info("Slack: could not greet %s: %s", channel.channel_id, exc.response.get("error"))
