"""The fake's messages: channel posts (with nonce de-duplication), history, edits, deletes, threads
started from messages, a channel's own GET, webhook executions and a webhook's read of its own
message, as REST handlers answering (status, body, headers).

History is what the bot is shown: without the Message Content intent (`message_content`, off
as the README says) Discord blanks the content, embeds, attachments and components of every
message the app did not send itself, a channel webhook's included (its ids, author, webhook_id
and times stay); a webhook reads its own messages whole. With a server modelled (`guild`),
history refuses a channel the bot cannot see (403 Missing Access) and, like Discord, answers
no messages at all, not an error, where it lacks Read Message History."""

from __future__ import annotations

import itertools
from typing import Any

from fakes.discord_api.answers import APP_ID, BOT_ID, BOT_USER, GUILD_ID, now_iso
from fakes.discord_api.guild import READ_MESSAGE_HISTORY, VIEW_CHANNEL, FakeGuild
from fakes.discord_api.limits import invalid_form, refusal, thread_name_errors

# What history shows of a message the app did not send, without the Message Content intent.
HIDDEN = {"content": "", "embeds": [], "attachments": [], "components": []}


class Messages:
    """Mixed into `FakeDiscord`, whose fields it uses."""

    messages: dict[int, dict[str, Any]]
    channels: dict[int, list[int]]
    webhook_channels: dict[int, int]
    gone_channels: set[int]
    forbidden_channels: set[int]
    _nonces: dict[tuple[int, str], int]
    _ids: itertools.count[int]
    guild: FakeGuild | None
    message_content: bool

    def forget_nonces(self) -> None:
        """Discord de-duplicates a repeated nonce only for a few minutes; call this when a test
        lets more time than that pass."""
        self._nonces.clear()

    def channel_messages(self, channel_id: int) -> list[dict[str, Any]]:
        return [self.messages[m] for m in self.channels.get(channel_id, [])]

    def add_message(self, channel_id: int, **overrides: Any) -> dict[str, Any]:
        """Seed history (e.g. someone else's message, or ours from before a crash)."""
        msg = self._message(channel_id, overrides)
        if "webhook_id" in overrides and "author" not in overrides:
            msg["author"] = webhook_user(str(overrides["webhook_id"]))
        msg.update({k: v for k, v in overrides.items() if k in ("author", "webhook_id")})
        return msg

    def _create_message(self, body: Any, query: Any, channel: str) -> tuple[int, Any, dict]:
        if refused := refusal(body):
            return 400, refused, {}
        cid = int(channel)
        starter = self.messages.get(cid)
        if cid in self.gone_channels or (starter is not None and "thread" not in starter):
            # A message id is a channel only once a thread was started from the message.
            return 404, {"message": "Unknown Channel", "code": 10003}, {}
        if cid in self.forbidden_channels:
            return 403, {"message": "Missing Permissions", "code": 50013}, {}
        nonce = body.get("nonce")
        if nonce and body.get("enforce_nonce") and (cid, nonce) in self._nonces:
            # Discord answers a repeated nonce with the message it already created.
            return 200, self.messages[self._nonces[(cid, nonce)]], {}
        msg = self._message(cid, body)
        if nonce:
            self._nonces[(cid, nonce)] = int(msg["id"])
        return 200, msg, {}

    def _get_channel(self, body: Any, query: Any, channel: str) -> tuple[int, Any, dict]:
        """A channel as GET /channels/{id} answers it (a thread: the one started on the message
        of that id), in the fake's one server."""
        cid = int(channel)
        starter = self.messages.get(cid)
        if cid in self.gone_channels or (starter is not None and "thread" not in starter):
            return 404, {"message": "Unknown Channel", "code": 10003}, {}
        if starter is not None:
            return 200, starter["thread"], {}
        found = {"id": channel, "type": 0, "guild_id": str(GUILD_ID), "name": "news"}
        found.update(position=0, permission_overwrites=[], nsfw=False, parent_id=None)
        return 200, found, {}

    def _history(self, body: Any, query: dict[str, str], channel: str) -> tuple[int, Any, dict]:
        if self.guild is not None:
            allowed = self.guild.permissions(self._parent(int(channel)))
            if not allowed & VIEW_CHANNEL:
                return 403, {"message": "Missing Access", "code": 50001}, {}
            if not allowed & READ_MESSAGE_HISTORY:
                return 200, [], {}
        limit = int(query.get("limit", "50"))
        ids = list(reversed(self.channels.get(int(channel), [])))[:limit]
        return 200, [self._as_read(self.messages[i]) for i in ids], {}

    def _as_read(self, msg: dict[str, Any]) -> dict[str, Any]:
        """A message as history shows it to the bot. Discord does not return nonces there;
        only the create response has it."""
        shown = {k: v for k, v in msg.items() if k != "nonce"}
        if not self.message_content and not _the_apps(msg):
            shown.update(HIDDEN)
        return shown

    def _parent(self, channel: int) -> int:
        """The channel whose permissions a thread (a message's id, once one was started on it)
        follows; a channel's own id otherwise."""
        starter = self.messages.get(channel)
        if starter is not None and "thread" in starter:
            return int(starter["channel_id"])
        return channel

    def _edit_message(self, body: Any, query: Any, channel: str, mid: str) -> tuple[int, Any, dict]:
        msg = self.messages.get(int(mid))
        if msg is None or msg["channel_id"] != channel:
            return 404, {"message": "Unknown Message", "code": 10008}, {}
        if refused := refusal(edited(msg, body)):
            return 400, refused, {}
        for key in ("content", "embeds", "components", "flags"):
            if key in body:
                msg[key] = body[key]
        msg["edited_timestamp"] = now_iso()
        return 200, msg, {}

    def _delete_message(
        self, body: Any, query: Any, channel: str, mid: str
    ) -> tuple[int, Any, dict]:
        msg = self.messages.get(int(mid))
        if msg is None or msg["channel_id"] != channel:
            return 404, {"message": "Unknown Message", "code": 10008}, {}
        del self.messages[int(mid)]
        self.channels[int(channel)].remove(int(mid))
        return 204, None, {}

    def _start_thread(self, body: Any, query: Any, channel: str, mid: str) -> tuple[int, Any, dict]:
        msg = self.messages.get(int(mid))
        if msg is None:
            return 404, {"message": "Unknown Message", "code": 10008}, {}
        if errors := thread_name_errors(body):
            return 400, invalid_form(errors), {}
        if "thread" in msg:
            return (
                400,
                {"message": "A thread has already been created for this message", "code": 160004},
                {},
            )
        thread = {
            "id": mid,
            "type": 11,
            "guild_id": str(GUILD_ID),
            "parent_id": channel,
            "owner_id": str(BOT_ID),
            "name": body.get("name", ""),
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "message_count": 0,
            "member_count": 1,
            "flags": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": body.get("auto_archive_duration", 1440),
                "archive_timestamp": now_iso(),
                "locked": False,
            },
        }
        msg["thread"] = thread
        return 201, thread, {}

    def _execute_webhook(
        self, body: Any, query: Any, wid: str, token: str
    ) -> tuple[int, Any, dict]:
        if refused := refusal(body):
            return 400, refused, {}
        channel = self.webhook_channels.get(int(wid), 0)
        if thread := query.get("thread_id"):
            starter = self.messages.get(int(thread))
            if starter is not None and "thread" not in starter:
                return 404, {"message": "Unknown Channel", "code": 10003}, {}
            channel = int(thread)
        msg = self._message(channel, body)
        msg["webhook_id"] = wid
        msg["interaction_token"] = token
        if int(wid) != APP_ID:
            # A channel webhook posts as itself; an interaction's follow-up, as the app's bot.
            msg["author"] = webhook_user(wid)
        if query.get("wait") in ("true", "1", "True"):
            return 200, msg, {}
        return 204, None, {}

    def _get_webhook(self, body: Any, query: Any, wid: str, token: str) -> tuple[int, Any, dict]:
        """The webhook object, as GET /webhooks/{id}/{token} answers it: no user, its guild."""
        channel = self.webhook_channels.get(int(wid))
        if channel is None:
            return 404, {"message": "Unknown Webhook", "code": 10015}, {}
        hook = {"id": wid, "type": 1, "name": "newsdigest", "avatar": None, "token": token}
        hook.update(channel_id=str(channel), guild_id=str(GUILD_ID), application_id=None)
        return 200, hook, {}

    def _get_webhook_message(
        self, body: Any, query: dict[str, str], wid: str, token: str, mid: str
    ) -> tuple[int, Any, dict]:
        """GET /webhooks/{id}/{token}/messages/{id}: a message the webhook sent, whole (the
        intent does not apply to a webhook reading its own); one in a thread only with its
        `thread_id`. Any other message is Unknown Message."""
        channel = self.webhook_channels.get(int(wid))
        if channel is None:
            return 404, {"message": "Unknown Webhook", "code": 10015}, {}
        msg = self.messages.get(int(mid))
        where = query.get("thread_id") or str(channel)
        if msg is None or str(msg.get("webhook_id")) != wid or msg["channel_id"] != where:
            return 404, {"message": "Unknown Message", "code": 10008}, {}
        return 200, {k: v for k, v in msg.items() if k != "nonce"}, {}

    def _edit_webhook(
        self, body: Any, query: Any, wid: str, token: str, mid: str
    ) -> tuple[int, Any, dict]:
        key = self.originals.get(token) if mid == "@original" else int(mid)
        msg = self.messages.get(key or 0)
        if msg is None:
            return 404, {"message": "Unknown Message", "code": 10008}, {}
        if refused := refusal(edited(msg, body)):
            return 400, refused, {}
        for k in ("content", "embeds", "components", "flags"):
            if k in body:
                msg[k] = body[k]
        msg["edited_timestamp"] = now_iso()
        return 200, msg, {}

    def _delete_webhook(
        self, body: Any, query: Any, wid: str, token: str, mid: str
    ) -> tuple[int, Any, dict]:
        key = self.originals.get(token) if mid == "@original" else int(mid)
        msg = self.messages.pop(key or 0, None)
        if msg is None:
            return 404, {"message": "Unknown Message", "code": 10008}, {}
        self.channels[int(msg["channel_id"])].remove(int(msg["id"]))
        return 204, None, {}

    def _undo(self, answer: Any) -> None:
        """Take back what a request that is to be lost did: the message it created, the thread
        it started."""
        if not isinstance(answer, dict) or "id" not in answer:
            return
        mid = int(answer["id"])
        if answer.get("type") == 11:
            self.messages[mid].pop("thread", None)
            return
        msg = self.messages.pop(mid, None)
        if msg is None:
            return
        self.channels[int(msg["channel_id"])].remove(mid)
        for key, value in list(self._nonces.items()):
            if value == mid:
                del self._nonces[key]

    def _message(self, channel: int, body: dict[str, Any]) -> dict[str, Any]:
        mid = next(self._ids)
        msg: dict[str, Any] = {
            "id": str(mid),
            "channel_id": str(channel),
            "author": body.get("author", BOT_USER),
            "content": body.get("content") or "",
            "timestamp": now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags", 0),
        }
        if body.get("nonce"):
            msg["nonce"] = body["nonce"]
        self.messages[mid] = msg
        self.channels.setdefault(channel, []).append(mid)
        return msg


def edited(msg: dict[str, Any], body: Any) -> dict[str, Any]:
    """The message as an edit `body` leaves it: Discord judges the result, so an edit may blank
    the content of a message that keeps its embeds, but not of one left with nothing."""
    kept = {k: msg.get(k) for k in ("content", "embeds", "components", "attachments")}
    return {**kept, **(body if isinstance(body, dict) else {})}


def webhook_user(webhook_id: str) -> dict[str, Any]:
    """The author Discord gives a channel webhook's message: the webhook, as a bot user of its
    own id."""
    return {
        "id": webhook_id,
        "username": "newsdigest",
        "discriminator": "0000",
        "avatar": None,
        "bot": True,
    }


def _the_apps(msg: dict[str, Any]) -> bool:
    """Whether the app sent `msg` itself: as its bot, or as an interaction's reply (the
    application's own webhook). A channel webhook is not the app."""
    hook = msg.get("webhook_id")
    return str((msg.get("author") or {}).get("id")) == str(BOT_ID) and (
        hook is None or str(hook) == str(APP_ID)
    )
