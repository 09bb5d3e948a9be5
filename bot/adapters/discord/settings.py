"""Where Discord is, from the environment: DISCORD_API_URL (the REST API: the bot's posts and
edits, command sync, and channel webhooks, whose requests go to the same API) and
DISCORD_GATEWAY_URL (the bot's websocket), for a proxy or a test server, as SLACK_API_URL is
Slack's. Unset, discord.py's own addresses are used.

discord.py keeps both as class attributes (`http.Route.BASE`, `DiscordWebSocket.DEFAULT_GATEWAY`),
so `apply` sets them for the process: one process serves one Discord, as it has one token. Only a
variable that is set is applied; unset, whatever the process has is left alone.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import discord
import yarl

from bot.config import PlatformConfigError

DEFAULT_API_URL = "https://discord.com/api/v10"
DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg/"


class DiscordConfigError(PlatformConfigError):
    """A Discord address in the environment is not one; the message names the variable."""


@dataclass(frozen=True, slots=True)
class DiscordEndpoints:
    api_url: str | None = None
    gateway_url: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> DiscordEndpoints:
        env = os.environ if env is None else env
        api = (env.get("DISCORD_API_URL") or "").strip()
        gateway = (env.get("DISCORD_GATEWAY_URL") or "").strip()
        if api:
            _check(api, "DISCORD_API_URL", ("http", "https"), DEFAULT_API_URL)
        if gateway:
            _check(gateway, "DISCORD_GATEWAY_URL", ("ws", "wss"), DEFAULT_GATEWAY_URL)
        # discord.py appends each route's path ("/channels/…") to the base: no trailing slash.
        return cls(api_url=api.rstrip("/") or None, gateway_url=gateway or None)

    def apply(self) -> None:
        """Point discord.py at the addresses given."""
        if self.api_url is not None:
            discord.http.Route.BASE = self.api_url
        if self.gateway_url is not None:
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)


def _check(url: str, name: str, schemes: tuple[str, ...], default: str) -> None:
    try:
        parsed = yarl.URL(url)
        host = parsed.host
    except ValueError:  # not a URL at all ("http://[::1")
        host = None
    if not host or parsed.scheme not in schemes:
        wanted = " or ".join(f"{s}://" for s in schemes)
        raise DiscordConfigError(f"{name} must be a {wanted} URL such as {default}, got {url!r}")
