"""Lazily opened config, database and core, shared by every CLI command.

The database is opened the way a command needs it: `reader` for commands that only read (no
config sync, nothing created, a file this user may not write opened read-only), `editor` for
commands that edit rows already there, `core` for commands that add rows, `synced_core` for `poll` (the config synced first), and
`database_to_copy` for `backup` (neither migrated nor written).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.cli import shown_warnings
from bot.cli.upgrade import MigrationGuard, require_dependencies
from bot.config import Config, ConfigError, load_config
from bot.database_location import DatabaseChoiceError
from bot.store.database import DatabaseOpenError, open_database
from bot.store.readonly import open_read_only, open_to_copy, writable
from bot.store.storage_problems import CREATES_IT, NO_DATABASE, missing_database
from bot.store.sync_report import sync_news, sync_notes

if TYPE_CHECKING:
    import sqlite_utils

    # Imported when a command opens the database (`_new_core`): not for `--help`.
    from bot.app import NewsDigest

# The furthest back a listing may look (ten years). The CLI options are bounded by it so a huge
# `--hours` gets click's usual range error instead of an OverflowError from `now - timedelta`.
MAX_LOOKBACK_HOURS = 10 * 366 * 24

# How to name the config file, said wherever a command found none.
NAME_CONFIG = "name it with --config FILE or $NEWSDIGEST_CONFIG"

# Option types the commands share.
HOURS = click.IntRange(1, MAX_LOOKBACK_HOURS)  # how far back to look, as far as stories are kept
POSITIVE = click.IntRange(min=1)
MIN_SOURCES = click.option(
    "--min-sources",
    default=1,
    show_default=True,
    type=POSITIVE,
    help="Minimum independent sources.",
)


class QueryWords(click.Argument):
    """QUERY as any number of words: "QUERY..." in the usage line ("[QUERY]..." when optional,
    as `topics test`'s, which --topic SLUG replaces), as `story QUERY...` shows it, while a
    missing one is still "Missing argument 'QUERY'"."""

    def get_usage_pieces(self, ctx: click.Context) -> list[str]:
        words = f"{self.make_metavar(ctx)}..."
        return [words if self.required else f"[{self.make_metavar(ctx)}]..."]


class QueryCommand(click.Command):
    """A command whose last argument is a QUERY of any number of words, any of which may start
    with '-' (a topic query's NOT: `newsdigest topics test -rumour`). Click would take such a
    word for an unknown option; here every token that is not one of the command's own options
    (or its value) is a word of the arguments, in order. `--` still ends the options."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes_value: dict[str, bool] = {}
        for param in self.get_params(ctx):
            if isinstance(param, click.Option):
                for name in (*param.opts, *param.secondary_opts):
                    takes_value[name] = not (param.is_flag or param.count)
        options: list[str] = []
        words: list[str] = []
        tokens = iter(args)
        for token in tokens:
            name = token.split("=", 1)[0]
            if token == "--":
                words.extend(tokens)
            elif name in takes_value:
                options.append(token)
                if takes_value[name] and "=" not in token:
                    value = next(tokens, None)
                    if value is None:  # click says what is missing
                        return super().parse_args(ctx, args)
                    options.append(value)
            else:
                words.append(token)
        return super().parse_args(ctx, [*options, "--", *words])


@dataclass
class CliContext:
    config_path: str | None
    _config: Config | None = None
    _core: NewsDigest | None = field(default=None, repr=False)
    _synced: bool = False
    _write_checked: bool = False
    # Set by the commands an operator checks the file's channels with (`poll`, `digest`,
    # `feeds`, `prune`): the config's warnings (`Config.warnings`) are printed on stderr, at a
    # terminal as it loads, else once the database is open, unless it has them recorded as
    # printed (`bot.cli.shown_warnings`), or as the command ends if it never opened one. Set
    # before anything reads the config, since `--config` after the command is read late.
    warn_config: bool = False
    _warnings_due: bool = False
    # Set by a command given --without-config (`poll`, `run`): the operator chose to run by the
    # example's settings or the defaults, so the database they name is created if missing.
    without_config: bool = False

    @property
    def config(self) -> Config:
        if self._config is None:
            try:
                self._config = load_config(self.config_path)
            except ConfigError as exc:
                raise click.ClickException(f"invalid configuration: {exc}") from None
            if self.warn_config:
                if shown_warnings.interactive():
                    shown_warnings.echo(self._config.warnings)
                else:
                    self._warnings_due = True
        return self._config

    @property
    def core(self) -> NewsDigest:
        """The core on the database as it is. Commands that only read or edit the database use
        this: syncing the config is a write that reads the config relative to the current
        directory, so a look from elsewhere must not be able to change what the bot does."""
        self._check_write()
        self._refuse_stray_database()
        return self._open(make_dirs=True)

    @property
    def editor(self) -> NewsDigest:
        """`reader` for commands that edit rows already there (`feeds remove`, `prune`): they
        create nothing, and, like `core`, refuse a database the config's path may not mean."""
        self._check_write()
        return self.reader

    def _check_write(self) -> None:
        if not self._write_checked:
            try:
                self.config.database_to_write(create=False)
            except DatabaseChoiceError as exc:
                raise click.ClickException(str(exc)) from None
            self._write_checked = True

    @property
    def reader(self) -> NewsDigest:
        """`core` for commands that only read (or edit rows already there): a database that does
        not exist is an error, not a new empty one. A mistyped NEWSDIGEST_DB used to get a fresh
        file and "No stories in the last 48h", as if the bot had found nothing."""
        if self._core is None:
            path = self.config.database_path()
            if path != ":memory:" and not Path(path).exists():
                raise click.ClickException(
                    self.db_problem(DatabaseOpenError(path, self._no_database(path)))
                )
            if path != ":memory:" and Path(path).is_file() and not writable(path):
                # A read-only mount, or the service's file that this user may only read: opening
                # it as usual (migrating, switching on WAL) is a write and was refused, so nothing
                # could be read. A command here that edits rows fails on its write, and says so.
                self._core = _new_core(self.config, self._open_db(open_read_only, path))
        return self._open(make_dirs=False)

    def no_config_file(self) -> str | None:
        """When no config file was found (nothing named, the default one missing): where it was
        looked for and how to name it; else None. A command run from another directory reads the
        defaults (or the example's settings) and ./newsdigest.db, and said only the database."""
        missing = self.config.missing_path
        if missing is None:
            return None
        return f"no config file found ({missing} is not in {os.getcwd()}): {self.find_config()}"

    def find_config(self) -> str:
        """How to give a command the config file it did not find, from here. With the shipped
        example read, this is the checkout: "run this from your checkout" sent the operator to
        where they stood."""
        example, missing = self.config.path, self.config.missing_path
        if example is not None and missing is not None:
            # Nothing says whether the file was ever there (a fresh checkout has none): how to
            # make it is true either way, and a moved one is only named as a maybe.
            return (
                f"copy {example} to {missing} and edit the copy (`make install` makes it; one "
                f"you moved away: put it back), or {NAME_CONFIG}"
            )
        return f"run this from your checkout, or {NAME_CONFIG}"

    def _refuse_stray_database(self) -> None:
        """A command that writes creates no database where no config file says one is: from
        another directory `feeds add` made a ./newsdigest.db no bot reads. Named outright
        ($NEWSDIGEST_DB), it is created as asked."""
        if self._core is not None or self.without_config or os.environ.get("NEWSDIGEST_DB"):
            return
        path = self.config.database_path()
        if path == ":memory:" or Path(path).exists() or (note := self.no_config_file()) is None:
            return
        raise click.ClickException(
            f"{os.path.abspath(path)}: no such database, and none is created here: {note} (or "
            "the database with $NEWSDIGEST_DB)."
        )

    def require_config_file(self, command: str, *, harm: str, anyway: str) -> None:
        """Refuse `command` when no config file was found: its settings would be the shipped
        example's or the defaults, not the operator's (`harm`: what that would do), as `prune`
        refuses to prune by a retention that is not theirs. `anyway` is the option that runs it
        all the same."""
        missing = self.config.missing_path
        if missing is None:
            return
        settings = "the shipped example's" if self.config.path is not None else "the default"
        find = self.find_config()
        raise click.ClickException(
            f"{missing} not found (in {os.getcwd()}): `newsdigest {command}` would run by "
            f"{settings} settings, not yours ({harm}), so it does nothing. "
            f"{find[:1].upper()}{find[1:]}; `newsdigest {command} {anyway}` runs it by "
            f"{settings} settings all the same."
        )

    def _no_database(self, path: str) -> str:
        """What a reader says of a database that does not exist: what creates it, from where. A
        `poll` from this directory may refuse to (`database_to_write`): then it says where from.
        With no config file found, that is said first: the path may be the default for it."""
        problem = missing_database(path) or NO_DATABASE
        if not os.environ.get("NEWSDIGEST_DB") and (note := self.no_config_file()):
            for creates in (f" ({CREATES_IT})", f"; {CREATES_IT}"):
                problem = problem.replace(creates, "")
            return f"{problem}; {note}"
        try:
            self.config.database_to_write(create=False)
        except DatabaseChoiceError as exc:
            if exc.create_from is not None:
                where = f"`newsdigest run`, or `newsdigest poll` run from {exc.create_from}"
                return problem.replace(CREATES_IT, f"{where}, creates it")
        return problem

    def database_to_copy(self) -> sqlite_utils.Database:
        """The database opened only to read it, neither migrated nor written, whatever version
        wrote it (`backup`: a safe copy of a file a newer version migrated, or of one this user
        may only read). The caller closes it."""
        path = self.config.database_path()
        if path == ":memory:" or missing_database(path):
            # A mistyped NEWSDIGEST_DB is an error, not an empty database to copy; an in-memory
            # one has nothing lasting to copy. Said as the readers say it: with no config file
            # found, that first (run from outside the checkout, the default path is no one's).
            problem = NO_DATABASE if path == ":memory:" else self._no_database(path)
            raise click.ClickException(self.db_problem(DatabaseOpenError(path, problem)))
        return self._open_db(open_to_copy, path)

    def _open_db(
        self, opener: Callable[[str], sqlite_utils.Database], path: str
    ) -> sqlite_utils.Database:
        try:
            return opener(path)
        except DatabaseOpenError as exc:
            raise click.ClickException(self.db_problem(exc)) from None

    def _open(self, *, make_dirs: bool) -> NewsDigest:
        if self._core is None:
            path = self.config.database_path()
            new = path != ":memory:" and not Path(path).exists()
            guard = MigrationGuard(path)
            try:
                db = open_database(path, make_dirs=make_dirs, before_migrating=guard)
            except DatabaseOpenError as exc:
                raise click.ClickException(self.db_problem(exc)) from None
            guard.said_upgrade()
            if new:
                # A write command run from the wrong directory, or with a mistyped path, would
                # otherwise fill a database the bot never reads, and say nothing.
                click.echo(f"Created a new database at {os.path.abspath(path)}", err=True)
            self._core = _new_core(self.config, db)
        if self._warnings_due:
            self._warnings_due = False
            shown_warnings.echo_if_news(self._core.db, self.config)
        return self._core

    def db_problem(self, exc: DatabaseOpenError) -> str:
        """The problem, naming the path as the user wrote it and where: the config's `database`
        is quoted as the file has it (a relative one is read from the file's directory, so the
        path it resolved to is said too, not passed off as the value)."""
        where = exc.path
        if os.environ.get("NEWSDIGEST_DB"):
            where = f"NEWSDIGEST_DB={exc.path}"
        elif given := self.config.database:
            where = f"database = {given!r} in {self.config_file()}"
            if given != ":memory:" and not Path(given).is_absolute():
                where += f" (resolved to {os.path.abspath(exc.path)})"
        return f"{where}: {exc.problem}"

    @property
    def synced_core(self) -> NewsDigest:
        """The core after syncing the config into the database, for `poll` (which, like `run`,
        acts on the config's feeds). A config file that was not found is not synced. What the
        sync removed or paused is said on stderr: an emptied (or unrelated) config file must not
        empty the database unnoticed."""
        if not self._synced:
            # `poll` fetches: a package the code needs and lacks would fail every feed.
            require_dependencies()
        core = self.core
        if not self._synced:
            try:
                # `poll` syncs each time it runs: a refused feed address is in once the
                # setting allows it and poll runs again, no restart needed.
                report = core.sync_config(retry="poll again")
            except ConfigError as exc:  # a channel's topic found neither in the file nor the db
                raise click.ClickException(f"invalid configuration: {exc}") from None
            self._synced = True
            for note in [
                *sync_news(report, self.config_file()),
                *sync_notes(report, self.config_file()),
            ]:
                click.echo(note, err=True)
        return core

    def config_file(self) -> str:
        """The config file to name in messages about entries it declares."""
        path = self.config.path or self.config.missing_path
        return str(path) if path else "the config file"

    def declaring_file(self) -> str:
        """The file that declares the rows the sync made (origin "config"), for a message saying
        to change them there: the operator's, said missing when it is. The example read in its
        place is never synced, so an edit of it changes nothing."""
        missing = self.config.missing_path
        if missing is None:
            return self.config_file()
        return f"your config file ({missing}, not found in {os.getcwd()})"

    def close(self) -> None:
        if self._warnings_due:
            # The command stopped before opening the database (retention off for `prune`, no
            # such database, an error): with nothing to say they were printed, they are said.
            self._warnings_due = False
            shown_warnings.echo(self.config.warnings)
        if self._core is not None:
            self._core.close()
            self._core = None


def _new_core(config: Config, db: sqlite_utils.Database) -> NewsDigest:
    from bot.app import NewsDigest

    return NewsDigest(config, db=db)


pass_cli = click.make_pass_decorator(CliContext)
