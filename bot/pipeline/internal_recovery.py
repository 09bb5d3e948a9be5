"""Feeds an older version disabled for a failure of our own code, enabled again.

Before internal errors stopped counting against a feed (`bot.ingest.policy.record_internal_error`),
a poll our own code failed (a bug, a module missing after `git pull` without `pip install`) was
counted as the feed's failure: after `max_failures` such polls the feed was disabled, "disabled
after 10 consecutive failures; last error: internal error: ...", and stayed so after the fix
until each feed was enabled by hand. Each polling pass (`newsdigest poll`, and `newsdigest run`
at its start) first enables every feed disabled so: by the failure count, its last error one of
ours. A feed disabled for a refused address, a 410, a move, or a count of real failures is left
as it is.
"""

from __future__ import annotations

import logging

import sqlite_utils

from bot.ingest.errors import is_internal_error
from bot.pipeline.reenable import enable_disabled
from bot.store.feeds import FeedRow

log = logging.getLogger(__name__)

__all__ = ["enable_internal_disabled", "was_internal_disable"]

# How `policy.record_failure` words a disable by the count; what follows LAST is the error.
_BY_COUNT = "disabled after "
_LAST = " consecutive failures; last error: "
# How versions before internal errors had their prefix worded a crash of ours in the poller,
# the parser or the store: as internal errors as "internal error: ..." is, and as likely the
# error that disabled a feed after an upgrade.
_OLD_INTERNAL = (
    "polling crashed: ",
    "feed could not be read (internal error: ",
    "entries could not be stored (internal error: ",
    "the poll could not be recorded (internal error: ",
)


def _ours(error: str | None) -> bool:
    return is_internal_error(error) or (error or "").startswith(_OLD_INTERNAL)


def was_internal_disable(feed: FeedRow) -> bool:
    """Whether the feed was disabled by the failure count with an error of our own code last,
    in its reason and its stored last error alike (a refused address, a 410 or a move word their
    reason otherwise)."""
    reason = feed.disabled_reason or ""
    count, found, error = reason.partition(_LAST)
    return (
        bool(found)
        and count.startswith(_BY_COUNT)
        and count[len(_BY_COUNT) :].isdigit()
        and _ours(error)
        and _ours(feed.last_error)
    )


def enable_internal_disabled(db: sqlite_utils.Database) -> list[FeedRow]:
    """Enable the feeds an internal error disabled by the count, their failures reset and due at
    once (`feeds enable`'s fresh start); returns them."""

    def said(feed: FeedRow) -> None:
        log.info(
            "feed %s enabled again: an older version disabled it for an internal error, which"
            " no longer counts against a feed (%s)",
            feed.url, feed.last_error,
        )  # fmt: skip

    return enable_disabled(db, _BY_COUNT, holds_no_longer=was_internal_disable, said=said)
