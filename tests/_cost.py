"""How a cost grows with its input, measured as a ratio in one run.

A test that asserts "under N seconds" fails on a slow or busy CI machine while the code is fine
(one did: 6.1 s of CPU against a 6 s budget). What such tests guard against is a cost that grows
faster than its input: a regex that backtracks, a loop that rescans. So they run the same work at
two sizes and compare: a machine that is twice as slow makes both runs twice as slow, and the
ratio stays put. Linear work grows by `factor`; quadratic work by `factor` squared.
"""

from __future__ import annotations

import time
from collections.abc import Callable

# Allowed growth, as a multiple of the linear growth: room for n log n, caches and a noisy
# neighbour, well below the `factor`-fold more that quadratic work costs.
SLACK = 3.0
# CPU seconds below which a small run counts as this long: a timer's grain and a page fault
# would otherwise make a tiny first run look like a steep curve.
FLOOR = 0.002


def cpu_seconds(run: Callable[[], object]) -> float:
    """CPU time `run()` takes in this thread: other threads and processes do not count."""
    started = time.thread_time()
    run()
    return time.thread_time() - started


def assert_grows_linearly(
    run: Callable[[int], object], size: int, *, factor: int = 8, repeats: int = 3
) -> None:
    """Fail if `run(size)` costs more than about `factor` times `run(size // factor)`.

    The small run is timed `repeats` times and the fastest taken. The large run is timed once and,
    only if it looks too slow, once more: noise only ever adds time, so the fastest run is the
    truest.
    """
    small_size = max(1, size // factor)
    small = min(cpu_seconds(lambda: run(small_size)) for _ in range(repeats))
    allowed = factor * SLACK * max(small, FLOOR)
    large = cpu_seconds(lambda: run(size))
    if large > allowed:
        small = min(small, cpu_seconds(lambda: run(small_size)))
        allowed = factor * SLACK * max(small, FLOOR)
        large = min(large, cpu_seconds(lambda: run(size)))
    assert large <= allowed, (
        f"size {size} took {large:.3f} s of CPU, size {small_size} took {small:.3f} s: "
        f"{large / max(small, FLOOR):.0f}x for {factor}x the input (at most {factor * SLACK:.0f}x)"
    )


def assert_costs_at_most(
    run: Callable[[], object], baseline: Callable[[], object], times: float, *, repeats: int = 3
) -> None:
    """Fail if `run()` costs more than `times` the CPU of `baseline()`, timed in the same run.

    For work whose danger is a large constant rather than a steep curve: the baseline is a plain
    pass over the same input (reading it, splitting it), which a slow machine slows alike.
    """
    base = min(cpu_seconds(baseline) for _ in range(repeats))
    cost = cpu_seconds(run)
    if cost > times * max(base, FLOOR):
        cost = min(cost, cpu_seconds(run))
        base = min(base, cpu_seconds(baseline))
    assert cost <= times * max(base, FLOOR), (
        f"{cost:.3f} s of CPU, {cost / max(base, FLOOR):.1f}x the baseline's {base:.3f} s "
        f"(at most {times}x)"
    )
