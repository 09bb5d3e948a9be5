"""Whether a slash command came from a direct message the bot is not in.

Slash commands work in any conversation, a DM between two other people too, but the bot can
post only where it is a member: a channel signed up there would get nothing but failed digests,
then a pause. Slack names every DM `directmessage` in the command's payload, and the bot's own DM
with a user is the conversation conversations.open (im:write) gives for them: any other DM is
not the bot's.
"""

from __future__ import annotations

import logging

import sqlite_utils
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.errors import LOOKUP_FAILURES, failure_said
from bot.store import channels as channel_store

log = logging.getLogger(__name__)

NOT_OUR_DM = (
    "This is a direct message between other people, which I am not in, so I cannot post here "
    "and nothing was changed. Use this command in a channel I am in, or in your direct "
    "messages with me."
)


async def cannot_post(
    client: AsyncWebClient,
    db: sqlite_utils.Database,
    channel_id: str,
    channel_name: object,
    user_id: str,
) -> str:
    """NOT_OUR_DM for a command typed in a DM the bot is not in, else "". Asked only for a DM
    without a channel row yet (one with a row was signed up, or configured, already); "" when
    Slack does not say, as before this was asked."""
    if channel_name != "directmessage" or not channel_id.startswith("D"):
        return ""
    if channel_store.get_channel(db, "slack", channel_id) is not None:
        return ""
    try:
        response = await client.conversations_open(users=user_id)
    except LOOKUP_FAILURES as exc:
        # No answer at all (a dropped connection) too: the command goes on as before this was
        # asked, rather than fail as a whole.
        log.info("Slack: cannot tell whether %s is the bot's DM: %s", channel_id, failure_said(exc))
        return ""
    channel = response.get("channel") or {}
    own = channel.get("id") if isinstance(channel, dict) else None
    return NOT_OUR_DM if isinstance(own, str) and own and own != channel_id else ""
