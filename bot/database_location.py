"""Where the SQLite database is: the one rule every command and `run` use to find it, and the
warnings that keep an upgraded deployment on the database it already has."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

DEFAULT_DB_PATH = "newsdigest.db"
# The `event` of the warnings about which database is used (`_warn_once`).
DATABASE_WARNING = "database_location"


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


class DatabaseChoiceError(Exception):
    """A process that writes cannot tell which database the config's relative `database` means:
    one exists next to the file and another, holding newsdigest data, where an older version read
    the path (the current directory), or none exists yet and this directory is not where the service runs. The message
    is for the operator, without a traceback. `create_from`: for a database that exists nowhere
    yet, the directory a command may create it from (None when two exist)."""

    def __init__(self, message: str, create_from: Path | None = None) -> None:
        super().__init__(message)
        self.create_from = create_from


def database_to_write(database: str | None, config: Path | None, *, create: bool) -> str:
    """`database_path` for a process that writes. Raises DatabaseChoiceError when two databases
    could be meant: `run` or a write to the file's one would fork a deployment onto the database
    it has not been using (a chat-made channel missing, stories posted again), so neither is
    written until the operator says which. With `create` false (a command, not `run`), a
    relative path that exists nowhere is not created next to the file unless this directory is
    also where an older version would have put it: from elsewhere, the service's own database
    may be in a directory this command cannot see."""
    from bot.store.contents import holds_newsdigest_data

    if os.environ.get("NEWSDIGEST_DB") or not database or config is None:
        return database_path(database, config)
    if database == ":memory:" or Path(database).is_absolute():
        return database
    beside = config.parent / database
    older = [old for old in _older_readings(database) if Path(old).exists()]
    if beside.exists():
        # Only a file with a deployment's data is "the other one": a zero-byte file, another
        # program's SQLite file or an unused newsdigest one is warned about, not refused over.
        others = [
            old for old in older if not Path(old).samefile(beside) and holds_newsdigest_data(old)
        ]
        if others:
            raise DatabaseChoiceError(_two_databases(config, database, beside, others[0]))
    elif not older and not create and not _same_place(beside, _older_readings(database)):
        home = _creating_directory(database, config)
        raise DatabaseChoiceError(
            f"no database yet at {beside.resolve()} (database = {database!r} in {config}, "
            f"relative to the file). Not creating it from {os.getcwd()}: the service may run "
            "from another directory and keep its database in that one. `newsdigest run`, or this command "
            f"run from {home}, creates it where the file says; or set an absolute path as "
            "`database`.",
            create_from=home,
        )
    return database_path(database, config)


def _creating_directory(database: str, config: Path) -> Path:
    """A directory where a command may create the file's relative `database`: one where an older
    version's reading of the path (relative to the current directory) is the same file, so no
    second database can start. For a newsdigest.db that is where the file goes; else the
    config file's own directory."""
    beside = (config.parent / database).resolve()
    return beside.parent if Path(database).name == DEFAULT_DB_PATH else config.parent.resolve()


def _same_place(beside: Path, readings: list[str]) -> bool:
    """Whether the file's reading of the path and an older (current directory's) one are the
    same file, so that creating it cannot split anything."""
    return any(Path(old).resolve() == beside.resolve() for old in readings)


def _two_databases(config: Path, database: str, beside: Path, old: str) -> str:
    from bot.store.contents import what_it_holds

    here, there = str(beside.resolve()), os.path.abspath(old)
    return (
        f"two newsdigest databases for database = {database!r} in {config}:\n"
        f"  {here} (next to the file, where this version reads it): {what_it_holds(here)}\n"
        f"  {there} (in the current directory, where an older newsdigest read it): "
        f"{what_it_holds(there)}\n"
        "Refusing to write to either until you choose. Keep one by naming it with an absolute "
        f"path in {config}:\n"
        f"  database = {_toml(there)}\n"
        "or\n"
        f"  database = {_toml(here)}\n"
        "or move the other file away (with its -wal and -shm files, the service stopped). "
        "Commands that only read use the first meanwhile."
    )


def _toml(path: str) -> str:
    # A TOML basic string is JSON's string syntax for any path (backslashes, quotes).
    return json.dumps(path, ensure_ascii=False)


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
    from bot.store.contents import holds_newsdigest_data, what_it_holds

    for old in _older_readings(database):
        if Path(old).exists() and not Path(old).samefile(beside):
            if not holds_newsdigest_data(old):
                _warn_once(
                    config,
                    old,
                    "%s names %s (database = %r); %s in the current directory, where an older "
                    "newsdigest put its database, is not used: it holds nothing to keep (%s).",
                    config, beside, database, os.path.abspath(old), what_it_holds(old),
                )  # fmt: skip
                return
            _warn_once(
                config,
                old,
                "%s names %s (database = %r; %s); another newsdigest database, %s, is in the "
                "current directory, where an older newsdigest put it, and is not used (%s). "
                "`newsdigest run` and commands that write refuse both until you set an absolute "
                "`database` path or move the one you do not want away.",
                config, beside, database, what_it_holds(beside), os.path.abspath(old),
                what_it_holds(old),
            )  # fmt: skip
            return


def _warn_once(config: Path, old: str, message: str, *args: object) -> None:
    # Once per process (`run` reads the path more than once), per file and place.
    key = (config.resolve(), os.path.abspath(old))
    if key in _WARNED_MOVED:
        return
    _WARNED_MOVED.add(key)
    # The event marks it for the CLI, which says it as its other "Warning:" lines
    # (`bot.runner.logs.CliFormatter`); `run` logs it as any other warning.
    logging.getLogger(__name__).warning(message, *args, extra={"event": DATABASE_WARNING})


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
