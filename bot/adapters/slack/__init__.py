"""Slack: Block Kit cards, slash commands and buttons on slack-bolt (Socket Mode or HTTP).

`start_slack(commands)` starts it when SLACK_BOT_TOKEN is set; see docs/slack.md for setup.
"""

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.slack.settings import SlackConfigError, SlackSettings

__all__ = ["SlackAdapter", "SlackConfigError", "SlackSettings", "start_slack"]


def __getattr__(name: str) -> object:
    # The bolt app pulls in the command core; importing it lazily keeps `SlackAdapter` light.
    if name in ("start_slack", "SlackBot"):
        from bot.adapters.slack import app

        return getattr(app, name)
    raise AttributeError(name)
