"""What the running service records of its chat platforms for the command line: which ones
post and why any other does not (its token not set, a setting refused, its start failing), in
`service_state` under `PLATFORMS` (`bot.store.service_state.not_posting` reads it back).

`channels list` and `status` read the database, not the process: before this record they said
"posting" for a Slack channel whose `run` never started Slack (its token missing from the
service's environment), while only the start-up log and /healthz said otherwise. The record is
written at start, when a platform starts late, and at the minute's job sync when it changed (a
token refused, a connection dropped and restarting), so the command line is at most a minute
behind /healthz; it carries the run's pid, so a record an earlier run left is not taken for this
one's."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.runner.platforms import TOKEN_VARIABLES, started_without_token
from bot.store import channels as channel_store
from bot.store import service_state
from bot.store.channels import ChannelRow
from bot.store.loop_waits import when_free

if TYPE_CHECKING:
    from bot.runner.service import Service

log = logging.getLogger(__name__)


class PlatformState:
    """The service's platforms as `channels list` and `status` show them; `record()` stores
    them when they changed since the last time."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.recorded: dict[str, Any] | None = None

    def platforms(self) -> dict[str, dict[str, Any]]:
        """Every platform a channel is on or that was tried: whether it posts (its adapter
        registered with the outbox) and what is wrong with it, if anything."""
        service = self.service
        posting = set(service.outbox.adapters)
        names = {c.platform for c in channel_store.list_channels(service.db)}
        names |= posting | set(service.platform_errors)
        tokenless = started_without_token(service.platforms, service.env)
        retrying = service.starter.being_retried()
        found: dict[str, dict[str, Any]] = {}
        for name in sorted(names - {"console"}):
            problem = service.platform_errors.get(name)
            if problem is None and (name not in posting or name in tokenless):
                problem = self._missing_token(name)
            if (
                problem
                and name not in posting
                and name in retrying
                and not problem.endswith(service_state.RESTARTING)
            ):
                problem += service_state.RETRYING
            found[name] = {
                "running": name in posting,
                "problem": problem,
                "webhooks_only": name in tokenless,
            }
        return found

    def _missing_token(self, name: str) -> str | None:
        variable = TOKEN_VARIABLES.get(name)
        if variable is None or self.service.env.get(variable):
            return None
        return f"{variable} is not set"

    def not_posting(self) -> Callable[[ChannelRow], str | None]:
        """Why nothing reaches a channel this run, as `channels list` says it (None if it posts),
        by the platforms as they are now."""
        platforms = self.platforms()
        return lambda channel: service_state.not_posting(channel, platforms)

    def record(self) -> None:
        """Store the platforms for the command line, if they changed. A write that fails (a full
        disk, another process's write lock held past the busy timeout) costs only the command
        line's view: logged, and tried again at the next change."""
        try:
            self._store()
        except Exception:
            log.warning("could not record the chat platforms' state", exc_info=True)

    async def record_when_free(self) -> None:
        """`record()` waiting for another process's write lock with the loop free (`when_free`):
        at start and when a platform starts late, the platforms' heartbeats and the health
        endpoint run on the loop. Not as one transaction of its own (`whole`): its failure
        would then come at the COMMIT, past the catch that keeps a full disk from stopping the
        start. Its one statement meets the lock before it changes anything, so it is simply
        tried again; the last try's lock error, like a full disk, is logged."""
        try:
            await when_free(self.service.db, self._store)
        except Exception:
            log.warning("could not record the chat platforms' state", exc_info=True)

    def _store(self) -> None:
        value = {"pid": os.getpid(), "platforms": self.platforms()}
        if value == self.recorded:
            return
        service_state.save(
            self.service.db, service_state.PLATFORMS, value, now=self.service.clock()
        )
        self.recorded = value  # only once stored: a failed write is tried at the next change
