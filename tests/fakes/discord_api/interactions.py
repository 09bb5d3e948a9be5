"""The fake's application: its own record, interaction callbacks with their `@original` messages,
and command syncs; and an INTERACTION_CREATE as the gateway sends one (`watchlist_show`)."""

from __future__ import annotations

import itertools
from typing import Any

from fakes.discord_api.answers import APP_ID, BOT_USER, GUILD_ID
from fakes.discord_api.limits import (
    choices_errors,
    invalid_form,
    modal_errors,
    refusal,
    validate_message,
)


class Interactions:
    """Mixed into `FakeDiscord`, whose fields it uses, and its `Messages._message`."""

    originals: dict[str, int]
    synced: dict[str, list[dict[str, Any]]]
    _ids: itertools.count[int]

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

    def _callback(self, body: Any, query: Any, iid: str, token: str) -> tuple[int, Any, dict]:
        kind = body.get("type")
        data = body.get("data") or {}
        interaction: dict[str, Any] = {"id": iid, "type": 2}
        resource: dict[str, Any] = {"type": kind}
        if kind == 4 and (refused := refusal(data)):
            return 400, refused, {}
        # An update of the clicked message (7) may change only some of it; the rest is kept.
        checks = {7: validate_message, 8: choices_errors, 9: modal_errors}
        if kind in checks and (errors := checks[kind](data)):
            # The answer's own errors sit under "data" (`choices_errors`, `modal_errors`).
            return 400, invalid_form(errors if kind != 7 else _under_data(errors)), {}
        if kind in (4, 5):
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


def _under_data(errors: dict[str, str]) -> dict[str, str]:
    return {f"data.{key}": value for key, value in errors.items()}


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
        # View Channel, Send Messages and Embed Links: what a channel's posts need.
        "app_permissions": str((1 << 10) | (1 << 11) | (1 << 14)),
        "locale": "en-US",
        "attachment_size_limit": 8388608,
        "entitlements": [],
        "authorizing_integration_owners": {},
        "context": 0,
    }
