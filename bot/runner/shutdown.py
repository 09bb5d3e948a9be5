"""Stopping `newsdigest run`: the first stop signal asks for a graceful stop, which ends the parts
in order within about `shutdown_grace` seconds; a second signal exits at once. Kept apart from
`bot.runner.service`, which wires the parts together."""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.summarize.llm_budget import all_settled

if TYPE_CHECKING:
    from bot.runner.platforms import Platform
    from bot.runner.service import Service

log = logging.getLogger(__name__)


async def stop(service: Service) -> None:
    """Stop within about `shutdown_grace` seconds: no new jobs, in-flight polls and the post in
    progress finish (or are cancelled, which the outbox and the poller both survive)."""
    if service.state in ("stopping", "stopped"):
        return
    service.state = "stopping"
    service.stopping.set()
    service.outbox.halted = True
    if service.scheduler.running:
        service.scheduler.shutdown(wait=False)
    service.pruner.stop()  # a prune's worker thread ends after its batch in progress
    grace = service.settings.shutdown_grace
    await service.starter.stop()
    await service.poller.close(grace / 2)
    if service.resuming:  # a resumed channel's catch-up (`changes.resume_soon`)
        _done, pending = await asyncio.wait(set(service.resuming.values()), timeout=grace / 2)
        for task in pending:
            task.cancel()  # its stories are chosen again at the next start's catch-up
        await asyncio.gather(*pending, return_exceptions=True)
    if service.outbox_task is not None:
        service.outbox.kick()
        _done, pending = await asyncio.wait({service.outbox_task}, timeout=grace / 2)
        for task in pending:
            task.cancel()  # a row left 'sending' is reconciled at the next start
        await asyncio.gather(*pending, return_exceptions=True)
    loop = asyncio.get_running_loop()
    for platform in service.platforms:
        try:
            # The deadline lets the platform end its own work in time; the timeout is for one
            # that does not.
            deadline = loop.time() + grace / 2
            await asyncio.wait_for(_stop_platform(platform, deadline), timeout=grace / 2)
        except Exception:
            log.exception("stopping platform %s failed", platform.name)
    await _finish_adapters(service, loop.time() + grace / 2)
    # Cards' LLM budget corrections that met another process's write lock wait in tasks of
    # their own: written before the database is closed, or logged as left booked, not cancelled
    # unsaid when the loop ends.
    await all_settled(grace / 2)
    if service.health_server is not None:
        await service.health_server.stop()
    service.state = "stopped"
    log.info("newsdigest stopped", extra={"event": "stopped"})


async def _stop_platform(platform: Platform, deadline: float) -> None:
    """`platform.stop(deadline=...)`, or `platform.stop()` for a platform whose stop takes no
    deadline: one written to the interface before the deadline (`register_platform` is public)
    would otherwise fail with a TypeError and never be stopped."""
    stop: Callable[..., Awaitable[None]] = platform.stop
    if _takes_deadline(stop):
        await stop(deadline=deadline)
    else:
        await stop()


def _takes_deadline(stop: Callable[..., Awaitable[None]]) -> bool:
    try:
        parameters = inspect.signature(stop).parameters.values()
    except (TypeError, ValueError):  # no signature to read: call it as the older interface
        return False
    return any(
        p.kind is inspect.Parameter.VAR_KEYWORD
        or (p.name == "deadline" and p.kind is not inspect.Parameter.POSITIONAL_ONLY)
        for p in parameters
    )


async def _finish_adapters(service: Service, deadline: float) -> None:
    """The work adapters still have going after their sends returned (`finish_background`),
    for an adapter whose platform was stopped before shutdown while the outbox kept posting with
    it (Slack's, its app token refused mid-run but its bot token working), or one with no
    platform; an adapter its platform's stop finished has nothing left."""
    loop = asyncio.get_running_loop()
    for adapter in list(service.outbox.adapters.values()):
        finish = getattr(adapter, "finish_background", None)
        if finish is None:
            continue
        try:
            # A moment past the deadline: the adapter ends its work by then, and logs what it
            # gives up; the timeout is for one that does not.
            await asyncio.wait_for(finish(deadline), timeout=max(deadline - loop.time(), 0) + 1)
        except Exception:
            log.exception("finishing the %s adapter's background work failed", adapter.platform)


def request_stop(service: Service) -> None:
    """A stop signal: the first asks `run_until_stopped` to stop gracefully, a second exits now."""
    if service.stopping.is_set():
        log.warning("second stop signal: exiting now")
        os._exit(1)  # crash-safe by design: the next start reconciles
    log.info("stop requested", extra={"event": "stopping"})
    service.stopping.set()
