"""One `newsdigest run` per database: an exclusive OS lock on `<database>.lock`, held for the
process' life.

The outbox's crash recovery (`bot.delivery.reconcile`) takes a row left `sending` by a process
that is no longer running for a crash leftover and checks or resends it; which rows are in flight
is known only inside the process sending them. A second process on the same database (an
overlapping restart, a rolling deploy, a second terminal) would take the first one's in-flight
posts for leftovers and post them again, so it is refused at start instead.

The lock is the OS's (`flock` on POSIX, `msvcrt.locking` on Windows), not the file's existence:
the OS releases it when its holder exits or is killed, so a crash never leaves a stale lock, and
the file itself stays behind harmlessly. The holder writes its pid into the file, for the refusal
to name. An in-memory database is private to its process and needs no lock.
"""

from __future__ import annotations

import contextlib
import errno
import os
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from bot.store.database import DatabaseOpenError
from bot.store.storage_problems import ERRNO_CAUSES

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

# Windows locks are mandatory: the locked byte lies past the pid, so the refused process can
# still read the pid (Windows allows locking a range beyond the end of the file).
_WINDOWS_LOCK_OFFSET = 1 << 20


class DatabaseInUseError(DatabaseOpenError):
    """Another process holds the database's lock."""

    def __init__(self, path: str, pid: int | None) -> None:
        holder = f"newsdigest run (pid {pid})" if pid else "newsdigest run"
        super().__init__(
            path,
            f"in use by another {holder}; run one instance per database "
            f"(the lock is {lock_path(path)})",
        )
        self.pid = pid


class DatabaseLock:
    """The held lock; `release` (or leaving the `with` block, or exiting) lets it go."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            # Closing the descriptor is what releases the lock, on both systems.
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> DatabaseLock:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def lock_path(database: str) -> Path:
    # Next to the real file: two spellings of one database (a relative path, a symlink) must
    # meet at one lock.
    return Path(f"{os.path.realpath(database)}.lock")


def lock_database(database: str) -> DatabaseLock | None:
    """Take the database's lock without waiting, or raise `DatabaseInUseError` naming the
    holder's pid; `DatabaseOpenError` if the lock file cannot be opened or locked (another user's
    file, a file system without locks). None for `:memory:`, private to its process."""
    if database == ":memory:":
        return None
    path = lock_path(database)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        reason = ERRNO_CAUSES.get(exc.errno or 0) or exc.strerror or str(exc)
        raise DatabaseOpenError(database, f"cannot create the lock file {path}: {reason}") from None
    try:
        _lock(fd)
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES, errno.EDEADLK):
            raise DatabaseInUseError(database, _read_pid(path)) from None
        raise DatabaseOpenError(database, f"cannot lock {path}: {exc.strerror or exc}") from None
    # Only the holder writes the file, so a refused process never clobbers the holder's pid.
    # The pid only names the holder in a refusal: the lock holds without it. A disk too full to
    # take it (a raw OSError here, where an existing file had room) is then said as the database
    # opening says it, "cannot open: the disk is full", whether or not the file was there.
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{os.getpid()}\n".encode())
    return DatabaseLock(path, fd)


def _lock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)


def _read_pid(path: Path) -> int | None:
    """The holder's pid, or None if it cannot be read (not yet written, or not a number)."""
    with contextlib.suppress(OSError, ValueError):
        text = path.read_text(encoding="ascii", errors="replace").strip()
        pid = int(text)
        return pid if pid > 0 else None
    return None


@dataclass(frozen=True, slots=True)
class LockHolder:
    """Whether a `newsdigest run` holds the database's lock now (`held`; None when it cannot be
    told: no locks on this file system, a lock file this user may not open), and its pid."""

    path: Path
    held: bool | None
    pid: int | None = None


def lock_holder(database: str) -> LockHolder:
    """Probe the lock without taking it for good and without writing: the lock file opened
    read-only, never created (a `status` on another host's copy, or a read-only mount, must
    leave no file behind) and never given this process's pid. No lock file: no `run` ever held
    this database here. A `run` starting in the very instant of the probe could be refused, as
    by `MigrationGuard`'s probe; the shared lock is held for a few microseconds."""
    path = lock_path(database)
    if database == ":memory:" or not path.exists():
        return LockHolder(path, False if database != ":memory:" else None)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return LockHolder(path, None, _read_pid(path))
    try:
        if fcntl is None:  # Windows: its lock is on a byte the holder's descriptor keeps
            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBRLCK, 1)
            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES, errno.EDEADLK):
            return LockHolder(path, True, _read_pid(path))
        return LockHolder(path, None, _read_pid(path))
    finally:
        os.close(fd)  # releases the probe's lock, if it got one
    return LockHolder(path, False)
