"""A fake Slack Web API on 127.0.0.1 that records every call.

Point slack-sdk at `fake.api_url` (the app reads it from SLACK_API_URL). Each call is recorded as
`Call(method, body)` with the body decoded the same way whether slack-sdk sent JSON, a form or a
query string, so tests can compare exact payloads. Responses are Slack-shaped and stateful enough
for the bot: posted messages get unique `ts` values, stamped with `clock` (real time unless the
test sets its own), and show up in conversations.history with their metadata. `script()` queues one-off responses (a 429 with Retry-After, an error code);
`limit()` rate limits a method as Slack does, every call answered 429 with a Retry-After until
`lift()` (the calls are recorded, nothing is posted); `hang()` holds one channel's calls of a
method unanswered until the test lets them go, the others' answered meanwhile.
Response URLs (`fake.response_url()`) are served and recorded too; `response_url_errors` and
`response_url_drops` make one answer an error or drop the connection after taking the message,
and `script_response_url()` queues one-off answers for one (a 429 with Retry-After).
chat.postMessage, chat.update and chat.postEphemeral refuse blocks over Block Kit's limits as
Slack does, with invalid_blocks (`fakes.slack_blocks`), and a message without text or blocks with
no_text, and post or change nothing. A response_url refuses the same messages (400 and the error
code as text, as Slack's webhooks answer), and so does a slash command's ack: over Socket Mode
`socket_send` raises `RefusedAck`, and an HTTP-mode harness hands the ack it got to `check_ack`.
Every refusal is also kept in `refusals`, with the faults, for a test to read.
`script_raw()` answers with a body that is not JSON (a proxy's HTML page, a cut-off answer), as
Slack's edge sometimes does, whether or not the call took effect. `api_drops` names methods whose
calls are recorded and then get no answer: the connection closes, a network-level failure.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from fakes.gate import Gate
from fakes.slack_blocks import invalid_message

BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
BOT_USER = "UBOT"
# Bodies `script_raw` can answer with: a proxy's error page served as 200, and an answer cut off
# mid-way (slack-sdk reports each differently, neither with a Slack error code).
HTML_PAGE = "<html><body><h1>Gateway</h1></body></html>"
TRUNCATED_JSON = '{"ok": true, "channel": "C1", "ts": "17000'
# What Slack's calls other than chat.postMessage take as `channel`: a conversation's own id.
CONVERSATION_ID_RE = re.compile(r"^[CGD][A-Z0-9]+$")


class RefusedAck(AssertionError):
    """A slash command's ack carried a message Slack would not show: the bot's reply is lost."""


@dataclass(slots=True)
class Call:
    method: str
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Scripted:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    # The call takes effect before this answer (Slack's internal_error after the post landed).
    landed: bool = False
    # Answered as usual: holds a place in the queue so a later call can be scripted.
    usual: bool = False
    # Sent as is instead of `body` (not JSON: an HTML page, a truncated answer).
    raw: str | None = None
    content_type: str = "application/json"


class FakeSlackAPI:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        # (method or "response_url:<key>" or "ack", Slack's refusal) for each message refused.
        self.refusals: list[tuple[str, dict[str, Any]]] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.usergroups: list[dict[str, Any]] = []
        self.group_members: dict[str, list[str]] = {}
        # response_url key -> (status, body) it answers instead of 200 "ok" (404 "used_url").
        self.response_url_errors: dict[str, tuple[int, str]] = {}
        # response_url keys whose POSTs are taken (recorded) and then left unanswered: the
        # connection drops, as when Slack posted the message but the answer was lost.
        self.response_url_drops: set[str] = set()
        # Web API methods whose calls are recorded, then left unanswered: the connection drops.
        self.api_drops: set[str] = set()
        # channel id -> error code every chat.postMessage there gets (e.g. "not_in_channel").
        self.channel_errors: dict[str, str] = {}
        self.messages: dict[str, list[dict[str, Any]]] = defaultdict(list)
        # Public channels the bot posts to (chat:write.public) without being a member: history
        # and replies there answer not_in_channel until conversations.join.
        self.not_joined: set[str] = set()
        # Channel names ("team-news", no "#") -> ids: chat.postMessage posts to a name, as Slack
        # does, and conversations.list lists them; every other call answers a name, as a user
        # id, with channel_not_found. `list_page_size` makes conversations.list paginate.
        self.channel_names: dict[str, str] = {}
        self.list_page_size = 100
        # User id -> the id of the bot's direct messages with them (conversations.open); when
        # not set, "D" + the user id without its first letter.
        self.dm_channels: dict[str, str] = {}
        # Private channels and group DMs -> whether the bot is in them: conversations.info
        # answers channel_not_found for one it is not in, as Slack does; any other id is a
        # public channel the bot is in.
        self.private_channels: dict[str, bool] = {}
        self._scripted: dict[str, deque[Scripted]] = defaultdict(deque)
        # Method -> the gate its next call waits at, unanswered, until the test opens it.
        self.gates: dict[str, Gate] = {}
        # (method, channel) -> the gate every call of it in that channel waits at (`hang`).
        self.channel_gates: dict[tuple[str, str], Gate] = {}
        # Method -> the Retry-After (seconds, as sent) every call to it is answered 429 with.
        self.limited: dict[str, str] = {}
        self._response_url_scripted: dict[str, deque[Scripted]] = defaultdict(deque)
        self._ts = itertools.count(1)
        # Slack's clock: the seconds of a posted message's ts, which conversations.history's
        # `oldest` is compared with. Real time unless a harness sets its own clock (as
        # `fakes.slack_outbox` does): a fixed time in the past would put every message before
        # a lookup's `oldest`, and a test would miss a heading that landed without knowing.
        self.clock: Callable[[], float] = time.time
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0
        # Socket Mode: the bot's websocket, and the envelopes it sent back (acks).
        self.socket: web.WebSocketResponse | None = None
        self.socket_acks: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._socket_open = asyncio.Event()

    # --- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> FakeSlackAPI:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{key}", self._response_url)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, key: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/response/{key}"

    # --- test helpers --------------------------------------------------------------------------

    def script(
        self,
        method: str,
        *,
        status: int = 200,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        landed: bool = False,
    ) -> None:
        """The next call to `method` gets this response instead of the default; with
        `landed=True` the call is carried out first (a post that landed, then an error)."""
        self._scripted[method].append(Scripted(status, body or {"ok": True}, headers or {}, landed))

    def script_raw(
        self,
        method: str,
        text: str,
        *,
        status: int = 200,
        content_type: str | None = None,
        landed: bool = False,
    ) -> None:
        """The next call to `method` is answered with `text` verbatim (see `HTML_PAGE`,
        `TRUNCATED_JSON`), served as HTML when it looks like HTML unless `content_type` says
        otherwise; with `landed=True` the call is carried out first."""
        if content_type is None:
            html = text.lstrip().startswith("<")
            content_type = "text/html" if html else "application/json"
        self._scripted[method].append(
            Scripted(status, {}, {}, landed, raw=text, content_type=content_type)
        )

    def limit(self, method: str, retry_after: float | str) -> None:
        """Every call to `method` is refused for the rate limit (429, "ratelimited", this
        Retry-After, a string sent as it is) until `lift(method)`."""
        self.limited[method] = (
            retry_after if isinstance(retry_after, str) else str(int(retry_after))
        )

    def hold(self, method: str) -> Gate:
        """The next call to `method` is held, unanswered, until the gate returned is opened."""
        gate = self.gates[method] = Gate()
        return gate

    def hang(self, method: str, channel: str) -> Gate:
        """Every call to `method` naming `channel` is recorded, then held unanswered until the
        gate returned is opened: one channel's calls hang while the others' are answered."""
        gate = self.channel_gates[(method, channel)] = Gate()
        return gate

    def lift(self, method: str) -> None:
        self.limited.pop(method, None)

    def script_response_url(
        self, key: str, *, status: int, text: str = "", headers: dict[str, str] | None = None
    ) -> None:
        """The next POST to the response_url `key` is answered so, and not shown."""
        self._response_url_scripted[key].append(Scripted(status, {}, headers or {}, raw=text))

    def script_usual(self, method: str) -> None:
        """The next call to `method` is answered as usual; what is scripted after it applies to
        the calls after that (e.g. a card's second message)."""
        self._scripted[method].append(Scripted(200, {}, {}, usual=True))

    def check_ack(self, body: Any) -> None:
        """Slack's reading of a slash command's ack `body` (the JSON the app answered with; an
        empty ack is fine): raises `RefusedAck` when it carries a message Slack would refuse."""
        if not isinstance(body, dict) or not (body.keys() - {"response_type"}):
            return
        if refused := invalid_message(body):
            self.refusals.append(("ack", refused))
            raise RefusedAck(f"Slack refuses the ack {body!r}: {refused}")

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        return [c.body for c in self.calls if c.method == method]

    def methods(self) -> list[str]:
        return [c.method for c in self.calls]

    async def wait_for(
        self, method: str, count: int = 1, timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        async def enough() -> None:
            while len(self.calls_to(method)) < count:
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(enough(), timeout)
        return self.calls_to(method)

    # --- handlers ------------------------------------------------------------------------------

    async def _record(self, method: str, request: web.Request) -> dict[str, Any]:
        body: dict[str, Any] = {k: _decode(v) for k, v in request.query.items()}
        if request.can_read_body:
            if request.content_type == "application/json":
                body.update(await request.json())
            else:
                body.update({k: _decode(str(v)) for k, v in (await request.post()).items()})
        self.calls.append(Call(method, body, dict(request.headers)))
        self._changed.set()
        return body

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = await self._record(method, request)
        if (gate := self.gates.pop(method, None)) is not None:
            await gate.through()
        if (hung := self.channel_gates.get((method, str(body.get("channel", ""))))) is not None:
            await hung.through()
        if method in self.api_drops and request.transport is not None:
            request.transport.close()
            return web.Response(status=200)
        token = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if request.headers.get("Authorization") != f"Bearer {token}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if method in self.limited:
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": self.limited[method]},
            )
        if self._scripted[method]:
            scripted = self._scripted[method].popleft()
            if scripted.usual:
                return web.json_response(handler(body) if handler else {"ok": True})
            if scripted.landed and handler:
                handler(body)
            if scripted.raw is not None:
                return web.Response(
                    status=scripted.status, text=scripted.raw, content_type=scripted.content_type
                )
            return web.json_response(
                scripted.body, status=scripted.status, headers=scripted.headers
            )
        result = handler(body) if handler else {"ok": True}
        return web.json_response(result)

    async def _response_url(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        body = await self._record("response_url:" + key, request)
        if key in self.response_url_drops and request.transport is not None:
            request.transport.close()
        # A message that only deletes the original needs no text; any other is checked as
        # chat.postMessage checks it. Slack's webhooks answer a refusal as text, not JSON.
        if not body.get("delete_original") and (refused := invalid_message(body)):
            self.refusals.append(("response_url:" + key, refused))
            return web.Response(status=400, text=refused["error"])
        if self._response_url_scripted[key]:
            scripted = self._response_url_scripted[key].popleft()
            return web.Response(
                status=scripted.status, text=scripted.raw or "", headers=scripted.headers
            )
        status, text = self.response_url_errors.get(key, (200, "ok"))
        return web.Response(status=status, text=text)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.socket = ws
        await ws.send_json({"type": "hello", "num_connections": 1})
        self._socket_open.set()
        async for message in ws:
            if message.type.name == "TEXT":
                await self.socket_acks.put(json.loads(message.data))
        return ws

    async def socket_send(self, envelope: dict[str, Any], timeout: float = 5.0) -> dict[str, Any]:
        """Deliver an envelope over Socket Mode; returns the bot's acknowledgement."""
        await asyncio.wait_for(self._socket_open.wait(), timeout)
        assert self.socket is not None
        await self.socket.send_json(envelope)
        ack = await asyncio.wait_for(self.socket_acks.get(), timeout)
        self.check_ack(ack.get("payload"))
        return ack

    # --- default Web API behaviour ---------------------------------------------------------------

    def _auth_test(self, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://test.slack.com/",
            "team": "Test",
            "user": "newsdigest",
            "team_id": "T1",
            "user_id": BOT_USER,
            "bot_id": "BBOT",
        }

    def _apps_connections_open(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}

    def conversation_of(self, channel: str) -> str | None:
        """The conversation chat.postMessage posts in for `channel`: an id as is, a user's
        direct message, a known name's channel; None for an unknown name."""
        if re.match(r"^[UW][A-Z0-9]+$", channel):
            return self.dm_channels.get(channel, "D" + channel[1:])
        if CONVERSATION_ID_RE.match(channel):
            return channel
        return self.channel_names.get(channel.removeprefix("#"))

    def _refused(self, method: str, body: dict[str, Any]) -> dict[str, Any] | None:
        """Slack's answer refusing the message `body` sent to `method`, kept in `refusals`."""
        if refused := invalid_message(body):
            self.refusals.append((method, refused))
        return refused

    def _chat_postMessage(self, body: dict[str, Any]) -> dict[str, Any]:
        channel = self.conversation_of(body.get("channel", ""))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if error := self.channel_errors.get(channel) or self.channel_errors.get(body["channel"]):
            return {"ok": False, "error": error}
        if refused := self._refused("chat.postMessage", body):
            return refused
        ts = f"{int(self.clock())}.{next(self._ts):06d}"
        message = {"type": "message", "ts": ts, "text": body.get("text", ""), "bot_id": "BBOT"}
        for key in ("blocks", "metadata", "thread_ts"):
            if key in body:
                message[key] = body[key]
        self.messages[channel].append(message)
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _chat_update(self, body: dict[str, Any]) -> dict[str, Any]:
        if not CONVERSATION_ID_RE.match(body.get("channel", "")):
            return {"ok": False, "error": "channel_not_found"}
        if refused := self._refused("chat.update", body):
            return refused
        for message in self.messages.get(body.get("channel", ""), []):
            if message["ts"] == body.get("ts"):
                message.update({k: body[k] for k in ("text", "blocks") if k in body})
                return {"ok": True, "channel": body["channel"], "ts": body["ts"]}
        return {"ok": False, "error": "message_not_found"}

    def _chat_delete(self, body: dict[str, Any]) -> dict[str, Any]:
        kept = self.messages.get(body.get("channel", ""), [])
        for message in kept:
            if message["ts"] == body.get("ts"):
                kept.remove(message)
                return {"ok": True, "channel": body["channel"], "ts": message["ts"]}
        return {"ok": False, "error": "message_not_found"}

    def _chat_postEphemeral(self, body: dict[str, Any]) -> dict[str, Any]:
        if refused := self._refused("chat.postEphemeral", body):
            return refused
        return {"ok": True, "message_ts": f"{int(self.clock())}.{next(self._ts):06d}"}

    def _conversations_join(self, body: dict[str, Any]) -> dict[str, Any]:
        channel = body.get("channel", "")
        self.not_joined.discard(channel)
        return {"ok": True, "channel": {"id": channel, "is_member": True}}

    def _conversations_history(self, body: dict[str, Any]) -> dict[str, Any]:
        if not CONVERSATION_ID_RE.match(body.get("channel", "")):
            return {"ok": False, "error": "channel_not_found"}
        if body.get("channel", "") in self.not_joined:
            return {"ok": False, "error": "not_in_channel"}
        with_metadata = str(body.get("include_all_metadata")) in ("1", "true", "True")
        top_level = [
            {k: v for k, v in m.items() if with_metadata or k != "metadata"}
            for m in self.messages.get(body.get("channel", ""), [])
            if "thread_ts" not in m and _after(m["ts"], body)
        ]
        return {"ok": True, "messages": list(reversed(top_level)), "has_more": False}

    def _conversations_replies(self, body: dict[str, Any]) -> dict[str, Any]:
        if not CONVERSATION_ID_RE.match(body.get("channel", "")):
            return {"ok": False, "error": "channel_not_found"}
        if body.get("channel", "") in self.not_joined:
            return {"ok": False, "error": "not_in_channel"}
        with_metadata = str(body.get("include_all_metadata")) in ("1", "true", "True")
        root = body.get("ts")
        thread = [
            {k: v for k, v in m.items() if with_metadata or k != "metadata"}
            for m in self.messages.get(body.get("channel", ""), [])
            if m["ts"] == root or m.get("thread_ts") == root
        ]
        if not thread:
            return {"ok": False, "error": "thread_not_found"}
        return {"ok": True, "messages": thread, "has_more": False}

    def _conversations_list(self, body: dict[str, Any]) -> dict[str, Any]:
        listed = [{"id": cid, "name": name} for name, cid in self.channel_names.items()]
        start = int(body.get("cursor") or 0)
        end = start + min(self.list_page_size, int(body.get("limit") or 100))
        more = str(end) if end < len(listed) else ""
        return {
            "ok": True,
            "channels": listed[start:end],
            "response_metadata": {"next_cursor": more},
        }

    def _conversations_info(self, body: dict[str, Any]) -> dict[str, Any]:
        channel = str(body.get("channel", ""))
        if channel not in self.private_channels:
            return {"ok": True, "channel": {"id": channel, "is_private": False, "is_member": True}}
        if not self.private_channels[channel]:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": {"id": channel, "is_private": True, "is_member": True}}

    def _conversations_open(self, body: dict[str, Any]) -> dict[str, Any]:
        users = str(body.get("users", ""))
        dm = self.conversation_of(users)
        if "," in users or dm is None or not dm.startswith("D"):
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "channel": {"id": dm}}

    def _users_info(self, body: dict[str, Any]) -> dict[str, Any]:
        user = body.get("user", "")
        return {"ok": True, "user": self.users.get(user, {"id": user, "is_admin": False})}

    def _usergroups_list(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "usergroups": self.usergroups}

    def _usergroups_users_list(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "users": self.group_members.get(body.get("usergroup", ""), [])}


def _decode(value: str) -> Any:
    # slack-sdk sends blocks/metadata in forms and queries as JSON strings.
    if value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _after(ts: str, body: dict[str, Any]) -> bool:
    """Whether a message is within conversations.history's `oldest` bound, as Slack reads it:
    later than it, or at it too with `inclusive`."""
    if not body.get("oldest"):
        return True
    if str(body.get("inclusive")) in ("1", "true", "True"):
        return float(ts) >= float(body["oldest"])
    return float(ts) > float(body["oldest"])
