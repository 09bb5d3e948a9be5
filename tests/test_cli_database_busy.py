"""A database another process keeps locked past the busy timeout is one error line from the
command line, not a traceback; so is any other SQLite failure."""

from __future__ import annotations

import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.store import database
from bot.store.database import open_database

BUSY = "Error: the database is busy: another newsdigest process is writing to it; try again\n"


@pytest.fixture(autouse=True)
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "nd.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    monkeypatch.setattr(database, "BUSY_TIMEOUT_SECONDS", 0.1)  # not the 30 s a user waits


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """Another process's connection in the middle of a write."""
    conn = sqlite3.connect(tmp_path / "nd.db", isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    yield conn
    conn.execute("ROLLBACK")
    conn.close()


def _main(args: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(sys, "argv", ["newsdigest", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    return int(exit_.value.code or 0)


def test_locked_while_migrating_a_new_database(
    writer: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _main(["feeds", "add", "https://a.example/rss"], monkeypatch) == 1
    assert capsys.readouterr().err == BUSY


def test_locked_while_a_command_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    open_database(tmp_path / "nd.db").close()  # migrated: the command's own write meets the lock
    conn = sqlite3.connect(tmp_path / "nd.db", isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    try:
        assert _main(["feeds", "add", "https://a.example/rss"], monkeypatch) == 1
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    assert capsys.readouterr().err == BUSY
    # The shortened timeout, not 30 s: `feeds` looks for config warnings to say first, and
    # that must leave the connection's busy timeout as it found it. A hang guard, not a speed
    # test: the command takes well under a second (its lazy imports, and the 0.1 s wait), and
    # a wait of 30 s cannot come in under 20 on any machine.
    assert time.monotonic() - started < 20


def test_other_sqlite_errors_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fail(*_: object, **__: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    open_database(tmp_path / "nd.db").close()  # read-only commands refuse a missing database
    monkeypatch.setattr(database, "migrate", fail)
    assert _main(["stories"], monkeypatch) == 1
    assert capsys.readouterr().err == "Error: database error: disk I/O error\n"


WAITING = "waiting for the database: another newsdigest process is writing…\n"


def _run(args: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    """`_main` for a command that may succeed (main() then returns)."""
    monkeypatch.setattr(sys, "argv", ["newsdigest", *args])
    try:
        main()
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def test_a_long_wait_is_said_once_and_the_command_then_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Waiting used to be silent for up to the 30 s busy timeout.
    monkeypatch.setattr(database, "BUSY_TIMEOUT_SECONDS", 10.0)
    monkeypatch.setattr(database, "WAIT_NOTICE_SECONDS", 0.2)
    open_database(tmp_path / "nd.db").close()
    conn = sqlite3.connect(tmp_path / "nd.db", isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.0, lambda: conn.execute("ROLLBACK"))
    release.start()
    try:
        assert _run(["feeds", "add", "--no-check", "https://a.example/rss"], monkeypatch) == 0
    finally:
        release.join()
        conn.close()
    captured = capsys.readouterr()
    assert captured.err == WAITING and "Added feed 1" in captured.out
    # A write that gets the lock at once says nothing.
    assert _run(["topics", "add", "chips", "chip"], monkeypatch) == 0
    assert capsys.readouterr().err == ""


def test_run_sets_no_waiting_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    """`newsdigest run`'s writes wait as they always did: no notice, no extra PRAGMAs."""
    seen: list[object] = []
    monkeypatch.setattr(
        "bot.runner.launch.run_service", lambda config: seen.append(database._wait_notice)
    )
    assert _run(["run"], monkeypatch) == 0
    assert seen == [None]
