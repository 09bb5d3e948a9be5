"""How chat platforms plug into the running service.

A platform is started by `newsdigest run` when its environment variable is set (Discord also
when a Discord channel in the config has a `webhook_url`, for webhook-only delivery):

    SLACK_BOT_TOKEN  ->  bot.adapters.slack:create_platform
    DISCORD_TOKEN    ->  bot.adapters.discord:create_platform

The factory is called as `create_platform(config, secrets)` and returns an object with:

    name: str                                   # "slack", "discord"; used in logs and /healthz
    async def start(self, service) -> None      # connect, then service.register_adapter(adapter)
    async def stop(self) -> None                # disconnect; may take `deadline=None` (below)

`stop`'s `deadline` is optional: a platform whose stop takes none (`async def stop(self)`, the
interface before it) is called without. When given (at shutdown), it is the event loop's time
(`loop.time()`) by which the stop must be done: the runner cancels it then, so work it may cut
short (Slack's overflow waiting out a rate limit) is given what is left and ended in time,
logged, not cut off by the cancel. Mid-run stops (below) pass no deadline.
`start` must return once the platform is connected (run socket-mode / gateway loops as tasks it
owns); an exception from it is logged and shown in /healthz, and the rest of the bot keeps running.
A failed start is retried in the background with capped exponential backoff
(`bot.runner.starter.PlatformStarter`), unless the error is an authentication failure (invalid or
revoked token) or a setting to change, which no retry fixes. The runner knows no chat library's
exceptions: `start` raises an `AuthDeliveryError` or a `FatalPlatformError` itself, or the
platform has an optional hook that reads its own library's errors (Slack's and Discord's do):

    def start_error(self, exc) -> AuthDeliveryError | FatalPlatformError | None

returning the error not to retry, its message naming the variable to change, or None to retry.
After a failed attempt `stop()` is called, so the next `start` begins from a clean slate.
A token refused once the platform runs (revoked mid-run) is fatal the same way: the platform calls
`service.platform_lost(name, reason)` (the outbox does too, for a send refused that way), and it
is stopped for the rest of the run and shown in /healthz; polling and the other platforms go on.
Its adapter stays with the outbox (Slack's bot token may work when its app token is refused), so
a stop mid-run leaves work that adapter has going in the background (`finish_background`) to the
runner's shutdown while `service.posts_with(adapter)` says the outbox still posts with it.
A connection for commands that ends mid-run for any other reason (Discord's gateway giving up
on a close code it cannot resume) is reported with `service.platform_dropped(name, reason)`: the
platform is stopped and handed back to the same retry with backoff as a failed start, unless
`retry=False` (a setting to change, such as a privileged intent), which is only shown in /healthz.
A platform listening for events itself (Slack's HTTP mode on SLACK_HOST:PORT) that cannot bind is
not retried either (`listener_error`): one line names the variable to change, as for the health
port, and the rest of the bot keeps running.

A platform with a connection for commands that its client restores by itself (Slack's Socket
Mode, Discord's gateway) may also have `connection_problem() -> (since, what) | None`, shown in
/healthz while the connection has been down past a routine reconnect, and call
`service.platform_reconnected(name, *routes)` when it is back: the posts waiting out a backoff on
those delivery routes (by default the one named like the platform) are then tried at once.

A platform that also delivers without its connection and token (Discord's channel webhooks) has
two more members, and is then not stopped in either case but disconnected, and stays running:

    def runs_without_connection(self) -> bool  # something still delivers without them
    async def disconnect(self) -> None          # close only the connection; `start` reconnects

Its adapter stays registered; only the delivery route named like the platform waits (withdrawn
from the outbox while the connection restarts, refused for the token), and its other routes go
on (see `bot.delivery.adapter.delivery_route`); a failed reconnect is followed by `disconnect`.
Its start refused for the token (an `AuthDeliveryError`) is not retried either, but it is started
once more, and must then start without the token: what needs no token goes on.

Inside `start` a platform typically:

- registers its `ChatAdapter` with `service.register_adapter(adapter)`; from then on the outbox
  posts that platform's channels (`adapter.platform` must equal `channels.platform`);
- routes slash commands to `await service.commands.dispatch(command, args, ctx)`: `/digest` is
  already wired to enqueue through the outbox (`service.post_digest(channel)`);
- may call `service.kick()` after changing a channel, so new rows go out without waiting.

Tests and other entry points can register more with `register_platform(env_var, factory)`.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import socket
import ssl
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import aiohttp
import sqlite_utils

from bot.config import Config, PlatformConfigError, Secrets
from bot.delivery.adapter import AuthDeliveryError, FatalPlatformError
from bot.runner.listen import bind_error, is_bind_error
from bot.store import channels as channel_store
from bot.textutil import plural

if TYPE_CHECKING:
    from bot.runner.service import Service

log = logging.getLogger(__name__)


class Platform(Protocol):
    """A chat platform the runner starts and stops (see the module's docstring). Its stop may
    also take an optional `deadline: float | None = None` (Slack's and Discord's do): the
    runner passes it at shutdown to a stop that takes it (`bot.runner.shutdown`), and calls
    any other, and every stop mid-run, with no argument."""

    name: str

    async def start(self, service: Service) -> None: ...

    async def stop(self) -> None: ...


# What a platform's `start_error` makes of a failed start it knows no retry fixes: its token
# refused (an AuthDeliveryError) or a setting to change (a FatalPlatformError).
StartRefusal = AuthDeliveryError | FatalPlatformError


class ReconnectablePlatform(Platform, Protocol):
    """A platform with a connection for commands that its client restores by itself (Slack's Socket
    Mode, Discord's gateway) may also have `connection_problem() -> (since, what) | None`, shown in
    /healthz while the connection has been down past a routine reconnect, and call
    `service.platform_reconnected(name, *routes)` when it is back: the posts waiting out a backoff
    on those routes are then tried at once.

    A platform that also delivers without its connection and token (see above)."""

    def runs_without_connection(self) -> bool: ...

    async def disconnect(self) -> None: ...


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
    return factory


def _wanted(env_var: str, config: Config, env: Mapping[str, str]) -> bool:
    wanted = PLATFORM_WANTED_WITHOUT_TOKEN.get(env_var)
    return bool(env.get(env_var)) or bool(wanted and wanted(config))


def preload_platforms(config: Config, env: Mapping[str, str]) -> None:
    """Import the platforms `configured_platforms` will build, ahead of it: their chat
    libraries take tenths of a second, which `run` spends in its loading thread rather than on
    the loop. One that fails to import is left to `configured_platforms` to report."""
    for env_var, target in PLATFORM_FACTORIES.items():
        if _wanted(env_var, config, env):
            with contextlib.suppress(Exception):
                _resolve(target)


def configured_platforms(
    config: Config, env: Mapping[str, str]
) -> tuple[list[Platform], dict[str, str]]:
    """The platforms whose variable is set, and an error per platform that could not be built,
    keyed by the platform's name like every later error (`platform_key`)."""
    secrets = Secrets.from_env(dict(env))
    platforms: list[Platform] = []
    errors: dict[str, str] = {}
    for env_var, target in PLATFORM_FACTORIES.items():
        if not _wanted(env_var, config, env):
            continue
        shown = PLATFORM_NAMES.get(platform_key(env_var), env_var)
        try:
            platforms.append(_resolve(target)(config, secrets))
        except PlatformConfigError as exc:
            # A setting to fix, which the message names: a traceback would only bury it.
            log.error(
                "%s is not started: %s. Fix that in the service's environment and restart; "
                "the rest of the bot runs without %s",
                shown, str(exc).rstrip("."), shown,
            )  # fmt: skip
            errors[platform_key(env_var)] = str(exc)
        except ImportError as exc:
            # A chat library missing from this install: no setting fixes it, an install does.
            log.error(
                "%s is not started: not installed (%s); reinstall newsdigest with its "
                "dependencies; the rest of the bot runs without %s",
                shown, exc, shown,
            )  # fmt: skip
            errors[platform_key(env_var)] = f"not installed: {exc}"
        except Exception as exc:
            log.exception(
                "%s is not started: setting it up failed (a bug, not a setting); "
                "the rest of the bot runs without %s",
                shown, shown,
            )  # fmt: skip
            errors[platform_key(env_var)] = f"{type(exc).__name__}: {exc}"
    return platforms, errors


# Each built-in platform as a log line names it.
PLATFORM_NAMES: dict[str, str] = {"slack": "Slack", "discord": "Discord"}

# The variable holding each built-in platform's token.
TOKEN_VARIABLES: dict[str, str] = {"slack": "SLACK_BOT_TOKEN", "discord": "DISCORD_TOKEN"}


def platform_key(env_var: str) -> str:
    """The `platform_errors` key for a platform that could not be built from `env_var`: its name
    (slack), as for an error at any later point, so monitoring reads one key whatever went wrong
    (the message names the variable). A platform registered under another variable has no name
    until it is built, and is keyed by that variable."""
    names = {variable: name for name, variable in TOKEN_VARIABLES.items()}
    return names.get(env_var, env_var)


def started_without_token(platforms: list[Platform], env: Mapping[str, str]) -> set[str]:
    """The platforms built although their token is not set (Discord for its webhook channels).
    Only a platform that can deliver without its token counts: another one with a built-in's name
    (a platform registered in tests, say) serves every channel, or /healthz would call them
    unserved."""
    return {
        p.name
        for p in platforms
        if (env_var := TOKEN_VARIABLES.get(p.name))
        and env_var in PLATFORM_WANTED_WITHOUT_TOKEN
        and not env.get(env_var)
    }


def warn_unserved_channels(
    db: sqlite_utils.Database,
    served: set[str],
    failed: set[str],
    *,
    tokenless: Collection[str] = (),
) -> dict[str, str]:
    """Without its token a platform is not started at all, so its channels would silently get
    nothing: log how many and which variable is missing. A platform started without its token
    (`tokenless`: Discord for its webhook channels) serves only the channels that need none; the
    others get nothing either, and would otherwise first be heard of when a post pauses them.

    Returns the same, one line per platform, for /healthz's `problems`: a start-up warning is
    read by nobody when an env file the service manager never loaded leaves every token unset,
    and the bot then looked healthy while its digests went to the terminal."""
    unserved: dict[str, str] = {}
    for platform, env_var in TOKEN_VARIABLES.items():
        if platform in failed:  # a failed set-up is logged and reported already
            continue
        if platform in served and platform not in tokenless:
            continue
        channels = [c for c in channel_store.list_channels(db, platform) if not c.paused_reason]
        if platform in tokenless:
            channels = [c for c in channels if not c.webhook_url]
        if not channels:
            continue
        problem = (
            f"{plural(len(channels), f'{platform} channel')} will get nothing: {env_var} is not set"
        )
        if platform in tokenless:
            log.warning(
                "%s, and only channels with a webhook_url post without it: %s",
                problem,
                ", ".join(f"{c.name} ({c.key})" if c.name else c.key for c in channels),
            )
            problem += " (only channels with a webhook_url post without it)"
        else:
            log.warning("%s", problem)
        unserved[platform] = problem
    return unserved


# --- starting, and retrying a start that failed ---------------------------------------------------

# Platforms that can listen for events themselves (Slack's HTTP mode), and the variables that say
# where: (host variable, port variable).
LISTENER_VARIABLES: dict[str, tuple[str, str]] = {"slack": ("SLACK_HOST", "PORT")}


def listener_error(platform: Platform, exc: BaseException) -> FatalPlatformError | None:
    """A start that failed binding the platform's own listener (its port in use, its host not
    resolving or not on this machine) as a setting to change, naming it, like the health port's;
    None for any other error. No retry frees a port another process holds, and retrying it as a
    network problem (with a traceback) never said which variable to change."""
    variables = LISTENER_VARIABLES.get(platform.name)
    settings: Any = getattr(platform, "settings", None)
    if variables is None or getattr(settings, "mode", None) != "http" or not is_bind_error(exc):
        return None
    assert isinstance(exc, OSError)  # is_bind_error
    host_var, port_var = variables
    return FatalPlatformError(
        bind_error(
            exc, host=settings.host, port=settings.port, host_var=host_var, port_var=port_var
        )
    )


def start_refusal(platform: Platform, exc: BaseException) -> StartRefusal | None:
    """The platform's own verdict on a failed start (its `start_error`): a token refused or a
    setting to change, as the error the runner does not retry, its message naming the variable;
    None for anything else, or for a platform without the hook. The runner knows no chat
    library's exceptions: each adapter reads its own."""
    judge: Callable[[BaseException], StartRefusal | None] | None = getattr(
        platform, "start_error", None
    )
    if judge is None:
        return None
    refusal = judge(exc)
    if refusal is not None and refusal.__cause__ is None:
        refusal.__cause__ = exc
    return refusal


def start_error_is_fatal(exc: BaseException) -> bool:
    """True for a refusal no retry fixes (a token refused, a setting to change), as the platform
    said it (`start_refusal`); anything else, such as a connection error, a timeout or a 5xx at
    boot, is worth another attempt."""
    return isinstance(exc, AuthDeliveryError | FatalPlatformError)


# The network failing under a start (the platform's client libraries speak aiohttp): no name
# resolution, refused or reset, timed out, TLS failing (a certificate, an intercepting proxy).
NETWORK_ERRORS: tuple[type[BaseException], ...] = (
    socket.gaierror,
    ConnectionError,
    TimeoutError,
    ssl.SSLError,
    aiohttp.ClientConnectionError,
)


def network_error(exc: BaseException) -> bool:
    """Whether a failed start is the network's doing, also when a platform re-raised it as its
    own error (`raise ... from`). Expected while a machine boots or a link is down, and said in
    one line by the message; a traceback is kept for anything else, which is a bug."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, NETWORK_ERRORS):
            return True
        seen.add(id(current))
        current = current.__cause__
    return False


@dataclass(frozen=True, slots=True)
class Backoff:
    """Delay before retry number `attempt` (1, 2, ...): initial, doubling, at most `cap`."""

    initial: float = 5.0
    cap: float = 300.0

    def delay(self, attempt: int) -> float:
        return min(self.cap, self.initial * 2 ** min(max(attempt - 1, 0), 32))
