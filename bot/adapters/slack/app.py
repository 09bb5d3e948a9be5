"""The Slack app: slash commands, buttons and events on slack-bolt's AsyncApp, over Socket Mode
or HTTP (`bot.adapters.slack.endpoint`). Everything a command does is `Commands.dispatch`; this
module only translates, and `bot.adapters.slack.responder` gets the reply to the user.

Acknowledgement: Slack wants an answer within 3 seconds. A command runs as a task; if it finishes
within `ack_budget` and its reply is ephemeral, the reply *is* the ack (no extra call, works in
channels the bot is not in). Otherwise the ack goes out first and the result follows by
chat.postMessage (public) or the response_url (ephemeral). Bolt authorizes requests from the
token's check at start, so none waits for an auth.test before its ack (`token_check`). A
command's text is read back as the user typed it by `command_text`.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.blocks import (
    ACTION_FOLLOW,
    ACTION_FULL,
    ACTION_MUTE,
    ACTION_NEW_TOPIC,
)
from bot.adapters.slack.command_context import command_context
from bot.adapters.slack.command_text import command_text
from bot.adapters.slack.endpoint import EventsEndpoint
from bot.adapters.slack.events import answer_mention, greet_channel
from bot.adapters.slack.guards import AdminCheck, SeenRequests, request_key
from bot.adapters.slack.replies import (
    ephemeral_body,
    failed_body,
    reply_messages,
    text_body,
)
from bot.adapters.slack.responder import Responder
from bot.adapters.slack.settings import SlackConfigError, SlackSettings, make_client
from bot.adapters.slack.socket import SocketConnection
from bot.adapters.slack.token_check import TokenCheck
from bot.commands.mutes import click_mute
from bot.commands.topics import new_topic_hint

if TYPE_CHECKING:
    from bot.commands.core import CommandContext, Commands, Reply

log = logging.getLogger(__name__)


CHANGING_COMMANDS = frozenset({"follow", "unfollow", "watchlist", "digest"})


# What a person is told when the token check bolt's authorization needs fails (auth.test, on the
# first request of a bot served without `start`): bolt's default asks them to install the app,
# wrong when Slack only rate limited the check.
AUTH_CHECK_FAILED = (
    "I could not check my access to this workspace just now. Please try again in a minute; if "
    "this keeps happening, ask whoever runs newsdigest to check its log."
)


class SlackBot:
    platform = "slack"

    def __init__(
        self,
        commands: Commands,
        settings: SlackSettings,
        *,
        client: AsyncWebClient | None = None,
        pacer: ChannelPacer | None = None,
        clock: Callable[[], float] = time.time,
        ack_budget: float = 1.5,
        connect_timeout: float = 30.0,
        on_change: Callable[[], object] | None = None,
        on_auth_lost: Callable[[str], object] | None = None,
        on_reconnect: Callable[[], object] | None = None,
    ) -> None:
        self.commands = commands
        self.settings = settings
        self.client = client or make_client(settings)
        self.adapter = SlackAdapter(self.client, pacer=pacer)
        config = commands.core.config
        self.admins = AdminCheck(
            self.client, admin_users=config.admin_users, admin_group=config.admin_group
        )
        self.seen = SeenRequests()
        self.ack_budget = ack_budget
        # How long the Socket Mode websocket may take to open once Slack gave us its URL.
        self.connect_timeout = connect_timeout
        # The runner's `kick`: a changed watchlist or a /digest should go out without waiting.
        self.on_change = on_change
        # The runner's hook for a token refused mid-run (Socket Mode's reconnect), with the reason.
        self.on_auth_lost = on_auth_lost
        self.on_reconnect = on_reconnect  # Socket Mode back after a drop: retry queued posts
        self.responder = Responder(self.client, self.adapter)
        self.token = TokenCheck(self.client)
        # Signatures are checked by the HTTP endpoint (with an injectable clock, before bolt spends
        # any work on a forged request); Socket Mode needs none. Requests are authorized from
        # start's auth.test, so none waits for one before its ack (`token_check`).
        self.app = AsyncApp(
            client=self.client,
            authorize=self.token.bolt_authorize(),
            signing_secret=settings.signing_secret,
            request_verification_enabled=False,
            name="newsdigest",
            user_facing_authorize_error_message=AUTH_CHECK_FAILED,
        )
        self.app.middleware(self._dedupe)
        self.app.command(_ANY_COMMAND)(self._on_command)
        self.app.action(_action(ACTION_FULL))(self._on_full)
        self.app.action(_action(ACTION_FOLLOW))(self._on_follow)
        self.app.action(_action(ACTION_NEW_TOPIC))(self._on_new_topic)
        self.app.action(_action(ACTION_MUTE))(self._on_mute)
        self.app.event("app_mention")(self._on_mention)
        self.app.event("member_joined_channel")(self._on_member_joined)
        self.endpoint = EventsEndpoint(
            self.app, signing_secret=settings.signing_secret, clock=clock
        )
        self.socket: SocketConnection | None = None  # in Socket Mode, once started

    # --- lifecycle ---------------------------------------------------------------------------------

    async def start(self) -> None:
        # Fail at start, not at the first digest, when the token is wrong; bolt authorizes every
        # request from this answer.
        auth = await self.token.check()
        log.info("Slack: connected as %s in %s", auth.get("user"), auth.get("team"))
        if self.settings.mode == "http":
            await self.start_http()
        else:
            await self.start_socket()

    async def start_http(self, host: str | None = None, port: int | None = None) -> int:
        """Serve POST /slack/events; returns the bound port (useful with port 0)."""
        return await self.endpoint.start(
            host if host is not None else self.settings.host,
            port if port is not None else self.settings.port,
        )

    async def start_socket(self) -> None:
        app_token = self.settings.app_token
        if app_token is None:  # only settings made by hand: `from_env` refuses it already
            raise SlackConfigError("Slack Socket Mode needs SLACK_APP_TOKEN")
        self.socket = SocketConnection(
            self.app,
            app_token,
            connect_timeout=self.connect_timeout,
            on_auth_lost=self.on_auth_lost,
            on_back=self.on_reconnect,
        )
        await self.socket.start()

    async def stop(self, deadline: float | None = None, *, finish_overflow: bool = True) -> None:
        """Close the connection or listener; `deadline` (the loop's time, at shutdown): when
        to be done, which shortens the overflow's grace. `finish_overflow=False` leaves the
        adapter's overflow going, for whoever keeps posting with the adapter to finish."""
        if self.socket is not None:
            await self.socket.close()
        await self.endpoint.stop()
        # Last, as it takes a moment and needs only the Web API client: a card's overflow
        # waiting out a rate limit in the background gets a grace to go out, within the
        # deadline, then is given up (an ERROR names the parts).
        if finish_overflow:
            await self.adapter.finish_overflow(deadline=deadline)

    # --- middleware --------------------------------------------------------------------------------

    async def _dedupe(
        self, body: dict[str, Any], next: Callable[[], Awaitable[Any]]
    ) -> BoltResponse | None:
        key = request_key(body)
        if key is not None and not self.seen.first_time(key):
            log.info("Slack: ignoring a redelivery of %s", key)
            return BoltResponse(status=200, body="")
        return await next()

    # --- slash commands ------------------------------------------------------------------------------

    async def _on_command(self, ack: Any, command: dict[str, Any]) -> None:
        name = str(command.get("command", "")).lstrip("/").lower()
        text = command_text(str(command.get("text") or ""))
        channel_id = str(command.get("channel_id", ""))
        user_id = str(command.get("user_id", ""))
        response_url = command.get("response_url")
        acked = False
        try:
            task = asyncio.ensure_future(self._run_command(name, text, command))
            done, _ = await asyncio.wait({task}, timeout=self.ack_budget)
            if task not in done:
                await ack(text="Working on it…")
                acked = True
                reply = await task
            else:
                reply = task.result()
            if reply is None:
                raise RuntimeError(f"/{name} failed")
            messages = reply_messages(reply)
            if not acked and reply.ephemeral:
                # Fast and private: the answer rides on the ack itself.
                await ack(**ephemeral_body(messages[0]))
                acked = True
                extras = [ephemeral_body(extra) for extra in messages[1:]]
                await self.responder.respond_all(response_url, extras, channel_id, user_id)
                return
            if not acked:
                await ack()
                acked = True
            await self.responder.deliver(
                reply, channel_id=channel_id, user_id=user_id, response_url=response_url
            )
        except Exception:
            # Whatever broke, the user gets a sentence, never a stack trace or a silent timeout.
            log.exception("Slack: /%s %r failed", name, text)
            if not acked:
                await ack(**failed_body())
            else:
                await self.responder.respond(response_url, failed_body(), channel_id, user_id)

    async def _run_command(self, name: str, text: str, command: Mapping[str, Any]) -> Reply | None:
        try:
            ctx = await self._context(command, name=name, text=text)
            reply = await self.commands.dispatch(name, text, ctx)
            if name in CHANGING_COMMANDS and text.strip().lower() != "help":
                await self._changed()
            return reply
        except Exception:
            log.exception("Slack: /%s failed", name)
            return None

    async def _context(
        self, payload: Mapping[str, Any], *, name: str = "", text: str = ""
    ) -> CommandContext:
        return await command_context(
            payload,
            admins=self.admins,
            client=self.client,
            db=self.commands.core.db,
            name=name,
            text=text,
        )

    async def _changed(self) -> None:
        if self.on_change is None:
            return
        try:
            result = self.on_change()
            if asyncio.iscoroutine(result):
                await result
        except Exception:
            log.exception("Slack: notifying the runner of a change failed")

    # --- buttons -------------------------------------------------------------------------------------

    # Buttons are acked before any work (Slack's 3 seconds), so a failure after that would leave
    # the user with a click that did nothing: `_button` answers it with an apology instead, as
    # slash commands do.

    async def _on_full(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        await self._button("Full breakdown", body, self._full(body, action))

    async def _on_follow(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        await self._button("Follow", body, self._follow(body, action))

    async def _on_new_topic(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        await self._button("Follow topic", body, self._new_topic(body, action))

    async def _on_mute(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        await self._button("Mute", body, self._mute(body, action))

    async def _button(self, what: str, body: dict[str, Any], work: Awaitable[None]) -> None:
        try:
            await work
        except Exception:
            log.exception("Slack: the %s button failed", what)
            channel_id = str((body.get("channel") or {}).get("id", ""))
            user_id = str((body.get("user") or {}).get("id", ""))
            await self.responder.respond(
                body.get("response_url"), failed_body(), channel_id, user_id
            )

    async def _full(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        ctx = await self._context(body)
        reply = await self.commands.dispatch("story", str(action.get("value", "")), ctx)
        # The channel already has the card; the breakdown is for whoever asked.
        reply.ephemeral = True
        await self.responder.deliver(
            reply,
            channel_id=ctx.channel_id,
            user_id=ctx.user_id,
            response_url=body.get("response_url"),
        )

    async def _follow(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        ctx = await self._context(body)
        reply = await self.commands.dispatch("follow", str(action.get("value", "")), ctx)
        await self._changed()
        await self.responder.deliver(
            reply,
            channel_id=ctx.channel_id,
            user_id=ctx.user_id,
            response_url=body.get("response_url"),
        )

    async def _new_topic(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        # Discord's button opens a form; here the answer names the /follow to type.
        channel_id = str((body.get("channel") or {}).get("id", ""))
        user_id = str((body.get("user") or {}).get("id", ""))
        text = new_topic_hint("slack", str(action.get("value", "")))
        await self.responder.respond(body.get("response_url"), text_body(text), channel_id, user_id)

    async def _mute(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        ctx = await self._context(body)
        text, muted = await click_mute(self.commands, str(action.get("value", "")), ctx)
        if muted:
            await self._changed()
        await self.responder.respond(
            body.get("response_url"), text_body(text), ctx.channel_id, ctx.user_id
        )

    # --- events --------------------------------------------------------------------------------------

    async def _on_mention(self, event: dict[str, Any]) -> None:
        await answer_mention(self.adapter, event)

    async def _on_member_joined(self, event: dict[str, Any], context: dict[str, Any]) -> None:
        await greet_channel(self.adapter, self.commands, event, context)


_ANY_COMMAND = re.compile(r"^/.+")


def _action(prefix: str) -> re.Pattern[str]:
    # Buttons carry ":<story id>" so action_ids stay unique within a digest message.
    return re.compile(rf"^{re.escape(prefix)}(:.*)?$")
