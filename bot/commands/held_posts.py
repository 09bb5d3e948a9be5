"""Posts held for a channel's quiet hours made due now when those hours change or end early:
`/watchlist quiet`, `/watchlist timezone`, and a resume (`bot.commands.pause`)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlite_utils

from bot.runner.schedule import quiet_until
from bot.store import quiet_holds
from bot.store.channels import ChannelRow


def release_quiet_holds(db: sqlite_utils.Database, before: ChannelRow, *, now: datetime) -> int:
    """The outbox stores a post held for quiet hours as due when they end, and does not look
    again until then: without this, `quiet off` would still leave tonight's digest until 07:00.
    Rows due at an end of the channel's *old* quiet hours are made due now; the outbox re-checks
    the new settings when it sends. Returns how many."""
    spec, zone = before.quiet_hours, before.timezone
    if not spec:
        return 0

    def held_until(when: datetime) -> bool:
        return quiet_until(when - timedelta(seconds=1), spec, zone) == when

    return quiet_holds.release_held(db, before.id, now=now, held_until=held_until)
