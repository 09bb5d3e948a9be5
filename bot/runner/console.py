"""The terminal channel: with no chat platform running, `newsdigest run` prints an hourly
digest to the terminal so it shows something on its own. It is only a stand-in for "no chat at
all": once a chat platform runs (or is being retried: it will run by itself), a terminal channel
the runner made is paused, saying so (`STANDING_IN`), so it gets nothing more (no digest, update
or notice printed to the log) and `channels list` tells why; started again with no chat platform,
it is resumed. A platform configured but not started for good (its token refused, a setting
missing) counts as none: pausing the stand-in for it left nothing printed or posted anywhere.
Deleting it is `newsdigest channels remove console:terminal`."""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

import sqlite_utils

from bot.store import channels as channel_store
from bot.store.channels import ChannelRow
from bot.store.loop_waits import when_free
from bot.store.sync import STANDING_IN

if TYPE_CHECKING:
    from bot.runner.platforms import Platform
    from bot.runner.service import Service

log = logging.getLogger(__name__)


def ensure_console_channel(db: sqlite_utils.Database, *, chat: bool) -> None:
    """Without a chat platform (`chat`), create the terminal channel unless a console channel
    exists already, and resume one paused for standing in; with one, pause those the runner
    made."""
    made = _runner_made(db)
    for channel in channel_store.list_channels(db, "console"):
        if channel.origin != "runner" and channel.paused_reason == STANDING_IN:
            # Declared in the file (or taken over) after it stood in: an older sync kept the
            # pause, and only the runner's own channels are its to pause.
            channel_store.update_channel(db, channel.id, paused_reason=None)
            log.info("terminal channel %s is declared: its stand-in pause lifted", channel.key)
    if chat:
        for channel in made:
            if not channel.paused_reason:
                channel_store.update_channel(db, channel.id, paused_reason=STANDING_IN)
                log.info("a chat platform runs: terminal channel %s paused", channel.key)
        return
    for channel in made:
        if channel.paused_reason == STANDING_IN:
            channel_store.update_channel(db, channel.id, paused_reason=None)
            log.info("no chat platform runs: terminal channel %s resumed", channel.key)
    if channel_store.list_channels(db, "console"):
        return
    channel = channel_store.ensure_channel(db, "console", "terminal", name="terminal")
    channel_store.update_channel(db, channel.id, schedule="0 * * * *", origin="runner")
    log.info("no chat platform runs: printing an hourly digest to the terminal")


async def platform_given_up(service: Service, platform: Platform) -> None:
    """A platform retried since the start will not start this run after all (its token refused,
    a setting to change). The command line hears it now, not at the minute's record, which left
    `status` saying "retrying in the background" meanwhile. With no other chat platform running
    or being retried, the terminal stands in again, as it does for a token refused at the first
    attempt: paused for a platform that never comes, it left nothing printed or posted."""
    await service.platform_state.record_when_free()
    if service.state != "running" or service.platforms or service.starter.being_retried():
        return
    service.chat_configured = False
    await settle_console(service)
    service.sync_jobs()


async def settle_console(service: Service) -> None:
    """`ensure_console_channel` for the service as it stands: a chat platform counts if one is
    configured (`chat_configured`) or registered with the outbox."""
    chat = service.chat_configured or bool(set(service.outbox.adapters) - {"console"})
    await when_free(service.db, partial(ensure_console_channel, service.db, chat=chat), whole=True)


def _runner_made(db: sqlite_utils.Database) -> list[ChannelRow]:
    return [c for c in channel_store.list_channels(db, "console") if c.origin == "runner"]


def without_runner_console(
    db: sqlite_utils.Database, channels: list[ChannelRow]
) -> list[ChannelRow]:
    """`channels` less the terminal channels an earlier run created (say, while Slack was
    unreachable): they must not keep printing digests now that a chat platform is configured,
    even resumed by hand (`channels resume`) while this run goes on."""
    runner_made = {c.id for c in _runner_made(db)}
    return [c for c in channels if c.id not in runner_made]
