"""Ctrl-C (or SIGTERM) while `newsdigest run` is still loading exits at once, even in the middle
of a long migration: the migration's transaction is rolled back by SQLite and the next start
applies it.
The loading thread waited for was a 7-9 s exit, with migrations begun after the interrupt. Real
processes, a real database file; the migration is held open by the test's stand-in step."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot.config import Config
from bot.runner import launch
from bot.runner.settings import RunnerSettings
from bot.store.database import MigrationsStopped, applied_migrations, open_database
from bot.store.migrations import MIGRATIONS

ROOT = Path(__file__).resolve().parent.parent
LAST = MIGRATIONS[-1][0]
BEFORE_LAST = MIGRATIONS[-2][0]  # numbers may skip: each helper of a session is given its own

# `python -m bot` with the last migration held: its step done inside its transaction, then a
# marker file, then a wait far longer than the test: the stand-in for a long migration.
HELD_MIGRATION = """
import os, sys, time
from bot.store import migrations
version, name, step = migrations.MIGRATIONS[-1]
def held(db):
    step(db)
    open(os.environ["MARKER"], "w").close()
    time.sleep(60)
migrations.MIGRATIONS[-1] = (version, name, held)
from bot.cli import main
sys.argv = ["newsdigest", *sys.argv[1:]]
main()
"""


def run_env(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NEWSDIGEST_DB": str(tmp_path / "nd.db"),
        "NEWSDIGEST_HEALTH_PORT": "0",
        "MARKER": str(tmp_path / "migrating"),
    }
    for token in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN"):
        env.pop(token, None)
    return env


def _default_sigint() -> None:
    # A suite run as a background job of a non-interactive shell (nohup, `&`, some CI runners)
    # hands its children an ignored SIGINT, which the bot rightly keeps ignoring; these tests
    # are about a run started from a terminal, where Ctrl-C has its default action.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_run(tmp_path: Path, script: list[str]) -> subprocess.Popen[str]:
    config = tmp_path / "nd.toml"
    config.write_text('[[channels]]\nplatform = "console"\nid = "team"\n', encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, *script, "--config", str(config), "run"],
        env=run_env(tmp_path),
        preexec_fn=_default_sigint,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )


def wait_for_held_migration(proc: subprocess.Popen[str], marker: Path) -> None:
    assert proc.stderr is not None
    for line in proc.stderr:
        if f"applying migration {LAST}" in line:
            break
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert marker.exists(), "the last migration never began"


def interrupt_held_migration(tmp_path: Path, sig: signal.Signals) -> tuple[int, str]:
    """Start a run, send `sig` once the last migration is held open; the exit code and what
    was said after the interrupt."""
    proc = start_run(tmp_path, ["-c", HELD_MIGRATION])
    try:
        wait_for_held_migration(proc, tmp_path / "migrating")
        proc.send_signal(sig)
        try:
            # A hang guard, not a speed budget: the exit takes well under a second on a quiet
            # machine, and a run that waited for its loading thread sits out the held
            # migration's 60 s.
            _out, after = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            pytest.fail(f"run waited for its loading thread after {sig.name}")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, after


def assert_held_migration_rolled_back(tmp_path: Path) -> None:
    # The migration under way was rolled back whole: its record and its changes.
    conn = sqlite3.connect(tmp_path / "nd.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        done = [v for (v,) in conn.execute("SELECT version FROM schema_migrations")]
    finally:
        conn.close()
    assert LAST not in done and BEFORE_LAST in done


def test_ctrl_c_during_a_migration_exits_at_once_and_the_next_start_applies_it(
    tmp_path: Path,
) -> None:
    code, after = interrupt_held_migration(tmp_path, signal.SIGINT)
    assert code == 130, after
    assert "applying migration" not in after, after
    assert_held_migration_rolled_back(tmp_path)

    # The next start applies it and runs.
    again = start_run(tmp_path, ["-m", "bot"])
    assert again.stderr is not None
    seen: list[str] = []
    try:
        for line in again.stderr:
            seen.append(line)
            if '"event": "started"' in line:
                break
        else:
            raise AssertionError("bot did not start:\n" + "".join(seen))
        again.send_signal(signal.SIGTERM)
        again.communicate(timeout=15)
    finally:
        if again.poll() is None:
            again.kill()
            again.wait()
    assert again.returncode == 0, "".join(seen)
    assert any(f"applying migration {LAST}" in line for line in seen), "".join(seen)
    db = open_database(tmp_path / "nd.db")
    try:
        assert applied_migrations(db)[-1] == LAST
    finally:
        db.conn.close()


def test_sigterm_during_a_migration_stops_at_once_cleanly(tmp_path: Path) -> None:
    # A service manager's stop during a long migration: as Ctrl-C, at once and rolled back,
    # but a clean stop (0), logged. SIGTERM's default action killed it where it stood (-15).
    code, after = interrupt_held_migration(tmp_path, signal.SIGTERM)
    assert code == 0, after
    assert "stop requested while loading" in after, after
    assert "stopped before the service started" in after, after
    assert "Traceback" not in after and "applying migration" not in after, after
    assert_held_migration_rolled_back(tmp_path)


def test_no_migration_begins_once_a_stop_was_asked(tmp_path: Path) -> None:
    stop = threading.Event()
    stop.set()
    with pytest.raises(MigrationsStopped, match="stopped before migration 1"):
        open_database(tmp_path / "nd.db", stop=stop)
    conn = sqlite3.connect(tmp_path / "nd.db")
    try:
        tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master")]
    finally:
        conn.close()
    assert tables == []  # not even the migrations' table: nothing was begun


async def test_an_interrupted_start_tells_the_loading_thread_to_stop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The loading thread is not waited for; what it does next must not be a new migration.
    entered, go, done = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def load(config: Config, stop: threading.Event | None = None) -> None:
        entered.set()
        go.wait(10)
        seen.append(stop is not None and stop.is_set())
        done.set()

    monkeypatch.setattr(launch, "load_service", load)
    settings = RunnerSettings(health_port=None, post_pace=0, start_spread=300)
    serving = asyncio.create_task(launch._serve(Config(database=str(tmp_path / "nd.db")), settings))
    assert await asyncio.to_thread(entered.wait, 10)
    serving.cancel()  # what asyncio.run does on Ctrl-C
    with pytest.raises(asyncio.CancelledError):
        await serving
    go.set()
    assert await asyncio.to_thread(done.wait, 10)
    assert seen == [True]
