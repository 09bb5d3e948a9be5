"""How chat platforms plug into the running service.

A platform is started by `newsdigest run` when its environment variable is set (Discord also
when a Discord channel in the config has a `webhook_url`, for webhook-only delivery):

    SLACK_BOT_TOKEN  ->  bot.adapters.slack:create_platform
    DISCORD_TOKEN    ->  bot.adapters.discord:create_platform

The factory is called as `create_platform(config, secrets)` and returns an object with:

    name: str                                   # "slack", "discord"; used in logs and /healthz
    async def start(self, service) -> None      # connect, then service.register_adapter(adapter)
    async def stop(self) -> None                # disconnect; called on shutdown, at most once

`start` must return once the platform is connected (run socket-mode / gateway loops as tasks it
owns); an exception from it is logged and shown in /healthz, and the rest of the bot keeps running.
Inside `start` a platform typically:

- registers its `ChatAdapter` with `service.register_adapter(adapter)`; from then on the outbox
  posts that platform's channels (`adapter.platform` must equal `channels.platform`);
- routes slash commands to `await service.commands.dispatch(command, args, ctx)`: `/digest` is
  already wired to enqueue through the outbox (`service.post_digest(channel)`);
- may call `service.kick()` after changing a channel, so new rows go out without waiting.

Tests and other entry points can register more with `register_platform(env_var, factory)`.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from bot.config import Config, Secrets

if TYPE_CHECKING:
    from bot.runner.service import Service

log = logging.getLogger(__name__)


class Platform(Protocol):
    name: str

    async def start(self, service: Service) -> None: ...

    async def stop(self) -> None: ...


PlatformFactory = Callable[[Config, Secrets], Platform]

# env var -> "module:function" (imported only when the variable is set) or a factory.
PLATFORM_FACTORIES: dict[str, str | PlatformFactory] = {
    "SLACK_BOT_TOKEN": "bot.adapters.slack:create_platform",
    "DISCORD_TOKEN": "bot.adapters.discord:create_platform",
}


def _discord_webhooks_configured(config: Config) -> bool:
    return any(c.platform == "discord" and c.webhook_url for c in config.channels)


# A platform may also be wanted without its token: Discord channels configured with a webhook URL
# are posted to over plain HTTPS, with no gateway connection.
PLATFORM_WANTED_WITHOUT_TOKEN: dict[str, Callable[[Config], bool]] = {
    "DISCORD_TOKEN": _discord_webhooks_configured,
}


def register_platform(env_var: str, factory: str | PlatformFactory) -> None:
    PLATFORM_FACTORIES[env_var] = factory


def _resolve(target: str | PlatformFactory) -> PlatformFactory:
    if callable(target):
        return target
    module_name, _, attr = target.partition(":")
    factory: Any = getattr(importlib.import_module(module_name), attr)
    return factory  # type: ignore[no-any-return]


def configured_platforms(
    config: Config, env: Mapping[str, str]
) -> tuple[list[Platform], dict[str, str]]:
    """The platforms whose variable is set, and an error per platform that could not be built."""
    secrets = Secrets.from_env(dict(env))
    platforms: list[Platform] = []
    errors: dict[str, str] = {}
    for env_var, target in PLATFORM_FACTORIES.items():
        wanted = PLATFORM_WANTED_WITHOUT_TOKEN.get(env_var)
        if not env.get(env_var) and not (wanted and wanted(config)):
            continue
        try:
            platforms.append(_resolve(target)(config, secrets))
        except Exception as exc:
            log.exception("could not set up the platform for %s", env_var)
            errors[env_var] = f"{type(exc).__name__}: {exc}"
    return platforms, errors
