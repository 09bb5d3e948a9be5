"""Feeds disabled because the network guard refused their address, enabled again once the
setting allows it.

A feed refused a private address is disabled with a reason saying that
`polling.allow_private_networks` would allow it (`bot.ingest.policy.refused_reason`). Turning the
setting on used to fix nothing until each feed was enabled by hand, one id at a time: each
polling pass (`newsdigest poll`, and `newsdigest run` at its start, when the config is read)
first enables every such feed the setting now allows, and logs it. The poll then checks the
address as it checks any: a redirect to a link-local address disables the feed again.
"""

from __future__ import annotations

import logging

import sqlite_utils

from bot.ingest.policy import REFUSED, allowed_now
from bot.pipeline.reenable import enable_disabled
from bot.store.feeds import FeedRow

log = logging.getLogger(__name__)

__all__ = ["enable_allowed"]


def enable_allowed(db: sqlite_utils.Database, *, allow_private_networks: bool) -> list[FeedRow]:
    """Enable the feeds disabled as refused that the setting now allows; returns them."""
    if not allow_private_networks:
        return []  # the common case: no query, no write

    def said(feed: FeedRow) -> None:
        log.info(
            "feed %s enabled again: polling.allow_private_networks now allows the address it"
            " was refused (%s)",
            feed.url, feed.disabled_reason,
        )  # fmt: skip

    return enable_disabled(
        db,
        REFUSED,
        holds_no_longer=lambda feed: allowed_now(feed.disabled_reason, allow_private_networks=True),
        said=said,
    )
