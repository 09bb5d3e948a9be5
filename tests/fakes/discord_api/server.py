"""`FakeDiscord`: the fake REST API served on 127.0.0.1 (and its gateway), what it records, and
the answers a test queues (`fail_next`, `garble_next`, `hang_next`, `rate_limit_next`,
`spend_bucket_next`, `revoke_token`, `hold_next`) and `heal`, which drops the error answers still queued. The handlers are its
mixins' (`messages`, `gateway`, `interactions`)."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from fakes.discord_api.answers import BOT_USER, HTML_PAGE, Failure, Garble, Recorded
from fakes.discord_api.gateway import Gateway
from fakes.discord_api.guild import FakeGuild
from fakes.discord_api.interactions import Interactions
from fakes.discord_api.messages import Messages
from fakes.gate import Gate


@dataclass
class FakeDiscord(Messages, Gateway, Interactions):
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
    _failures: list[Failure] = field(default_factory=list)
    _garbles: list[Garble] = field(default_factory=list)
    # (method, path, headers): the next matching success carries the headers too.
    _spent: list[tuple[str, re.Pattern[str], dict[str, str]]] = field(default_factory=list)
    _closing: asyncio.Event = field(default_factory=asyncio.Event)
    # (method, path): the gate the next matching request waits at, unanswered (`hold_next`).
    _gates: list[tuple[str, re.Pattern[str], Gate]] = field(default_factory=list)
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
    # The server's roles and overwrites (`guild.FakeGuild`): None lets the bot do everything.
    guild: FakeGuild | None = None
    # READY names the server, but its GUILD_CREATE waits for `release_guild` (a slow one).
    guild_held: bool = False
    # The app has the privileged Message Content intent: history shows every message whole.
    # Off, as the README has it, history blanks the text of messages the app did not send.
    message_content: bool = False

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
        after: int = 0,
    ) -> None:
        """`landed=True`: the request is carried out and only then answered with the error;
        `after`: that many matching requests are answered as usual first."""
        self._failures.append(
            Failure(method, re.compile(path), status, body, headers or {}, times, landed, after)
        )

    def heal(self) -> None:
        """Drop the error answers still queued by `fail_next`: Discord is healthy again."""
        self._failures.clear()

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
            Garble(
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

    def spend_bucket_next(self, method: str, path: str, *, reset_after: float) -> None:
        """The next matching request succeeds and says its rate-limit bucket is spent: no
        request left for `reset_after` seconds (X-RateLimit-Remaining 0)."""
        headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": str(reset_after)}
        self._spent.append((method, re.compile(path), headers))

    def revoke_token(self, *, rest: bool = True, gateway: bool = True) -> None:
        self.rest_token_revoked = rest
        self.gateway_token_revoked = gateway

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

    def hold_next(self, method: str, path: str) -> Gate:
        """The next request matching is held, unanswered, until the gate returned is opened."""
        gate = Gate()
        self._gates.append((method, re.compile(path), gate))
        return gate

    def calls(self, method: str, path: str) -> list[Recorded]:
        pattern = re.compile(path)
        return [r for r in self.requests if r.method == method and pattern.fullmatch(r.path)]

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
        for index, (verb, pattern, gate) in enumerate(self._gates):
            if verb == request.method and pattern.fullmatch(path):
                del self._gates[index]
                await gate.through()
                break
        if self.rest_token_revoked and request.headers.get("Authorization", "").startswith("Bot "):
            status, answer, headers = 401, {"message": "401: Unauthorized", "code": 0}, {}
        elif garble := self._garble_for(request.method, path):
            return await self._garbled(garble, request.method, path, query, body)
        else:
            status, answer, headers = self._answer(request.method, path, query, body)
            if 200 <= status < 300:
                headers = {**headers, **self._spent_headers(request.method, path)}
        self.requests.append(Recorded(request.method, path, query, body, status))
        if status == 204:
            return web.Response(status=204, headers=headers)
        # Exactly "application/json", no charset: discord.py decodes JSON only on an exact match.
        headers = {**headers, "Content-Type": "application/json"}
        return web.Response(body=json.dumps(answer).encode(), status=status, headers=headers)

    def _spent_headers(self, method: str, path: str) -> dict[str, str]:
        for index, (verb, pattern, headers) in enumerate(self._spent):
            if verb == method and pattern.fullmatch(path):
                del self._spent[index]
                return headers
        return {}

    def _garble_for(self, method: str, path: str) -> Garble | None:
        for garble in self._garbles:
            if garble.times > 0 and garble.method == method and garble.pattern.fullmatch(path):
                return garble
        return None

    async def _garbled(
        self, garble: Garble, method: str, path: str, query: dict[str, str], body: Any
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

    def _answer(
        self, method: str, path: str, query: dict[str, str], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        for failure in self._failures:
            if failure.times > 0 and failure.method == method and failure.pattern.fullmatch(path):
                if failure.after > 0:
                    failure.after -= 1
                    break
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
            ("GET", r"/channels/(\d+)", self._get_channel),
            ("GET", r"/channels/(\d+)/messages", self._history),
            ("PATCH", r"/channels/(\d+)/messages/(\d+)", self._edit_message),
            ("DELETE", r"/channels/(\d+)/messages/(\d+)", self._delete_message),
            ("POST", r"/channels/(\d+)/messages/(\d+)/threads", self._start_thread),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", self._callback),
            ("POST", r"/webhooks/(\d+)/([^/]+)", self._execute_webhook),
            ("GET", r"/webhooks/(\d+)/([^/]+)", self._get_webhook),
            ("GET", r"/webhooks/(\d+)/([^/]+)/messages/(\d+)", self._get_webhook_message),
            ("PATCH", r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", self._edit_webhook),
            ("DELETE", r"/webhooks/(\d+)/([^/]+)/messages/(@original|\d+)", self._delete_webhook),
            ("PUT", r"/applications/(\d+)/commands", self._sync_global),
            ("PUT", r"/applications/(\d+)/guilds/(\d+)/commands", self._sync_guild),
        ]
