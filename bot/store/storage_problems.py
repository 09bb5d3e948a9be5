"""What is wrong where the database file lies, in words for the user: a missing file, a
read-only or full file system, a permission. SQLite's own errors ("unable to open database
file", "disk I/O error") do not say; these ask the file system. Kept apart from
`bot.store.database`, which opens the file and raises what these find."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path

# A read-only command's database file is missing: a mistyped path, or nothing stored yet.
CREATES_IT = "`newsdigest poll` or `newsdigest run` creates it"
NO_DATABASE = f"no such database ({CREATES_IT})"


def missing_database(path: str) -> str | None:
    """What a command that creates nothing says of a database file that is not there; None when
    it is (or is in memory)."""
    if path == ":memory:" or Path(path).exists():
        return None
    parent = Path(path).parent
    if not parent.is_dir():
        return f"no such database (the directory {parent} does not exist; {CREATES_IT})"
    return NO_DATABASE


READ_ONLY = "the file or its directory is read-only"
PERMISSION_DENIED = "permission denied (this user may not write the file or its directory)"
NOT_WRITABLE = "the file or its directory is not writable"  # read-only mount or permission: unknown
DISK_FULL = "the disk is full"
ERRNO_CAUSES = {errno.EROFS: READ_ONLY, errno.EACCES: PERMISSION_DENIED,
                 errno.EPERM: PERMISSION_DENIED, errno.ENOSPC: DISK_FULL,
                 errno.EDQUOT: DISK_FULL}  # fmt: skip
# Free space under this when SQLite fails writing is taken for a full disk: a nearly full disk
# has SQLite fail as it writes its journal or WAL index, often as a bare "disk I/O error".
NEARLY_FULL_BYTES = 1 << 20


def storage_problem(path: str, exc: sqlite3.Error | None = None) -> str | None:
    """What about where the database file lies explains a SQLite failure (`READ_ONLY`,
    `PERMISSION_DENIED` or `DISK_FULL`), or None. SQLite's own words ("unable to open database
    file", "disk I/O error") do not say, so the file system is asked: SQLite's error code, then
    whether the file and its directory take writes (WAL mode writes its -wal and -shm files next
    to the database) and, if not, whether the mount is read-only (which stops root too) or the
    user lacks permission; then, only for a failed write (SQLITE_FULL, SQLITE_IOERR), the free
    space: low free space says nothing about other failures (too many open files, say)."""
    if getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL":
        return DISK_FULL
    file = Path(path)
    directory = file.parent if file.parent.is_dir() else None
    for target in (file, directory):
        if target is not None and target.exists() and not os.access(target, os.W_OK):
            read_only = _read_only_mount(target)
            if read_only is None:
                return NOT_WRITABLE
            return READ_ONLY if read_only else PERMISSION_DENIED
    if not _failed_write(exc):
        return None
    try:
        free = shutil.disk_usage(directory or file).free
    except OSError:
        return None
    return DISK_FULL if free < NEARLY_FULL_BYTES else None


def _read_only_mount(path: Path) -> bool | None:
    """Whether the file system holding `path` is mounted read-only; None if it cannot be told."""
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (AttributeError, OSError):  # no statvfs (Windows), or it failed
        return None


def _failed_write(exc: sqlite3.Error | None) -> bool:
    """Whether SQLite failed writing (SQLITE_IOERR and its extended codes, "disk I/O error")."""
    if exc is None:
        return False
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith("SQLITE_IOERR") or "disk I/O error" in str(exc)


def cannot_open(path: str, exc: sqlite3.Error) -> str:
    cause = storage_problem(path, exc) if path != ":memory:" else None
    return f"cannot open: {cause} (SQLite: {exc})" if cause else f"cannot open: {exc}"


def write_refusal(exc: BaseException) -> str | None:
    """What a running write's failure says of the database, when the failure is where the file
    lies and not a bug of ours: "database refuses writes: database or disk is full" (as
    `/healthz` says it) for a full disk (SQLITE_FULL), a read-only file or mount
    (SQLITE_READONLY) or a failing device (SQLITE_IOERR); None for anything else. A lock held
    by another process (SQLITE_BUSY) passes, so it is none of these."""
    if not isinstance(exc, sqlite3.Error):
        return None
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name == "SQLITE_FULL" or name.startswith(("SQLITE_READONLY", "SQLITE_IOERR")):
        return f"database refuses writes: {exc}"
    return None
