"""Getting a command's reply to the user: posted in the channel, through the response_url when
the bot may not post there, or ephemeral; a failure to answer is logged, never raised."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.slack.replies import ephemeral_body, reply_messages, text_body

if TYPE_CHECKING:
    from bot.commands.core import Reply

log = logging.getLogger(__name__)

# Slack's own errors when the bot may not post in a channel; the response_url still works there.
NOT_POSTABLE = frozenset({"not_in_channel", "channel_not_found", "is_archived"})


class Responder:
    def __init__(self, client: AsyncWebClient, adapter: SlackAdapter) -> None:
        self.client = client
        self.adapter = adapter

    async def deliver(
        self,
        reply: Reply,
        *,
        channel_id: str,
        user_id: str,
        response_url: str | None,
        hint: str | None = None,
    ) -> None:
        messages = reply_messages(reply, hint=hint)
        if reply.ephemeral:
            for message in messages:
                await self.respond(response_url, ephemeral_body(message), channel_id, user_id)
            return
        try:
            if reply.digest is not None:
                for message in messages:
                    await self.adapter.post_message(channel_id, message)
            else:
                await self.adapter.post_messages(channel_id, messages, metadata=None)
        except SlackApiError as exc:
            code = str(exc.response.get("error") or "")
            if code in NOT_POSTABLE and response_url:
                # A private channel or DM the bot was not invited to: the response_url can still
                # post there once per message (up to five times).
                for message in messages[:5]:
                    body = {
                        "response_type": "in_channel",
                        "text": message.text,
                        "blocks": message.blocks,
                    }
                    await self.respond(response_url, body, channel_id, user_id)
                return
            log.warning("Slack: posting a reply to %s failed: %s", channel_id, code)
            note = f"I could not post in this channel ({code}). Try `/invite` me first."
            await self.respond(response_url, text_body(note), channel_id, user_id)

    async def respond(
        self, response_url: str | None, body: dict[str, Any], channel_id: str, user_id: str
    ) -> None:
        try:
            if response_url:
                webhook = AsyncWebhookClient(response_url, timeout=15)
                await webhook.send_dict({**body, "replace_original": False})
            elif channel_id and user_id:
                await self.client.chat_postEphemeral(
                    channel=channel_id, user=user_id, text=body["text"], blocks=body.get("blocks")
                )
        except Exception:
            log.exception("Slack: could not send a reply to %s", user_id)
