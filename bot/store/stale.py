"""The one stale rule for queued chat posts, shared by the delivery rows and the notices.

`OutboxSettings.stale_after` (the story window), for every kind of row: a story post, a thread
update (to a thread days old, after a long pause, it is noise; a resumed channel's updates are
planned afresh) and a notice (`bot.store.alerts.expire_stale`). A row
queued before the cutoff is given up, never sent. `bot.store.deliveries.is_stale` judges a row in
hand (one that may have landed, whose lookup keeps failing) and the `expire_stale` of deliveries
and alerts every waiting row at once, all by `stale_cutoff`, so they cannot drift apart. (A
"feed disabled" notice is the one exception: it waits while its feed stays disabled.)
"""

from __future__ import annotations

from datetime import datetime, timedelta


def stale_cutoff(now: datetime, stale_after: timedelta) -> datetime:
    """Rows queued before this are stale (`OutboxSettings.stale_after`)."""
    return now - stale_after
