"""A consistent copy of the live database, taken while the bot runs (`newsdigest backup`).

Copying the file with `cp` while `newsdigest run` writes can catch the database between a page of
the main file and its write-ahead log: the copy may not open, or may miss recent commits. SQLite's
online backup API copies pages through a connection, so the copy is one committed state.

The copy is written next to the destination under a temporary name and renamed into place only
once it has passed SQLite's quick check, so a crash or a full disk never leaves a half-written file
where a good backup is expected, nor replaces an older good one.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from bot.store.database import connect_read_only, database_file

# Pages per backup step: small enough for a smooth progress bar, large enough that a big
# database is copied in a few hundred steps.
STEP_PAGES = 1024
# The online backup starts over when another connection writes between two steps. A busy bot
# could keep it starting over; after this many restarts the rest is copied in one step, which
# holds a read snapshot (writers carry on in WAL mode) and cannot be restarted.
MAX_RESTARTS = 3

Progress = Callable[[int, int], None]  # (pages copied, total pages)


class BackupError(Exception):
    """The backup could not be written or did not check out; the destination is untouched."""


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    bytes: int
    pages: int


class _Restarted(Exception):
    pass


def backup(
    db: sqlite_utils.Database,
    dest: Path,
    *,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> BackupResult:
    """Copy `db` to `dest` (a file path) and check the copy. Raises BackupError on failure."""
    dest = Path(dest)
    if dest.is_dir():
        raise BackupError(f"{dest} is a directory; name the backup file")
    kind = _special_kind(dest)
    if kind is not None:
        # The rename would put a regular file where the device, FIFO or socket was (as root,
        # `/dev/full` became a file), so --force never replaces one.
        raise BackupError(f"{dest} is {kind}, not a regular file; name a file for the backup")
    if _same_file(db, dest):
        raise BackupError(f"{dest} is the database itself, or a file SQLite keeps beside it")
    if dest.is_symlink():
        # The rename would replace the link itself and leave what it points at as it was;
        # writing through it would replace a file the command does not name (`cp` refuses a
        # dangling one for that reason). Which one was meant only the user knows: they name it.
        missing = "" if dest.exists() else ", which does not exist"
        raise BackupError(
            f"{dest} is a symbolic link (to {os.readlink(dest)}{missing});"
            " name the file itself for the backup"
        )
    if dest.exists() and not overwrite:
        raise BackupError(f"{dest} already exists (--force replaces it)")
    if not dest.parent.is_dir():
        raise BackupError(f"the directory {dest.parent} does not exist")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".partial", dir=dest.parent)
    except OSError as exc:
        raise BackupError(f"cannot write in {dest.parent}: {exc.strerror or exc}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        pages = _copy(db.conn, tmp, progress)
        _check(tmp)
        _fsync(tmp)
        os.replace(tmp, dest)
        _fsync_dir(dest.parent)
    except sqlite3.Error as exc:
        raise BackupError(f"backup failed: {exc}") from None
    except OSError as exc:
        raise BackupError(f"cannot write {dest}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return BackupResult(dest, dest.stat().st_size, pages)


def _copy(source: sqlite3.Connection, tmp: Path, progress: Progress | None) -> int:
    target = sqlite3.connect(tmp)
    try:
        restarts = 0
        seen_remaining: int | None = None
        total_pages = 0

        def on_step(status: int, remaining: int, total: int) -> None:
            nonlocal restarts, seen_remaining, total_pages
            total_pages = total
            # Each step copies pages, so `remaining` falls; when it does not, the backup started
            # over (the count can even grow with the file).
            if seen_remaining is not None and remaining >= seen_remaining:
                restarts += 1
                if restarts > MAX_RESTARTS:
                    raise _Restarted
            seen_remaining = remaining
            if progress is not None:
                progress(total - remaining, total)

        try:
            source.backup(target, pages=STEP_PAGES, progress=on_step, sleep=0)
        except _Restarted:
            source.backup(target, pages=-1)
        if progress is not None and total_pages:
            progress(total_pages, total_pages)
        # The copy keeps the source's WAL mode in its header; a backup is one self-contained
        # file, so it goes back to a rollback journal and needs no -wal or -shm beside it.
        target.execute("PRAGMA journal_mode = DELETE")
        return int(target.execute("PRAGMA page_count").fetchone()[0])
    finally:
        target.close()


def _check(path: Path) -> None:
    conn = connect_read_only(path)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    if problems != ["ok"]:
        raise BackupError(f"the copy failed SQLite's check: {'; '.join(problems[:3])}")
    if "schema_migrations" not in tables:
        raise BackupError("the copy holds no newsdigest schema")


def _special_kind(dest: Path) -> str | None:
    """What `dest` (or what it links to) is when it exists and is not a regular file."""
    try:
        mode = dest.stat().st_mode  # follows a symlink: a link to a device is a device here
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _same_file(db: sqlite_utils.Database, dest: Path) -> bool:
    """Whether `dest` is the database or one of the files SQLite keeps beside it: replacing the
    write-ahead log or shared-memory file of a live database loses its latest commits."""
    main = database_file(db)
    if main is None:
        return False
    for path in (main, *(main + suffix for suffix in ("-wal", "-shm", "-journal"))):
        if Path(path).exists() and dest.exists() and os.path.samefile(path, dest):
            return True
        if Path(path).resolve() == dest.resolve():
            return True
    return False


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    # The rename is only durable once the directory entry is on disk.
    with contextlib.suppress(OSError):  # some filesystems refuse fsync on a directory
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
