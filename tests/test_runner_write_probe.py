"""The health check's write probe commits a real write, so a disk that takes the write lock but
not the data (full, failing, read-only underneath) is reported, and a busy one is not."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from bot.runner.status import write_problem
from bot.store.database import open_database


class FailingCommits:
    """The service's connection on a disk that refuses the data: SQLite appends a transaction to
    the write-ahead log at COMMIT, so that is where a full disk or an I/O error surfaces."""

    def __init__(self, conn: sqlite3.Connection, name: str, message: str) -> None:
        self.conn = conn
        self.name = name
        self.message = message

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.conn, attr)

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if sql == "COMMIT":
            exc = sqlite3.OperationalError(self.message)
            exc.sqlite_errorname = self.name
            raise exc
        return self.conn.execute(sql, *args)


def test_the_probe_commits_a_write(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    assert write_problem(db) is None
    other = sqlite3.connect(tmp_path / "nd.db")
    try:
        rows = other.execute("SELECT id FROM write_probe").fetchall()
    finally:
        other.close()
    assert rows == [(1,)]  # committed: visible to another connection
    assert write_problem(db) is None  # and rewritten, not inserted twice
    assert db.execute("SELECT COUNT(*) FROM write_probe").fetchone()[0] == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("SQLITE_FULL", "database or disk is full"),
        ("SQLITE_IOERR_WRITE", "disk I/O error"),
        ("SQLITE_READONLY", "attempt to write a readonly database"),
    ],
)
def test_a_disk_refusing_the_data_is_a_problem(tmp_path: Path, name: str, message: str) -> None:
    db = open_database(tmp_path / "nd.db")
    real = db.conn
    db.conn = FailingCommits(real, name, message)  # type: ignore[assignment]
    problem = write_problem(db)
    db.conn = real
    assert problem == f"database refuses writes: {message}"
    # The failed transaction is not left open for the service's next write to join.
    assert not real.in_transaction


def test_a_busy_database_is_not_a_problem(tmp_path: Path) -> None:
    db: sqlite_utils.Database = open_database(tmp_path / "nd.db")
    other = sqlite3.connect(tmp_path / "nd.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        assert write_problem(db) is None
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not db.conn.in_transaction
