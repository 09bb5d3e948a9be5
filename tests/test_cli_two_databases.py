"""An upgraded deployment whose config names a relative `database`: older versions read it from
the service's working directory, this one from the config file's. A command run from elsewhere
must not fork the deployment onto a new database, and once two exist, neither `run` nor a
command that writes may pick one silently."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import cli
from bot.store.contents import holds_newsdigest_data

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def deployment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """etc/newsdigest.toml says `database = "newsdigest.db"`; the service runs in work/, where
    an older newsdigest made work/newsdigest.db, with a channel made in chat."""
    (tmp_path / "etc").mkdir()
    (tmp_path / "work").mkdir()
    (tmp_path / "home").mkdir()
    (tmp_path / "etc" / "newsdigest.toml").write_text(
        'database = "newsdigest.db"\n', encoding="utf-8"
    )
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "work" / "newsdigest.db"))
    added = CliRunner().invoke(cli, ["feeds", "add", "https://old.example/rss"])
    assert added.exit_code == 0, added.output
    with sqlite3.connect(tmp_path / "work" / "newsdigest.db") as conn:
        conn.execute(
            "INSERT INTO channels (platform, channel_id, schedule, timezone, created_at) "
            "VALUES ('slack', 'C1', '0 8 * * *', 'UTC', '2026-01-01T00:00:00+00:00')"
        )
    monkeypatch.delenv("NEWSDIGEST_DB")
    return tmp_path


def _invoke(where: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.chdir(where)
    return CliRunner().invoke(cli, ["--config", "../etc/newsdigest.toml", *args])


def _feeds(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return sorted(url for (url,) in conn.execute("SELECT url FROM feeds"))


def test_a_command_from_elsewhere_does_not_create_a_second_database(
    deployment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for args in (
        ["poll"],
        ["feeds", "add", "https://new.example/rss"],
        ["topics", "add", "x", "x"],
    ):
        result = _invoke(deployment / "home", monkeypatch, *args)
        assert result.exit_code == 1, (args, result.output)
        said = result.output
        assert f"no database yet at {deployment / 'etc' / 'newsdigest.db'}" in said
        assert f"Not creating it from {deployment / 'home'}" in said
        assert f"or this command run from {deployment / 'etc'}, creates it" in said
        assert "or set an absolute path" in said
        assert "older newsdigest" not in said
    assert not (deployment / "etc" / "newsdigest.db").exists()
    assert not (deployment / "home" / "newsdigest.db").exists()
    # A command that reads says what creates it from where, as the refusal does: not a bare
    # "`newsdigest poll` creates it" that the poll from here then refuses.
    listed = _invoke(deployment / "home", monkeypatch, "stories")
    assert listed.exit_code == 1
    assert f"`newsdigest poll` run from {deployment / 'etc'}, creates it" in listed.output
    # From the service's directory the old database is found and written, as before.
    added = _invoke(deployment / "work", monkeypatch, "feeds", "add", "https://new.example/rss")
    assert added.exit_code == 0, added.output
    assert _feeds(deployment / "work" / "newsdigest.db") == [
        "https://new.example/rss",
        "https://old.example/rss",
    ]


@pytest.fixture
def split(deployment: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Both databases: etc/newsdigest.db made by a command an earlier version let through."""
    monkeypatch.setenv("NEWSDIGEST_DB", str(deployment / "etc" / "newsdigest.db"))
    assert CliRunner().invoke(cli, ["feeds", "add", "https://fork.example/rss"]).exit_code == 0
    monkeypatch.delenv("NEWSDIGEST_DB")
    return deployment


def test_commands_that_write_refuse_two_databases_and_say_how_to_choose(
    split: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    etc, work = split / "etc" / "newsdigest.db", split / "work" / "newsdigest.db"
    for args in (
        ["poll"],
        ["feeds", "add", "https://more.example/rss"],
        ["feeds", "remove", "https://fork.example/rss"],
        ["topics", "remove", "x"],
        ["prune", "--older-than", "30"],
    ):
        result = _invoke(split / "work", monkeypatch, *args)
        said = result.output
        assert result.exit_code == 1, (args, said)
        assert "two newsdigest databases" in said
        assert f"{etc} (next to the file, where this version reads it): 0 stories" in said
        assert f"{work} (in the current directory, where an older newsdigest read it)" in said
        assert "1 channel," in said and "never polled" in said
        assert f'database = "{work}"' in said and f'database = "{etc}"' in said
    assert _feeds(etc) == ["https://fork.example/rss"]
    assert _feeds(work) == ["https://old.example/rss"]


def test_commands_that_read_warn_and_read_the_files_database(
    split: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    listed = _invoke(split / "work", monkeypatch, "feeds", "list")
    assert listed.exit_code == 0, listed.output
    assert "fork.example" in listed.output
    assert "commands that write refuse both" in caplog.text


def test_run_refuses_two_databases(split: Path) -> None:
    etc, work = split / "etc" / "newsdigest.db", split / "work" / "newsdigest.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSDIGEST_", "SLACK_"))}
    env.update(PYTHONPATH=str(ROOT), NEWSDIGEST_HEALTH_PORT="off", NEWSDIGEST_LOG_FORMAT="text")
    env.pop("DISCORD_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--config", "../etc/newsdigest.toml", "run"],
        cwd=split / "work",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert "Error: two newsdigest databases" in done.stderr
    assert f'database = "{work}"' in done.stderr
    assert "newsdigest running" not in done.stderr
    assert _feeds(etc) == ["https://fork.example/rss"]
    assert not Path(f"{etc}.lock").exists() and not Path(f"{work}.lock").exists()


def test_an_absolute_path_settles_it(split: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = split / "work" / "newsdigest.db"
    (split / "etc" / "newsdigest.toml").write_text(f'database = "{work}"\n', encoding="utf-8")
    added = _invoke(split / "home", monkeypatch, "feeds", "add", "https://more.example/rss")
    assert added.exit_code == 0, added.output
    assert _feeds(work) == ["https://more.example/rss", "https://old.example/rss"]


@pytest.fixture
def in_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """etc/newsdigest.toml's database, etc/newsdigest.db, holds a channel; commands run from
    home/."""
    (tmp_path / "etc").mkdir()
    (tmp_path / "home").mkdir()
    (tmp_path / "etc" / "newsdigest.toml").write_text(
        'database = "newsdigest.db"\n', encoding="utf-8"
    )
    monkeypatch.delenv("NEWSDIGEST_CONFIG", raising=False)
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "etc" / "newsdigest.db"))
    assert CliRunner().invoke(cli, ["feeds", "add", "https://old.example/rss"]).exit_code == 0
    with sqlite3.connect(tmp_path / "etc" / "newsdigest.db") as conn:
        conn.execute(
            "INSERT INTO channels (platform, channel_id, schedule, timezone, created_at) "
            "VALUES ('slack', 'C1', '0 8 * * *', 'UTC', '2026-01-01T00:00:00+00:00')"
        )
    monkeypatch.delenv("NEWSDIGEST_DB")
    return tmp_path


@pytest.mark.parametrize("kind", ["zero bytes", "another program's", "unused newsdigest"])
def test_a_stray_file_without_newsdigest_data_is_no_second_database(
    in_use: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    stray = in_use / "home" / "newsdigest.db"
    if kind == "zero bytes":
        stray.write_bytes(b"")
    elif kind == "another program's":
        with sqlite3.connect(stray) as conn:
            conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
            conn.execute("INSERT INTO photos (name) VALUES ('harbour.jpg')")
        conn.close()
    else:
        # A poll with no feeds made it, and nothing used it since.
        monkeypatch.setenv("NEWSDIGEST_DB", str(stray))
        assert CliRunner().invoke(cli, ["poll", "--without-config"]).exit_code == 0
        monkeypatch.delenv("NEWSDIGEST_DB")
        assert stray.stat().st_size > 0
    added = _invoke(in_use / "home", monkeypatch, "feeds", "add", "https://more.example/rss")
    assert added.exit_code == 0, added.output
    assert "two newsdigest databases" not in added.output
    assert _feeds(in_use / "etc" / "newsdigest.db") == [
        "https://more.example/rss",
        "https://old.example/rss",
    ]
    assert f"{stray} in the current directory" in caplog.text
    assert "is not used: it holds nothing to keep" in caplog.text


def test_a_damaged_stray_database_still_counts_as_a_second_one(
    in_use: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A deployment's database whose schema page is damaged ("malformed") may hold its stories
    # and channels: writing to the other file would fork them, so the command refuses.
    stray = in_use / "home" / "newsdigest.db"
    monkeypatch.setenv("NEWSDIGEST_DB", str(stray))
    assert CliRunner().invoke(cli, ["poll", "--without-config"]).exit_code == 0
    monkeypatch.delenv("NEWSDIGEST_DB")
    with sqlite3.connect(stray) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute(
            "INSERT INTO channels (platform, channel_id, schedule, timezone, created_at) "
            "VALUES ('slack', 'C9', '0 8 * * *', 'UTC', '2026-01-01T00:00:00+00:00')"
        )
    conn.close()
    with stray.open("r+b") as raw:  # page 1's b-tree header, just after the 100-byte file header
        raw.seek(100)
        raw.write(b"\x0d\xff\xff\xff\xff\xff\xff\xff")
    assert holds_newsdigest_data(stray)
    added = _invoke(in_use / "home", monkeypatch, "feeds", "add", "https://more.example/rss")
    assert added.exit_code == 1, added.output
    assert "two newsdigest databases" in added.output
    assert _feeds(in_use / "etc" / "newsdigest.db") == ["https://old.example/rss"]


def test_a_file_that_is_not_a_database_holds_no_newsdigest_data(tmp_path: Path) -> None:
    notes = tmp_path / "newsdigest.db"
    notes.write_text("harbour fees, ferry timetable, notes for Monday\n" * 200, encoding="utf-8")
    assert not holds_newsdigest_data(notes)
