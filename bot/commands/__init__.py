"""Platform-neutral chat commands (see core.py; /story in story.py, /follow in topics.py,
/watchlist in watchlist.py) and schedule parsing."""

from bot.commands.core import USAGE, CommandContext, Commands, Reply

__all__ = ["USAGE", "CommandContext", "Commands", "Reply"]
