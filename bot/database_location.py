"""Where the SQLite database is: the one rule every command and `run` use to find it, and the
warnings that keep an upgraded deployment on the database it already has."""

from __future__ import annotations

import logging
import os
from pathlib import Path

DEFAULT_DB_PATH = "newsdigest.db"


def database_path(database: str | None, config: Path | None) -> str:
    """NEWSDIGEST_DB, else the config's `database`, else ./newsdigest.db. A relative
    `database` is relative to the config file's directory: the file names a place of its
    deployment, which must not move with the directory a command is run from (a path typed
    on the command line, NEWSDIGEST_DB, is relative to the current directory, as typed paths
    are). The shipped config names "../newsdigest.db", the checkout's root.

    A file that names no database keeps meaning ./newsdigest.db, as it always did: reading it
    as "next to the file" instead let one command run from another directory create a new
    database there, which a service in its own working directory then switched to, empty,
    without a word (posting again what it had posted). A database that exists only where an
    older version looked, relative to the current directory, is still the one used, with a
    warning, so an upgrade does not start on an empty one."""
    env = os.environ.get("NEWSDIGEST_DB")
    if env:
        return env
    if not database:
        return DEFAULT_DB_PATH
    if config is None:
        return database
    if database == ":memory:" or Path(database).is_absolute():
        return database
    beside = config.parent / database
    if beside.exists():
        _warn_two_databases(config, database, beside)
        return str(beside)
    for old in _older_readings(database):
        if Path(old).exists():
            # An existing deployment keeps its database rather than starting an empty one
            # beside the config file, and is told how to make the path mean one place.
            _warn_moved_database(config, database, old, beside)
            return old
    return str(beside)


def _older_readings(database: str) -> list[str]:
    """Where older versions put the database a config file's relative `database` names: relative
    to the current directory. The shipped file named none (./newsdigest.db), so a file that now
    names a newsdigest.db (the shipped one says `../newsdigest.db`) also looks there."""
    readings = [database]
    if Path(database).name == DEFAULT_DB_PATH and database != DEFAULT_DB_PATH:
        readings.append(DEFAULT_DB_PATH)
    return readings


_WARNED_MOVED: set[tuple[Path, str]] = set()


def _warn_two_databases(config: Path, database: str, beside: Path) -> None:
    """The file's database exists, and so does another where an older version looked: say which
    one is used, so a deployment split between the two is found rather than silently served."""
    for old in _older_readings(database):
        if Path(old).exists() and not Path(old).samefile(beside):
            _warn_once(
                config,
                old,
                "%s names %s (database = %r); another newsdigest database, %s, is in the current "
                "directory, where an older newsdigest put it, and is not used. Move or remove the "
                "one you do not want.",
                config, beside, database, os.path.abspath(old),
            )  # fmt: skip
            return


def _warn_once(config: Path, old: str, message: str, *args: object) -> None:
    # Once per process (`run` reads the path more than once), per file and place.
    key = (config.resolve(), os.path.abspath(old))
    if key in _WARNED_MOVED:
        return
    _WARNED_MOVED.add(key)
    logging.getLogger(__name__).warning(message, *args)


def _warn_moved_database(config: Path, database: str, old: str, beside: Path) -> None:
    keep = os.path.relpath(os.path.abspath(old), os.path.abspath(config.parent))
    _warn_once(
        config,
        old,
        "%s, database = %r, means %s (next to the file), which does not exist yet; using %s, "
        "found in the current directory, where an older newsdigest put it. To use it from any "
        "directory, set database = %r (relative to the file) or an absolute path in %s.",
        config, database, beside, os.path.abspath(old), keep, config,
    )  # fmt: skip
