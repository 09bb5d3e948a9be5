"""`newsdigest backup DEST` and bot.store.backup on real database files, including a copy taken
while another connection keeps writing."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.store import backup as backup_module
from bot.store import feeds as feed_store
from bot.store.backup import BackupError, backup
from bot.store.database import MIGRATIONS, DatabaseOpenError, open_database
from bot.store.readonly import open_to_copy
from bot.store.storage_problems import NO_DATABASE


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "live" / "nd.db"
    path.parent.mkdir()
    db = open_database(path)
    for n in range(20):
        feed_store.add_feed(db, f"https://site{n}.example/rss")
    db.close()
    monkeypatch.setenv("NEWSDIGEST_DB", str(path))
    config = tmp_path / "nd.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    return path


def _feed_urls(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT url FROM feeds ORDER BY url")]
    finally:
        conn.close()


def _invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["backup", *args])


def test_backup_is_a_self_contained_copy_that_opens_as_a_newsdigest_database(
    db_path: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "backups" / "nd-backup.db"
    dest.parent.mkdir()
    result = _invoke(str(dest))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Backed up {db_path} to {dest} (")
    assert _feed_urls(dest) == _feed_urls(db_path)
    # One file, no write-ahead log needed beside it, and nothing temporary left behind.
    assert sorted(p.name for p in dest.parent.iterdir()) == ["nd-backup.db"]
    conn = sqlite3.connect(dest)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    # The bot opens it as its own database.
    open_database(dest).close()


def test_an_existing_destination_is_kept_unless_forced(db_path: Path, tmp_path: Path) -> None:
    dest = tmp_path / "nd-backup.db"
    dest.write_bytes(b"an older backup")
    result = _invoke(str(dest))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"Error: {dest} already exists (--force replaces it)"]
    assert dest.read_bytes() == b"an older backup"
    result = _invoke(str(dest), "--force")
    assert result.exit_code == 0, result.output
    assert _feed_urls(dest) == _feed_urls(db_path)


@pytest.mark.parametrize(
    ("target", "error"),
    [
        ("self", "is the database itself"),
        ("wal", "is the database itself, or a file SQLite keeps beside it"),
        ("shm", "is the database itself, or a file SQLite keeps beside it"),
        ("missing-dir", "the directory {dir} does not exist"),
    ],
)
def test_unusable_destinations_are_one_line_errors(
    db_path: Path, tmp_path: Path, target: str, error: str
) -> None:
    dest = {
        "self": db_path,
        "wal": db_path.with_name(db_path.name + "-wal"),
        "shm": db_path.with_name(db_path.name + "-shm"),
        "missing-dir": tmp_path / "nowhere" / "b.db",
    }[target]
    before = db_path.read_bytes()
    result = _invoke(str(dest), "--force")
    assert result.exit_code == 1
    assert error.format(dir=tmp_path / "nowhere") in result.stderr
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("slash", ["", "/"])
def test_a_directory_gets_a_backup_named_for_its_time(
    db_path: Path, tmp_path: Path, slash: str
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    result = _invoke(f"{folder}{slash}")
    assert result.exit_code == 0, result.output
    [made] = list(folder.iterdir())
    assert re.fullmatch(r"newsdigest-\d{8}-\d{6}\.db", made.name)
    assert result.stdout.startswith(f"Backed up {db_path} to {made} (")
    assert _feed_urls(made) == _feed_urls(db_path)


def test_a_missing_directory_is_named_with_a_file_name_to_give(
    db_path: Path, tmp_path: Path
) -> None:
    result = _invoke(f"{tmp_path}/nowhere/")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(
        f"Error: no directory {tmp_path}/nowhere/: create it first (mkdir -p {tmp_path}/nowhere/),"
        f" or give a file name, e.g. {tmp_path}/nowhere/newsdigest-"
    )
    assert not (tmp_path / "nowhere").exists()


def test_the_database_is_named_by_its_resolved_path(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As a config beside the database names it: "config/../nd.db".
    monkeypatch.setenv("NEWSDIGEST_DB", str(db_path.parent / ".." / "live" / "nd.db"))
    dest = tmp_path / "b.db"
    result = _invoke(str(dest))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Backed up {db_path} to {dest} (")


def test_a_missing_database_is_an_error_not_a_new_empty_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDIGEST_DB", str(tmp_path / "typo.db"))
    config = tmp_path / "nd.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))
    result = _invoke(str(tmp_path / "b.db"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: NEWSDIGEST_DB={tmp_path / 'typo.db'}: {NO_DATABASE}"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nd.toml"]


def test_outside_the_checkout_the_missing_config_is_said_as_readers_say_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from another directory, the default ./newsdigest.db is nobody's: `backup` said only
    "no such database (`newsdigest poll` ... creates it)", where `stories` and the other
    readers say no config file was found and how to name it."""
    for name in ("NEWSDIGEST_DB", "NEWSDIGEST_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    backed_up = _invoke("x.db")
    listed = CliRunner().invoke(cli, ["stories"])
    assert backed_up.exit_code == listed.exit_code == 1
    assert backed_up.stderr == listed.stderr
    assert backed_up.stderr.startswith(
        "Error: newsdigest.db: no such database; no config file found (config/newsdigest.toml"
        f" is not in {tmp_path}): run this from your checkout, or name it with --config FILE"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_copy_that_fails_its_check_leaves_nothing_and_keeps_the_old_backup(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "nd-backup.db"
    dest.write_bytes(b"the last good backup")

    def corrupt(path: Path) -> None:
        raise BackupError("the copy failed SQLite's check: page 7 is never used")

    monkeypatch.setattr(backup_module, "_check", corrupt)
    db = open_database(db_path)
    with pytest.raises(BackupError, match="page 7"):
        backup(db, dest, overwrite=True)
    db.close()
    assert dest.read_bytes() == b"the last good backup"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live", "nd-backup.db", "nd.toml"]


@pytest.mark.parametrize("write", ["insert", "update"])
def test_backup_while_another_connection_writes_is_one_committed_state(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: str
) -> None:
    # Another connection commits between every two steps of the copy, as a busy bot could: the
    # online backup starts over each time, and would for ever (updates do not even grow the
    # file). It must still finish, and hold one committed state: rows written in pairs are
    # never split.
    monkeypatch.setattr(backup_module, "STEP_PAGES", 1)
    db = open_database(db_path)
    db.execute("CREATE TABLE pairs (n INTEGER, filler TEXT)")
    for n in range(40):
        db.execute("INSERT INTO pairs VALUES (?, ?), (?, ?)", [n, "x" * 3000, n, "y" * 3000])
    other = sqlite3.connect(db_path, isolation_level=None, timeout=30)
    steps: list[tuple[int, int]] = []

    def step_then_write(done: int, total: int) -> None:
        steps.append((done, total))
        n = len(steps)
        other.execute("BEGIN IMMEDIATE")
        if write == "insert":
            other.execute("INSERT INTO pairs VALUES (?, ?), (?, ?)", [1000 + n, "a", 1000 + n, "b"])
        else:
            other.execute("UPDATE pairs SET filler = ? WHERE n = ?", [f"v{n}" * 1000, n % 40])
        other.execute("COMMIT")

    result = backup(db, tmp_path / "b.db", progress=step_then_write)
    db.close()
    other.close()
    copy = sqlite3.connect(result.path)
    assert copy.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    fillers: dict[int, set[str]] = {}
    for n, filler in copy.execute("SELECT n, filler FROM pairs"):
        fillers.setdefault(n, set()).add(filler)
    copy.close()
    original = {"x" * 3000, "y" * 3000}
    # Each pair as one commit left it: both rows inserted, or both rewritten by one update.
    assert all(len(f) == 1 or f == original or f == {"a", "b"} for f in fillers.values())
    assert len(fillers) >= 40
    # Fewer steps than a restart on every step would take, and the bar ends full.
    assert len(steps) <= backup_module.MAX_RESTARTS + 3
    assert steps[-1][0] == steps[-1][1] == result.pages


def test_backup_help_says_how_to_restore() -> None:
    result = CliRunner().invoke(cli, ["backup", "--help"])
    assert result.exit_code == 0
    assert "copy the backup over the database file" in " ".join(result.stdout.split())


def _versions(path: Path) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT version FROM schema_migrations")]
    finally:
        conn.close()


def _checkpointed(path: Path) -> bytes:
    """The file's bytes with every commit in it and no -wal or -shm beside it (a clean stop)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path.read_bytes()


def test_backup_copies_a_database_from_a_newer_version_without_touching_it(
    db_path: Path, tmp_path: Path
) -> None:
    # Someone who went back to an older version: every other command refuses the file, and a
    # copy to keep before anything else is exactly what they need.
    newer = max(version for version, _, _ in MIGRATIONS) + 1
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (?, 'future', '2027-01-01')", [newer])
    conn.close()
    before = _checkpointed(db_path)
    refused = CliRunner().invoke(cli, ["stories"])
    assert refused.exit_code == 1 and "created by a newer newsdigest" in refused.output
    assert refused.output.endswith(
        ": upgrade newsdigest, or restore the backup taken before the upgrade (`newsdigest backup`)\n"
    )
    dest = tmp_path / "copy.db"
    result = _invoke(str(dest))
    assert result.exit_code == 0, result.output
    assert newer in _versions(dest) and _feed_urls(dest) == _feed_urls(db_path)
    assert db_path.read_bytes() == before


def test_backup_takes_an_older_database_as_it_is(db_path: Path, tmp_path: Path) -> None:
    # The copy worth having before an upgrade is the database before its migrations.
    latest = max(version for version, _, _ in MIGRATIONS)
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM schema_migrations WHERE version = ?", [latest])
    conn.close()
    result = _invoke(str(tmp_path / "copy.db"))
    assert result.exit_code == 0, result.output
    assert latest not in _versions(db_path) and latest not in _versions(tmp_path / "copy.db")


def test_backup_refuses_what_is_not_a_newsdigest_database(db_path: Path, tmp_path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db_path.write_text("shopping list\n" * 200, encoding="utf-8")
    result = _invoke(str(tmp_path / "copy.db"))
    assert result.output == f"Error: NEWSDIGEST_DB={db_path}: not a newsdigest database\n"
    with pytest.raises(DatabaseOpenError, match="not a newsdigest database"):
        open_to_copy(db_path)
    with sqlite3.connect(db_path.parent / "other.db") as conn:  # another program's file
        conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.close()
    with pytest.raises(DatabaseOpenError, match="not a newsdigest database"):
        open_to_copy(db_path.parent / "other.db")


@pytest.mark.parametrize("link", [False, True])
def test_force_never_replaces_a_fifo_or_a_link_to_one(
    db_path: Path, tmp_path: Path, link: bool
) -> None:
    # A device behaves alike (as root, `backup /dev/full --force` made /dev/full a regular file);
    # a FIFO in tmp_path is the same kind of not-a-file without touching /dev.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    dest = fifo
    if link:
        dest = tmp_path / "link-to-pipe"
        dest.symlink_to(fifo)
    for args in ([str(dest)], [str(dest), "--force"]):
        result = _invoke(*args)
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            f"Error: {dest} is a FIFO (named pipe), not a regular file; name a file for the backup"
        ]
    assert stat.S_ISFIFO(os.stat(dest).st_mode)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


@pytest.mark.parametrize("dangling", [False, True])
def test_a_symbolic_link_is_refused_forced_or_not_and_left_as_it_was(
    db_path: Path, tmp_path: Path, dangling: bool
) -> None:
    # Replaced by the rename, the link became a regular file and what it pointed at kept the
    # old backup; a dangling one was replaced even without --force, as if nothing were there.
    target = tmp_path / "backups" / "latest.db"
    target.parent.mkdir()
    if not dangling:
        target.write_bytes(b"an older backup")
    link = tmp_path / "nd-backup.db"
    link.symlink_to(target)
    for args in ([str(link)], [str(link), "--force"]):
        result = _invoke(*args)
        assert result.exit_code == 1
        missing = ", which does not exist" if dangling else ""
        assert result.stderr.splitlines() == [
            f"Error: {link} is a symbolic link (to {target}{missing});"
            " name the file itself for the backup"
        ]
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.exists() is not dangling
    if not dangling:
        assert target.read_bytes() == b"an older backup"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")) == []
    # Named itself, the file is replaced as any other.
    if not dangling:
        assert _invoke(str(target), "--force").exit_code == 0
        assert _feed_urls(target) == _feed_urls(db_path)
