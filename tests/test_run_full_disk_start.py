"""`newsdigest run` started on a full disk says so in one line, "cannot open: the disk is full",
whether the lock file is there already or not: with none, writing the pid into the new file
raised a raw OSError (a traceback) before the database was opened. The lock holds without its
pid, which only names the holder in a refusal."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.runner import launch
from bot.store import lock as lock_module
from bot.store.lock import lock_database, lock_path


def test_a_pid_the_disk_cannot_take_leaves_the_lock_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "nd.db")

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(lock_module.os, "write", full)
    lock = lock_database(db)
    assert lock is not None
    try:
        monkeypatch.undo()
        with pytest.raises(lock_module.DatabaseInUseError) as refused:
            lock_database(db)
        assert refused.value.pid is None  # no pid to name, but refused all the same
    finally:
        lock.release()


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A directory on a tiny tmpfs with no room left; root only (mount)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs takes root")
    where = tmp_path / "tiny"
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        filler = os.open(where / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while True:
                os.write(filler, b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        finally:
            os.close(filler)
        yield where
    finally:
        # Lazily if still busy (a file left open by a failing run): never left mounted.
        if subprocess.run(["umount", str(where)], check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(where)], check=True)


def test_run_on_a_full_disk_says_so_with_or_without_its_lock_file(
    full_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = full_disk / "nd.db"
    monkeypatch.setenv("NEWSDIGEST_DB", str(db))
    monkeypatch.setenv("NEWSDIGEST_HEALTH_PORT", "0")
    for name in ("SLACK_BOT_TOKEN", "DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(launch, "configure_logging", lambda log_format: None)  # keep pytest's
    runner = CliRunner()
    outputs = []
    for _ in range(2):  # the first creates the lock file, the second finds it there
        ran = runner.invoke(cli, ["run", "--without-config"])
        assert ran.exit_code == 1, ran.output
        assert ran.exception is None or isinstance(ran.exception, SystemExit), ran.exception
        outputs.append(ran.output)
    assert lock_path(str(db)).exists()
    assert outputs[0] == outputs[1]
    assert outputs[0].startswith(f"Error: NEWSDIGEST_DB={db}: cannot open: the disk is full")
    assert "Traceback" not in outputs[0]
