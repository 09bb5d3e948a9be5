"""Whether a slash command came from a conversation the bot is not in, and cannot post to.

Slash commands work in any conversation, but the bot can post only where it is a member (or, in
a public channel, through chat:write.public): a channel signed up anywhere else would get
nothing but failed digests, then a pause. Two kinds are told apart before a command signs one up:

- A DM between two other people. Slack names every DM `directmessage` in the command's payload,
  and the bot's own DM with a user is the conversation conversations.open (im:write) gives for
  them: any other DM is not the bot's.
- A private channel or group DM it was not added to. Slack names a private conversation the app
  cannot see `privategroup` in the payload (a group DM `mpdm-…`; an older private channel's id
  starts with G), and conversations.info (groups:read; mpim:read for a group DM) answers
  `channel_not_found` for one the bot is not in, or says it is no member. Without an answer (a
  missing scope: an app installed before the manifest asked for mpim:read, until it is
  reinstalled), the command goes on as before.
"""

from __future__ import annotations

import logging

import sqlite_utils
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.errors import LOOKUP_FAILURES, error_code, failure_said
from bot.store import channels as channel_store

log = logging.getLogger(__name__)

NOT_OUR_DM = (
    "This is a direct message between other people, which I am not in, so I cannot post here "
    "and nothing was changed. Use this command in a channel I am in, or in your direct "
    "messages with me."
)
NOT_IN_PRIVATE = (
    "I am not in this private channel or group DM, so I cannot post here and nothing was "
    "changed. Add me to the channel first (a group DM cannot take me: use a channel), or use "
    "this command in a channel I am in."
)


async def cannot_post(
    client: AsyncWebClient,
    db: sqlite_utils.Database,
    channel_id: str,
    channel_name: object,
    user_id: str,
) -> str:
    """NOT_OUR_DM or NOT_IN_PRIVATE for a command typed where the bot is not, else "". Asked
    only for a conversation without a channel row yet (one with a row was signed up, or
    configured, already); "" when Slack does not say, as before this was asked."""
    own_dm = channel_name == "directmessage" and channel_id.startswith("D")
    if not own_dm and not _maybe_private(channel_id, channel_name):
        return ""
    if channel_store.get_channel(db, "slack", channel_id) is not None:
        return ""
    if own_dm:
        return await _not_our_dm(client, channel_id, user_id)
    return await _not_in_private(client, channel_id)


def _maybe_private(channel_id: str, channel_name: object) -> bool:
    name = channel_name if isinstance(channel_name, str) else ""
    return name == "privategroup" or name.startswith("mpdm-") or channel_id.startswith("G")


async def _not_our_dm(client: AsyncWebClient, channel_id: str, user_id: str) -> str:
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


async def _not_in_private(client: AsyncWebClient, channel_id: str) -> str:
    try:
        response = await client.conversations_info(channel=channel_id)
    except LOOKUP_FAILURES as exc:
        if error_code(exc) == "channel_not_found":
            # A private conversation is invisible to a bot that is not in it.
            return NOT_IN_PRIVATE
        log.info("Slack: cannot tell whether the bot is in %s: %s", channel_id, failure_said(exc))
        return ""
    channel = response.get("channel") or {}
    if not isinstance(channel, dict):
        return ""
    private = channel.get("is_private") or channel.get("is_mpim") or channel.get("is_group")
    return NOT_IN_PRIVATE if private and channel.get("is_member") is False else ""
