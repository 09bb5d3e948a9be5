"""`newsdigest channels remove CHANNEL` while `newsdigest run` is running: the channel can go
(another process, another connection to the same SQLite file) between the moment the service
read its row and the moment it writes what it queued for it. The service then takes it as
removed: nothing queued, one line at INFO, no traceback; the outbox drops what it had listed.
Two real connections on one database file, as the two processes have."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
import sqlite_utils
from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, add_story, make_card_source

from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digest_build, digests, feed_alerts
from bot.runner.digest_job import run_digest
from bot.store import channel_removal
from bot.store import deliveries as store
from bot.store.channels import ChannelRow
from bot.store.database import open_database

NOON = datetime(2027, 5, 4, 12, 0, tzinfo=UTC)
OWN_TABLES = ("deliveries", "alerts", "digest_runs", "topic_matches")


def remove_when(
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    other: sqlite_utils.Database,
    pk: int,
    module: ModuleType = digests,
) -> None:
    """`<module>.<name>` (what the service reads before it writes) runs, then the other
    process's `channels remove` commits: the race, made certain."""
    real = getattr(module, name)

    def then_removed(*args: Any, **kwargs: Any) -> Any:
        chosen = real(*args, **kwargs)
        assert channel_removal.delete_channel(other, pk)
        return chosen

    monkeypatch.setattr(module, name, then_removed)


def leftovers(db: sqlite_utils.Database, pk: int) -> dict[str, int]:
    return {
        table: db.execute(f"SELECT COUNT(*) FROM {table} WHERE channel_pk = ?", [pk]).fetchone()[0]
        for table in OWN_TABLES
    }


def gone_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "was removed" in r.getMessage()]


@pytest.fixture
def two(tmp_path: Path) -> tuple[sqlite_utils.Database, sqlite_utils.Database]:
    path = tmp_path / "nd.db"
    return open_database(path), open_database(path)


async def test_a_digest_job_whose_channel_is_removed_as_it_queues_queues_nothing(
    two: tuple[sqlite_utils.Database, sqlite_utils.Database],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    service_db, cli_db = two
    channel = add_channel(service_db, "C0GONE", mode="digest", schedule="0 12 * * *")
    for story in ("s1", "s2"):
        add_story(service_db, story, ["Gazette", "Courier"], now=NOON)
    # A job's digest is chosen off the loop (`bot.runner.digest_build`), the channel still there.
    remove_when(monkeypatch, "digest_selection", cli_db, channel.id, digest_build)
    kicked: list[bool] = []
    service = SimpleNamespace(
        db=service_db,
        clock=lambda: NOON,
        settings=SimpleNamespace(catch_up_window=digests.MAX_LOOKBACK),
        config=SimpleNamespace(digest_size=5),
        outbox=SimpleNamespace(kick=lambda: kicked.append(True)),
        digest_lock=asyncio.Lock(),
    )
    with caplog.at_level(logging.INFO):
        await run_digest(service, channel.id)  # type: ignore[arg-type]
    assert leftovers(service_db, channel.id) == dict.fromkeys(OWN_TABLES, 0)
    [said] = gone_lines(caplog)
    assert said.levelno == logging.INFO and channel.key in said.getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]


def test_instant_posts_for_a_channel_removed_as_they_are_queued_are_dropped(
    two: tuple[sqlite_utils.Database, sqlite_utils.Database],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    service_db, cli_db = two
    channel = add_channel(service_db, "C0GONE", mode="instant")
    add_story(service_db, "s1", ["Gazette", "Courier"], now=NOON)
    remove_when(monkeypatch, "instant_selection", cli_db, channel.id)
    with caplog.at_level(logging.INFO):
        assert digests.enqueue_instant(service_db, channel, now=NOON) == 0
    assert leftovers(service_db, channel.id) == dict.fromkeys(OWN_TABLES, 0)
    [said] = gone_lines(caplog)
    assert said.levelno == logging.INFO


async def test_the_outbox_drops_the_rows_of_a_channel_removed_while_it_sends(
    two: tuple[sqlite_utils.Database, sqlite_utils.Database], caplog: pytest.LogCaptureFixture
) -> None:
    service_db, cli_db = two
    channel = add_channel(service_db, "C0GONE", mode="instant")
    other = add_channel(service_db, "C0STAYS", mode="instant")
    for story in ("s1", "s2"):
        add_story(service_db, story, ["Gazette", "Courier"], now=NOON)
        for target in (channel, other):
            store.enqueue_story(service_db, story, target.id, now=NOON)

    class RemovedMidSend(FakeChatAdapter):
        """The first card lands, and the channel is removed before its answer is recorded."""

        async def post_card(self, target: ChannelRow, card: Any, *, nonce: str) -> Any:
            posted = await super().post_card(target, card, nonce=nonce)
            if target.id == channel.id:
                channel_removal.delete_channel(cli_db, channel.id)
            return posted

    adapter = RemovedMidSend()
    outbox = Outbox(
        service_db,
        make_card_source(service_db, NOON),
        settings=OutboxSettings(pace=0),
        clock=lambda: NOON,
    )
    outbox.register(adapter)  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO):
        await outbox.drain()
    assert [m.channel_id for m in adapter.cards()].count("C0GONE") == 1  # no second card
    assert len(adapter.cards("C0STAYS")) == 2  # the other channel is untouched
    assert leftovers(service_db, channel.id) == dict.fromkeys(OWN_TABLES, 0)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


def test_a_disabled_feeds_notice_skips_a_channel_removed_as_it_is_queued(
    two: tuple[sqlite_utils.Database, sqlite_utils.Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    service_db, cli_db = two
    gone = add_channel(service_db, "C0GONE", mode="instant")
    stays = add_channel(service_db, "C0STAYS", mode="instant")
    add_story(service_db, "s1", ["Gazette", "Courier"], now=NOON)
    for target in (gone, stays):
        store.enqueue_story(service_db, "s1", target.id, now=NOON)
    service_db.execute(
        "INSERT INTO feeds (id, url, origin, created_at, disabled_reason, disabled_at)"
        " VALUES (1, 'https://gazette.example/rss', 'cli', '2027', 'HTTP 410', ?)",
        [NOON.isoformat()],
    )
    service_db.execute("UPDATE articles SET feed_id = 1")
    real = feed_alerts.disabled_feed_text

    def then_removed(feed: Any) -> str:
        # The channels relying on the feed are read; the other process removes one now.
        channel_removal.delete_channel(cli_db, gone.id)
        return real(feed)

    monkeypatch.setattr(feed_alerts, "disabled_feed_text", then_removed)
    assert feed_alerts.alert_disabled_feeds(service_db, now=NOON) == 1
    keys = service_db.execute("SELECT channel_pk FROM alerts").fetchall()
    assert keys == [(stays.id,)]
