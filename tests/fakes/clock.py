"""A clock tests move by hand: pass it where the code takes `clock=`, then set `.now`."""

from __future__ import annotations

from datetime import datetime, timedelta


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Clocks:
    """A fake wall clock and a fake monotonic one, moved by hand: a step of the system clock is
    the wall clock moving other than the monotonic one (`bot.runner.clock_watch`)."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.mono = 1000.0

    def wall(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.mono

    def run(self, seconds: float, *, wall_step: float = 0.0) -> None:
        """`seconds` pass; the wall clock also steps by `wall_step`."""
        self.mono += seconds
        self.now += timedelta(seconds=seconds + wall_step)
