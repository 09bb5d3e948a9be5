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
try, must not let a second try out beside it. A failure is reported with its call's permit
(`failure`, `misconfigured`) and counts only if that permit is the breaker's now: the try's, or
one let out in the closed spell still running (each spell hands out a permit of its own). A
straggler's failure, a call let out before the breaker opened and answered late, changes
nothing but the reason /healthz shows: taken for the try's failure, it opened the breaker for
twice as long while the try was still out (and freed a second try beside it); its 429's
Retry-After lengthened the rest; landing after a newer try closed the breaker, it counted
towards opening it again, or re-opened it at once with a Retry-After. The try's own answer
says whether the endpoint is back. A success closes the breaker whoever reports it: the
endpoint answered. Only a success that closes an open breaker starts a new closed spell: one
reported while closed keeps the spell, or every call let out beside it (parallel cards) turned
straggler and a rate-limited one's 429 with Retry-After opened nothing.

Shared by every thread and the event loop of one process, hence the lock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
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


@dataclass(slots=True)
class _State:
    failures: int = 0  # consecutive
    opened: int = 0  # times opened since the last success, which sets the cool-down
    open_until: float | None = None
    trial: Permit | None = None  # the one half-open call in flight
    config: bool = False  # opened by a configuration failure (a 4xx), not an unwell endpoint
    # Held by every call let out in this closed spell (none of them is a try): a new one once a
    # success closes an open breaker, so a call of an earlier spell is told from this one's; a
    # success while closed keeps it, so every call of the spell still counts.
    closed: Permit = field(default_factory=lambda: Permit(False))


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
                return state.closed
            if self._clock() < state.open_until or state.trial is not None:
                return None
            state.trial = Permit(True)
            return state.trial

    def success(self) -> None:
        with self._lock:
            state = self._state
            if state.open_until is None:
                # Already closed: the same spell goes on, its permit kept. A new one here made
                # every call let out beside this one a straggler, so a parallel card's 429 with
                # Retry-After (a partial rate limit) opened nothing.
                state.failures = state.opened = 0
                state.config = False
                return
            self._state = _State()

    def release(self, permit: Permit) -> None:
        """A call `allow`ed with `permit` never went out (the budget refused it, or its booking
        failed): if it held the half-open try, the try is still due. Any other call's permit
        frees nothing, as the try in flight is another call's."""
        with self._lock:
            if permit.trial and self._state.trial is permit:
                self._state.trial = None

    def _counts(self, permit: Permit) -> bool:
        """Whether a failure of the call holding `permit` is the breaker's to count now: the
        try's, or a call's of the closed spell still running. Under the lock."""
        state = self._state
        if permit.trial:
            return state.trial is permit
        return permit is state.closed and state.open_until is None

    def failure(self, permit: Permit, reason: str, retry_after: float | None = None) -> bool:
        """Count the failure of the call `allow`ed with `permit`; True when it opened the breaker
        (for one log line saying so). A straggler's (`_counts`) only sets `last_failure`."""
        with self._lock:
            state = self._state
            self.last_failure = reason
            if not self._counts(permit):
                return False
            state.failures += 1
            probe_failed = state.trial is not None
            state.trial = None
            if state.failures < THRESHOLD and not probe_failed and retry_after is None:
                return False
            cool = min(MAX_COOL_DOWN, FIRST_COOL_DOWN * 2**state.opened)
            state.opened += 1
            if retry_after is not None:
                cool = max(cool, min(retry_after, MAX_RETRY_AFTER))
            state.open_until = self._clock() + cool
            state.config = False
            return True

    def misconfigured(self, permit: Permit, reason: str) -> bool:
        """A configuration failure (a 4xx other than 429) of the call `allow`ed with `permit`:
        open at once for a long, growing cool-down; True when this opened it. A straggler's
        (`_counts`: a concurrent call let out before the opening) only sets `last_failure`."""
        with self._lock:
            state = self._state
            self.last_failure = reason
            if not self._counts(permit):
                return False
            state.trial = None
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
