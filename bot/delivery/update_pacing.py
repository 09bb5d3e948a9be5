"""How soon a story's next thread reply may follow the last post about it in a channel: paced,
so a story that keeps growing does not ping the thread every time a poll finds one more outlet.

The gap doubles with each reply of a run: `interval` (the runner's `update_interval`, an hour
by default) after the card, then twice that after the first reply, four times after the second,
and at most `MAX_FACTOR` times (eight hours) after any later one. A story steadily growing for a
day gets five replies instead of one an hour. A run ends when the story went quiet: news first
seen more than the longest gap (8 h) after the last reply makes that reply the first of a new
run, so a story that comes back hours later is told at once, and the reply after it comes twice
the interval later, as after a card's first.

Nothing is dropped or delayed on the card itself: while a reply waits out its gap, the planner
edits the card to the story's count (silent, no notification, `bot.runner.update_planner`), and
the reply, when it comes, names every outlet that joined since the last reply, not only since the
last edit (`bot.delivery.updates.unseen_outlets` against the last post or reply).

The run is read from the outbox's rows alone (when each reply was first queued, which is when
the planner first saw news after the one before, and when it was sent), so a restart paces
exactly as if the process had kept running.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

# The longest gap, as a multiple of the interval: 1, 2, 4, 8.
MAX_FACTOR = 8


def reply_gap(replies: Sequence[tuple[datetime, datetime]], *, interval: timedelta) -> timedelta:
    """The shortest time from the last post or reply to the next reply. `replies` are the
    thread's sent replies, oldest first, as (when first queued, when sent); the card's own post
    comes before the first."""
    longest = interval * MAX_FACTOR
    run = 0  # replies in the current run
    last_sent: datetime | None = None
    for queued, sent in replies:
        # The first reply follows the card: its gap was `interval` whatever the wait.
        quiet = last_sent is not None and queued - last_sent > longest
        run = 1 if quiet else run + 1
        last_sent = sent
    return interval * min(2**run, MAX_FACTOR)
