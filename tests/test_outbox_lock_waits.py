"""The outbox beside another process's write lock (`newsdigest poll`, a prune, an import).

A drain runs on the event loop, and its writes waited with the connection's whole busy timeout
(30 s): while another process held the lock and a post was due, nothing else on the loop ran
(chat commands, heartbeats, the gateway). Each drain step now waits only briefly, and what met
the lock is drained again shortly. A send whose outcome meets the lock is neither resent nor
lost: kept until it can be written, its row never taken for a crash leftover meanwhile. Real
SQLite file; the lock is held by a second connection, as another process would."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from _held_lock import FAILSAFE_SECONDS, HeldLock
from _loop_ticks import LoopTicks
from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, add_story, grow_story, make_card_source

from bot.cards import StoryCard
from bot.delivery.adapter import PostedMessage
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import update_planner
from bot.store import alerts as alert_store
from bot.store import deliveries as store
from bot.store.channels import ChannelRow
from bot.store.database import open_database, transaction

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
# The loop's ticks (20 ms each) the lock outlasts: held across a few of the drain's brief waits.
TICKS_HELD = 25


def lock_until_ticks(path: Path, ticks: LoopTicks) -> HeldLock:
    """Another connection's write lock, let go once the event loop has ticked `TICKS_HELD`
    more times: a stalled loop never ticks, and only the failsafe lets it go then."""
    target = ticks.count + TICKS_HELD
    return HeldLock(path, lambda: ticks.count >= target)


class LockDuringPost(FakeChatAdapter):
    """A chat whose first post lands while another process takes the write lock: the lock is
    held until `release`, so the post's outcome cannot be written meanwhile."""

    def __init__(self, path: Path) -> None:
        super().__init__("slack", searchable=False)
        self.path = path
        self.lock: sqlite3.Connection | None = None

    async def post_card(self, channel: ChannelRow, card: StoryCard, *, nonce: str) -> PostedMessage:
        posted = await super().post_card(channel, card, nonce=nonce)
        if self.lock is None:
            self.lock = sqlite3.connect(self.path, isolation_level=None)
            self.lock.execute("BEGIN IMMEDIATE")
        return posted

    def release(self) -> None:
        assert self.lock is not None
        self.lock.execute("COMMIT")
        self.lock.close()


def world(tmp_path: Path, chat: FakeChatAdapter, *, busy_ms: int = 2000) -> tuple[Outbox, int]:
    db = open_database(tmp_path / "nd.db")
    # The old code's waits were the connection's whole busy timeout (30 s): shorter here, so
    # that a failing run ends in seconds. The drain's brief waits are shorter still.
    db.execute(f"PRAGMA busy_timeout = {busy_ms}")
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=lambda: T0)
    outbox.register(chat)
    channel = add_channel(db, "C1")
    add_story(db, "s1", ["A"], now=T0)
    store.enqueue_story(db, "s1", channel.id, now=T0)
    [row] = store.in_state(db, "pending")
    return outbox, row.id


async def until(predicate: Callable[[], bool]) -> None:
    for _ in range(int(FAILSAFE_SECONDS * 2 / 0.02)):
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("timed out")


async def test_a_due_post_under_another_process_lock_leaves_the_loop_free_and_goes_out_after(
    tmp_path: Path,
) -> None:
    chat = FakeChatAdapter()
    # A wait longer than the failsafe: a drain waiting it out on the loop stalls it until then.
    outbox, row_id = world(tmp_path, chat, busy_ms=int(FAILSAFE_SECONDS * 2000))
    stop = asyncio.Event()
    async with LoopTicks() as ticks:
        lock = lock_until_ticks(tmp_path / "nd.db", ticks)
        # A long idle: only the drain's own retry after meeting the lock brings the post out.
        running = asyncio.create_task(outbox.run(stop, idle=600))
        await until(lock.released.is_set)
        # The loop ticked on while the lock was held: it was let go for that, not by the
        # failsafe.
        assert lock.released_when_told
        await until(lambda: bool(chat.cards()))
        stop.set()
        await running
    assert len(chat.cards()) == 1
    row = store.get(outbox.db, row_id)
    assert row is not None and row.state == "sent" and row.message_ref == chat.cards()[0].ref


async def test_a_post_whose_outcome_meets_the_lock_is_recorded_later_never_resent(
    tmp_path: Path,
) -> None:
    chat = LockDuringPost(tmp_path / "nd.db")
    outbox, row_id = world(tmp_path, chat)

    await outbox.drain()
    assert len(chat.cards()) == 1
    claimed = store.get(outbox.db, row_id)
    assert claimed is not None and claimed.state == "sending"

    # More drains while the lock is held: the row is not taken for a crash leftover (looked
    # for, and with a chat that cannot find it, resent).
    for _ in range(2):
        try:
            await outbox.drain()
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc)
    assert chat.lookups == []
    assert len(chat.cards()) == 1

    chat.release()
    await outbox.drain()
    sent = store.get(outbox.db, row_id)
    assert sent is not None and sent.state == "sent"
    assert sent.message_ref == chat.cards()[0].ref
    assert chat.lookups == []
    assert len(chat.cards()) == 1
    assert outbox.unsettled == {} and outbox.in_flight == set()


async def test_an_outcome_still_unwritten_at_stop_is_left_sending_for_the_next_start(
    tmp_path: Path,
) -> None:
    """Stopped while the lock lasts: the row stays `sending`, which the next start looks for
    before resending (as after a crash), rather than pending (sent twice) or lost."""
    chat = LockDuringPost(tmp_path / "nd.db")
    outbox, row_id = world(tmp_path, chat)
    stop = asyncio.Event()
    running = asyncio.create_task(outbox.run(stop, idle=600))
    await until(lambda: bool(chat.cards()))
    stop.set()
    outbox.kick()
    await running
    chat.release()
    row = store.get(outbox.db, row_id)
    assert row is not None and row.state == "sending"

    restarted = Outbox(
        outbox.db,
        make_card_source(outbox.db, T0),
        settings=OutboxSettings(pace=0),
        clock=lambda: T0,
    )
    chat.searchable = True
    restarted.register(chat)
    await restarted.drain()
    found = store.get(outbox.db, row_id)
    assert found is not None and found.state == "sent"
    assert len(chat.cards()) == 1


async def test_a_card_that_meets_the_lock_while_built_uses_no_attempt(tmp_path: Path) -> None:
    """Building the card wrote bookkeeping (as the LLM budget does) and met another process's
    lock, which went just after: counted as one of the row's few tries at a card that cannot
    be built (three and it is given up). Now the drain tries it again shortly, no try used."""
    chat = FakeChatAdapter()
    outbox, row_id = world(tmp_path, chat)
    cards = make_card_source(outbox.db, T0)
    held: list[HeldLock] = []

    def booking_card(story_id: str, channel: ChannelRow) -> StoryCard | None:
        if not held:  # the first card: another process takes the lock, and lets it go after
            done = threading.Event()
            held.append(HeldLock(tmp_path / "nd.db", done.is_set))
            try:
                with transaction(outbox.db):
                    outbox.db.execute("UPDATE stories SET headline = headline")
            finally:
                done.set()
                held[0].released.wait(FAILSAFE_SECONDS)
        return cards(story_id, channel)

    outbox.card_source = booking_card
    await outbox.drain()
    row = store.get(outbox.db, row_id)
    assert row is not None and row.state == "pending" and row.attempts == 0
    assert chat.cards() == []
    await outbox.drain()
    sent = store.get(outbox.db, row_id)
    assert sent is not None and sent.state == "sent" and sent.attempts == 1
    assert len(chat.cards()) == 1


async def test_an_update_planned_after_a_post_that_meets_the_lock_is_planned_by_the_next_drain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The story grew while its card was being sent; the post was recorded, then planning its
    update met another process's lock: the update was never planned (the story may never
    change again). Now the next drain plans it."""
    chat = FakeChatAdapter()
    outbox, row_id = world(tmp_path, chat)
    real = update_planner.enqueue_updates
    locks: list[sqlite3.Connection] = []

    def lock_taken_first(*args: Any, **kwargs: Any) -> int:
        if not locks:  # the story grew meanwhile, and another process took the lock
            grow_story(outbox.db, "s1", ["B", "C"], now=T0)
            locks.append(sqlite3.connect(tmp_path / "nd.db", isolation_level=None))
            locks[0].execute("BEGIN IMMEDIATE")
        return real(*args, **kwargs)

    monkeypatch.setattr(update_planner, "enqueue_updates", lock_taken_first)
    await outbox.drain()
    sent = store.get(outbox.db, row_id)
    assert sent is not None and sent.state == "sent"
    assert (
        outbox.db.execute("SELECT COUNT(*) FROM deliveries WHERE kind = 'update'").fetchone()[0]
        == 0
    )
    locks[0].execute("COMMIT")
    locks[0].close()
    await outbox.drain()
    updates = outbox.db.execute("SELECT story_id FROM deliveries WHERE kind = 'update'")
    assert [r[0] for r in updates] == ["s1"]
    assert outbox.unsettled == {} and outbox.in_flight == set()


class NoticeLockDuringPost(FakeChatAdapter):
    """A chat whose first notice lands while another process takes the write lock, held until
    `release`: neither the piece that landed nor the notice's being sent can be written."""

    def __init__(self, path: Path) -> None:
        super().__init__("slack", searchable=False)
        self.path = path
        self.lock: sqlite3.Connection | None = None

    async def post_text(
        self,
        channel: ChannelRow,
        text: str,
        *,
        start: int = 0,
        posted: Callable[[int], None] | None = None,
        nonce: str | None = None,
    ) -> None:
        if self.lock is None:
            self.lock = sqlite3.connect(self.path, isolation_level=None)
            self.lock.execute("BEGIN IMMEDIATE")
        await super().post_text(channel, text, start=start, posted=posted, nonce=nonce)

    def release(self) -> None:
        assert self.lock is not None
        self.lock.execute("COMMIT")
        self.lock.close()


async def test_a_notice_whose_outcome_meets_the_lock_is_recorded_later_never_resent(
    tmp_path: Path,
) -> None:
    """A notice that landed while the lock was taken was left `sending`, requeued by the next
    drain and, where the chat cannot look for it, sent again."""
    db = open_database(tmp_path / "nd.db")
    db.execute("PRAGMA busy_timeout = 2000")
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=lambda: T0)
    chat = NoticeLockDuringPost(tmp_path / "nd.db")
    outbox.register(chat)
    channel = add_channel(db, "C1")
    with transaction(db):
        alert_id = alert_store.queue_alert(db, channel.id, "note", "A notice.", now=T0)
    for _ in range(3):  # the lock held throughout
        try:
            await outbox.drain()
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc)
    assert len(chat.texts()) == 1
    chat.release()
    await outbox.drain()
    await outbox.drain()
    [(state, pieces)] = db.execute(
        "SELECT state, pieces_posted FROM alerts WHERE id = ?", [alert_id]
    ).fetchall()
    assert (state, pieces) == ("sent", 1)
    assert len(chat.texts()) == 1
    assert outbox.unsettled == {}
