"""The config's warnings reach cron once per change, a terminal every time.

`poll`, `prune`, `digest` and `feeds` printed them on stderr at every run, so an operator's cron
mailed the same warning every few minutes. Now a run whose stderr is no terminal prints them
only when they are news to the database (a digest kept in `service_state`), a run at a terminal
always does, and `newsdigest config check` prints them whenever asked."""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from _cli_env import cli_env
from click.testing import CliRunner

from bot.cli import cli, context, shown_warnings
from bot.store import service_state
from bot.store.database import open_database

EST = '[[channels]]\nplatform = "slack"\nid = "C1"\ntimezone = "EST"\n'
MST = '[[channels]]\nplatform = "slack"\nid = "C1"\ntimezone = "MST"\n'
FIXED = '[[channels]]\nplatform = "slack"\nid = "C1"\ntimezone = "America/New_York"\n'


def _warned(runner: CliRunner, *args: str) -> list[str]:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return [line for line in result.stderr.splitlines() if line.startswith("Warning:")]


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return cli_env(tmp_path, monkeypatch, EST)


def test_cron_gets_the_warnings_once_then_again_when_they_change(config: Path) -> None:
    runner = CliRunner()  # stderr captured: not a terminal, as under cron
    assert not shown_warnings.interactive()
    first = _warned(runner, "poll")
    assert len(first) == 1 and 'timezone = "EST" is UTC-5 all year' in first[0]
    # The same file: every command that warns stays quiet, run after run.
    for args in (["poll"], ["feeds", "list"], ["prune", "--dry-run"], ["poll"]):
        assert _warned(runner, *args) == [], args
    # Edited, with another warning: said once more.
    config.write_text(MST, encoding="utf-8")
    changed = _warned(runner, "feeds", "list")
    assert len(changed) == 1 and 'timezone = "MST" is UTC-7 all year' in changed[0]
    assert _warned(runner, "feeds", "list") == []
    # Fixed, then the old value back: the warning is news again.
    config.write_text(FIXED, encoding="utf-8")
    assert _warned(runner, "poll") == []
    config.write_text(EST, encoding="utf-8")
    assert _warned(runner, "poll") == first
    assert _warned(runner, "poll") == []


def test_a_terminal_gets_the_warnings_every_run(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    assert len(_warned(runner, "poll")) == 1  # as cron: now recorded as shown
    monkeypatch.setattr(shown_warnings, "interactive", lambda: True)
    for args in (["poll"], ["feeds", "list"], ["poll"]):
        assert len(_warned(runner, *args)) == 1, args


def test_interactive_is_whether_stderr_is_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    leader, follower = os.openpty()
    try:
        with open(follower, "w", closefd=False) as terminal:
            monkeypatch.setattr(sys, "stderr", terminal)
            assert shown_warnings.interactive()
    finally:
        os.close(leader)
        os.close(follower)
    with open(os.devnull, "w") as null:
        monkeypatch.setattr(sys, "stderr", null)
        assert not shown_warnings.interactive()


def test_a_database_this_user_may_only_read_stays_quiet_and_works(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    config.write_text(FIXED, encoding="utf-8")
    assert _warned(runner, "poll") == []  # the database, made by a poll without warnings
    config.write_text(EST, encoding="utf-8")
    # Read-only for the code as for a user without write permission (tests run as root).
    monkeypatch.setattr(context, "writable", lambda path: False)
    for _ in range(3):
        assert _warned(runner, "feeds", "list") == []  # cannot record it: never, not each time
    monkeypatch.undo()
    cli_env(tmp_path, monkeypatch, EST)
    assert len(_warned(runner, "feeds", "list")) == 1  # the first run that can record it


def test_a_busy_database_does_not_hold_up_a_read_command(config: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    config.write_text(FIXED, encoding="utf-8")
    assert _warned(runner, "poll") == []
    config.write_text(EST, encoding="utf-8")
    writer = sqlite3.connect(tmp_path / "nd.db", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another process's write, as a poll's
        started = time.monotonic()
        assert _warned(runner, "feeds", "list") == []
        assert time.monotonic() - started < 10  # not the 30-second busy timeout
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert len(_warned(runner, "feeds", "list")) == 1


def test_the_digest_is_kept_per_config_file(config: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert len(_warned(runner, "poll")) == 1
    db = open_database(tmp_path / "nd.db")
    try:
        shown = service_state.load(db, shown_warnings.KEY)
    finally:
        db.close()
    assert list(shown) == [str(config)] and len(shown[str(config)]) == 32
    other = tmp_path / "other.toml"
    other.write_text(MST, encoding="utf-8")
    assert len(_warned(runner, "feeds", "list", "--config", str(other))) == 1
    # Each file's own digest: using both does not make either news again.
    assert _warned(runner, "feeds", "list") == []
    assert _warned(runner, "feeds", "list", "--config", str(other)) == []


def test_config_check_prints_the_warnings_every_time(config: Path) -> None:
    runner = CliRunner()
    assert len(_warned(runner, "poll")) == 1
    for _ in range(2):
        result = runner.invoke(cli, ["config", "check"])
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert len(lines) == 2 and 'timezone = "EST" is UTC-5 all year' in lines[0]
        assert lines[1] == f"{config}: loads, with 1 warning."
    config.write_text(FIXED, encoding="utf-8")
    clean = runner.invoke(cli, ["config", "check"])
    assert clean.exit_code == 0 and clean.stdout == f"{config}: loads, no warnings.\n"


def test_config_check_fails_on_a_bad_or_missing_file(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config.write_text('[[channels]]\nplatform = "slack"\nid = "C1"\ntimezone = "Mars/Base"\n')
    bad = CliRunner().invoke(cli, ["config", "check"])
    assert bad.exit_code == 1 and "channels[0].timezone" in bad.stderr
    missing = CliRunner().invoke(cli, ["config", "check", "--config", str(tmp_path / "no.toml")])
    assert missing.exit_code == 1 and "file not found" in missing.stderr
    assert not (tmp_path / "nd.db").exists()  # a check opens no database
