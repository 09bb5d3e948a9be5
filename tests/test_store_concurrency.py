"""Several processes opening the same database file at once, as a restarted `newsdigest run` and
a cron `newsdigest poll` do: each must open it, whichever of them applies the migrations."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import bot
from bot.store import feeds as feed_store
from bot.store.database import MIGRATIONS, applied_migrations, open_database

# Each child imports everything first, says it is ready, then waits for the go file, so the
# opens start within a millisecond of each other rather than one import time apart.
CHILD = """
import sys, time
from pathlib import Path
from bot.store.database import open_database
path, ready, go = sys.argv[1:4]
Path(ready).touch()
while not Path(go).exists():
    time.sleep(0.001)
open_database(path).close()
print("ok")
"""

PROCESSES = 4
ROUNDS = 3


def _open_at_once(path: Path, work: Path) -> list[tuple[int, str]]:
    env = {**os.environ, "PYTHONPATH": str(Path(bot.__file__).parents[1])}
    go = work / "go"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), str(work / f"ready{i}"), str(go)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(PROCESSES)
    ]
    deadline = time.monotonic() + 60
    while not all((work / f"ready{i}").exists() for i in range(PROCESSES)):
        assert time.monotonic() < deadline, "children did not start"
        time.sleep(0.01)
    go.touch()
    results = []
    for child in children:
        out, err = child.communicate(timeout=120)
        results.append((child.returncode, out + err))
    return results


def _old_database(path: Path) -> None:
    # A file written by a version that knew only migration 1: the rest are applied on open.
    db = open_database(path)
    feed_store.add_feed(db, "https://a.example/rss")
    db.execute("DELETE FROM schema_migrations WHERE version > 1")
    db.close()


@pytest.mark.parametrize("old", [False, True], ids=["fresh", "old"])
def test_processes_opening_one_database_at_once_all_succeed(tmp_path: Path, old: bool) -> None:
    for round_ in range(ROUNDS):
        work = tmp_path / f"round{round_}"
        work.mkdir()
        path = work / "nd.db"
        if old:
            _old_database(path)
        results = _open_at_once(path, work)
        assert [code for code, _ in results] == [0] * PROCESSES, results
        db = open_database(path)
        # Each migration recorded once, by whichever process got the lock first.
        assert applied_migrations(db) == [v for v, _, _ in MIGRATIONS]
        db.close()


def test_opening_waits_out_another_connections_write_before_switching_to_wal(
    tmp_path: Path,
) -> None:
    # A file another process is still setting up: it holds the write lock, in the rollback
    # journal mode every new file starts in. Switching to WAL needs an exclusive lock, and SQLite
    # refuses that at once rather than wait, so the open used to fail with "database is locked"
    # in the few milliseconds two processes race on a new file (1 run in about 80 of the test
    # above).
    path = tmp_path / "nd.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute(
        "CREATE TABLE schema_migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    started = time.monotonic()  # before the timer starts: its 0.3 s all come after this
    release.start()
    try:
        db = open_database(path)
    finally:
        release.join()
        other.close()
    assert time.monotonic() - started >= 0.25  # it waited for the other write ...
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # ... then switched
    assert applied_migrations(db) == [v for v, _, _ in MIGRATIONS]
    db.close()
