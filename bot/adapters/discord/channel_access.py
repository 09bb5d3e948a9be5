"""Whether the bot may sign up the channel an interaction came from: Discord says what the bot
may do there (`Interaction.app_permissions`), so a command that would sign the channel up for
digests is refused at once, saying why, rather than saved and failing at the first digest (which
pauses the channel). Slack's adapter asks the same of Slack (`bot.adapters.slack.direct_messages`).

A thread is refused too. Signed up as a channel of its own, it would get digests until Discord
archives it (after days without messages), then fail and be paused, and its members would expect
the command to be about the channel they see it in. Taking the thread's parent instead would
change a channel from inside a thread, out of sight of the people reading that channel; so the
reply names the parent, where the command does what was meant.
"""

from __future__ import annotations

from typing import Any

import discord

# What a channel's posts need: to see the channel, send a message and show a card (an embed).
_NEEDED = (
    ("view_channel", "View Channel"),
    ("send_messages", "Send Messages"),
    ("embed_links", "Embed Links"),
)


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
