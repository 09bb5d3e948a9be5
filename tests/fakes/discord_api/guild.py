"""The fake's one server as permissions go (`FakeGuild`): its @everyone and other roles, the
bot's roles, each channel's permission overwrites; what the bot may do in a channel, worked out as
Discord does, and the GUILD_CREATE the gateway sends for it. A fake with no `FakeGuild` lets the
bot do everything and sends no server, as before this model existed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fakes.discord_api.answers import BOT_USER, GUILD_ID

ADMINISTRATOR = 1 << 3
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
READ_MESSAGE_HISTORY = 1 << 16
ALL = (1 << 51) - 1
# What a channel's posts need, and Read Message History for the lookups.
POSTING = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY
OWNER_ID = 900000000000000009


@dataclass
class FakeGuild:
    """`everyone`: the @everyone role's permissions; `roles`: other roles' (id -> bits), of
    which the bot holds `bot_roles`; `overwrites`: channel id -> its overwrites as Discord sends
    them (`{"id", "type": 0 role | 1 member, "allow", "deny"}`, bits as strings)."""

    channels: list[int]
    everyone: int = POSTING
    roles: dict[int, int] = field(default_factory=dict)
    bot_roles: list[int] = field(default_factory=list)
    overwrites: dict[int, list[dict[str, Any]]] = field(default_factory=dict)

    def deny(self, channel: int, bits: int, *, target: int = GUILD_ID, kind: int = 0) -> None:
        """An overwrite in `channel` denying `bits` to `target` (@everyone by default)."""
        self.overwrites.setdefault(channel, []).append(
            {"id": str(target), "type": kind, "allow": "0", "deny": str(bits)}
        )

    def allow(self, channel: int, bits: int, *, target: int = GUILD_ID, kind: int = 0) -> None:
        self.overwrites.setdefault(channel, []).append(
            {"id": str(target), "type": kind, "allow": str(bits), "deny": "0"}
        )

    def permissions(self, channel: int) -> int:
        """The bot's permissions in `channel`, in Discord's documented order: @everyone and its
        roles, Administrator (everything), then the channel's @everyone overwrite, its roles'
        overwrites together, and the bot's own."""
        base = self.everyone
        for role in self.bot_roles:
            base |= self.roles.get(role, 0)
        if base & ADMINISTRATOR:
            return ALL
        found = {(int(o["id"]), int(o["type"])): o for o in self.overwrites.get(channel, [])}

        def apply(bits: int, overwrite: dict[str, Any] | None) -> int:
            if overwrite is None:
                return bits
            return (bits & ~int(overwrite["deny"])) | int(overwrite["allow"])

        base = apply(base, found.get((GUILD_ID, 0)))
        allow = deny = 0
        for role in self.bot_roles:
            if (overwrite := found.get((role, 0))) is not None:
                allow |= int(overwrite["allow"])
                deny |= int(overwrite["deny"])
        base = (base & ~deny) | allow
        return apply(base, found.get((int(BOT_USER["id"]), 1)))

    def guild_create(self) -> dict[str, Any]:
        """The GUILD_CREATE the gateway sends after READY: without the members intent its
        members are the bot's own alone."""
        roles = [_role(GUILD_ID, "@everyone", self.everyone, 0)]
        roles += [
            _role(rid, f"role{n}", bits, n + 1) for n, (rid, bits) in enumerate(self.roles.items())
        ]
        channels = [
            {
                "id": str(cid),
                "type": 0,
                "guild_id": str(GUILD_ID),
                "name": f"news{n}",
                "position": n,
                "permission_overwrites": self.overwrites.get(cid, []),
                "nsfw": False,
                "parent_id": None,
            }
            for n, cid in enumerate(self.channels)
        ]
        me = {
            "user": BOT_USER,
            "roles": [str(r) for r in self.bot_roles],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
        }
        return {
            "id": str(GUILD_ID),
            "name": "fake server",
            "icon": None,
            "owner_id": str(OWNER_ID),
            "roles": roles,
            "channels": channels,
            "threads": [],
            "members": [me],
            "member_count": 2,
            "emojis": [],
            "stickers": [],
            "features": [],
            "unavailable": False,
            "large": False,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "joined_at": "2024-01-01T00:00:00+00:00",
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "system_channel_flags": 0,
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
        }


def _role(role_id: int, name: str, bits: int, position: int) -> dict[str, Any]:
    return {
        "id": str(role_id),
        "name": name,
        "permissions": str(bits),
        "position": position,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }
