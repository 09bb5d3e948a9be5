"""A fake of Discord's REST API on 127.0.0.1, for discord.py pointed at it via `Route.BASE`.

It records every request (method, path, query, JSON body) and keeps just enough state to answer
like Discord: messages per channel (with nonce de-duplication when `enforce_nonce` is set),
threads started from messages, webhook executions, interaction callbacks and their
`@original` messages, and command syncs. It also enforces the embed/content limits that make
Discord answer 400 Invalid Form Body, so a renderer that overflows fails the test the same way
it would fail in production. `fail_next` queues error answers (a 429 with `Via` and a JSON body,
a 403, a 5xx) for the next matching requests. `revoke_token` makes Discord refuse the bot token
as it does once it is reset: 401 to every request that carries it (webhook URLs carry their own),
and gateway close code 4004 at IDENTIFY or RESUME; `drop_gateway` closes the websockets,
`gateway_down` refuses new ones (an outage), and `close_at_identify` makes IDENTIFY answered
with a close code (4014: privileged intents).
`garble_next` answers a request that would have succeeded with a body that is not a Discord
answer (an HTML page, JSON cut off, a message without its id), or holds the answer back (`hang`),
whether or not the request took effect first.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

BOT_ID = 900000000000000001
APP_ID = 900000000000000002
GUILD_ID = 900000000000000003
BOT_USER = {
    "id": str(BOT_ID),
    "username": "newsdigest",
    "discriminator": "0",
    "global_name": None,
    "avatar": None,
    "bot": True,
    "verified": True,
    "mfa_enabled": False,
    "flags": 0,
}


@dataclass(slots=True)
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int


@dataclass(slots=True)
class _Failure:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: Any
    headers: dict[str, str]
    times: int
    # The request takes effect before the error answer (a 5xx after the message was created).
    landed: bool = False


# Bodies that are not a Discord answer, with the Content-Type they come with.
HTML_PAGE = (
    "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
    "text/html",
)
TRUNCATED_JSON = ('{"id": "1000000000000000000", "channel_id": "1', "application/json")
NO_ID = ('{"channel_id": "1", "content": ""}', "application/json")


@dataclass(slots=True)
class _Garble:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: str
    content_type: str
    headers: dict[str, str]
    times: int
    landed: bool
    # Seconds the answer is held back (until the fake closes, at the latest).
    hang: float


@dataclass
class FakeDiscord:
    requests: list[Recorded] = field(default_factory=list)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    # channel id -> message ids, oldest first
    channels: dict[int, list[int]] = field(default_factory=dict)
    webhook_channels: dict[int, int] = field(default_factory=dict)
    originals: dict[str, int] = field(default_factory=dict)
    # Channels that answer 404 Unknown Channel / 403 Missing Permissions to posts.
    gone_channels: set[int] = field(default_factory=set)
    forbidden_channels: set[int] = field(default_factory=set)
    synced: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _failures: list[_Failure] = field(default_factory=list)
    _garbles: list[_Garble] = field(default_factory=list)
    _closing: asyncio.Event = field(default_factory=asyncio.Event)
    _nonces: dict[tuple[int, str], int] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000000000000000000))
    _runner: web.AppRunner | None = None
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _seq: int = 0
    base: str = ""
    gateway_url: str = ""
    identified: list[dict[str, Any]] = field(default_factory=list)
    # The bot token refused: by REST (401) and/or by the gateway (close 4004).
    rest_token_revoked: bool = False
    gateway_token_revoked: bool = False
    # Close code sent instead of READY (e.g. 4014 for a privileged intent not enabled).
    identify_close_code: int | None = None
    # The gateway unreachable (a 503 instead of the websocket), as in an outage; RESUMEs answered.
    gateway_down: bool = False
    resumed: int = 0

    # --- lifecycle --------------------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("GET", "/gateway", self._gateway_socket)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}/api/v10"
        self.gateway_url = f"ws://127.0.0.1:{port}/gateway"
        return self.base

    async def close(self) -> None:
        self._closing.set()
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- test helpers -----------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        path: str,
        status: int,
        body: Any,
        *,
        headers: dict[str, str] | None = None,
        times: int = 1,
        landed: bool = False,
    ) -> None:
        """`landed=True`: the request is carried out and only then answered with the error."""
        self._failures.append(
            _Failure(method, re.compile(path), status, body, headers or {}, times, landed)
        )

    def garble_next(
        self,
        method: str,
        path: str,
        answer: tuple[str, str] = HTML_PAGE,
        *,
        status: int = 200,
        landed: bool = False,
        times: int = 1,
        hang: float = 0.0,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer the next matching requests that would have succeeded with `answer` (a body and
        its Content-Type) instead; `landed=True`: the request took effect first."""
        body, content_type = answer
        self._garbles.append(
            _Garble(
                method,
                re.compile(path),
                status,
                body,
                content_type,
                headers or {},
                times,
                landed,
                hang,
            )
        )

    def hang_next(self, method: str, path: str, seconds: float, *, landed: bool = False) -> None:
        """Hold the answer to the next matching request that would have succeeded."""
        self.garble_next(method, path, ("{}", "application/json"), landed=landed, hang=seconds)

    def revoke_token(self, *, rest: bool = True, gateway: bool = True) -> None:
        self.rest_token_revoked = rest
        self.gateway_token_revoked = gateway

    def close_at_identify(self, code: int | None) -> None:
        self.identify_close_code = code

    async def drop_gateway(self, code: int = 4000) -> None:
        """Close every gateway websocket with `code` (4000: a drop discord.py resumes from)."""
        for ws in list(self._sockets):
            await ws.close(code=code)

    def forget_nonces(self) -> None:
        """Discord de-duplicates a repeated nonce only for a few minutes; call this when a test
        lets more time than that pass."""
        self._nonces.clear()

    def rate_limit_next(self, method: str, path: str, *, retry_after: float = 0.05) -> None:
        """The 429 Discord sends: a `Via` header (no Via means Cloudflare, which discord.py treats
        as a ban) and a JSON body with `retry_after` in seconds."""
        self.fail_next(
            method,
            path,
            429,
            {"message": "You are being rate limited.", "retry_after": retry_after, "global": False},
            headers={
                "Via": "1.1 google",
                "Retry-After": "1",
                "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset-After": str(retry_after),
                "X-RateLimit-Bucket": "fakebucket",
                "X-RateLimit-Scope": "user",
            },
        )

    def calls(self, method: str, path: str) -> list[Recorded]:
        pattern = re.compile(path)
        return [r for r in self.requests if r.method == method and pattern.fullmatch(r.path)]

    def channel_messages(self, channel_id: int) -> list[dict[str, Any]]:
        return [self.messages[m] for m in self.channels.get(channel_id, [])]

    def add_message(self, channel_id: int, **overrides: Any) -> dict[str, Any]:
        """Seed history (e.g. someone else's message, or ours from before a crash)."""
        msg = self._message(channel_id, overrides)
        msg.update({k: v for k, v in overrides.items() if k in ("author", "webhook_id")})
        return msg

    # --- the gateway (just enough to connect, identify, be ready and receive events) ---------

    async def _gateway_socket(self, request: web.Request) -> web.StreamResponse:
        if self.gateway_down:
            return web.Response(status=503, text="upstream connect error")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 45000}})
        async for msg in ws:
            frame = json.loads(msg.data)
            if frame["op"] in (2, 6) and self.gateway_token_revoked:
                await ws.close(code=4004, message=b"Authentication failed.")
                break
            if frame["op"] == 2 and self.identify_close_code is not None:
                await ws.close(code=self.identify_close_code)
                break
            if frame["op"] == 1:
                await ws.send_json({"op": 11})
            elif frame["op"] == 2:
                self.identified.append(frame["d"])
                ready = {
                    "v": 10,
                    "user": BOT_USER,
                    "guilds": [],
                    "session_id": "fake-session",
                    "resume_gateway_url": self.gateway_url,
                    "application": {"id": str(APP_ID), "flags": 0},
                }
                await self._dispatch(ws, "READY", ready)
            elif frame["op"] == 6:
                self.resumed += 1
                await self._dispatch(ws, "RESUMED", {})
        self._sockets.remove(ws)
        return ws

    async def _dispatch(self, ws: web.WebSocketResponse, event: str, data: Any) -> None:
        self._seq += 1
        await ws.send_json({"op": 0, "s": self._seq, "t": event, "d": data})

    async def push(self, event: str, data: Any) -> None:
        """Send a gateway event (e.g. INTERACTION_CREATE) to every connected client."""
        for ws in list(self._sockets):
            await self._dispatch(ws, event, data)

    # --- request handling -------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        raw = await request.read()
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
        query = dict(request.query)
        if self.rest_token_revoked and request.headers.get("Authorization", "").startswith("Bot "):
            status, answer, headers = 401, {"message": "401: Unauthorized", "code": 0}, {}
        elif garble := self._garble_for(request.method, path):
            return await self._garbled(garble, request.method, path, query, body)
        else:
            status, answer, headers = self._answer(request.method, path, query, body)
        self.requests.append(Recorded(request.method, path, query, body, status))
        if status == 204:
            return web.Response(status=204, headers=headers)
        # Exactly "application/json", no charset: discord.py decodes JSON only on an exact match.
        headers = {**headers, "Content-Type": "application/json"}
        return web.Response(body=json.dumps(answer).encode(), status=status, headers=headers)

    def _garble_for(self, method: str, path: str) -> _Garble | None:
        for garble in self._garbles:
            if garble.times > 0 and garble.method == method and garble.pattern.fullmatch(path):
                return garble
        return None

    async def _garbled(
        self, garble: _Garble, method: str, path: str, query: dict[str, str], body: Any
    ) -> web.StreamResponse:
        # What an edit that is to be lost changes, put back after it.
        before = copy.deepcopy(self.messages) if method == "PATCH" else None
        status, answer, headers = self._route(method, path, query, body)
        if status >= 400:
            # Only a success is garbled: a refusal (a thread not started yet) is answered as ever.
            self.requests.append(Recorded(method, path, query, body, status))
            headers = {**headers, "Content-Type": "application/json"}
            return web.Response(body=json.dumps(answer).encode(), status=status, headers=headers)
        garble.times -= 1
        if not garble.landed and before is not None:
            self.messages.update(before)
        elif not garble.landed:
            self._undo(answer)
        self.requests.append(Recorded(method, path, query, body, garble.status))
        if garble.hang:
            # The client gives up and closes; the fake's own close ends the wait.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), garble.hang)
        headers = {**garble.headers, "Content-Type": garble.content_type}
        return web.Response(body=garble.body.encode(), status=garble.status, headers=headers)

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

    def _answer(
        self, method: str, path: str, query: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        for failure in self._failures:
            if failure.times > 0 and failure.method == method and failure.pattern.fullmatch(path):
                failure.times -= 1
                if failure.landed:
                    self._route(method, path, query, body)
                return failure.status, failure.body, failure.headers
        return self._route(method, path, query, body)

    def _route(
        self, method: str, path: str, query: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        for verb, pattern, handler in self._routes():
            if verb == method and (m := re.fullmatch(pattern, path)):
                return handler(body or {}, query, *m.groups())
        return 404, {"message": "404: Not Found", "code": 0}, {}

    def _routes(self) -> list[tuple[str, str, Any]]:
        return [
            ("GET", r"/users/@me", lambda b, q: (200, BOT_USER, {})),
            ("GET", r"/oauth2/applications/@me", self._application),
            ("GET", r"/gateway/bot", self._gateway),
            ("POST", r"/channels/(\d+)/messages", self._create_message),
            ("GET", r"/channels/(\d+)/messages", self._history),
            ("PATCH", r"/channels/(\d+)/messages/(\d+)", self._edit_message),
            ("POST", r"/channels/(\d+)/messages/(\d+)/threads", self._start_thread),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", self._callback),
            ("POST", r"/webhooks/(\d+)/([^/]+)", self._execute_webhook),
            ("PATCH", r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", self._edit_webhook),
            ("DELETE", r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", self._delete_webhook),
            ("PUT", r"/applications/(\d+)/commands", self._sync_global),
            ("PUT", r"/applications/(\d+)/guilds/(\d+)/commands", self._sync_guild),
        ]

    def _application(self, body: Any, query: Any) -> tuple[int, Any, dict[str, str]]:
        app = {
            "id": str(APP_ID),
            "name": "newsdigest",
            "description": "",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": BOT_USER,
            "verify_key": "0" * 64,
            "flags": 0,
        }
        return 200, app, {}

    def _gateway(self, body: Any, query: Any) -> tuple[int, Any, dict[str, str]]:
        return 200, {"url": "wss://127.0.0.1:1", "shards": 1}, {}

    def _create_message(self, body: Any, query: Any, channel: str) -> tuple[int, Any, dict]:
        if errors := validate_message(body):
            return 400, {"code": 50035, "message": "Invalid Form Body", "errors": errors}, {}
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

    def _history(self, body: Any, query: dict[str, str], channel: str) -> tuple[int, Any, dict]:
        limit = int(query.get("limit", "50"))
        ids = list(reversed(self.channels.get(int(channel), [])))[:limit]
        # Discord does not return nonces in channel history; only the create response has it.
        out = [{k: v for k, v in self.messages[i].items() if k != "nonce"} for i in ids]
        return 200, out, {}

    def _edit_message(self, body: Any, query: Any, channel: str, mid: str) -> tuple[int, Any, dict]:
        msg = self.messages.get(int(mid))
        if msg is None or msg["channel_id"] != channel:
            return 404, {"message": "Unknown Message", "code": 10008}, {}
        if errors := validate_message(body):
            return 400, {"code": 50035, "message": "Invalid Form Body", "errors": errors}, {}
        for key in ("content", "embeds", "components", "flags"):
            if key in body:
                msg[key] = body[key]
        msg["edited_timestamp"] = _now()
        return 200, msg, {}

    def _start_thread(self, body: Any, query: Any, channel: str, mid: str) -> tuple[int, Any, dict]:
        msg = self.messages.get(int(mid))
        if msg is None:
            return 404, {"message": "Unknown Message", "code": 10008}, {}
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
                "archive_timestamp": _now(),
                "locked": False,
            },
        }
        msg["thread"] = thread
        return 201, thread, {}

    def _callback(self, body: Any, query: Any, iid: str, token: str) -> tuple[int, Any, dict]:
        kind = body.get("type")
        data = body.get("data") or {}
        interaction: dict[str, Any] = {"id": iid, "type": 2}
        resource: dict[str, Any] = {"type": kind}
        if kind in (4, 5):
            if kind == 4 and (errors := validate_message(data)):
                return 400, {"code": 50035, "message": "Invalid Form Body", "errors": errors}, {}
            msg = self._message(0, data if kind == 4 else {"flags": data.get("flags", 0)})
            msg["interaction_token"] = token
            self.originals[token] = int(msg["id"])
            interaction["response_message_id"] = msg["id"]
            interaction["response_message_loading"] = kind == 5
            interaction["response_message_ephemeral"] = bool(data.get("flags", 0) & 64)
            resource["message"] = msg
        if kind == 8:
            return 204, None, {}
        return 200, {"interaction": interaction, "resource": resource}, {}

    def _execute_webhook(
        self, body: Any, query: Any, wid: str, token: str
    ) -> tuple[int, Any, dict]:
        if errors := validate_message(body):
            return 400, {"code": 50035, "message": "Invalid Form Body", "errors": errors}, {}
        channel = self.webhook_channels.get(int(wid), 0)
        if thread := query.get("thread_id"):
            starter = self.messages.get(int(thread))
            if starter is not None and "thread" not in starter:
                return 404, {"message": "Unknown Channel", "code": 10003}, {}
            channel = int(thread)
        msg = self._message(channel, body)
        msg["webhook_id"] = wid
        msg["interaction_token"] = token
        if query.get("wait") in ("true", "1", "True"):
            return 200, msg, {}
        return 204, None, {}

    def _edit_webhook(
        self, body: Any, query: Any, wid: str, token: str, mid: str
    ) -> tuple[int, Any, dict]:
        key = self.originals.get(token) if mid == "@original" else int(mid)
        msg = self.messages.get(key or 0)
        if msg is None:
            return 404, {"message": "Unknown Message", "code": 10008}, {}
        if errors := validate_message(body):
            return 400, {"code": 50035, "message": "Invalid Form Body", "errors": errors}, {}
        for k in ("content", "embeds", "components", "flags"):
            if k in body:
                msg[k] = body[k]
        msg["edited_timestamp"] = _now()
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

    def _sync_global(self, body: Any, query: Any, app: str) -> tuple[int, Any, dict]:
        return self._sync("global", app, None, body)

    def _sync_guild(self, body: Any, query: Any, app: str, guild: str) -> tuple[int, Any, dict]:
        return self._sync(guild, app, guild, body)

    def _sync(self, key: str, app: str, guild: str | None, body: Any) -> tuple[int, Any, dict]:
        out = []
        for cmd in body:
            echoed = {
                "id": str(next(self._ids)),
                "application_id": app,
                "version": "1",
                "default_member_permissions": None,
                "nsfw": False,
                **cmd,
            }
            if guild:
                echoed["guild_id"] = guild
            out.append(echoed)
        self.synced[key] = out
        return 200, out, {}

    def _message(self, channel: int, body: dict[str, Any]) -> dict[str, Any]:
        mid = next(self._ids)
        msg: dict[str, Any] = {
            "id": str(mid),
            "channel_id": str(channel),
            "author": body.get("author", BOT_USER),
            "content": body.get("content") or "",
            "timestamp": _now(),
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


def watchlist_show(channel: int) -> dict[str, Any]:
    """An INTERACTION_CREATE for `/watchlist show` in `channel`, as the gateway sends it."""
    return {
        "id": "800000000000000001",
        "application_id": str(APP_ID),
        "type": 2,
        "token": "gateway-token",
        "version": 1,
        "data": {
            "id": "1",
            "name": "watchlist",
            "type": 1,
            "options": [{"type": 1, "name": "show", "options": []}],
        },
        "guild_id": str(GUILD_ID),
        "channel_id": str(channel),
        "channel": {
            "id": str(channel),
            "type": 0,
            "name": "news",
            "guild_id": str(GUILD_ID),
            "position": 0,
        },
        "member": {
            "user": {"id": "1", "username": "reader", "discriminator": "0", "avatar": None},
            "roles": [],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": "0",
        },
        "app_permissions": "0",
        "locale": "en-US",
        "attachment_size_limit": 8388608,
        "entitlements": [],
        "authorizing_integration_owners": {},
        "context": 0,
    }


def validate_message(body: Any) -> dict[str, str]:
    """The limits Discord enforces on a message body; empty when the body is acceptable."""
    if not isinstance(body, dict):
        return {}
    errors: dict[str, str] = {}
    if len(body.get("content") or "") > 2000:
        errors["content"] = "Must be 2000 or fewer in length."
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        errors["embeds"] = "Must be 10 or fewer in length."
    total = 0
    for i, embed in enumerate(embeds):
        limits = {"title": 256, "description": 4096}
        for key, limit in limits.items():
            if len(embed.get(key) or "") > limit:
                errors[f"embeds.{i}.{key}"] = f"Must be {limit} or fewer in length."
        fields = embed.get("fields") or []
        if len(fields) > 25:
            errors[f"embeds.{i}.fields"] = "Must be 25 or fewer in length."
        for j, f in enumerate(fields):
            if not f.get("name") or len(f["name"]) > 256:
                errors[f"embeds.{i}.fields.{j}.name"] = "Must be between 1 and 256 in length."
            if not f.get("value") or len(f["value"]) > 1024:
                errors[f"embeds.{i}.fields.{j}.value"] = "Must be between 1 and 1024 in length."
        footer = (embed.get("footer") or {}).get("text") or ""
        if len(footer) > 2048:
            errors[f"embeds.{i}.footer.text"] = "Must be 2048 or fewer in length."
        total += len(embed.get("title") or "") + len(embed.get("description") or "")
        total += sum(len(f.get("name") or "") + len(f.get("value") or "") for f in fields)
        total += len(footer) + len((embed.get("author") or {}).get("name") or "")
    if total > 6000:
        errors["embeds"] = "Embed size exceeds maximum size of 6000"
    rows = body.get("components") or []
    if len(rows) > 5:
        errors["components"] = "Must be 5 or fewer in length."
    for row in rows:
        for comp in row.get("components", []):
            if len(comp.get("custom_id") or "") > 100:
                errors["components.custom_id"] = "Must be 100 or fewer in length."
            if len(comp.get("label") or "") > 80:
                errors["components.label"] = "Must be 80 or fewer in length."
    return errors


def _now() -> str:
    return datetime.now(UTC).isoformat()
