"""Whether the LLM endpoint is worth a call now: a circuit breaker, and what /healthz says of it.

Each card waited the writer's whole timeout for an endpoint that was down (7 instant cards took
140 s), because nothing remembered the last call failed. After `THRESHOLD` consecutive failures
that say the endpoint is unwell (a timeout, a connect error, a 5xx, a 429) the breaker opens: no
call is made for a cool-down, doubling each time it opens again (capped), and cards take the
extractive summary at once. Then one call is let through (half-open): its success closes the
breaker, its failure opens it for longer. A 429's Retry-After opens it for at least that long at
once, since the endpoint said when to come back. Answers the checks reject count as no failure.

A refused key or request (a 4xx other than 429) is the setup's fault, not the endpoint's: asking
again asks for the same refusal, so `misconfigured` opens the breaker at once for a long cool-down
(`CONFIG_COOL_DOWN`, doubling), and /healthz names it a configuration problem.

Failures of calls let out before the breaker opened (concurrent cards) land while it is open:
they neither open it again nor lengthen it, or 7 cards against a down endpoint escalated the
cool-down five times over (30 s to 480 s) in one burst.

A call `allow`ed gets a `Permit` saying whether it took the half-open try; a call that never
went out gives its permit back (`release`), which frees the try only if that permit is the try's:
a call let out while the breaker was closed, whose booking failed after another call took the
try, must not let a second try out beside it.

Shared by every thread and the event loop of one process, hence the lock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

THRESHOLD = 3
FIRST_COOL_DOWN = 30.0
MAX_COOL_DOWN = 600.0
# A Retry-After past this is the endpoint's quota for the day: waited in steps, not trusted whole.
MAX_RETRY_AFTER = 3600.0
CONFIG_COOL_DOWN = 600.0
MAX_CONFIG_COOL_DOWN = 6 * 3600.0


class Permit:
    """A call `Breaker.allow` let out; `trial` when it is the half-open try."""

    __slots__ = ("trial",)

    def __init__(self, trial: bool) -> None:
        self.trial = trial


# Every call let out while the breaker is closed holds this one: none of them is a try.
_CLOSED = Permit(False)


@dataclass(slots=True)
class _State:
    failures: int = 0  # consecutive
    opened: int = 0  # times opened since the last success, which sets the cool-down
    open_until: float | None = None
    trial: Permit | None = None  # the one half-open call in flight
    config: bool = False  # opened by a configuration failure (a 4xx), not an unwell endpoint


class Breaker:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._state = _State()
        self.last_failure: str | None = None

    def allow(self) -> Permit | None:
        """A permit if a call may go out now (past a cool-down, only one until it reports back:
        the permit's `trial`); None if not."""
        with self._lock:
            state = self._state
            if state.open_until is None:
                return _CLOSED
            if self._clock() < state.open_until or state.trial is not None:
                return None
            state.trial = Permit(True)
            return state.trial

    def success(self) -> None:
        with self._lock:
            self._state = _State()

    def release(self, permit: Permit) -> None:
        """A call `allow`ed with `permit` never went out (the budget refused it, or its booking
        failed): if it held the half-open try, the try is still due. Any other call's permit
        frees nothing, as the try in flight is another call's."""
        with self._lock:
            if permit.trial and self._state.trial is permit:
                self._state.trial = None

    def failure(self, reason: str, retry_after: float | None = None) -> bool:
        """Count a failure; True when it opened the breaker (for one log line saying so)."""
        with self._lock:
            state = self._state
            self.last_failure = reason
            state.failures += 1
            probe_failed = state.trial is not None
            state.trial = None
            if state.open_until is not None and not probe_failed:
                # A call let out before the opening: already counted in this opening's cause.
                if retry_after is not None:
                    until = self._clock() + min(retry_after, MAX_RETRY_AFTER)
                    state.open_until = max(state.open_until, until)
                return False
            if state.failures < THRESHOLD and not probe_failed and retry_after is None:
                return False
            cool = min(MAX_COOL_DOWN, FIRST_COOL_DOWN * 2**state.opened)
            state.opened += 1
            if retry_after is not None:
                cool = max(cool, min(retry_after, MAX_RETRY_AFTER))
            state.open_until = self._clock() + cool
            state.config = False
            return True

    def misconfigured(self, reason: str) -> bool:
        """A configuration failure (a 4xx other than 429): open at once for a long, growing
        cool-down; True when this opened it (a failure of an earlier concurrent call does not)."""
        with self._lock:
            state = self._state
            self.last_failure = reason
            probe_failed = state.trial is not None
            state.trial = None
            if state.open_until is not None and state.config and not probe_failed:
                return False
            opened = state.opened if state.config else 0
            state.failures += 1
            state.opened = opened + 1
            state.config = True
            cool = min(MAX_CONFIG_COOL_DOWN, CONFIG_COOL_DOWN * 2**opened)
            state.open_until = self._clock() + cool
            return True

    def note(self, reason: str) -> None:
        """The last failure's reason, for /healthz, without counting it against the endpoint."""
        self.last_failure = reason

    def status(self) -> dict[str, Any]:
        with self._lock:
            state = self._state
            now = self._clock()
            if state.open_until is None:
                name = "closed"
            elif state.trial is not None or now >= state.open_until:
                name = "half-open"
            else:
                name = "open"
            return {
                "state": name,
                "consecutive_failures": state.failures,
                "retry_in_seconds": round(state.open_until - now, 1)
                if name == "open" and state.open_until is not None
                else None,
                "last_failure": self.last_failure,
                # The setup (key, model name, request) was refused: an operator must fix it.
                "configuration_problem": state.config and state.open_until is not None,
            }


def retry_after_seconds(value: str | None) -> float | None:
    """A Retry-After header's seconds; None for a date or nonsense (the cool-down decides)."""
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if seconds >= 0 and seconds == seconds else None
