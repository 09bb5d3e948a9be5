"""When a command prints the config's warnings (`Config.warnings`): always to a person at a
terminal, once per change to cron.

Operators run `poll`, `prune`, `digest` and `feeds` from cron, which mails whatever a job prints:
the same warning every few minutes, for a value the file keeps on purpose, taught them to ignore
the mails (and the errors among them). So a run whose stderr is not a terminal prints a config's
warnings only when they are news to the database it opened: a digest of their text is kept in
`service_state` per config file (its absolute path), and a run whose warnings match the digest
stays quiet. Edited so its warnings change (another value, one fixed, one back), the file is
warned of once again.

A missed warning is worse than a repeated one, so a run stays quiet only when it has read that
these warnings were recorded. It reads the digest without a write lock (an unchanged cron run
writes nothing); only news is recorded, and printed whether or not it could be recorded (a
database this user may only read, one another process is writing at that moment): such a run
prints them again next time. A command that never opens the database prints them as it ends
(`CliContext.close`). `newsdigest config check` prints them whenever asked, and `newsdigest run`
logs them at each start.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from datetime import UTC, datetime

import click
import sqlite_utils

from bot.config import Config
from bot.store import service_state

# service_state key: {config file's absolute path: digest of the warnings last printed for it}.
KEY = "config_warnings_shown"
# How long recording waits for another process's write: a read command (`feeds list`) must not
# sit out a poll's half-minute lock for a bookkeeping row; still busy, it prints them unrecorded.
_WAIT_SECONDS = 0.5


def interactive() -> bool:
    """Whether a person is watching stderr (a terminal), not cron or a pipe."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def echo(warnings: list[str]) -> None:
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)


def echo_if_news(db: sqlite_utils.Database, config: Config) -> None:
    """Print `config`'s warnings unless this database says they were printed already (as they
    are now), recording that they were. No warnings now is recorded too, so the same ones coming
    back are news again."""
    key = _config_key(config)
    digest = _digest(config)
    try:
        if _shown(db).get(key) == digest:
            return
    except sqlite3.Error:  # unreadable: cannot tell, so they are said
        pass
    if not _recorded_by_another(db, key, digest):
        echo(config.warnings)


def _digest(config: Config) -> str | None:
    """A digest of the warnings' text without the leading config path: it is the path as typed
    (`nd.toml`, `./nd.toml`, `/etc/nd.toml` from different directories), and one file named two
    ways is the same news. The file is told apart by the key, its absolute path."""
    if not config.warnings:
        return None
    prefix = f"{config.path}: "
    text = "\n".join(warning.removeprefix(prefix) for warning in config.warnings)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _config_key(config: Config) -> str:
    path = config.path or config.missing_path
    return os.path.abspath(path) if path else ""


def _shown(db: sqlite_utils.Database) -> dict[str, str | None]:
    shown = service_state.load(db, KEY)
    return shown if isinstance(shown, dict) else {}


def _recorded_by_another(db: sqlite_utils.Database, key: str, digest: str | None) -> bool:
    """Record `digest` for `key`. True only when another run recorded it since it was read (two
    cron jobs starting together): that run prints it. A failed recording (read-only, still busy
    after a moment, a disk error) is False: the warnings are said, and again next run."""
    conn = db.conn
    # The connection's own wait (tests shorten it), not a value read when this module loaded.
    (timeout_ms,) = conn.execute("PRAGMA busy_timeout").fetchone()
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(_WAIT_SECONDS * 1000)}")
        try:
            # Read again and written in one transaction: of two runs, one prints.
            conn.execute("BEGIN IMMEDIATE")
            try:
                shown = _shown(db)
                if shown.get(key) == digest:
                    conn.execute("ROLLBACK")
                    return True
                if digest is None:
                    shown.pop(key, None)
                else:
                    shown[key] = digest
                service_state.save(db, KEY, shown, now=datetime.now(UTC))
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
    except sqlite3.Error:
        return False
    return False
