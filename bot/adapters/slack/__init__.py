"""Slack: Block Kit cards, slash commands and buttons on slack-bolt (Socket Mode or HTTP).

`newsdigest run` starts it through `create_platform` (the runner's hook, used when
SLACK_BOT_TOKEN is set); the "Slack" section of README.md has the setup.
"""

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
    # The bolt app is imported on first use, so `SlackAdapter` alone stays light.
    if name in ("create_platform", "start_slack", "SlackPlatform"):
        from bot.adapters.slack import platform

        return getattr(platform, name)
    if name == "SlackBot":
        from bot.adapters.slack import app

        return app.SlackBot
    raise AttributeError(name)
