"""A NEWSDIGEST_DB that cannot be a newsdigest database is one error line, not a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.store.database import MIGRATIONS, DatabaseOpenError, open_database


@pytest.fixture(autouse=True)
def no_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "nd.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))


def _run(db: Path, args: list[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEWSDIGEST_DB", str(db))
    monkeypatch.setenv("NEWSDIGEST_HEALTH_PORT", "off")  # `run` binds it before the database
    return CliRunner().invoke(cli, args)


def error_of(output: str, args: list[str]) -> str:
    """The command's output, but for `run`, whose start logs the database and config it takes
    before it opens the database: its last line, the error, after no traceback."""
    if args != ["run"]:
        return output
    assert "Traceback" not in output
    return output.splitlines(keepends=True)[-1]


def test_a_file_that_is_not_a_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list\n" * 200, encoding="utf-8")
    for args in (["stories"], ["feeds", "add", "https://a.example/rss"], ["run"]):
        result = _run(notes, args, monkeypatch)
        assert result.exit_code == 1, args
        said = error_of(result.output, args)
        assert said == f"Error: NEWSDIGEST_DB={notes}: not a newsdigest database\n"
    assert notes.read_text(encoding="utf-8") == "shopping list\n" * 200


def test_another_programs_sqlite_file_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER)")
    result = _run(other, ["feeds", "list"], monkeypatch)
    assert result.output == f"Error: NEWSDIGEST_DB={other}: not a newsdigest database\n"
    with sqlite3.connect(other) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert tables == ["photos"]


def test_a_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(tmp_path, ["stories"], monkeypatch)
    assert result.exit_code == 1
    assert result.output == f"Error: NEWSDIGEST_DB={tmp_path}: cannot open: it is a directory\n"


def test_read_only_commands_do_not_create_a_missing_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "typo" / "nd.db"
    for args in (["stories"], ["feeds", "list"], ["topics", "list"], ["story", "x"]):
        result = _run(db, args, monkeypatch)
        assert result.exit_code == 1, args
        assert "no such database" in result.output and "typo does not exist" in result.output
    assert not db.parent.exists()
    # A command that adds something creates it, as on a first start.
    added = _run(db, ["feeds", "add", "https://a.example/rss"], monkeypatch)
    assert added.exit_code == 0 and db.exists()


def test_read_only_commands_do_not_create_a_missing_database_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A mistyped file name in an existing directory got a fresh database and "No stories in the
    # last 48h. Run `newsdigest poll` first", as if the bot had found nothing.
    db = tmp_path / "typo.db"
    commands = (["stories"], ["feeds", "list"], ["topics", "list"], ["story", "x"],
                ["feeds", "export"], ["digest", "slack:C1"], ["topics", "test", "chip"])  # fmt: skip
    for args in commands:
        result = _run(db, args, monkeypatch)
        assert result.exit_code == 1, args
        assert result.output == (
            f"Error: NEWSDIGEST_DB={db}: no such database "
            "(`newsdigest poll` or `newsdigest run` creates it)\n"
        ), args
    assert not list(tmp_path.glob("typo.db*"))  # nor its -wal or -shm


def test_a_database_from_a_newer_version_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "nd.db"
    open_database(path).close()
    known = max(version for version, _, _ in MIGRATIONS)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO schema_migrations VALUES (?, 'from the future', '2027-01-01')",
            [known + 1],
        )
    for args in (["stories"], ["feeds", "add", "https://a.example/rss"], ["run"]):
        result = _run(path, args, monkeypatch)
        assert result.exit_code == 1, args
        assert error_of(result.output, args) == (
            f"Error: NEWSDIGEST_DB={path}: created by a newer newsdigest "
            f"(schema {known + 1}; this version knows up to {known}): upgrade newsdigest, or "
            "restore the backup taken before the upgrade (`newsdigest backup`)\n"
        )
    with pytest.raises(DatabaseOpenError, match="newer newsdigest"):
        open_database(path)
    with sqlite3.connect(path) as conn:  # left as it was
        assert conn.execute("SELECT COUNT(*) FROM feeds").fetchone()[0] == 0


def test_a_relative_database_in_the_config_is_quoted_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The error quoted 'config/data/nd.db' as the config's value, which the file does not
    # contain, and dropped the hint that `poll` or `run` creates the database. From here a poll
    # would not create it (the service may keep its database elsewhere): the hint says where.
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "newsdigest.toml").write_text(
        'database = "data/nd.db"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSDIGEST_DB", raising=False)
    monkeypatch.setenv("NEWSDIGEST_CONFIG", "config/newsdigest.toml")
    resolved = tmp_path / "config" / "data" / "nd.db"
    result = CliRunner().invoke(cli, ["stories"])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: database = 'data/nd.db' in config/newsdigest.toml (resolved to {resolved}): "
        f"no such database (the directory {Path('config/data')} does not exist; "
        f"`newsdigest run`, or `newsdigest poll` run from {tmp_path / 'config'}, creates it)\n"
    )
    (tmp_path / "config" / "data").mkdir()  # the directory there, the file not
    result = CliRunner().invoke(cli, ["feeds", "list"])
    assert result.output == (
        f"Error: database = 'data/nd.db' in config/newsdigest.toml (resolved to {resolved}): "
        "no such database (`newsdigest run`, or `newsdigest poll` run from "
        f"{tmp_path / 'config'}, creates it)\n"
    )


def test_an_absolute_database_in_the_config_is_not_resolved_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "nd.toml"
    missing = tmp_path / "nowhere" / "nd.db"
    config.write_text(f"database = {str(missing)!r}\n", encoding="utf-8")
    monkeypatch.delenv("NEWSDIGEST_DB", raising=False)
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    result = CliRunner().invoke(cli, ["stories"])
    assert result.output.startswith(f"Error: database = {str(missing)!r} in {config}: no such")
