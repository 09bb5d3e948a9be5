"""What a command checks before it migrates the database after an upgrade (`git pull`).

Opening the database migrates it to this version's schema. From the command line that used to
happen silently, whatever else was going on:
- the venv may lack a package the new code needs (`bot.dependencies`): the command refuses
  before the migration, so going back is still a plain `git checkout`;
- an old `newsdigest run` may still be running on the database (it holds `<db>.lock`,
  `bot.store.lock`): a newer schema under it could break it, so the command refuses and names
  its pid. Commands that need no migration work beside a running service as always;
- a command that migrated says so on stderr, from which schema to which, and, migrating to
  schema 51, how many open stories the next polls count again (`bot.store.stale_counts`): until
  then `stories` may still show a count a site link changed under the older version left stale.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from bot.store import stale_counts
from bot.store.database import DatabaseOpenError, applied_migrations
from bot.store.lock import DatabaseInUseError, lock_database
from bot.textutil import plural

if TYPE_CHECKING:
    import sqlite_utils


def require_dependencies() -> None:
    """Refuse to go on when a package the code needs is not installed (or too old)."""
    # Here, not at import: importlib.metadata is not for the light commands' start-up.
    from bot.dependencies import DependencyError, check_dependencies

    try:
        check_dependencies()
    except DependencyError as exc:
        raise click.ClickException(str(exc)) from None


class MigrationGuard:
    """`open_database`'s `before_migrating` for a command: checks the dependencies and that no
    `run` holds the database, and remembers the schemas for `said_upgrade`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.upgrade: tuple[int, int] | None = None
        self.recounts = 0  # open stories migration 51 lists, when it is pending

    def __call__(self, db: sqlite_utils.Database, pending: list[int]) -> None:
        require_dependencies()
        applied = applied_migrations(db)
        if not applied:
            return  # a new database: nothing runs on it, and "Created" is said instead
        self._refuse_if_running(applied, pending)
        self.upgrade = (max(applied), max(pending))
        if stale_counts.MIGRATION in pending:
            self.recounts = stale_counts.open_stories(db)

    def _refuse_if_running(self, applied: list[int], pending: list[int]) -> None:
        try:
            lock = lock_database(self.path)
        except DatabaseInUseError as exc:
            holder = f"pid {exc.pid}" if exc.pid else f"the holder of {exc.path}.lock"
            raise DatabaseOpenError(
                self.path,
                f"stop the running newsdigest ({holder}) before upgrading its database "
                f"(schema {max(applied)} to {max(pending)}, which the running version does not "
                "know); restarted on this version, `newsdigest run` upgrades it itself",
            ) from None
        except DatabaseOpenError:
            return  # no lock to be had here (a file system without locks): nothing can be told
        if lock is not None:
            # Only a probe: a `run` starting now waits for the migration's transactions.
            lock.release()

    def said_upgrade(self) -> None:
        if self.upgrade is not None:
            old, new = self.upgrade
            click.echo(f"Upgraded the database from schema {old} to {new}", err=True)
            self.upgrade = None
        if self.recounts:
            stories = plural(self.recounts, "open story", "open stories")
            click.echo(
                f"The sources of {stories} are counted again by the next polls"
                " (`newsdigest poll`, or `run`'s passes), a batch at each feed's poll, in case a"
                " feed's site link changed before the upgrade",
                err=True,
            )
            self.recounts = 0
