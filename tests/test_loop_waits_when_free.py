"""`loop_waits.when_free`, the service's own blocking writes beside another connection's write
lock: run once the lock is free, the loop ticking meanwhile; several waiting at once are held
back behind the first (each trying its brief wait in one turn of the loop held it for all of
them), and land in the order they were asked; a write that changed rows before it met the lock
is not run again; past the connection's busy timeout the lock's error is raised, as SQLite's
own wait would have. Real SQLite file; the lock is another connection's (`_held_lock`)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from _held_lock import FAILSAFE_SECONDS, HeldLock
from _loop_ticks import LoopTicks

from bot.store import database as db_module
from bot.store.database import is_busy, notice_waits, open_database, transaction
from bot.store.loop_waits import when_free


@pytest.fixture()
def database(tmp_path: Path) -> sqlite_utils.Database:
    db = open_database(tmp_path / "nd.db")
    db.execute("CREATE TABLE said (n INTEGER)")
    db.execute(f"PRAGMA busy_timeout = {int(FAILSAFE_SECONDS * 2000)}")
    return db


def path_of(db: sqlite_utils.Database) -> str:
    return next(row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main")


def said(db: sqlite_utils.Database) -> list[int]:
    return [row[0] for row in db.execute("SELECT n FROM said ORDER BY rowid")]


def say(db: sqlite_utils.Database, n: int) -> int:
    with transaction(db):
        db.execute("INSERT INTO said (n) VALUES (?)", [n])
    return n


async def test_writes_beside_a_lock_land_once_each_in_order_the_loop_ticking(
    database: sqlite_utils.Database,
) -> None:
    async with LoopTicks() as ticks:
        target = ticks.count + 25
        lock = HeldLock(path_of(database), lambda: ticks.count >= target)
        done = await asyncio.gather(
            *(when_free(database, lambda n=n: say(database, n)) for n in range(5))
        )
        await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
    assert lock.released_when_told
    assert done == [0, 1, 2, 3, 4]
    assert said(database) == [0, 1, 2, 3, 4]
    # The connection's own wait is back for everything else.
    assert database.execute("PRAGMA busy_timeout").fetchone()[0] == int(FAILSAFE_SECONDS * 2000)


async def test_a_write_that_changed_rows_before_the_lock_is_not_run_again(
    database: sqlite_utils.Database,
) -> None:
    locks: list[HeldLock] = []

    def two_steps() -> None:
        database.conn.execute("INSERT INTO said (n) VALUES (1)")  # a statement of its own
        if not locks:  # another process takes the lock between the two
            locks.append(HeldLock(path_of(database), lambda: False, failsafe=FAILSAFE_SECONDS))
        database.conn.execute("INSERT INTO said (n) VALUES (2)")

    try:
        with pytest.raises(sqlite3.OperationalError) as raised:
            await when_free(database, two_steps)
        assert is_busy(raised.value)
    finally:
        for lock in locks:
            lock.until = lambda: True
            await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
    # Run once: again, its first row would have been written twice.
    assert said(database) == [1]


async def test_past_the_busy_timeout_the_locks_error_is_raised_nothing_written(
    database: sqlite_utils.Database,
) -> None:
    database.execute("PRAGMA busy_timeout = 300")
    lock = HeldLock(path_of(database), lambda: False, failsafe=FAILSAFE_SECONDS)
    try:
        with pytest.raises(sqlite3.OperationalError) as raised:
            await when_free(database, lambda: say(database, 7))
        assert is_busy(raised.value)
    finally:
        lock.until = lambda: True
        await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
    assert said(database) == []
    assert database.execute("PRAGMA busy_timeout").fetchone()[0] == 300


async def test_on_the_command_line_a_write_waits_the_busy_timeout_once_and_says_so_once(
    database: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`newsdigest poll` beside a lock held past its busy timeout: its transactions wait in
    SQLite and say once that they wait (`notice_waits`); tried again by `when_free`, each
    waited the whole timeout twice and said so twice."""
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_SECONDS", 1.0)
    monkeypatch.setattr(db_module, "WAIT_NOTICE_SECONDS", 0.3)
    database.execute("PRAGMA busy_timeout = 1000")
    notices: list[str] = []
    notice_waits(lambda: notices.append("waiting for another process's write"))
    done = False
    lock = HeldLock(path_of(database), lambda: done)
    try:
        with pytest.raises(sqlite3.OperationalError) as raised:
            await when_free(database, lambda: say(database, 1))
    finally:
        notice_waits(None)
        done = True
        await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
    assert is_busy(raised.value)
    assert len(notices) == 1
    assert said(database) == []
