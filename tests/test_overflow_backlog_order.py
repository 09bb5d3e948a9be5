"""A digest's backlog's message goes out after that digest's list, which names it ("the longest
waiting next"), even when the list is put off on its own backoff (a 5xx); it holds no other
notice, and goes alone once the list failed. Real SQLite files, the real digest code and outbox,
a fake chat platform."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils
from _kept_matches import drain
from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, add_story

from bot.delivery.adapter import TransientDeliveryError
from bot.runner import digests
from bot.runner.overflow import MAX_LISTED
from bot.store import alerts
from bot.store.channels import ChannelRow
from bot.store.database import open_database

MONDAY = datetime(2027, 6, 7, 9, 0, tzinfo=UTC)
TUESDAY = MONDAY + timedelta(days=1)
LIST = "Also matching this channel"
BACKLOG = "More without a card"


def _stories(db: sqlite_utils.Database, prefix: str, count: int, *, now: datetime) -> None:
    for i in range(count):
        add_story(db, f"{prefix}{i:02}", ["Gazette", "Courier"], now=now)


async def _behind(tmp_path: Path) -> tuple[sqlite_utils.Database, ChannelRow]:
    """Monday's digest sent, counting 15 stories; Tuesday's queued: a card, its list of ten of
    them, and its backlog's message with the other five and Tuesday's stories."""
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    _stories(db, "a", 1 + MAX_LISTED + 15, now=MONDAY - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=MONDAY, scheduled_for=MONDAY, default_size=1)
    await drain(db, MONDAY)
    _stories(db, "b", 5, now=TUESDAY - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=TUESDAY, scheduled_for=TUESDAY, default_size=1)
    return db, channel


def _firsts(chat: FakeChatAdapter) -> list[str]:
    """Each notice posted, as its kind (the list, the backlog's message) or its text."""
    return [
        next((k for k in (LIST, BACKLOG) if m.text.startswith(k)), m.text) for m in chat.texts()
    ]


async def test_the_backlog_message_waits_for_its_list_put_off_by_a_5xx(tmp_path: Path) -> None:
    db, _ = await _behind(tmp_path)
    chat = FakeChatAdapter("slack")
    chat.failures = [None, TransientDeliveryError("503 from the platform")]  # card, then list
    await drain(db, TUESDAY, chat)
    assert len(chat.cards()) == 1
    assert chat.texts() == []
    (backlog_at,) = db.execute(
        "SELECT next_attempt_at FROM alerts WHERE key LIKE 'digest-backlog:%'"
    ).fetchone()
    (list_at,) = db.execute(
        "SELECT next_attempt_at FROM alerts WHERE key = ?", [f"digest-more:{TUESDAY.isoformat()}"]
    ).fetchone()
    assert backlog_at == list_at
    await drain(db, TUESDAY + timedelta(hours=1), chat)
    assert _firsts(chat) == [LIST, BACKLOG]
    db.close()


async def test_a_failing_list_holds_no_other_notice(tmp_path: Path) -> None:
    db, channel = await _behind(tmp_path)
    alerts.enqueue_alert(db, channel.id, "feed-disabled:1:x", "A feed was disabled.", now=TUESDAY)
    db.conn.commit()
    chat = FakeChatAdapter("slack")
    chat.failures = [None, TransientDeliveryError("503 from the platform")]
    await drain(db, TUESDAY, chat)
    assert [m.text for m in chat.texts()] == ["A feed was disabled."]
    db.close()


async def test_the_backlog_message_goes_alone_once_its_list_failed(tmp_path: Path) -> None:
    """A guard: passes on the code before this change too, and keeps a backlog message whose
    list failed going out on its own."""
    db, _ = await _behind(tmp_path)
    db.execute(
        "UPDATE alerts SET state = 'failed' WHERE key = ?", [f"digest-more:{TUESDAY.isoformat()}"]
    )
    db.conn.commit()
    chat = await drain(db, TUESDAY)
    assert _firsts(chat) == [BACKLOG]
    db.close()
