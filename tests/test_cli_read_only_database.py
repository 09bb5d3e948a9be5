"""The read-only commands read a database this user may not write (a read-only bind mount, the
service's file an admin can only read), and `newsdigest backup` copies one, even one a newer
version migrated. They used to fail "cannot open: the file or its directory is read-only", since
opening always migrated and switched on WAL.

Tests run as root here, where chmod restricts nothing: the permission tests skip as root, and the
others make the file read-only for the code (its writability check answering no, a connection
that SQLite itself opens read-only), so the logic runs in CI as well."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner
from fakes.cli import polled_sample

from bot.cli import cli, context, main
from bot.config import Config
from bot.store import readonly
from bot.store.database import MIGRATIONS, DatabaseOpenError, open_database
from bot.store.readonly import open_read_only

as_root = sys.platform != "win32" and os.geteuid() == 0


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "nd.toml"
    config.write_text(
        "[polling]\nallow_private_networks = true\n"
        '[[channels]]\nplatform = "console"\nid = "team"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "nd.db"))
    return tmp_path / "nd.db"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _checkpointed(path: Path) -> None:
    """Everything in the main file, as after the bot's clean stop: no -wal or -shm beside it."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _slug(runner: CliRunner) -> str:
    conn = sqlite3.connect(os.environ["NEWSDIGEST_DB"])
    try:
        return str(conn.execute("SELECT slug FROM stories ORDER BY id LIMIT 1").fetchone()[0])
    finally:
        conn.close()


def test_read_commands_work_on_a_database_this_user_may_not_write(
    env: Path, sample_config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = polled_sample(sample_config)
    slug = _slug(runner)
    _checkpointed(env)
    before = _digest(env)
    monkeypatch.setattr(context, "writable", lambda path: False)
    opened: list[str] = []
    real_open = context.open_read_only

    def spy(path: str) -> sqlite_utils.Database:
        opened.append(path)
        return real_open(path)

    monkeypatch.setattr(context, "open_read_only", spy)
    for args in (
        ["stories"],
        ["feeds", "list"],
        ["topics", "list"],
        ["story", slug],
        ["digest", "console:team"],
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, (args, result.output)
        assert "read-only" not in result.output
    assert len(opened) == 5  # each through the read-only connection
    # A card shown without writing its summary to the cache: the file is as it was.
    assert _digest(env) == before
    backup = runner.invoke(cli, ["backup", str(tmp_path / "copy.db")])
    assert backup.exit_code == 0, backup.output
    assert _digest(env) == before


def test_a_write_on_the_read_only_connection_is_refused_and_said(
    env: Path,
    sample_config: Config,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    polled_sample(sample_config)
    _checkpointed(env)
    before = _digest(env)
    monkeypatch.setattr(context, "writable", lambda path: False)
    url = sample_config.feeds[0].url
    monkeypatch.setattr(sys, "argv", ["newsdigest", "feeds", "remove", url])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "the database is read-only for this user" in err and "Traceback" not in err
    assert _digest(env) == before


def test_a_read_only_database_waiting_for_a_migration_says_so(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(env).close()
    latest = max(version for version, _, _ in MIGRATIONS)
    with sqlite3.connect(env) as conn:  # as an older version left it
        conn.execute("DELETE FROM schema_migrations WHERE version = ?", [latest])
    conn.close()
    monkeypatch.setattr(context, "writable", lambda path: False)
    result = CliRunner().invoke(cli, ["stories"])
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: NEWSDIGEST_DB={env}: cannot upgrade it to this version's schema (1 migration to "
        "apply): "
    )
    assert "as a user who can write it" in result.output
    with sqlite3.connect(env) as conn:  # not migrated behind the user's back
        assert latest not in [r[0] for r in conn.execute("SELECT version FROM schema_migrations")]
    conn.close()


def test_a_connection_sqlite_opens_read_only_reads_and_cannot_write(tmp_path: Path) -> None:
    path = tmp_path / "nd.db"
    open_database(path).close()
    db = open_read_only(path)
    try:
        assert "feeds" in db.table_names()
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            db.execute("INSERT INTO feeds (url) VALUES ('https://a.example/rss')")
    finally:
        db.conn.close()


def _refuse_wal_index(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """mode=ro failing as SQLite does in a directory where it cannot create the -shm."""
    uris: list[str] = []
    real = readonly._checked

    def checked(uri: str) -> sqlite3.Connection:
        uris.append(uri.rsplit("?", 1)[1])
        if uri.endswith("?mode=ro"):
            exc = sqlite3.OperationalError("attempt to write a readonly database")
            exc.sqlite_errorname = "SQLITE_READONLY_DIRECTORY"  # type: ignore[attr-defined]
            raise exc
        return real(uri)

    monkeypatch.setattr(readonly, "_checked", checked)
    return uris


def test_without_a_wal_index_a_cleanly_closed_database_is_read_immutable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "nd.db"
    open_database(path).close()
    _checkpointed(path)
    uris = _refuse_wal_index(monkeypatch)
    db = open_read_only(path)
    db.conn.close()
    assert uris == ["mode=ro", "immutable=1"]


def test_a_write_ahead_log_with_commits_is_never_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Immutable ignores the -wal: it would show the database without its latest commits.
    path = tmp_path / "nd.db"
    open_database(path).close()
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute(
        "INSERT INTO feeds (url, created_at) VALUES ('https://a.example/rss', '2026-01-01')"
    )
    writer.commit()
    assert Path(f"{path}-wal").stat().st_size > 0
    uris = _refuse_wal_index(monkeypatch)
    try:
        with pytest.raises(DatabaseOpenError) as info:
            open_read_only(path)
    finally:
        writer.close()
    assert uris == ["mode=ro"]
    assert info.value.problem.startswith("cannot read: its write-ahead log (nd.db-wal) holds")


# --- real permissions, as a user who may not write (skipped as root) -----------------------------

needs_permissions = pytest.mark.skipif(
    sys.platform == "win32" or as_root, reason="root writes anywhere; needs POSIX modes"
)


@needs_permissions
def test_a_read_only_directory_and_file_are_read(
    env: Path, sample_config: Config, tmp_path: Path
) -> None:
    runner = polled_sample(sample_config)
    slug = _slug(runner)
    _checkpointed(env)
    before = _digest(env)
    env.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        for args in (
            ["stories"],
            ["feeds", "list"],
            ["story", slug],
            ["digest", "console:team"],
            ["backup", str(tmp_path.parent / f"{tmp_path.name}-copy.db")],
        ):
            result = runner.invoke(cli, args)
            assert result.exit_code == 0, (args, result.output)
    finally:
        tmp_path.chmod(0o755)
        env.chmod(0o644)
    assert _digest(env) == before


@needs_permissions
def test_commits_a_running_writer_has_not_checkpointed_are_seen(tmp_path: Path) -> None:
    path = tmp_path / "nd.db"
    open_database(path).close()
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute(
        "INSERT INTO feeds (url, created_at) VALUES ('https://a.example/rss', '2026-01-01')"
    )
    writer.commit()
    tmp_path.chmod(0o555)
    try:
        db = open_read_only(path)
        assert db.execute("SELECT url FROM feeds").fetchall() == [("https://a.example/rss",)]
        db.conn.close()
    finally:
        tmp_path.chmod(0o755)
        writer.close()
