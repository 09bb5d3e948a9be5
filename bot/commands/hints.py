"""The bot's own pointers to its commands, each in the form the asker's platform takes: the
help a mention gets, the line under /watchlist's listing naming how to change it, and who counts
as an admin there (`admin_kinds`). The adapters only lay them out (Slack's listing line is a
context block)."""

from __future__ import annotations

from bot.commands.base import story_usage, watchlist_command
from bot.commands.topics import follow_usage


def _unfollow(platform: str) -> str:
    return "/unfollow topic:<topic>" if platform == "discord" else "/unfollow <topic>"


def mention_help(platform: str) -> str:
    """What a mention of the bot is answered with: what it does and its commands."""
    story = story_usage(platform, "<slug or words>")
    commands = [
        story,
        follow_usage(platform),
        _unfollow(platform),
        watchlist_command(platform),
        "/digest",
        "/feeds list",
    ]
    listed = ", ".join(f"`{c}`" for c in commands)
    # Discord's commands show their options as they are typed; Slack's are plain text.
    how = "" if platform == "discord" else " (each takes `help`)"
    return f"I post news digests. Commands{how}: {listed}."


def watchlist_hint(platform: str) -> str:
    """The line after /watchlist's listing: the changes most asked for, ready to type."""
    changes = [
        watchlist_command(platform, "schedule", "weekdays 09:00 Europe/Berlin"),
        watchlist_command(platform, "mode", "digest|instant"),
        watchlist_command(platform, "min-sources", "N"),
        follow_usage(platform),
        _unfollow(platform),
    ]
    return "Change it: " + " · ".join(f"`{c}`" for c in changes)


def admin_kinds(platform: str) -> str:
    """Who counts as an admin on `platform` (`CommandContext.is_admin`): its own kind only, as
    a Slack member has no use for Discord's permission names."""
    own = "members with Manage Server" if platform == "discord" else "workspace admins"
    return f"{own}, or the admin users and group the bot's config names"
