"""Discord: embeds for story cards, application commands and buttons on discord.py, delivery by
the bot or by channel webhooks. `newsdigest run` starts it through `create_platform` when
DISCORD_TOKEN is set (see bot.runner.platforms); setup is in the "Discord" section of docs/CHAT.md.
Whether the bot's gateway is connected, for /healthz and for retrying queued posts when it is
back, is `gateway_watch`'s (on `bot.adapters.connection_watch`); a gateway the network keeps
out of reach is said in one line naming it, not discord.py's traceback, by `gateway_reach`.
"""

from bot.adapters.discord.adapter import DiscordAdapter, DiscordBotAdapter
from bot.adapters.discord.webhook import DiscordWebhookAdapter

__all__ = [
    "DiscordAdapter",
    "DiscordBot",
    "DiscordBotAdapter",
    "DiscordPlatform",
    "DiscordWebhookAdapter",
    "create_platform",
]


def __getattr__(name: str) -> object:
    # The client pulls in the command core; importing it lazily keeps the adapters light.
    if name in ("DiscordBot", "DiscordPlatform", "create_platform"):
        from bot.adapters.discord import bot

        return getattr(bot, name)
    raise AttributeError(name)
