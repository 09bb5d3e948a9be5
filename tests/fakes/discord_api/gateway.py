"""The fake's gateway: just enough to connect, identify, be ready (with the fake's server, when
it has one: `guild.FakeGuild`, its GUILD_CREATE held back with `guild_held` until
`release_guild`), resume and receive events, and to drop, refuse (`gateway_down`) or close at
IDENTIFY (`close_at_identify`). `ready_once_all_in` spares a client on it discord.py's 2 s wait
for more servers after READY."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp import web
from loopback_site.child_shortcuts import ready_once_all_in as ready_patches

from fakes.discord_api.answers import APP_ID, BOT_USER, GUILD_ID
from fakes.discord_api.guild import FakeGuild


class Gateway:
    """Mixed into `FakeDiscord`, whose fields it uses."""

    _sockets: list[web.WebSocketResponse]
    _seq: int
    gateway_url: str
    identified: list[dict[str, Any]]
    gateway_token_revoked: bool
    identify_close_code: int | None
    gateway_down: bool
    resumed: int
    guild: FakeGuild | None
    guild_held: bool

    def close_at_identify(self, code: int | None) -> None:
        self.identify_close_code = code

    async def drop_gateway(self, code: int = 4000) -> None:
        """Close every gateway websocket with `code` (4000: a drop discord.py resumes from)."""
        for ws in list(self._sockets):
            await ws.close(code=code)

    async def release_guild(self) -> None:
        """Send the GUILD_CREATE `guild_held` held back, and no longer hold it."""
        self.guild_held = False
        if self.guild is not None:
            await self.push("GUILD_CREATE", self.guild.guild_create())

    async def push(self, event: str, data: Any) -> None:
        """Send a gateway event (e.g. INTERACTION_CREATE) to every connected client."""
        for ws in list(self._sockets):
            await self._dispatch(ws, event, data)

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
                    # The server comes in a GUILD_CREATE of its own, as Discord sends it.
                    "guilds": []
                    if self.guild is None
                    else [{"id": str(GUILD_ID), "unavailable": True}],
                    "session_id": "fake-session",
                    "resume_gateway_url": self.gateway_url,
                    "application": {"id": str(APP_ID), "flags": 0},
                }
                await self._dispatch(ws, "READY", ready)
                if self.guild is not None and not self.guild_held:
                    await self._dispatch(ws, "GUILD_CREATE", self.guild.guild_create())
            elif frame["op"] == 6:
                self.resumed += 1
                await self._dispatch(ws, "RESUMED", {})
        self._sockets.remove(ws)
        return ws

    async def _dispatch(self, ws: web.WebSocketResponse, event: str, data: Any) -> None:
        self._seq += 1
        await ws.send_json({"op": 0, "s": self._seq, "t": event, "d": data})

    def _gateway(self, body: Any, query: Any) -> tuple[int, Any, dict[str, str]]:
        return 200, {"url": "wss://127.0.0.1:1", "shards": 1}, {}


def ready_once_all_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """discord.py's client ready as soon as every server READY named has come in, not 2 s after
    the last one (`loopback_site.child_shortcuts.ready_once_all_in`), for this test."""
    for owner, name, replacement in ready_patches():
        monkeypatch.setattr(owner, name, replacement)
