"""Whether the bot may sign up the channel an interaction came from: Discord says what the bot
may do there (`Interaction.app_permissions`), so a command that would sign the channel up for
digests is refused at once, saying why, rather than saved and failing at the first digest (which
pauses the channel). Slack's adapter asks the same of Slack (`bot.adapters.slack.direct_messages`).

A thread is refused too. Signed up as a channel of its own, it would get digests until Discord
archives it (after days without messages), then fail and be paused, and its members would expect
the command to be about the channel they see it in. Taking the thread's parent instead would
change a channel from inside a thread, out of sight of the people reading that channel; so the
reply names the parent, where the command does what was meant.

Also whether the bot may read a channel's history (`history_hidden`), which the lookups for a
post whose answer was lost need: worked out from the guild cache, as no interaction is there.
A new gateway session empties that cache at READY, which names each server unavailable until its
GUILD_CREATE comes: a channel not found then may be one of theirs, so the lookup cannot check
yet (`GuildsPending`) and the row is checked again shortly, rather than its history read as
before, where an empty one, the permission missing, would be taken for "not posted". Only in
the session's first `READY_WINDOW` seconds: a server still unavailable after that is Discord's
outage of it, which may last for hours, and one such server must not hold back channels of
every other (or of no server the bot is in, a webhook channel's usual case, or a deleted one).
A webhook channel's lookup never waits: it resends when it cannot tell (`post_lookup`).
"""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import Callable
from typing import Any

import discord

from bot.adapters.discord.errors import HistoryHidden
from bot.delivery.adapter import DeferredDeliveryError

# How long a lookup waits for the servers READY named to come in (GUILD_CREATE follows READY
# within seconds; discord.py itself waits 2 s for each before it says it is ready).
GUILDS_WAIT = 5.0

# How long after a gateway session's READY a channel the cache lacks may be one of a server
# still coming in. GUILD_CREATEs follow within seconds; later, an unavailable server is down.
READY_WINDOW = 60.0

# Monotonic seconds, a module attribute so tests can move time on.
_clock: Callable[[], float] = time.monotonic

# Per client: the gateway session seen last and when it started (READY, from `note_ready`, or
# the first lookup that saw the session, for a client that does not call it).
_sessions: weakref.WeakKeyDictionary[discord.Client, tuple[str | None, float]] = (
    weakref.WeakKeyDictionary()
)

# What a channel's posts need: to see the channel, send a message and show a card (an embed).
_NEEDED = (
    ("view_channel", "View Channel"),
    ("send_messages", "Send Messages"),
    ("embed_links", "Embed Links"),
)


log = logging.getLogger(__name__)


def cannot_post(interaction: discord.Interaction[Any]) -> str:
    """Why the bot cannot take `interaction`'s channel as one to post digests in; "" if it can."""
    channel = interaction.channel
    if isinstance(channel, discord.Thread):
        parent = f"<#{channel.parent_id}>" if channel.parent_id else "the channel it is in"
        return (
            "This is a thread, which Discord archives after a while without messages, so I do "
            f"not post digests in threads. Run the command in {parent} instead."
        )
    allowed = interaction.app_permissions
    if allowed.administrator:
        # Discord grants it every permission in every channel, whatever the other bits say.
        return ""
    missing = [name for flag, name in _NEEDED if not getattr(allowed, flag)]
    if not missing:
        return ""
    several = len(missing) > 1
    return (
        f"I cannot post in this channel: I need the {_listed(missing)} "
        f"permission{'s' if several else ''} here. Ask a server admin to grant "
        f"{'them' if several else 'it'} to me (or my role) in this channel's settings, then try "
        "again."
    )


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class GuildsPending(DeferredDeliveryError):
    """The guild cache may not hold the channel yet: a server READY named is still unavailable
    within `READY_WINDOW` of READY (its GUILD_CREATE not in yet). Whether the bot may read the
    channel's history cannot be told yet; the row is checked again after `GUILDS_WAIT`, using
    no attempt."""


def note_ready(client: discord.Client) -> None:
    """Record that `client`'s gateway session became ready now (its `on_ready`)."""
    _sessions[client] = (_session_id(client), _clock())


def _session_id(client: discord.Client) -> str | None:
    ws = getattr(client, "ws", None)
    return getattr(ws, "session_id", None)


def _starting(client: discord.Client) -> bool:
    """Whether `client`'s gateway session began less than `READY_WINDOW` ago."""
    session = _session_id(client)
    seen = _sessions.get(client)
    if seen is None or seen[0] != session:
        seen = _sessions[client] = (session, _clock())
    return _clock() - seen[1] < READY_WINDOW


def history_hidden(client: discord.Client, channel_id: int, *, webhook: bool = False) -> bool:
    """Whether the bot sees `channel_id` but may not read its history (no Read Message History):
    Discord then answers history with no messages rather than an error. Worked out from the
    guild cache the `guilds` intent fills (the server's roles, the bot's roles, the channel's
    overwrites; Administrator and the server's owner may do everything), as discord.py's
    `permissions_for` does. Raises `GuildsPending` for a channel the cache does not hold while a
    server is unavailable, in the session's first `READY_WINDOW` seconds and not for a
    `webhook` channel's lookup (which resends when it cannot tell). False when the cache cannot
    tell otherwise (no gateway at all, a channel of no server it holds: a server the bot is not
    in): history is read as before.
    False too without View Channel, which Discord refuses history for (403), an answer the
    lookups already take as such."""
    found = client.get_channel(channel_id)
    if (
        found is None
        and not webhook
        and (pending := sum(guild.unavailable for guild in client.guilds))
        and _starting(client)
    ):
        raise GuildsPending(
            f"cannot check channel {channel_id} yet: {pending} of the bot's servers have not "
            "come in since the gateway's new session (no GUILD_CREATE yet), and the channel may "
            "be in one",
            retry_after=GUILDS_WAIT,
        )
    if not isinstance(found, discord.abc.GuildChannel):
        return False
    me = found.guild.me
    if me is None:
        return False
    allowed = found.permissions_for(me)
    return allowed.view_channel and not allowed.read_message_history


def may_look(
    client: discord.Client, key: str, channel_id: int, what: str, *, webhook: bool
) -> bool:
    """Whether a lookup for a `what` that may have landed in `channel_id` (the channel `key`) can
    read its history (`history_hidden`). False, logged, for a webhook channel's lookup, whose
    post is then sent again as in a server the bot is not in; `HistoryHidden` for the bot's own
    channel, where sending again could post it twice."""
    if not history_hidden(client, channel_id, webhook=webhook):
        return True
    if webhook:
        log.warning(
            "%s: the bot lacks Read Message History in the webhook's channel, so it cannot "
            "look for a %s that may have been posted; it is resent and may show twice",
            key,
            what,
        )
        return False
    raise HistoryHidden(
        f"{key}: cannot check whether a {what} was posted: the bot lacks Read Message History "
        "in this channel (grant it to the bot's role in the channel's settings)"
    )
