"""Opening the SQLite database and applying the recorded schema migrations.

Migrations are append-only: each has a number and a name, and `schema_migrations` records which
ran, so an old database file upgrades in place and a new one is built by the same steps.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

import sqlite_utils

from bot.store.migrations import FOREIGN_KEYS_OFF, MIGRATIONS
from bot.store.storage_problems import ERRNO_CAUSES, NO_DATABASE, cannot_open, missing_database

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime | None) -> str | None:
    """Timestamps are stored as ISO 8601 UTC text, which sorts chronologically."""
    if dt is None:
        return None
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# What a -wal file is cut back to once a checkpoint has copied it all into the database.
JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024

# How long a connection waits for another process's write lock before "database is locked".
# Long enough to ride out a poll's or a merge's transaction; tests shorten it. SQLite waits
# inside the call: a chat command on the event loop waits in short steps instead
# (`bot.store.loop_waits`), so the loop keeps answering meanwhile.
BUSY_TIMEOUT_SECONDS = 30.0
# How long `truncate_wal` waits for other connections: new writers queue behind it meanwhile.
TRUNCATE_WAIT_SECONDS = 0.2


class DatabaseOpenError(Exception):
    """The database path is not usable: missing, not a file, or not a newsdigest database. The
    message is for the user, without a traceback."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


# Called with the database and the migrations it lacks, before they are applied; raising refuses.
BeforeMigrating = Callable[[sqlite_utils.Database, list[int]], None]


def open_database(
    path: str | Path,
    *,
    make_dirs: bool = True,
    before_migrating: BeforeMigrating | None = None,
    stop: threading.Event | None = None,
) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the database. `:memory:` works for tests. With
    `make_dirs` false a missing parent directory is an error rather than created. Raises
    DatabaseOpenError for a path that cannot be our database. `before_migrating` sees the
    migrations to apply first, when there are any (the command line's checks, `bot.cli.upgrade`),
    and may refuse them by raising: the database is then closed, unchanged. `stop`, once set,
    begins no further migration (`migrate`)."""
    path = str(path)
    if path != ":memory:":
        if Path(path).is_dir():
            raise DatabaseOpenError(path, "cannot open: it is a directory")
        if not make_dirs and not Path(path).parent.is_dir():
            raise DatabaseOpenError(path, missing_database(path) or NO_DATABASE)
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            cause = ERRNO_CAUSES.get(exc.errno or 0) or exc.strerror or str(exc)
            raise DatabaseOpenError(path, f"cannot open: {cause}") from None
    conn: sqlite3.Connection | None = None
    try:
        # isolation_level=None: we manage transactions explicitly, so a commit is where we say.
        conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_SECONDS
        )
        db = sqlite_utils.Database(conn)
        refuse_foreign(db, path)
        if path != ":memory:":
            _enable_wal(db)
    except sqlite3.DatabaseError as exc:
        if is_busy(exc):
            raise  # our database, locked by another process: the caller says "busy, try again"
        if "not a database" in str(exc):
            raise DatabaseOpenError(path, "not a newsdigest database") from None
        if conn is not None:
            conn.close()
        raise DatabaseOpenError(path, cannot_open(path, exc)) from None
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    # NORMAL is durable enough in WAL mode for articles; the outbox asks for FULL around its writes.
    db.execute("PRAGMA synchronous = NORMAL")
    # The -wal file keeps the size it grew to, without a limit: a big prune beside another writer
    # left 3 GB of it. With the limit, SQLite cuts it back to this size whenever a checkpoint
    # starts it over.
    db.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}")
    try:
        if before_migrating is not None and (pending := pending_migrations(db)):
            before_migrating(db, pending)
        migrate(db, stop=stop)
    except DatabaseOpenError as exc:
        db.conn.close()  # refused: nothing of ours may keep the file open
        raise DatabaseOpenError(path, exc.problem) from None  # named as the user gave it
    except BaseException:
        db.conn.close()
        raise
    return db


def database_file(db: sqlite_utils.Database) -> str | None:
    """The file `db` is connected to; None for an in-memory database."""
    for _, name, path in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return path or None
    return None


def connect_read_only(path: str | Path, *, timeout: float = 5.0) -> sqlite3.Connection:
    """A connection that can only read the database file at `path` (SQLite's own default
    `timeout`, unless given)."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=timeout)


def _enable_wal(db: sqlite_utils.Database) -> None:
    """Switch the file to WAL mode, waiting out another connection's write.

    The switch needs an exclusive lock, and SQLite answers "database is locked" at once, without
    its busy handler, while another connection holds a write lock: two processes opening a new
    file together (a restarted `run` and a cron `poll`) meet here. So wait as a locked write
    would, up to the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    delay = 0.005
    while True:
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def is_busy(exc: sqlite3.Error) -> bool:
    """Whether the error is another connection's lock outlasting the busy timeout."""
    return getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def refuse_foreign(db: sqlite_utils.Database, path: str) -> None:
    # Another program's SQLite file (tables, none of them ours): migrating would add our tables
    # to it. Reading the table list also makes SQLite check the header, so a non-database file
    # fails here, before anything is written to it.
    tables = db.table_names()
    if tables and "schema_migrations" not in tables:
        db.conn.close()
        raise DatabaseOpenError(path, "not a newsdigest database")


def applied_migrations(db: sqlite_utils.Database) -> list[int]:
    if "schema_migrations" not in db.table_names():
        return []
    return [row["version"] for row in db["schema_migrations"].rows_where(order_by="version")]


class MigrationsStopped(Exception):
    """A stop was asked for (Ctrl-C while `run` loads) before a migration began: the database is
    left at the last one applied, and the next start applies the rest."""


def migrate(db: sqlite_utils.Database, *, stop: threading.Event | None = None) -> list[int]:
    """Apply every migration not yet recorded, each in its own transaction. Returns those applied.

    Two processes may open the same file at once (a restarted `run` and a cron `poll`): each
    migration's transaction takes the write lock first and only then reads what is applied, so the
    second process waits for the first and skips what it did instead of repeating it. Once `stop`
    is set, the next migration is not begun (MigrationsStopped): one under way when the process
    exits is rolled back by SQLite, its record and its changes in one transaction."""
    if pending_migrations(db) == []:
        return []  # the usual case, decided without the write lock: nothing to wait for
    ran: list[int] = []
    for version, name, step in MIGRATIONS:
        keys_on = version in FOREIGN_KEYS_OFF and db.execute("PRAGMA foreign_keys").fetchone()[0]
        if keys_on:
            db.execute("PRAGMA foreign_keys = OFF")
        try:
            with transaction(db):
                db.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
                if version in applied_migrations(db):
                    continue
                if stop is not None and stop.is_set():
                    raise MigrationsStopped(f"stopped before migration {version}: {name}")
                log.info("applying migration %d: %s", version, name)
                step(db)
                db.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [version, name, iso(utcnow())],
                )
        finally:
            if keys_on:
                db.execute("PRAGMA foreign_keys = ON")
        ran.append(version)
    return ran


def pending_migrations(db: sqlite_utils.Database) -> list[int]:
    """The migrations still to apply. Raises DatabaseOpenError for a file a newer version has
    migrated: its schema may lack what this code reads or writes (a dropped or renamed column),
    and quietly working on it could corrupt what the newer version relies on."""
    done = set(applied_migrations(db))
    known = {version for version, _, _ in MIGRATIONS}
    if unknown := done - known:
        path = next(row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main")
        raise DatabaseOpenError(
            path or ":memory:",
            f"created by a newer newsdigest (schema {max(unknown)}; "
            f"this version knows up to {max(known)}): upgrade newsdigest, or restore the "
            "backup taken before the upgrade (`newsdigest backup`)",
        )
    return [version for version, _, _ in MIGRATIONS if version not in done]


# How long a write waits for another process's lock before the waiting is said (`notice_waits`).
WAIT_NOTICE_SECONDS = 1.0
_wait_notice: Callable[[], None] | None = None


def notice_waits(notice: Callable[[], None] | None) -> None:
    """Have `notice` called when a write transaction has waited WAIT_NOTICE_SECONDS for another
    connection's lock and goes on waiting (up to the busy timeout): the command line says so,
    instead of seeming to hang for half a minute. Unset (the service), a write waits as before,
    without the two extra PRAGMAs the notice costs each transaction."""
    global _wait_notice
    _wait_notice = notice


def waits_noticed() -> bool:
    """Whether write transactions say they wait (`notice_waits`): the command line, whose
    writes wait in SQLite, said once (`bot.store.loop_waits.when_free` then only calls them)."""
    return _wait_notice is not None


def _begin_immediate(conn: sqlite3.Connection) -> None:
    notice = _wait_notice
    first = WAIT_NOTICE_SECONDS
    if notice is None or first >= BUSY_TIMEOUT_SECONDS:
        conn.execute("BEGIN IMMEDIATE")
        return
    # SQLite's busy handler cannot call back into Python: wait the first stretch, say so, then
    # wait out the rest of the busy timeout.
    conn.execute(f"PRAGMA busy_timeout = {int(first * 1000)}")
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
        notice()
        conn.execute(f"PRAGMA busy_timeout = {int((BUSY_TIMEOUT_SECONDS - first) * 1000)}")
        conn.execute("BEGIN IMMEDIATE")
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")


class transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolling back on error. Nested use joins the outer transaction."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.owner = False

    def __enter__(self) -> sqlite_utils.Database:
        conn = self.db.conn
        if not conn.in_transaction:
            _begin_immediate(conn)
            self.owner = True
        return self.db

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self.owner:
            return
        conn = self.db.conn
        if exc_type is None:
            try:
                conn.execute("COMMIT")
            except BaseException:
                # A COMMIT refused (a full disk) leaves the transaction open: the connection's
                # next write would join it and never commit.
                _roll_back(conn)
                raise
        else:
            _roll_back(conn)


def _roll_back(conn: sqlite3.Connection) -> None:
    """Roll back what is open, keeping the error that got here: SQLite has rolled back already
    after some (SQLITE_FULL, SQLITE_IOERR), and a ROLLBACK then fails over the real cause."""
    if conn.in_transaction:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def truncate_wal(db: sqlite_utils.Database, *, wait: float = TRUNCATE_WAIT_SECONDS) -> bool:
    """Copy the whole -wal file into the database and cut it to nothing (after a big delete, which
    grew it), waiting up to `wait` seconds for readers and writers to let it: a checkpoint that
    waits holds new writers back (the event loop's among them), so it waits only briefly.
    Whether it was done; if not (a reader's snapshot in the way), that is logged once with the
    file's size, and SQLite's own checkpoints and `journal_size_limit` shrink it later. A no-op
    off WAL."""
    db.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
    try:
        busy, _pages, _copied = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError as exc:
        if not is_busy(exc):
            raise
        busy = 1
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    if busy:
        _log_wal_left(db)
    return busy == 0


def _log_wal_left(db: sqlite_utils.Database) -> None:
    path = database_file(db)
    try:
        size = os.path.getsize(f"{path}-wal") if path else 0
    except OSError:
        size = 0
    log.info(
        "could not cut the -wal file back (%.1f MB): another connection was reading or writing;"
        " SQLite's own checkpoints shrink it later",
        size / 1e6,
        extra={"event": "wal_not_truncated", "wal_bytes": size},
    )


@contextmanager
def snapshot(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A read transaction (deferred BEGIN ... COMMIT): its reads all see one commit, and in WAL
    mode it waits for no writer, as `transaction`'s write lock would. Nested use joins the outer
    transaction."""
    conn = db.conn
    if conn.in_transaction:
        yield db
        return
    conn.execute("BEGIN")
    try:
        yield db
    finally:
        conn.execute("COMMIT")  # nothing written: committing only ends the read
