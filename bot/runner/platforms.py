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
A failed start is retried in the background with capped exponential backoff (`PlatformStarter`),
unless the error is an authentication failure (invalid or revoked token), which no retry fixes.
After a failed attempt `stop()` is called, so the next `start` begins from a clean slate.
A token refused once the platform runs (revoked mid-run) is fatal the same way: the platform calls
`service.platform_lost(name, reason)` (the outbox does too, for a send refused that way), and it
is stopped for the rest of the run and shown in /healthz; polling and the other platforms go on.
A connection for commands that ends mid-run for any other reason (Discord's gateway giving up
on a close code it cannot resume) is reported with `service.platform_dropped(name, reason)`: the
platform is stopped and handed back to the same retry with backoff as a failed start, unless
`retry=False` (a setting to change, such as a privileged intent), which is only shown in /healthz.
Inside `start` a platform typically:

- registers its `ChatAdapter` with `service.register_adapter(adapter)`; from then on the outbox
  posts that platform's channels (`adapter.platform` must equal `channels.platform`);
- routes slash commands to `await service.commands.dispatch(command, args, ctx)`: `/digest` is
  already wired to enqueue through the outbox (`service.post_digest(channel)`);
- may call `service.kick()` after changing a channel, so new rows go out without waiting.

Tests and other entry points can register more with `register_platform(env_var, factory)`.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import sqlite_utils

from bot.adapters.slack.auth import AUTH_ERRORS as SLACK_AUTH_ERRORS
from bot.config import Config, PlatformConfigError, Secrets
from bot.delivery.adapter import AuthDeliveryError, FatalPlatformError
from bot.store import channels as channel_store
from bot.textutil import plural

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
        except PlatformConfigError as exc:
            # A setting to fix, which the message names: a traceback would only bury it.
            log.error("could not set up the platform for %s: %s", env_var, exc)
            errors[env_var] = str(exc)
        except Exception as exc:
            log.exception("could not set up the platform for %s", env_var)
            errors[env_var] = f"{type(exc).__name__}: {exc}"
    return platforms, errors


def warn_unserved_channels(
    db: sqlite_utils.Database, served: set[str], failed_env: set[str]
) -> None:
    """Without its token a platform is not started at all, so its channels would silently get
    nothing: log how many and which variable is missing."""
    for platform, env_var in (("slack", "SLACK_BOT_TOKEN"), ("discord", "DISCORD_TOKEN")):
        if platform in served or env_var in failed_env:  # a failed set-up is logged already
            continue
        count = sum(not c.paused_reason for c in channel_store.list_channels(db, platform))
        if count:
            log.warning(
                "%s will get nothing: %s is not set",
                plural(count, f"{platform} channel"),
                env_var,
            )


# --- starting, and retrying a start that failed ---------------------------------------------------

# discord.py's exceptions for a bad token or a bot not allowed the intents it asks for.
DISCORD_FATAL_ERRORS = frozenset({"LoginFailure", "PrivilegedIntentsRequired"})
# discord.py's ConnectionClosed code for a token the gateway refuses.
DISCORD_AUTH_CLOSE_CODE = 4004


def start_error_is_fatal(exc: BaseException) -> bool:
    """True for an authentication failure (retrying cannot fix it); anything else, such as a
    connection error, a timeout or a 5xx at boot, is worth another attempt."""
    if isinstance(exc, AuthDeliveryError | FatalPlatformError):
        return True  # a platform's own verdict, its message naming the setting to change
    names = {cls.__name__ for cls in type(exc).__mro__}
    if names & DISCORD_FATAL_ERRORS:
        return True
    if "ConnectionClosed" in names and getattr(exc, "code", None) == DISCORD_AUTH_CLOSE_CODE:
        return True
    if "SlackApiError" in names:
        response: Any = getattr(exc, "response", None)
        try:
            code = response["error"] if response is not None else None
        except (KeyError, TypeError):
            code = None
        return code in SLACK_AUTH_ERRORS
    return False


@dataclass(frozen=True, slots=True)
class Backoff:
    """Delay before retry number `attempt` (1, 2, ...): initial, doubling, at most `cap`."""

    initial: float = 5.0
    cap: float = 300.0

    def delay(self, attempt: int) -> float:
        return min(self.cap, self.initial * 2 ** min(max(attempt - 1, 0), 32))


class PlatformStarter:
    """Starts the chat platforms for a service; one whose start failed for a transient reason is
    retried in a background task until it starts or the service stops. Started platforms go to
    `service.platforms`; a platform not (yet) running has its last error in
    `service.platform_errors` (so /healthz says why), removed once it starts."""

    def __init__(
        self,
        service: Service,
        *,
        backoff: Backoff,
        on_late_start: Callable[[Platform], Awaitable[None]],
    ) -> None:
        self.service = service
        self.backoff = backoff
        self.on_late_start = on_late_start
        self.pending: list[Platform] = []
        self.tasks: set[asyncio.Task[None]] = set()
        # Platforms given up mid-run, being stopped; waited for on shutdown, not cancelled.
        self.stopping: set[asyncio.Task[None]] = set()

    async def start_all(self, platforms: list[Platform]) -> None:
        """One attempt each, in order; failures worth retrying wait for `retry_pending`."""
        for platform in platforms:
            exc = await self._attempt(platform)
            if exc is None:
                continue
            if start_error_is_fatal(exc):
                self._fatal(platform, exc)
            else:
                log.error(
                    "platform %s failed to start: %s: %s; retrying in the background",
                    platform.name,
                    type(exc).__name__,
                    exc,
                    exc_info=exc,
                )
                self.pending.append(platform)

    def retry_pending(self) -> None:
        """Start the retry loops; called once the service is running, so a platform that comes
        up later finds the scheduler ready for its channels' jobs."""
        for platform in self.pending:
            task = asyncio.create_task(self._retry(platform), name=f"start-{platform.name}")
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
        self.pending = []

    async def stop(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        if self.stopping:
            await asyncio.wait(self.stopping, timeout=10)

    def lost(self, name: str, reason: str) -> None:
        """A running platform's token was refused (revoked mid-run): no retry can fix that, so it
        is stopped for the rest of the run (a Socket Mode or gateway loop would otherwise
        reconnect forever) and /healthz says why and what to do. Its channels' posts stay in the
        outbox for a restart with a new token; polling and the other platforms go on."""
        error = f"authentication failed, not retried: {reason}"
        if self.service.platform_errors.get(name) == error:
            return  # the same refusal reported again (two channels failing together)
        self.service.platform_errors[name] = error
        log.error(
            "platform %s stopped, not retrying: authentication failed: %s",
            name,
            reason,
            extra={"event": "platform_auth_failed", "platform": name},
        )
        for platform in [p for p in self.service.platforms if p.name == name]:
            self.service.platforms.remove(platform)
            task = asyncio.create_task(self._stop_lost(platform), name=f"stop-{name}")
            self.stopping.add(task)
            task.add_done_callback(self.stopping.discard)

    def dropped(self, name: str, reason: str, *, retry: bool = True) -> None:
        """A running platform's connection ended for good for a reason other than a refused
        token (discord.py gives up on a close code it cannot resume, or its loop returns).
        Nothing on the platform's side brings it back, so it is stopped and started again with
        the same backoff as a failed start; meanwhile /healthz shows the reason, and its
        channels' posts wait in the outbox (its adapter is withdrawn, as its client is being
        closed). With `retry=False` (a setting to change first) only the reason is recorded:
        the platform keeps whatever still works (posting over REST), and nothing is retried."""
        service = self.service
        if service.stopping.is_set() or service.state != "running":
            return  # the service's own stop closes connections; that is no failure
        if not retry:
            error = f"not retried: {reason}"
            if service.platform_errors.get(name) != error:
                service.platform_errors[name] = error
                log.error("platform %s: %s", name, error, extra={"event": "platform_failed"})
            return
        running = [p for p in service.platforms if p.name == name]
        if not running:
            return  # already being restarted, or given up
        service.platform_errors[name] = f"{reason}; restarting"
        log.error(
            "platform %s lost its connection: %s; restarting it in %.0fs",
            name,
            reason,
            self.backoff.delay(1),
            extra={"event": "platform_dropped", "platform": name},
        )
        service.outbox.unregister(name)
        for platform in running:
            service.platforms.remove(platform)
            # The stop must finish even if shutdown cancels the retry; shutdown waits for it.
            stopping = asyncio.create_task(self._stop_lost(platform), name=f"stop-{name}")
            self.stopping.add(stopping)
            stopping.add_done_callback(self.stopping.discard)
            task = asyncio.create_task(self._retry(platform, after=stopping), name=f"start-{name}")
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _stop_lost(self, platform: Platform) -> None:
        try:
            await asyncio.wait_for(platform.stop(), timeout=10)
        except Exception:
            log.exception("stopping platform %s failed", platform.name)

    async def _retry(self, platform: Platform, *, after: asyncio.Task[None] | None = None) -> None:
        if after is not None:
            # Not `await after`: cancelling this retry on shutdown must not cancel the stop.
            await asyncio.wait({after})
        attempt = 0
        while True:
            attempt += 1
            delay = self.backoff.delay(attempt)
            await asyncio.sleep(delay)
            exc = await self._attempt(platform)
            if exc is None:
                log.info("platform %s started after %d retries", platform.name, attempt)
                await self.on_late_start(platform)
                return
            if start_error_is_fatal(exc):
                self._fatal(platform, exc)
                return
            # One line per retry: the first failure already logged the traceback.
            log.warning(
                "platform %s still failing to start (retry %d): %s: %s; next retry in %.0fs",
                platform.name,
                attempt,
                type(exc).__name__,
                exc,
                self.backoff.delay(attempt + 1),
            )

    async def _attempt(self, platform: Platform) -> Exception | None:
        """Start it; None on success, else the error (recorded for /healthz)."""
        try:
            await platform.start(self.service)
        except asyncio.CancelledError:  # shutdown during an attempt
            with contextlib.suppress(Exception):
                await asyncio.wait_for(platform.stop(), timeout=5)
            raise
        except Exception as exc:
            self.service.platform_errors[platform.name] = f"{type(exc).__name__}: {exc}"
            # Release what the half-done start opened (sessions, gateway tasks) before the next.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(platform.stop(), timeout=5)
            return exc
        self.service.platforms.append(platform)
        self.service.platform_errors.pop(platform.name, None)
        return None

    def _fatal(self, platform: Platform, exc: Exception) -> None:
        if isinstance(exc, FatalPlatformError):
            # Not a token: the message names the setting to change.
            log.error("platform %s cannot start, not retrying: %s", platform.name, exc)
            self.service.platform_errors[platform.name] = f"not retried: {exc}"
            return
        # An AuthDeliveryError says what happened and what to do; a class name adds nothing.
        message = str(exc) if isinstance(exc, AuthDeliveryError) else f"{type(exc).__name__}: {exc}"
        log.error(
            "platform %s cannot start: authentication failed (%s); not retrying, check its token",
            platform.name,
            message,
        )
        self.service.platform_errors[platform.name] = (
            f"authentication failed, not retried: {message}"
        )
