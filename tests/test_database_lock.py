"""One `newsdigest run` per database. The outbox knows which of its rows are in flight only in
its own process, so a second process on the same database took the first one's `sending` rows
for a crash's leftovers and posted them again. A second `run` is now refused at start, naming the
database and the running one's pid; the lock is the OS's, so a killed holder leaves none behind.
Real processes, real files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.store.lock import DatabaseInUseError, lock_database, lock_path

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and paths")


def run_env(db: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NEWSDIGEST_DB": str(db),
        "NEWSDIGEST_HEALTH_PORT": "0",
    }
    for token in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN"):
        env.pop(token, None)
    return env


def test_a_second_run_on_the_same_database_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "nd.toml"
    config.write_text('[[channels]]\nplatform = "console"\nid = "team"\n', encoding="utf-8")
    db = tmp_path / "nd.db"
    command = [sys.executable, "-m", "bot", "--config", str(config), "run"]
    first = subprocess.Popen(
        command, env=run_env(db), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    try:
        assert first.stderr is not None
        seen: list[str] = []
        for line in first.stderr:
            seen.append(line)
            if '"event": "started"' in line:
                break
        else:
            raise AssertionError("the first run did not start:\n" + "".join(seen))
        # The same database by another name: a relative path from its directory.
        env = {**run_env(db), "NEWSDIGEST_DB": "nd.db"}
        second = subprocess.run(
            command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
        assert first.poll() is None  # the first one runs on
    finally:
        first.send_signal(signal.SIGTERM)
        rest = first.communicate(timeout=15)[1]
    assert second.returncode == 1
    assert second.stderr == (
        f"Error: NEWSDIGEST_DB=nd.db: in use by another newsdigest run (pid {first.pid}); "
        f"run one instance per database (the lock is {db}.lock)\n"
    )
    assert '"event": "started"' not in second.stderr
    assert first.returncode == 0 and '"event": "stopped"' in rest
    # Let go on exit: the next start gets it.
    lock = lock_database(str(db))
    assert lock is not None
    lock.release()


HOLDER = """
import sys, time
from bot.store.lock import lock_database
lock = lock_database(sys.argv[1])
print("locked", flush=True)
time.sleep(120)
"""


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    db = str(tmp_path / "nd.db")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, db],
        env=run_env(tmp_path / "nd.db"),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "locked\n"
        with pytest.raises(DatabaseInUseError) as refused:
            lock_database(db)
        assert refused.value.pid == holder.pid
        assert f"(pid {holder.pid})" in str(refused.value)
    finally:
        holder.kill()  # SIGKILL: no clean-up of its own runs
        holder.wait(timeout=15)
    assert lock_path(db).exists()  # the file stays; the OS lock is what counts
    with lock_database(db) as lock:
        assert lock is not None
        assert lock_path(db).read_text(encoding="ascii") == f"{os.getpid()}\n"


def test_the_lock_refuses_a_second_holder_until_released(tmp_path: Path) -> None:
    db = str(tmp_path / "nd.db")
    link = tmp_path / "link.db"
    link.symlink_to(db)
    first = lock_database(db)
    assert first is not None
    # flock conflicts between two opens even in one process; a symlink meets the same lock.
    with pytest.raises(
        DatabaseInUseError, match=rf"in use by another newsdigest run \(pid {os.getpid()}\)"
    ):
        lock_database(str(link))
    first.release()
    second = lock_database(str(link))
    assert second is not None
    second.release()


def test_an_in_memory_database_needs_no_lock() -> None:
    assert lock_database(":memory:") is None
    assert lock_database(":memory:") is None


def test_a_refused_run_leaves_the_database_untouched(tmp_path: Path) -> None:
    # Opening the database migrates it: a refused instance must not, under the running one.
    config = tmp_path / "nd.toml"
    config.write_text('[[channels]]\nplatform = "console"\nid = "team"\n', encoding="utf-8")
    db = tmp_path / "nd.db"
    lock = lock_database(str(db))
    assert lock is not None
    try:
        refused = subprocess.run(
            [sys.executable, "-m", "bot", "--config", str(config), "run"],
            env=run_env(db),
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        lock.release()
    assert refused.returncode == 1
    assert f"in use by another newsdigest run (pid {os.getpid()})" in refused.stderr
    assert not db.exists()  # not created, so not migrated either


def test_a_directory_as_the_database_is_refused_without_a_lock_file(tmp_path: Path) -> None:
    config = tmp_path / "nd.toml"
    config.write_text('[[channels]]\nplatform = "console"\nid = "team"\n', encoding="utf-8")
    folder = tmp_path / "data"
    folder.mkdir()
    refused = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), "run"],
        env=run_env(folder),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 1
    assert refused.stderr.endswith("cannot open: it is a directory\n")
    assert not lock_path(str(folder)).exists()
