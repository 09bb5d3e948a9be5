"""Opening a database this user may read but not write: a read-only mount, or a file the service's
user owns and an admin can only read. `open_database` migrates and switches on WAL, both writes,
so it refuses such a file; the commands that only read (and `newsdigest backup`) open it here.

How SQLite reads a WAL database it may not write, and why this opens it the way it does:

- `mode=ro` is the correct reading whenever it works: it takes the shared locks and reads the
  write-ahead log through its index (the -shm file), so it sees every commit, even of a
  `newsdigest run` writing at that moment. While a writer has the database open, or after one
  crashed, the -wal and -shm are there and are read as they are, read-only.
- It cannot create a missing -shm in a directory it may not write (SQLITE_READONLY_DIRECTORY, or
  SQLITE_CANTOPEN): that is a database whose last writer closed cleanly, which deletes both
  files. Only then, and only when no -wal with content is beside it (so every commit is in the
  main file), is it opened `immutable=1`: read without locks or a WAL index. Immutable is wrong
  for a file someone is writing (it ignores the -wal altogether, so it would miss commits or,
  mid-checkpoint, read torn pages), which is why it is never the first choice; here nobody can
  have the -wal open, or it would exist. A writer starting in the moment a command reads is not
  seen, as it would not be by a read a moment earlier.
- A -wal with content but no -shm, in a directory it may not write, cannot be read correctly by
  this user at all: said, rather than showing the database as it was before those commits.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

from bot.store.database import (
    BUSY_TIMEOUT_SECONDS,
    DatabaseOpenError,
    pending_migrations,
    refuse_foreign,
)
from bot.store.storage_problems import NOT_WRITABLE, cannot_open, storage_problem

# SQLite's answers to a read-only connection that would have to create the WAL index.
_NEEDS_SHM = ("SQLITE_READONLY_DIRECTORY", "SQLITE_READONLY_CANTINIT", "SQLITE_CANTOPEN")


def is_read_only_error(exc: sqlite3.Error) -> bool:
    """Whether SQLite refused a write because the connection or the file is read-only."""
    return str(getattr(exc, "sqlite_errorname", "")).startswith("SQLITE_READONLY")


def writable(path: str | Path) -> bool:
    """Whether this user may write the database file and what SQLite keeps beside it: the
    directory (where WAL mode creates its -wal and -shm, and a migration its journal), or, when
    a running bot keeps both there, those two files."""
    file = Path(path)
    if not os.access(file, os.W_OK):
        return False
    if os.access(file.parent, os.W_OK):
        return True
    return all(os.access(f"{file}{suffix}", os.W_OK) for suffix in ("-wal", "-shm"))


def open_read_only(path: str | Path) -> sqlite_utils.Database:
    """The database at `path` for reading only, its schema as this version expects. Raises
    DatabaseOpenError for a file that is not a newsdigest database, one from a newer version,
    and one waiting for a migration, which reading it without would misread."""
    db = open_to_copy(path)
    try:
        pending = pending_migrations(db)
    except DatabaseOpenError as exc:  # a newer version's file
        db.conn.close()
        raise DatabaseOpenError(str(path), exc.problem) from None  # named as the user gave it
    if pending:
        db.conn.close()
        why = storage_problem(str(path)) or NOT_WRITABLE
        raise DatabaseOpenError(
            str(path),
            f"cannot upgrade it to this version's schema ({len(pending)} migration"
            f"{'s' if len(pending) != 1 else ''} to apply): {why}; run `newsdigest poll` or "
            "`newsdigest run` once as a user who can write it",
        )
    db.execute("PRAGMA foreign_keys = ON")
    return db


def open_to_copy(path: str | Path) -> sqlite_utils.Database:
    """The database at `path` opened only to read, whatever its schema (`newsdigest backup`:
    copying a file a newer version migrated is how someone who went back to this version keeps a
    safe copy). Nothing is migrated or written. Raises DatabaseOpenError for a file that is not a
    newsdigest database or cannot be read."""
    path = str(path)
    if Path(path).is_dir():
        raise DatabaseOpenError(path, "cannot open: it is a directory")
    try:
        conn = _connect(path)
    except sqlite3.DatabaseError as exc:
        raise DatabaseOpenError(path, _cannot_read(path, exc)) from None
    db = sqlite_utils.Database(conn)
    try:
        refuse_foreign(db, path)  # closes the connection when it refuses
        if not db.table_names():  # an empty file: nothing of ours to read or copy
            raise DatabaseOpenError(path, "not a newsdigest database")
    except DatabaseOpenError:
        conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseOpenError(path, _cannot_read(path, exc)) from None
    return db


def _connect(path: str) -> sqlite3.Connection:
    uri = Path(path).resolve().as_uri()
    try:
        conn = _checked(f"{uri}?mode=ro")
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorname", "") not in _NEEDS_SHM or _wal_has_commits(path):
            raise
        conn = _checked(f"{uri}?immutable=1")  # see the module's docstring for why it is safe
    return conn


def _checked(uri: str) -> sqlite3.Connection:
    # isolation_level=None, as `open_database`: a write the code tries (a card's summary cache)
    # fails by itself instead of leaving an implicit transaction open.
    conn = sqlite3.connect(
        uri, uri=True, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_SECONDS
    )
    try:
        # Opening is lazy: the first read is where SQLite finds it cannot build the WAL index.
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def _wal_has_commits(path: str) -> bool:
    try:
        return os.path.getsize(f"{path}-wal") > 0
    except OSError:
        return False


def _cannot_read(path: str, exc: sqlite3.Error) -> str:
    if "not a database" in str(exc):
        return "not a newsdigest database"
    if getattr(exc, "sqlite_errorname", "") in _NEEDS_SHM and _wal_has_commits(path):
        return (
            f"cannot read: its write-ahead log ({Path(path).name}-wal) holds commits this user "
            "cannot read without creating its index (-shm) in a directory it may not write; "
            "open it once as a user who can write it"
        )
    return cannot_open(path, exc)
