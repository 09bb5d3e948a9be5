"""The daily token budget holds across processes sharing one database file (the bot and a CLI
command, or two CLI commands): a thread lock cannot see the other process's spend."""

from __future__ import annotations

import multiprocessing
from multiprocessing.sharedctypes import SynchronizedArray
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

from bot.store.database import open_database
from bot.summarize.llm import TokenBudget

LIMIT = 1000
COST = 10
WORKERS = 6
ATTEMPTS = 60  # each worker alone could book the whole limit several times over


def _book(path: str, start: Barrier, granted: SynchronizedArray[Any], slot: int) -> None:
    db = open_database(path)
    budget = TokenBudget(LIMIT, db)
    start.wait()  # all at once, so the reservations contend
    granted[slot] = sum(budget.reserve(COST) is not None for _ in range(ATTEMPTS))
    db.conn.close()


def test_processes_on_one_database_cannot_overspend(tmp_path: Path) -> None:
    path = str(tmp_path / "nd.db")
    TokenBudget(LIMIT, open_database(path)).db.conn.close()  # type: ignore[union-attr]
    context = multiprocessing.get_context("fork")
    start = context.Barrier(WORKERS)
    granted = context.Array("i", WORKERS)
    workers = [
        context.Process(target=_book, args=(path, start, granted, slot)) for slot in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert all(worker.exitcode == 0 for worker in workers)
    db = open_database(path)
    try:
        assert sum(granted) * COST == LIMIT == TokenBudget(LIMIT, db).used()
    finally:
        db.conn.close()
