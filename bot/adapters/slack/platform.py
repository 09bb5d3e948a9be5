"""How `newsdigest run` starts Slack: the runner's platform hook (see bot.runner.platforms).

`bot.runner.platforms` imports `bot.adapters.slack:create_platform` when SLACK_BOT_TOKEN is set and
calls `await platform.start(service)`; `start_slack` is the same for other entry points.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.slack.app import SlackBot
from bot.adapters.slack.errors import start_error
from bot.adapters.slack.settings import SlackConfigError, SlackSettings

if TYPE_CHECKING:
    from bot.commands.core import Commands
    from bot.config import Config, Secrets
    from bot.delivery.adapter import AuthDeliveryError


class SlackPlatform:
    name = "slack"

    def __init__(self, settings: SlackSettings) -> None:
        self.settings = settings
        self.bot: SlackBot | None = None
        self.posts_with: Callable[[SlackAdapter], bool] | None = None

    async def start(self, service: Any) -> None:
        """Connect (auth.test, then Socket Mode or the HTTP listener), then hand the outbox our
        adapter. Commands go to `service.commands`, whose /digest enqueues through the outbox."""
        lost = getattr(service, "platform_lost", None)
        self.posts_with = getattr(service, "posts_with", None)
        back = getattr(service, "platform_reconnected", None)
        bot = SlackBot(
            service.commands,
            self.settings,
            on_change=getattr(service, "kick", None),
            on_auth_lost=(lambda reason: lost(self.name, reason)) if lost else None,
            on_reconnect=(lambda: back(self.name)) if back else None,
        )
        # Set before start: when start fails or is cancelled, the runner calls stop(), which must
        # find the half-started bot to close its listener or websocket.
        self.bot = bot
        await bot.start()
        service.register_adapter(bot.adapter)

    def start_error(self, exc: BaseException) -> AuthDeliveryError | None:
        """A failed start's token refusal, which the runner does not retry (`errors.start_error`);
        None for anything else."""
        return start_error(exc)

    def connection_problem(self) -> tuple[datetime, str] | None:
        """(since when, what) while Socket Mode has been disconnected for more than a moment;
        None in HTTP mode, where Slack calls us and there is no connection to lose."""
        socket = self.bot.socket if self.bot is not None else None
        return socket.problem() if socket is not None else None

    async def stop(self, deadline: float | None = None) -> None:
        if self.bot is not None:
            bot, self.bot = self.bot, None
            # Stopped mid-run (its app token refused) while the outbox goes on posting with the
            # adapter (its bot token works): the overflow waiting out a rate limit is the
            # runner's to finish at shutdown (`finish_background`), not to give up now.
            kept = deadline is None and self.posts_with is not None and self.posts_with(bot.adapter)
            await bot.stop(deadline, finish_overflow=not kept)


def create_platform(
    config: Config, secrets: Secrets, env: Mapping[str, str] | None = None
) -> SlackPlatform:
    """The runner's factory. Tokens come from `secrets`; SLACK_MODE, SLACK_API_URL, PORT and
    SLACK_HOST from the environment."""
    merged = dict(os.environ if env is None else env)
    for name, value in (
        ("SLACK_BOT_TOKEN", secrets.slack_bot_token),
        ("SLACK_APP_TOKEN", secrets.slack_app_token),
        ("SLACK_SIGNING_SECRET", secrets.slack_signing_secret),
    ):
        if value:
            merged[name] = value
    settings = SlackSettings.from_env(merged)
    if settings is None:
        raise SlackConfigError("SLACK_BOT_TOKEN is not set")
    return SlackPlatform(settings)


async def start_slack(
    commands: Commands,
    settings: SlackSettings | None = None,
    *,
    env: Mapping[str, str] | None = None,
) -> SlackBot | None:
    """Start Slack if SLACK_BOT_TOKEN is set (None otherwise). `bot.adapter` is the ChatAdapter
    for an outbox; `await bot.stop()` shuts it down."""
    settings = settings or SlackSettings.from_env(env)
    if settings is None:
        return None
    bot = SlackBot(commands, settings)
    await bot.start()
    return bot
