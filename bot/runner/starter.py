"""Starting the chat platforms of `newsdigest run`, and starting again one that failed or whose
connection ended (`PlatformStarter`); how platforms plug in is `bot.runner.platforms`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeGuard

from bot.delivery.adapter import AuthDeliveryError, FatalPlatformError
from bot.runner.platforms import (
    Backoff,
    Platform,
    ReconnectablePlatform,
    listener_error,
    network_error,
    start_error_is_fatal,
    start_refusal,
)
from bot.store import service_state

if TYPE_CHECKING:
    from bot.runner.service import Service

log = logging.getLogger(__name__)


def _runs_without_connection(platform: Platform) -> TypeGuard[ReconnectablePlatform]:
    """Whether the platform still delivers with its connection and token gone (see the module's
    docstring); such a platform is disconnected instead of stopped."""
    check = getattr(platform, "runs_without_connection", None)
    return callable(check) and callable(getattr(platform, "disconnect", None)) and bool(check())


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
        on_given_up: Callable[[Platform], Awaitable[None]],
    ) -> None:
        self.service = service
        self.backoff = backoff
        self.on_late_start = on_late_start
        self.on_given_up = on_given_up
        self.pending: list[Platform] = []
        self.tasks: set[asyncio.Task[None]] = set()
        # The platforms whose retry loop is still trying: its task outlives the verdict by the
        # hooks it runs, which must not see the platform as still being retried.
        self.retrying: set[str] = set()
        # Running platforms whose connection is being restarted while they deliver without it.
        self.reconnecting: set[ReconnectablePlatform] = set()
        # Platforms given up mid-run, being stopped; waited for on shutdown, not cancelled.
        self.stopping: set[asyncio.Task[None]] = set()

    async def start_all(self, platforms: list[Platform]) -> None:
        """One attempt each, in order; failures worth retrying wait for `retry_pending`."""
        for platform in platforms:
            exc = await self._attempt(platform)
            if exc is None:
                continue
            if start_error_is_fatal(exc):
                await self._give_up(platform, exc)
            else:
                # A network failure is expected (a platform that cannot connect at start) and
                # its message says what failed; a traceback is for a bug.
                log.error(
                    "platform %s failed to start: %s: %s; retrying in the background",
                    platform.name,
                    type(exc).__name__,
                    exc,
                    exc_info=None if network_error(exc) else exc,
                    extra={"event": "platform_start_failed", "platform": platform.name},
                )
                self.pending.append(platform)

    def retry_pending(self) -> None:
        """Start the retry loops; called once the service is running, so a platform that comes
        up later finds the scheduler ready for its channels' jobs."""
        for platform in self.pending:
            task = asyncio.create_task(self._retry(platform), name=f"start-{platform.name}")
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
            self.retrying.add(platform.name)
        self.pending = []

    def being_retried(self) -> set[str]:
        """The platforms that failed to start for a reason worth retrying and may still start
        by themselves: waiting for the retries, or in them."""
        return {p.name for p in self.pending} | self.retrying

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
        outbox for a restart with a new token; polling and the other platforms go on. A platform
        that delivers without its token too (`runs_without_connection`) is only disconnected,
        and its posts that need no token go on."""
        error = f"authentication failed, not retried: {reason}"
        if self.service.platform_errors.get(name) == error:
            return  # the same refusal reported again (two channels failing together)
        self.service.platform_errors[name] = error
        what = "stopped"
        for platform in [p for p in self.service.platforms if p.name == name]:
            if _runs_without_connection(platform):
                what = "disconnected (what needs no token goes on)"
                self._closing(self._disconnect(platform), f"disconnect-{name}")
                continue
            self.service.platforms.remove(platform)
            self._closing(self._stop_lost(platform), f"stop-{name}")
        log.error(
            "platform %s %s, not retrying: authentication failed: %s",
            name,
            what,
            reason,
            extra={"event": "platform_auth_failed", "platform": name},
        )

    def _closing(self, closing: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        """A stop or disconnect that must finish even if shutdown cancels a retry waiting for it;
        shutdown waits for it."""
        task = asyncio.create_task(closing, name=name)
        self.stopping.add(task)
        task.add_done_callback(self.stopping.discard)
        return task

    def dropped(self, name: str, reason: str, *, retry: bool = True) -> None:
        """A running platform's connection ended for good for a reason other than a refused
        token (discord.py gives up on a close code it cannot resume, or its loop returns).
        Nothing on the platform's side brings it back, so it is stopped and started again with
        the same backoff as a failed start; meanwhile /healthz shows the reason, and its
        channels' posts wait in the outbox (its adapter is withdrawn, as its client is being
        closed). A platform that delivers without its connection too (`runs_without_connection`)
        is only disconnected and stays running: its adapter stays, only the route named like the
        platform is withdrawn, and its other routes (Discord's webhooks) go on. With
        `retry=False` (a setting to change first) only the reason is recorded: the platform
        keeps whatever still works (posting over REST), and nothing is retried."""
        service = self.service
        if service.stopping.is_set() or service.state != "running":
            return  # the service's own stop closes connections; that is no failure
        if not retry:
            error = f"not retried: {reason}"
            if service.platform_errors.get(name) != error:
                service.platform_errors[name] = error
                log.error(
                    "platform %s: %s",
                    name,
                    error,
                    extra={"event": "platform_failed", "platform": name},
                )
            return
        running = [p for p in service.platforms if p.name == name and p not in self.reconnecting]
        if not running:
            return  # already being restarted, or given up
        service.platform_errors[name] = reason + service_state.RESTARTING
        log.error(
            "platform %s lost its connection: %s; restarting it in %.0fs",
            name,
            reason,
            self.backoff.delay(1),
            extra={"event": "platform_dropped", "platform": name},
        )
        for platform in running:
            if _runs_without_connection(platform):
                service.outbox.withdraw(name)
                self.reconnecting.add(platform)
                closing = self._closing(self._disconnect(platform), f"disconnect-{name}")
            else:
                service.outbox.unregister(name)
                service.platforms.remove(platform)
                closing = self._closing(self._stop_lost(platform), f"stop-{name}")
            task = asyncio.create_task(self._retry(platform, after=closing), name=f"start-{name}")
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
            self.retrying.add(name)

    async def _stop_lost(self, platform: Platform) -> None:
        try:
            await asyncio.wait_for(platform.stop(), timeout=10)
        except Exception:
            log.exception("stopping platform %s failed", platform.name)

    async def _disconnect(self, platform: ReconnectablePlatform) -> None:
        try:
            await asyncio.wait_for(platform.disconnect(), timeout=10)
        except Exception:
            log.exception("disconnecting platform %s failed", platform.name)

    async def _retry(self, platform: Platform, *, after: asyncio.Task[None] | None = None) -> None:
        try:
            await self._retry_until_done(platform, after=after)
        finally:
            self.retrying.discard(platform.name)

    async def _retry_until_done(
        self, platform: Platform, *, after: asyncio.Task[None] | None
    ) -> None:
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
                self.retrying.discard(platform.name)
                await self.on_late_start(platform)
                return
            if start_error_is_fatal(exc):
                started = await self._give_up(platform, exc)
                self.retrying.discard(platform.name)
                await (self.on_late_start if started else self.on_given_up)(platform)
                return
            # One line per retry: the first failure logged a traceback if one could help.
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
        except Exception as caught:
            exc = listener_error(platform, caught) or start_refusal(platform, caught) or caught
            self.service.platform_errors[platform.name] = f"{type(exc).__name__}: {exc}"
            # Release what the half-done start opened (sessions, gateway tasks) before the next;
            # a platform reconnecting keeps what delivers without the connection.
            reconnecting = next((p for p in self.reconnecting if p is platform), None)
            release = reconnecting.disconnect if reconnecting is not None else platform.stop
            with contextlib.suppress(Exception):
                await asyncio.wait_for(release(), timeout=5)
            return exc
        self.reconnecting.discard(platform)
        if platform not in self.service.platforms:
            self.service.platforms.append(platform)
        self.service.platform_errors.pop(platform.name, None)
        return None

    async def _give_up(self, platform: Platform, exc: Exception) -> bool:
        """Not retried (`_fatal`). A platform that also delivers without its token, refused the
        token by a start, is started once more, which must then leave the token out (Discord's
        webhook channels); /healthz keeps naming the token. True when it started so."""
        self._fatal(platform, exc)
        if (
            not isinstance(exc, AuthDeliveryError)
            or platform in self.service.platforms  # reconnecting: it delivers already
            or not _runs_without_connection(platform)
        ):
            return False
        error = self.service.platform_errors.get(platform.name)
        started = await self._attempt(platform) is None
        if started:
            log.info("platform %s started without its token", platform.name)
        if error is not None:
            self.service.platform_errors[platform.name] = error
        return started

    def _fatal(self, platform: Platform, exc: Exception) -> None:
        # A platform reconnecting stays running without its connection (its route stays
        # withdrawn); any other is not running.
        self.reconnecting.discard(platform)
        if isinstance(exc, FatalPlatformError):
            # Not a token: the message names the setting to change.
            log.error(
                "platform %s cannot start, not retrying: %s",
                platform.name,
                exc,
                extra={"event": "platform_failed", "platform": platform.name},
            )
            self.service.platform_errors[platform.name] = f"not retried: {exc}"
            return
        # An AuthDeliveryError (`start_error_is_fatal`) says what happened and what to do; a
        # class name adds nothing.
        message = str(exc)
        # The event of a token refused mid-run (`lost`): either way it waits for a new token.
        log.error(
            "platform %s cannot start, not retrying: authentication failed: %s",
            platform.name,
            message,
            extra={"event": "platform_auth_failed", "platform": platform.name},
        )
        self.service.platform_errors[platform.name] = (
            f"authentication failed, not retried: {message}"
        )
