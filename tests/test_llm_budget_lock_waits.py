"""The LLM token budget's bookings while the service builds a card (`Summarizer.asummarize`)
beside another process's write lock: the reservation before the call and the correction after
it waited with the connection's busy timeout (30 s) on the event loop. They now wait with the
loop free, and the day's count is exact once the lock is let go: the call booked once, its
estimate replaced by what it cost.

Real SQLite file, the fake chat-completions endpoint on loopback (`fakes.llm_api`); the lock is
held by a second connection, as another process would, and let go once the loop has ticked on
(`_held_lock`): a loop frozen waiting for the lock never ticks, and only the failsafe lets it go
then."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from _held_lock import FAILSAFE_SECONDS, HeldLock
from _loop_ticks import LoopTicks
from fakes.clock import Clock
from fakes.llm_api import FakeCompletions, chat_body, serve_completions
from fakes.runner import slack_service, stop

from bot.store.database import notice_waits, open_database
from bot.summarize import LLMSettings, Summarizer
from bot.summarize.llm_budget import TokenBudget
from tests.test_summarize_fixtures import harbor_bridge_story

T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)
COST = 777  # what the endpoint says the call used
TICKS = 25


@pytest.fixture()
def endpoint() -> Iterator[str]:
    answer = {"tldr": ["Nothing the sources say."], "angles": []}
    with serve_completions(chat_body(json.dumps(answer), tokens=COST)) as url:
        yield url


@pytest.fixture()
def database(tmp_path: Path) -> Iterator[sqlite_utils.Database]:
    db = open_database(tmp_path / "nd.db")
    # Longer than the lock's failsafe: a booking waiting it out on the loop stalls it until then.
    db.execute(f"PRAGMA busy_timeout = {int(FAILSAFE_SECONDS * 2000)}")
    yield db
    db.conn.close()


def budget_of(summarizer: Summarizer) -> TokenBudget:
    writer = summarizer._writer
    assert writer is not None
    return writer.budget


def marking(monkeypatch: pytest.MonkeyPatch, name: str, ticks: LoopTicks) -> list[int]:
    """The loop's tick count at each call of `TokenBudget.name`."""
    marks: list[int] = []
    real = getattr(TokenBudget, name)

    def marked(self: TokenBudget, *args: Any) -> Any:
        marks.append(ticks.count)
        return real(self, *args)

    monkeypatch.setattr(TokenBudget, name, marked)
    return marks


def database_path(db: sqlite_utils.Database) -> str:
    return next(row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main")


async def test_a_cards_booking_beside_a_lock_leaves_the_loop_free_and_books_once(
    endpoint: str, database: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    summarizer = Summarizer(LLMSettings(base_url=endpoint, model="m", timeout=5), db=database)
    async with LoopTicks() as ticks:
        marks = marking(monkeypatch, "reserve", ticks)
        lock = HeldLock(
            database_path(database), lambda: bool(marks) and ticks.count >= marks[0] + TICKS
        )
        await summarizer.asummarize(harbor_bridge_story(), story="bridge")
        await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
    # Let go because the loop ticked on while the booking waited, not by the failsafe.
    assert lock.released_when_told
    assert len(FakeCompletions.requests) == 1  # the call went out once the lock was free
    await budget_of(summarizer).settled()
    assert budget_of(summarizer).used() == COST  # booked once, settled to what it cost


async def test_a_cards_correction_beside_a_lock_is_written_once_it_is_free(
    endpoint: str, database: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    summarizer = Summarizer(LLMSettings(base_url=endpoint, model="m", timeout=5), db=database)
    held = FakeCompletions.hold(0)
    async with LoopTicks() as ticks:
        card = asyncio.ensure_future(summarizer.asummarize(harbor_bridge_story(), story="b"))
        assert await asyncio.to_thread(held.arrived.wait, 5)
        estimate = budget_of(summarizer).used()
        assert estimate not in (0, COST)  # booked ahead: the correction has a difference
        # The lock is taken while the endpoint answers: the correction after it meets it.
        marks = marking(monkeypatch, "settle", ticks)
        lock = HeldLock(
            database_path(database), lambda: bool(marks) and ticks.count >= marks[0] + TICKS
        )
        held.release()
        await card
        await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
    assert lock.released_when_told
    await budget_of(summarizer).settled()
    # Written once the lock was free, once: before, a lock past the wait left the estimate.
    assert budget_of(summarizer).used() == COST


def used_on_disk(path: Path, day: str) -> int:
    """The day's count as another process reads it, after the service closed its database."""
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT tokens FROM llm_usage WHERE day = ?", [day]).fetchone()
    finally:
        conn.close()
    return int(row[0]) if row else 0


async def test_a_correction_waiting_for_a_lock_at_a_stop_is_written_before_the_close(
    tmp_path: Path,
) -> None:
    """The stop waits for it (within its grace): the loop's end cancelled it, the day's count
    left at the estimate, and nothing said."""
    service, _chat = slack_service(tmp_path, Clock(T0))
    await service.start()
    budget = TokenBudget(10_000, service.db)
    day = budget.reserve(100)
    assert day is not None
    async with LoopTicks() as ticks:
        target = ticks.count + TICKS
        lock = HeldLock(tmp_path / "nd.db", lambda: ticks.count >= target)
        budget.settle(day, 100, 40)  # the call's answer came: it cost 40, not the 100 booked
        await stop(service)  # SIGTERM now, the lock still held
        await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
    assert lock.released_when_told
    assert used_on_disk(tmp_path / "nd.db", day) == 40


async def test_a_correction_still_waiting_when_the_stops_grace_ends_says_it_stays_booked(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    service, _chat = slack_service(tmp_path, Clock(T0))
    service.settings = replace(service.settings, shutdown_grace=0.4)
    await service.start()
    budget = TokenBudget(10_000, service.db)
    day = budget.reserve(100)
    assert day is not None
    stopped = False
    lock = HeldLock(tmp_path / "nd.db", lambda: stopped)
    try:
        budget.settle(day, 100, 40)
        with caplog.at_level(logging.WARNING, logger="bot.summarize.llm_budget"):
            await stop(service)
    finally:
        stopped = True
        await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
    assert lock.released_when_told
    assert "estimate of 100 tokens stays booked" in caplog.text
    assert used_on_disk(tmp_path / "nd.db", day) == 100


async def test_on_the_command_line_a_correction_waits_for_the_lock_in_place(
    database: sqlite_utils.Database,
) -> None:
    """`newsdigest chat`'s /story (`notice_waits` set): no service to keep the loop free for,
    and the command's loop ends with it, which cancelled a correction left to a task."""
    budget = TokenBudget(10_000, database)
    day = budget.reserve(100)
    assert day is not None
    notice_waits(lambda: None)
    lock = HeldLock(database_path(database), lambda: False, failsafe=0.3)
    try:
        budget.settle(day, 100, 40)
        assert budget.used(day) == 40  # written before settle returned
    finally:
        notice_waits(None)
        await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
