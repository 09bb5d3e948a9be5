"""The LLM writer's `llm_usage` table is the store's (migration 17), made under the migrations'
write lock: created by the token budget on first use, beside another process's write, it failed
at once with "database is locked", in every command and in `run` with [llm] configured. A
database whose table the old code made migrates as it is. Real SQLite files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from bot.app import NewsDigest
from bot.config import Config, LLMConfig
from bot.store import database
from bot.store.database import applied_migrations, open_database
from bot.store.migrations import MIGRATIONS
from bot.summarize.llm import TokenBudget


def _columns(db: sqlite_utils.Database) -> list[tuple[str, str, int, int]]:
    """(name, type, not null, primary key position) of each llm_usage column."""
    return [(r[1], r[2], r[3], r[5]) for r in db.execute("PRAGMA table_info(llm_usage)")]


def test_a_database_opens_with_llm_configured_beside_another_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "BUSY_TIMEOUT_SECONDS", 0.2)  # a failure shows in 0.2 s, not 30
    path = tmp_path / "nd.db"
    open_database(path).conn.close()  # made by an earlier command, or `run`, without [llm]
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT OR REPLACE INTO write_probe (id, written_at) VALUES (1, 'x')")
    try:
        config = Config(
            database=str(path), llm=LLMConfig(base_url="http://127.0.0.1:9/v1", model="m")
        )
        core = NewsDigest(config)
        budget = TokenBudget(1000, core.db)
        assert budget.used() == 0  # reads need no write lock
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert budget.reserve(600) is not None
    assert budget.used() == 600
    core.db.conn.close()


def test_a_new_database_has_the_table_with_the_day_as_its_key(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    assert _columns(db) == [("day", "TEXT", 0, 1), ("tokens", "INTEGER", 0, 0)]
    db.conn.close()


def test_a_table_the_old_code_made_migrates_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "nd.db"
    with monkeypatch.context() as patch:
        patch.setattr(database, "MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 16])
        old = open_database(path)
    # As TokenBudget made it before migration 17, with a day's spend in it.
    old["llm_usage"].create({"day": str, "tokens": int}, pk="day")  # type: ignore[union-attr]
    day = TokenBudget.today()
    old.execute("INSERT INTO llm_usage (day, tokens) VALUES (?, 700)", [day])
    before = _columns(old)
    old.conn.close()

    db = open_database(path)

    assert 17 in applied_migrations(db)
    assert _columns(db) == before == [("day", "TEXT", 0, 1), ("tokens", "INTEGER", 0, 0)]
    budget = TokenBudget(1000, db)
    assert budget.used() == 700
    assert budget.reserve(400) is None  # the day's row is still the key the booking checks
    assert budget.reserve(300) == day
    assert db.execute("SELECT COUNT(*) FROM llm_usage").fetchone()[0] == 1
    db.conn.close()
