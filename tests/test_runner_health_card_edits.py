"""/healthz counts posts (stories and thread updates) apart from card edits: an edit of a card
that an update could not make (`refresh`, retried by the outbox after the reply landed) is no
post waiting, and shows under `card_edits`. Real service, SQLite file and health server; the
in-memory chat platform fails the edit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from fakes.runner import health_url, start_slack_service, stop
from fakes.stories import add_story, grow_story

from bot.config import ChannelConfig
from bot.delivery.adapter import TransientDeliveryError
from bot.runner import digests, update_planner
from bot.store import channels as channel_store

T0 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)
NONE = {"pending": 0, "sending": 0}


async def test_a_card_edit_waiting_is_no_pending_post(tmp_path: Path) -> None:
    service, chat = await start_slack_service(
        tmp_path, lambda: T0, ChannelConfig(platform="slack", id="C1", min_sources=1), health=True
    )
    url = health_url(service)
    channel = channel_store.get_channel(service.db, "slack", "C1")
    assert channel is not None

    add_story(service.db, "s1", ["A", "B"], now=T0)
    digests.enqueue_digest(service.db, channel, now=T0)
    await service.outbox.drain()
    grow_story(service.db, "s1", ["C"], now=T0)
    assert update_planner.enqueue_updates(service.db, {"s1"}, now=T0, interval=timedelta(0))
    chat.edit_failures = [TransientDeliveryError("Slack chat.update: internal_error")]
    await service.outbox.drain()  # the update's reply lands, its edit of the card does not
    assert len(chat.updates()) == 1 and chat.edits == []

    async with httpx.AsyncClient() as client:
        body = (await client.get(url)).json()
    await stop(service)

    assert body["deliveries"] == NONE  # the card and its update were sent: none waits
    assert body["pending_deliveries"] == 0
    assert body["card_edits"] == {**NONE, "pending": 1}
    assert body["status"] == "ok"
