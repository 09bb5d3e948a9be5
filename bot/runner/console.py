"""The terminal channel: with no chat platform configured, `newsdigest run` prints an hourly
digest to the terminal so it shows something on its own. It is only a stand-in for "no chat at
all": once a chat platform is configured, a terminal channel the runner made gets no digests."""

from __future__ import annotations

import logging

import sqlite_utils

from bot.store import channels as channel_store
from bot.store.channels import ChannelRow

log = logging.getLogger(__name__)


def ensure_console_channel(db: sqlite_utils.Database, *, chat: bool) -> None:
    """Create the terminal channel unless a chat platform is configured (`chat`) or a console
    channel exists already."""
    if chat or channel_store.list_channels(db, "console"):
        return
    channel = channel_store.ensure_channel(db, "console", "terminal", name="terminal")
    channel_store.update_channel(db, channel.id, schedule="0 * * * *", origin="runner")
    log.info("no chat platform configured: printing an hourly digest to the terminal")


def without_runner_console(
    db: sqlite_utils.Database, channels: list[ChannelRow]
) -> list[ChannelRow]:
    """`channels` less the terminal channels an earlier run created (say, while Slack was
    unreachable): they must not keep printing digests now that a chat platform is configured."""
    rows = db.execute(
        "SELECT id FROM channels WHERE platform = 'console' AND origin = 'runner'"
    ).fetchall()
    runner_made = {row[0] for row in rows}
    return [c for c in channels if c.id not in runner_made]
