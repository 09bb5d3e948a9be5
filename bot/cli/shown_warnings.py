"""When a command prints the config's warnings (`Config.warnings`): always to a person at a
terminal, once per config to cron.

Operators run `poll`, `prune` and `feeds` from cron, which mails whatever a job prints: the same
warning every few minutes, for a value the file keeps on purpose, taught them to ignore the
mails (and the errors among them). So a run whose stderr is not a terminal prints a config's
warnings only when they are news to the database it opened: a digest of their text is kept in
`service_state` per config file, and a run prints the warnings only after recording a new one.
Edited so its warnings change (another value, one fixed, one back), the file is warned of once
again. A run that cannot record it (a database this user may only read, one another process is
writing) says nothing rather than saying it every time: `newsdigest config check` prints them
whenever asked, and `newsdigest run` logs them at each start.
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
from bot.store.database import BUSY_TIMEOUT_SECONDS

# service_state key: {config file's absolute path: digest of the warnings last printed for it}.
KEY = "config_warnings_shown"
# How long recording waits for another process's write: a read command (`feeds list`) must not
# sit out a poll's half-minute lock for a bookkeeping row; busy, it stays quiet this time.
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
    """Print `config`'s warnings if this database has not had them printed yet (as they are
    now), recording that they were. No warnings now is recorded too, so the same ones coming
    back are news again."""
    digest = _digest(config.warnings)
    if _record(db, _config_key(config), digest) and config.warnings:
        echo(config.warnings)


def _digest(warnings: list[str]) -> str | None:
    if not warnings:
        return None
    return hashlib.sha256("\n".join(warnings).encode("utf-8")).hexdigest()[:32]


def _config_key(config: Config) -> str:
    path = config.path or config.missing_path
    return os.path.abspath(path) if path else ""


def _record(db: sqlite_utils.Database, key: str, digest: str | None) -> bool:
    """Whether `digest` was news for `key` and is now recorded: False when it was already there
    or could not be written."""
    conn = db.conn
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(_WAIT_SECONDS * 1000)}")
        try:
            # Read and written in one transaction: two cron jobs starting together print once.
            conn.execute("BEGIN IMMEDIATE")
            try:
                shown = service_state.load(db, KEY)
                shown = shown if isinstance(shown, dict) else {}
                if shown.get(key) == digest:
                    conn.execute("ROLLBACK")
                    return False
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
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    except sqlite3.Error:  # read-only, busy, a disk error: the warning waits for a run that can
        return False
    return True
