"""A configured Slack channel's conversation id, for the calls that take nothing else.

chat.postMessage posts to "an encoded ID or channel name": a config entry may say
`id = "#team-news"` or a person's user id (`U…`, the bot's direct messages with them). But
chat.update and conversations.history take only the conversation's own id (C…, G…, D…), and
answer a name or a user id with channel_not_found: left as it was, a card edit there always
failed, and checking whether a post landed after a timeout or a crash paused the channel.

So the adapter remembers the id every successful post answers with (`learn`), and, when it has
none yet (after a restart, before the first post), looks it up once: a user's direct message
with conversations.open (scope im:write), a name in conversations.list (channels:read,
groups:read; public channels and the private ones the bot is in). The answer is kept for the
process's life; a name Slack cannot find is looked up again next time (it may have been created
or the bot invited since), and `resolve` says None, for the caller to treat as "cannot tell".
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.auth import AUTH_ERRORS
from bot.adapters.slack.errors import TRANSIENT_ERRORS, error_code

log = logging.getLogger(__name__)

# What chat.update and conversations.history take: a channel, private channel or DM id.
CONVERSATION_ID_RE = re.compile(r"^[CGD][A-Z0-9]+$")
_USER_ID_RE = re.compile(r"^[UW][A-Z0-9]+$")
# conversations.list pages of Slack's largest size: 20 of them cover 20,000 channels; a name not
# found by then is reported as not found rather than listing for minutes.
LIST_LIMIT = 1000
LIST_PAGES = 20


class ConversationIds:
    """Configured channel value ("#team-news", "U0123") -> the conversation id Slack uses."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client
        self._known: dict[str, str] = {}

    def learn(self, configured: str, answered: Any) -> None:
        """chat.postMessage's answer names the conversation it posted in (`channel`)."""
        if CONVERSATION_ID_RE.match(configured) or not isinstance(answered, str):
            return
        if CONVERSATION_ID_RE.match(answered):
            self._known[configured] = answered

    async def resolve(self, configured: str) -> str | None:
        """The conversation id, or None when Slack would not say (not found, a scope missing)."""
        if CONVERSATION_ID_RE.match(configured):
            return configured
        if known := self._known.get(configured):
            return known
        try:
            if _USER_ID_RE.match(configured):
                found = await self._open_dm(configured)
            else:
                found = await self._by_name(configured.removeprefix("#"))
        except SlackApiError as exc:
            code = error_code(exc)
            # A dead token, an outage or a rate limit says nothing about the channel: raised,
            # it is mapped as the same failure of any other call is.
            if not code or code in AUTH_ERRORS or code in TRANSIENT_ERRORS:
                raise
            log.warning(
                "Slack: cannot find the conversation id of %s (%s); the bot cannot edit its "
                "cards or check its posts there. Put the id in the config file (%s)",
                configured,
                code,
                "im:write is needed for a user id"
                if _USER_ID_RE.match(configured)
                else "channels:read and groups:read are needed for a name",
            )
            return None
        if found is None:
            log.warning(
                "Slack: no channel named %s that the bot can see (renamed, archived, or private "
                "without the bot); the bot cannot edit its cards or check its posts there. Put "
                "the channel's id in the config file",
                configured,
            )
            return None
        log.info("Slack: %s is conversation %s", configured, found)
        self._known[configured] = found
        return found

    async def _open_dm(self, user: str) -> str | None:
        response = await self._client.conversations_open(users=user)
        channel = response.get("channel") or {}
        found = channel.get("id") if isinstance(channel, dict) else None
        return found if isinstance(found, str) and found else None

    async def _by_name(self, name: str) -> str | None:
        cursor: str | None = None
        for _ in range(LIST_PAGES):
            kwargs: dict[str, Any] = {
                "types": "public_channel,private_channel",
                "exclude_archived": True,
                "limit": LIST_LIMIT,
            }
            if cursor:
                kwargs["cursor"] = cursor
            response = await self._client.conversations_list(**kwargs)
            for channel in response.get("channels") or []:
                if channel.get("name") == name and isinstance(channel.get("id"), str):
                    return str(channel["id"])
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return None
        return None
