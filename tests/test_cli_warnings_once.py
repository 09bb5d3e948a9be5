"""The config's warnings reach cron once per change, a terminal every time.

`poll`, `prune`, `digest` and `feeds` printed them on stderr at every run, so an operator's cron
mailed the same warning every few minutes. Now a run whose stderr is no terminal prints them
only when they are news to the database (a digest kept in `service_state`), a run at a terminal
always does, and `newsdigest config check` prints them whenever asked. A missed warning is worse
than a repeated one: a run that cannot record them (a read-only or busy database) or never opens
the database prints them."""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from _cli_env import cli_env
from click.testing import CliRunner

from bot.cli import cli, context, shown_warnings
from bot.config import load_config
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
    for args in (["poll"], ["feeds", "list"], ["prune", "--dry-run"], ["digest", "C1"], ["poll"]):
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


def test_a_database_this_user_may_only_read_says_them_each_run_and_works(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    config.write_text(FIXED, encoding="utf-8")
    assert _warned(runner, "poll") == []  # the database, made by a poll without warnings
    config.write_text(EST, encoding="utf-8")
    # Read-only for the code as for a user without write permission (tests run as root).
    monkeypatch.setattr(context, "writable", lambda path: False)
    for _ in range(2):  # cannot record them: said each run rather than never
        assert len(_warned(runner, "feeds", "list")) == 1
    monkeypatch.undo()
    cli_env(tmp_path, monkeypatch, EST)
    assert len(_warned(runner, "feeds", "list")) == 1  # the first run that can record them
    monkeypatch.setattr(context, "writable", lambda path: False)
    assert _warned(runner, "feeds", "list") == []  # recorded: read, and quiet, read-only too


def test_a_busy_database_does_not_hold_up_a_read_command_or_lose_them(
    config: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    config.write_text(FIXED, encoding="utf-8")
    assert _warned(runner, "poll") == []
    config.write_text(EST, encoding="utf-8")
    with contextlib.closing(sqlite3.connect(tmp_path / "nd.db", isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")  # another process's write, as a poll's
        started = time.monotonic()
        assert len(_warned(runner, "feeds", "list")) == 1  # not recorded, but said
        # A hang guard: the 0.5 s the warnings wait for the lock, not the 30-second busy
        # timeout, which no machine waits out in 20.
        assert time.monotonic() - started < 20
        writer.execute("ROLLBACK")
    assert len(_warned(runner, "feeds", "list")) == 1  # said again, now recorded
    assert _warned(runner, "feeds", "list") == []


def test_an_unchanged_run_takes_no_write_lock(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    assert len(_warned(runner, "poll")) == 1
    # Were it to ask for the write lock, it would wait this long behind the writer.
    monkeypatch.setattr(shown_warnings, "_WAIT_SECONDS", 20.0)
    with contextlib.closing(sqlite3.connect(tmp_path / "nd.db", isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        assert _warned(runner, "feeds", "list") == []
        assert time.monotonic() - started < 10
        writer.execute("ROLLBACK")


def test_recording_keeps_the_connections_busy_timeout(config: Path, tmp_path: Path) -> None:
    # Tests shorten the busy timeout (bot.store.database.BUSY_TIMEOUT_SECONDS); recording put the
    # 30 s read at import back, so a command's next write behind a lock waited half a minute.
    db = open_database(tmp_path / "nd.db")
    try:
        db.execute("PRAGMA busy_timeout = 1234")
        with contextlib.redirect_stderr(io.StringIO()) as said:
            shown_warnings.echo_if_news(db, load_config(str(config)))
        assert said.getvalue().count("Warning:") == 1  # news: recorded
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 1234
    finally:
        db.close()


def test_one_file_named_two_ways_is_one_file(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each warning starts with the path as typed: the digest is of the rest.
    runner = CliRunner()
    assert len(_warned(runner, "poll")) == 1  # $NEWSDIGEST_CONFIG: the absolute path
    monkeypatch.chdir(tmp_path)
    assert _warned(runner, "feeds", "list", "--config", "nd.toml") == []
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert _warned(runner, "poll", "--config", "../nd.toml") == []
    config.write_text(MST, encoding="utf-8")
    changed = _warned(runner, "poll", "--config", "../nd.toml")
    assert len(changed) == 1 and changed[0].startswith("Warning: ../nd.toml: channels[0]")


def test_a_command_that_never_opens_the_database_says_them_as_it_ends(
    config: Path, tmp_path: Path
) -> None:
    # `prune` with retention off stops before opening the database; so does any command that
    # finds no database. Neither can tell whether they were said: they are, once.
    config.write_text(f"[storage]\nretention_days = 0\n{EST}", encoding="utf-8")
    runner = CliRunner()
    pruned = runner.invoke(cli, ["prune"])
    assert pruned.exit_code == 0, pruned.output
    assert "Retention is off" in pruned.stdout
    assert pruned.stderr.count("Warning:") == 1 and 'timezone = "EST"' in pruned.stderr
    assert not (tmp_path / "nd.db").exists()
    missing = runner.invoke(cli, ["feeds", "list"])
    assert missing.exit_code == 1 and "no such database" in missing.stderr
    assert missing.stderr.count("Warning:") == 1
    # Opened, the database decides (already covered above): one line, not one more at the end.
    assert len(_warned(runner, "poll")) == 1


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
        assert len(lines) == 3 and 'timezone = "EST" is UTC-5 all year' in lines[0]
        assert lines[1] == f"{config}: loads, with 1 warning."
        assert lines[2].startswith("database: ")
    config.write_text(FIXED, encoding="utf-8")
    clean = runner.invoke(cli, ["config", "check"])
    assert clean.exit_code == 0
    assert clean.stdout.startswith(f"{config}: loads, no warnings.\ndatabase: ")


def test_config_check_fails_on_a_bad_or_missing_file(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config.write_text('[[channels]]\nplatform = "slack"\nid = "C1"\ntimezone = "Mars/Base"\n')
    bad = CliRunner().invoke(cli, ["config", "check"])
    assert bad.exit_code == 1 and "channels[0].timezone" in bad.stderr
    missing = CliRunner().invoke(cli, ["config", "check", "--config", str(tmp_path / "no.toml")])
    assert missing.exit_code == 1 and "file not found" in missing.stderr
    assert not (tmp_path / "nd.db").exists()  # a check opens no database
