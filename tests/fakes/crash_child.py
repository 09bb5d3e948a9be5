"""The bot process the crash tests kill: open the database, run every digest channel's scheduled
digest (as the runner's digest job does: enqueue rows + record the run in one transaction), then
drain the outbox against the fake chat server. Usage: python -m fakes.crash_child DB URL."""

from __future__ import annotations

import asyncio
import os
import sys

from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests
from bot.store import channels as channel_store
from bot.store.database import open_database, utcnow
from fakes.http_chat import HttpChatAdapter
from fakes.stories import make_card_source


async def main(db_path: str, url: str) -> None:
    db = open_database(db_path)
    now = utcnow()
    pace = float(os.environ.get("NEWSDIGEST_POST_PACE", "0"))
    outbox = Outbox(db, make_card_source(db, now), settings=OutboxSettings(pace=pace))
    outbox.register(HttpChatAdapter(url, platform="slack"))
    print("ready", flush=True)  # the random-kill test starts its timer here
    # Reconcile first, as the service does: its outbox loop starts with a drain.
    await outbox.drain()
    for channel in channel_store.list_channels(db):
        digests.enqueue_digest(db, channel, now=now)
    report = await outbox.drain()
    print(f"sent={report.sent} reconciled={report.reconciled}", flush=True)
    db.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
