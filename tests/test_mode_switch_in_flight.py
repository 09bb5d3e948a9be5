"""An instant post being sent when its channel switches to digest mode (`return_to_digest_pool`
marks it): if it goes back to pending, by `release` or `unclaim`, it returns to the digest pool,
unless the channel is in instant mode again by then. A digest's own card going back to pending
for a retry stays queued. A real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from fakes.stories import add_channel, add_story

from bot.runner import digests
from bot.store import channels as channel_store
from bot.store import deliveries
from bot.store.database import open_database, transaction
from bot.store.deliveries import DeliveryRow
from bot.store.queued_posts import return_to_digest_pool

NOON = datetime(2027, 5, 4, 12, 0, tzinfo=UTC)


def _in_flight(path: Path, mode: str) -> tuple[sqlite_utils.Database, DeliveryRow]:
    db = open_database(path)
    channel = add_channel(db, "C1", platform="slack", mode=mode)
    add_story(db, "quay", ["Gazette", "Courier"], now=NOON - timedelta(hours=1))
    if mode == "instant":
        assert digests.enqueue_instant(db, channel, now=NOON) == 1
    else:
        assert digests.enqueue_digest(db, channel, now=NOON, scheduled_for=NOON) == 1
    row = deliveries.claim(db, deliveries.in_state(db, "pending")[0].id, NOON)
    assert row is not None
    return db, row


def _switch(db: sqlite_utils.Database, mode: str) -> None:
    channel = channel_store.get_channel(db, "slack", "C1")
    assert channel is not None
    with transaction(db):
        channel_store.update_channel(db, channel.id, mode=mode)
        if mode == "digest":
            return_to_digest_pool(db, channel.id)


@pytest.mark.parametrize("back", ["release", "unclaim"])
def test_back_to_pending_in_a_digest_channel_it_returns_to_the_pool(
    tmp_path: Path, back: str
) -> None:
    db, row = _in_flight(tmp_path / "nd.db", "instant")
    _switch(db, "digest")
    assert deliveries.get(db, row.id) is not None  # in flight: it may land
    if back == "release":
        deliveries.release(db, row.id, now=NOON, next_attempt_at=NOON)
    else:
        deliveries.unclaim(db, row.id, now=NOON, next_attempt_at=NOON, error="503")
    assert deliveries.get(db, row.id) is None


def test_switched_back_to_instant_it_goes_out_as_an_instant_post(tmp_path: Path) -> None:
    db, row = _in_flight(tmp_path / "nd.db", "instant")
    _switch(db, "digest")
    _switch(db, "instant")
    deliveries.release(db, row.id, now=NOON, next_attempt_at=NOON)
    kept = deliveries.get(db, row.id)
    assert kept is not None and kept.state == "pending"


def test_a_digest_card_back_to_pending_stays_queued(tmp_path: Path) -> None:
    db, row = _in_flight(tmp_path / "nd.db", "digest")
    deliveries.release(db, row.id, now=NOON, next_attempt_at=NOON)
    kept = deliveries.get(db, row.id)
    assert kept is not None and kept.state == "pending"
