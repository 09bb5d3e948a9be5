"""Slack: Block Kit cards, slash commands and buttons on slack-bolt (Socket Mode or HTTP).

`newsdigest run` starts it through `create_platform` (the runner's hook, used when
SLACK_BOT_TOKEN is set); the "Slack" section of docs/CHAT.md has the setup. In Socket Mode,
`socket_watch` follows the connection (on `bot.adapters.connection_watch`): down past a
reconnect's moment it is one WARNING and `/healthz`'s `disconnected`, and its return retries the
queued posts at once.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.adapters.slack.adapter import SlackAdapter
    from bot.adapters.slack.settings import SlackConfigError, SlackSettings

__all__ = [
    "SlackAdapter",
    "SlackBot",
    "SlackConfigError",
    "SlackSettings",
    "create_platform",
    "start_slack",
]


def __getattr__(name: str) -> object:
    # Everything is imported on first use: `bot.adapters.slack.auth` stays importable without
    # slack-sdk, and `SlackAdapter` alone without the bolt app.
    if name == "SlackAdapter":
        from bot.adapters.slack import adapter

        return adapter.SlackAdapter
    if name in ("SlackConfigError", "SlackSettings"):
        from bot.adapters.slack import settings

        return getattr(settings, name)
    if name in ("create_platform", "start_slack", "SlackPlatform"):
        from bot.adapters.slack import platform

        return getattr(platform, name)
    if name == "SlackBot":
        from bot.adapters.slack import app

        return app.SlackBot
    raise AttributeError(name)
