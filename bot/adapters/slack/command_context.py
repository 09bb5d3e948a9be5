"""Who typed a Slack command and where: the `CommandContext` a command runs with, and only the
Slack calls it needs (whether the user is an admin, whether the bot can post in the channel)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import sqlite_utils
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.direct_messages import cannot_post
from bot.adapters.slack.guards import AdminCheck

if TYPE_CHECKING:
    from bot.commands.core import CommandContext


async def command_context(
    payload: Mapping[str, Any],
    *,
    admins: AdminCheck,
    client: AsyncWebClient,
    db: sqlite_utils.Database,
    name: str = "",
    text: str = "",
) -> CommandContext:
    """The context of a slash command's or a button's `payload`: `name` and `text`, the
    command's, say which lookups it needs."""
    from bot.commands.core import CommandContext, Commands

    channel_id = str(payload.get("channel_id") or (payload.get("channel") or {}).get("id", ""))
    user_id = str(payload.get("user_id") or (payload.get("user") or {}).get("id", ""))
    channel_name = payload.get("channel_name") or (payload.get("channel") or {}).get("name")
    # Asked only of a command the core says depends on it: everyone else is spared the
    # users.info call.
    admin = await admins.admin_status(user_id) if Commands.needs_admin(name, text) else False
    return CommandContext(
        platform="slack",
        channel_id=channel_id,
        user_id=user_id,
        # Slack's stand-ins for a conversation's name, not names: no row should keep one.
        channel_name=(
            channel_name if channel_name not in (None, "directmessage", "privategroup") else None
        ),
        is_admin=admin is True,
        admin_unknown=admin is None,
        # Asked only of a command the core says may sign the channel up.
        cannot_post=(
            await cannot_post(client, db, channel_id, channel_name, user_id)
            if Commands.may_sign_up(name, text)
            else ""
        ),
    )
