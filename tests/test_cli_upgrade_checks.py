"""After `git pull`, a command checks before it migrates the database: a package the new code
needs and the venv lacks (no `pip install -e .` since the pull) is refused before anything is
migrated, by `run`, `poll` and any command that would migrate; a database an old `newsdigest run`
still holds is not migrated under it (only when a migration is due: everyday commands work beside
a running service); and a command that migrated says from which schema to which. Real SQLite
files, the real lock, CliRunner."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.runner import launch
from bot.store import database
from bot.store.database import applied_migrations, open_database
from bot.store.lock import lock_database
from bot.store.migrations import MIGRATIONS
from tests._cli_env import cli_env

OLD = 33
NEWEST = max(version for version, _, _ in MIGRATIONS)


def _old_database(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(database, "MIGRATIONS", [m for m in MIGRATIONS if m[0] <= OLD])
        open_database(path).conn.close()


def _schema(path: Path) -> int:
    db = database.sqlite_utils.Database(path)
    try:
        return max(applied_migrations(db))
    finally:
        db.conn.close()


@pytest.fixture
def old_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cli_env(tmp_path, monkeypatch)
    path = tmp_path / "nd.db"
    _old_database(path, monkeypatch)
    return path


@pytest.fixture
def no_psl(monkeypatch: pytest.MonkeyPatch) -> None:
    """The venv as `git pull` left it, before `pip install -e .` added publicsuffixlist."""
    monkeypatch.setitem(sys.modules, "publicsuffixlist", None)


FIX = "newsdigest's dependencies changed: run `"


@pytest.mark.parametrize("command", [["run"], ["poll"], ["feeds", "list"], ["stories"]])
@pytest.mark.usefixtures("no_psl")
def test_a_missing_dependency_is_refused_before_migrating(
    old_db: Path, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def started(*args: object) -> None:
        raise AssertionError("the service started")

    monkeypatch.setattr(launch, "run_service", started)
    result = CliRunner().invoke(cli, command)

    assert result.exit_code == 1, result.output
    assert FIX in result.stderr
    assert "install -e .` (or `make install`)" in result.stderr
    assert result.stderr.rstrip().endswith("missing: publicsuffixlist")
    assert _schema(old_db) == OLD  # not migrated: `git checkout` back still works


@pytest.mark.usefixtures("no_psl")
def test_poll_refuses_on_a_current_database_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_env(tmp_path, monkeypatch)
    open_database(tmp_path / "nd.db").conn.close()

    result = CliRunner().invoke(cli, ["poll"])

    assert result.exit_code == 1 and "missing: publicsuffixlist" in result.stderr


@pytest.mark.usefixtures("no_psl")
def test_a_light_command_needing_no_migration_is_not_held_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_env(tmp_path, monkeypatch)
    open_database(tmp_path / "nd.db").conn.close()

    result = CliRunner().invoke(cli, ["feeds", "list"])

    assert result.exit_code == 0, result.output


def test_a_migration_under_a_running_service_is_refused(old_db: Path) -> None:
    lock = lock_database(str(old_db))  # an old `newsdigest run` still running
    try:
        result = CliRunner().invoke(cli, ["feeds", "list"])
    finally:
        assert lock is not None
        lock.release()

    assert result.exit_code == 1
    assert "stop the running newsdigest" in result.stderr
    assert f"(pid {os.getpid()}) before upgrading its database" in result.stderr
    assert f"schema {OLD} to {NEWEST}" in result.stderr
    assert _schema(old_db) == OLD


def test_commands_beside_a_running_service_work_when_nothing_is_due(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_env(tmp_path, monkeypatch)
    path = tmp_path / "nd.db"
    open_database(path).conn.close()
    lock = lock_database(str(path))
    try:
        result = CliRunner().invoke(cli, ["feeds", "list"])
    finally:
        assert lock is not None
        lock.release()

    assert result.exit_code == 0, result.output
    assert "Upgraded" not in result.stderr


def test_a_command_that_migrates_says_so(old_db: Path) -> None:
    result = CliRunner().invoke(cli, ["feeds", "list"])

    assert result.exit_code == 0, result.output
    assert f"Upgraded the database from schema {OLD} to {NEWEST}\n" in result.stderr
    assert _schema(old_db) == NEWEST

    again = CliRunner().invoke(cli, ["feeds", "list"])
    assert "Upgraded" not in again.stderr


def test_a_new_database_is_created_not_upgraded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_env(tmp_path, monkeypatch)

    result = CliRunner().invoke(cli, ["feeds", "add", "https://news.example.com/feed.xml"])

    assert "Upgraded" not in result.stderr
    assert "Created a new database" in result.stderr
