"""`newsdigest backup DEST`: a consistent copy of the database, safe while the bot runs."""

from __future__ import annotations

from pathlib import Path

import click
import sqlite_utils

from bot.cli.context import CliContext, pass_cli
from bot.cli.progress import Advance, progress_bar
from bot.store.backup import BackupError, BackupResult, backup


@click.command("backup")
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Replace DEST if it is an existing regular file (never a symbolic link).",
)
@pass_cli
def backup_command(cli: CliContext, dest: Path, force: bool) -> None:
    """Write a consistent copy of the database to DEST (a file), checked before it is kept.

    Safe while `newsdigest run` is writing: unlike copying the file, it cannot catch the database
    between a write and its log. The database is copied as it is, never upgraded: also one a newer
    newsdigest wrote, or one this user may only read. The copy is one self-contained SQLite file.
    To restore, stop the bot, copy the backup over the database file (removing any -wal and -shm
    files beside it), and start the bot again.
    """
    path = cli.config.database_path()
    # Opened only to read, never migrated: a backup is wanted before an upgrade, and by someone
    # who went back to an older version and whose database that version refuses to open.
    db = cli.database_to_copy()
    try:
        result = _copy(db, dest, force)
    finally:
        db.conn.close()
    click.echo(f"Backed up {path} to {result.path} ({_size(result.bytes)}).")


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
