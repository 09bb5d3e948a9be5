"""A database that cannot be opened because of where it lies says why: a read-only mount, a file
or directory this user may not write (permission denied, not read-only), or a full disk, in one
line (exit 1), instead of SQLite's "unable to open database file" or "disk I/O error". Real
directories and files; as root, where permission bits are not enforced, these cases are checked
with SQLite's failure simulated, and a full disk always is (a test cannot fill a real disk)."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

import bot.store.database as database
import bot.store.storage_problems as storage_problems
from bot.cli import cli
from bot.store.database import DatabaseOpenError, open_database
from bot.store.storage_problems import (
    DISK_FULL,
    NOT_WRITABLE,
    PERMISSION_DENIED,
    READ_ONLY,
    storage_problem,
)

as_root = os.geteuid() == 0


@pytest.fixture(autouse=True)
def no_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "nd.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("NEWSDIGEST_CONFIG", str(config))


@pytest.fixture
def locked_dir(tmp_path: Path) -> Iterator[Path]:
    """A directory holding one closed newsdigest database, then made read-only (0o555)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    open_database(folder / "nd.db").conn.close()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


def _fail_connect(monkeypatch: pytest.MonkeyPatch, message: str) -> None:
    """SQLite failing to open, as it does on a read-only mount or a full disk."""

    def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        raise sqlite3.OperationalError(message)

    monkeypatch.setattr(database.sqlite3, "connect", connect)


def _deny_writes(monkeypatch: pytest.MonkeyPatch, under: Path) -> None:
    """access(W_OK) says no under `under`, as for a read-only mount or a lack of permission."""
    real_access = os.access
    monkeypatch.setattr(
        storage_problems.os,
        "access",
        lambda p, mode: (
            False if mode == os.W_OK and str(p).startswith(str(under)) else real_access(p, mode)
        ),
    )


def _mount(monkeypatch: pytest.MonkeyPatch, under: Path, *, read_only: bool) -> None:
    """statvfs reports the file system under `under` mounted read-only, or not."""
    real_statvfs = os.statvfs

    def statvfs(p: object) -> object:
        if str(p).startswith(str(under)):
            return SimpleNamespace(f_flag=os.ST_RDONLY if read_only else 0)
        return real_statvfs(p)  # type: ignore[arg-type]

    monkeypatch.setattr(storage_problems.os, "statvfs", statvfs)


def _cli(db: Path, args: list[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEWSDIGEST_DB", str(db))
    return CliRunner().invoke(cli, args)


@pytest.mark.skipif(as_root, reason="root writes to a 0o555 directory")
@pytest.mark.parametrize("name", ["nd.db", "new.db"])
def test_a_directory_without_write_permission_is_named_as_the_cause(
    locked_dir: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = locked_dir / name
    with pytest.raises(DatabaseOpenError) as info:
        open_database(path)
    assert info.value.problem.startswith(f"cannot open: {PERMISSION_DENIED} (SQLite: ")
    # A command that may create the database: a read-only one calls a missing file just that.
    result = _cli(path, ["feeds", "add", "https://a.example/rss"], monkeypatch)
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: NEWSDIGEST_DB={path}: cannot open: {PERMISSION_DENIED}"
    )
    assert result.output.count("\n") == 1


@pytest.mark.skipif(as_root, reason="root writes to a 0o444 file")
def test_a_file_without_write_permission_is_named_as_the_cause(tmp_path: Path) -> None:
    path = tmp_path / "nd.db"
    open_database(path).conn.close()
    # Not in WAL mode (made by an older version, say): switching it is the first write.
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    path.chmod(0o444)
    with pytest.raises(DatabaseOpenError) as info:
        open_database(path)
    assert info.value.problem.startswith(f"cannot open: {PERMISSION_DENIED}")


@pytest.mark.parametrize(
    ("read_only", "cause"),
    [
        # What a read-only mount looks like even to root: access(W_OK) says no, statvfs says
        # ST_RDONLY, SQLite cannot open.
        (True, READ_ONLY),
        # access(W_OK) says no, but the file system takes writes: the user lacks permission,
        # which is not called read-only.
        (False, PERMISSION_DENIED),
    ],
)
def test_an_unwritable_directory_is_named_as_the_file_system_reports_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_only: bool, cause: str
) -> None:
    folder = tmp_path / "mnt"
    folder.mkdir()
    _deny_writes(monkeypatch, folder)
    _mount(monkeypatch, folder, read_only=read_only)
    _fail_connect(monkeypatch, "unable to open database file")
    (folder / "nd.db").touch()  # there to be read (a missing file is "no such database")
    result = _cli(folder / "nd.db", ["feeds", "list"], monkeypatch)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: NEWSDIGEST_DB={folder / 'nd.db'}: cannot open: {cause}"
        " (SQLite: unable to open database file)\n"
    )


def test_a_mount_that_cannot_be_asked_is_called_not_writable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _deny_writes(monkeypatch, tmp_path)

    def statvfs(p: object) -> object:
        raise OSError(errno.ENOSYS, "no statvfs")

    monkeypatch.setattr(storage_problems.os, "statvfs", statvfs)
    problem = storage_problem(str(tmp_path / "nd.db"), sqlite3.OperationalError("unable to open"))
    assert problem == NOT_WRITABLE


def test_low_free_space_is_blamed_only_for_a_failed_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(storage_problems.shutil, "disk_usage", lambda p: usage._replace(free=4096))
    path = str(tmp_path / "nd.db")
    # Not a write that failed (too many open files, say): the disk is not the cause.
    _fail_connect(monkeypatch, "unable to open database file")
    with pytest.raises(DatabaseOpenError) as info:
        open_database(path)
    assert info.value.problem == "cannot open: unable to open database file"
    assert storage_problem(path, sqlite3.OperationalError("unable to open database file")) is None
    assert storage_problem(path) is None
    # SQLITE_IOERR by its code (an extended one, worded otherwise), or by its words: a full disk.
    ioerr = sqlite3.OperationalError("disk I/O error while writing the WAL index")
    ioerr.sqlite_errorname = "SQLITE_IOERR_SHMSIZE"  # type: ignore[attr-defined]
    assert storage_problem(path, ioerr) == DISK_FULL
    coded = sqlite3.OperationalError("some other wording")
    coded.sqlite_errorname = "SQLITE_IOERR_WRITE"  # type: ignore[attr-defined]
    assert storage_problem(path, coded) == DISK_FULL
    assert storage_problem(path, sqlite3.OperationalError("disk I/O error")) == DISK_FULL


def test_a_full_disk_is_named_as_the_cause(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(storage_problems.shutil, "disk_usage", lambda p: usage._replace(free=4096))
    _fail_connect(monkeypatch, "disk I/O error")
    (tmp_path / "nd.db").touch()
    result = _cli(tmp_path / "nd.db", ["stories"], monkeypatch)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: NEWSDIGEST_DB={tmp_path / 'nd.db'}: cannot open: {DISK_FULL}"
        " (SQLite: disk I/O error)\n"
    )


def test_no_cause_is_made_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A writable directory on a disk with room: SQLite's own words, as before.
    _fail_connect(monkeypatch, "disk I/O error")
    with pytest.raises(DatabaseOpenError) as info:
        open_database(tmp_path / "nd.db")
    assert info.value.problem == "cannot open: disk I/O error"


@pytest.mark.parametrize(
    ("code", "cause"),
    [
        (errno.EROFS, READ_ONLY),
        (errno.EACCES, PERMISSION_DENIED),
        (errno.EPERM, PERMISSION_DENIED),
        (errno.ENOSPC, DISK_FULL),
    ],
)
def test_a_directory_that_cannot_be_made_names_the_cause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, cause: str
) -> None:
    def mkdir(self: Path, *args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code), str(self))

    monkeypatch.setattr(Path, "mkdir", mkdir)
    with pytest.raises(DatabaseOpenError) as info:
        open_database(tmp_path / "sub" / "nd.db")
    assert info.value.problem == f"cannot open: {cause}"
