"""Feeds disabled for a reason that no longer holds, enabled again at the start of a polling pass:
the loop `refusals` (an address the setting now allows) and `internal_recovery` (a failure of our
own code counted against the feed) share, each with its own test of a feed and its own log line.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from bot.store import feeds as feed_store
from bot.store.feeds import FeedRow


def enable_disabled(
    db: sqlite_utils.Database,
    reason_prefix: str,
    *,
    holds_no_longer: Callable[[FeedRow], bool],
    said: Callable[[FeedRow], None],
) -> list[FeedRow]:
    """Enable each feed whose disabled reason starts with `reason_prefix` and for which
    `holds_no_longer` (given the feed as it was), in id order; `said` is told each one enabled,
    as it was. Returns the feeds enabled, as they are now (a feed removed meanwhile is not)."""
    rows = db["feeds"].rows_where("disabled_reason LIKE ?", [reason_prefix + "%"], order_by="id")
    enabled: list[FeedRow] = []
    for row in rows:
        feed = FeedRow.from_row(row)
        if not holds_no_longer(feed):
            continue
        again = feed_store.enable_feed(db, feed.id)
        if again is None:
            continue  # removed meanwhile
        said(feed)
        enabled.append(again)
    return enabled
