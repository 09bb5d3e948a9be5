"""`newsdigest backup DEST`: a consistent copy of the database, safe while the bot runs."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import click
import sqlite_utils

from bot.cli.context import CliContext, pass_cli
from bot.cli.progress import Advance, progress_bar
from bot.store.backup import BackupError, BackupResult, backup
from bot.store.database import utcnow


@click.command("backup")
# As typed: a trailing "/" says DEST is meant as a directory, which Path() would drop.
@click.argument("dest", type=click.Path(path_type=str))
@click.option(
    "--force",
    is_flag=True,
    help="Replace DEST if it is an existing regular file (never a symbolic link).",
)
@pass_cli
def backup_command(cli: CliContext, dest: str, force: bool) -> None:
    """Write a consistent copy of the database to DEST, checked before it is kept.

    DEST is a file, or a directory to write newsdigest-YYYYMMDD-HHMMSS.db into (its UTC time).

    Safe while `newsdigest run` is writing: unlike copying the file, it cannot catch the database
    between a write and its log. The database is copied as it is, never upgraded: also one a newer
    newsdigest wrote, or one this user may only read. The copy is one self-contained SQLite file.
    To restore, stop the bot, copy the backup over the database file (removing any -wal and -shm
    files beside it), and start the bot again.
    """
    # Resolved: "config/../newsdigest.db" said where the file is only to one who works it out.
    path = Path(cli.config.database_path()).resolve()
    target = _destination(dest, utcnow())
    # Opened only to read, never migrated: a backup is wanted before an upgrade, and by someone
    # who went back to an older version and whose database that version refuses to open.
    db = cli.database_to_copy()
    try:
        result = _copy(db, target, force)
    finally:
        db.conn.close()
    click.echo(f"Backed up {path} to {Path(result.path).resolve()} ({_size(result.bytes)}).")


def _destination(dest: str, now: datetime) -> Path:
    """The file to write for DEST as typed: DEST itself, or in a directory DEST (existing, or
    typed with a trailing "/") a file named for `now`, so a cron line can keep one a day."""
    name = f"newsdigest-{now:%Y%m%d-%H%M%S}.db"
    path = Path(dest)
    if path.is_dir():
        return path / name
    if dest.endswith(("/", os.sep)):
        raise click.ClickException(
            f"no directory {dest}: create it first (mkdir -p {dest}), or give a file name, "
            f"e.g. {path / name}"
        )
    return path


def _copy(db: sqlite_utils.Database, dest: Path, force: bool) -> BackupResult:
    with progress_bar("backup") as start:
        advance: Advance | None = None
        done = 0

        def on_progress(copied: int, total: int) -> None:
            nonlocal advance, done
            if advance is None:
                advance = start(total)
            if copied > done:
                advance(copied - done)
            done = copied

        try:
            return backup(db, dest, overwrite=force, progress=on_progress)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from None


def _size(n: int) -> str:
    value, unit = float(n), "bytes"
    for bigger in ("KB", "MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{n} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
