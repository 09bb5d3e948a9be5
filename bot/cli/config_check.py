"""`newsdigest config check`: load the config file and print every warning about it, whoever
runs it, and the database it names. Other commands print the warnings to a terminal each time
but to cron only once per change (`bot.cli.shown_warnings`); this is where an operator looks at
them again, and at which files a command run the same way would use."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import click

from bot.cli.context import NAME_CONFIG, CliContext, pass_cli
from bot.config import (
    DEFAULT_CONFIG_PATH,
    EXAMPLE_CONFIG_PATH,
    Config,
    ConfigError,
    load_config,
    resolve_config_path,
)


@click.group("config")
def config_group() -> None:
    """Check the config file."""


@config_group.command("check")
@pass_cli
def check_command(cli: CliContext) -> None:
    """Load the config file and print its warnings (values kept as written that chat refuses,
    a topic query that may not match what was meant, as `topics list` notes it: `chip or
    semiconductor`, `title:chip`, `chip*`, `port NEAR strike`; a feed on an address polling
    refuses, which `poll` and `run` do not sync, with the reason and the setting that allows
    it; a Discord id too short to be one, a retention kept at the minimum, a feed listed in two
    spellings, the chat settings of a channel whose entry changed that the next sync replaces),
    every time, then the database it names (the path, made absolute, that `run` and the other
    commands use).

    Exit status: 0 when the file loads, warnings or not; 1 when it does not (the error names
    the key), when a channel follows a topic neither the file nor the database has (as `run`
    refuses it), or no file was found (config/newsdigest.toml missing: the shipped example other
    commands read in its place is not yours to check). Nothing is written: the database is only
    read, for those topics and the channels' chat settings, and only if it exists.
    """
    try:
        # Required: `config check` with no file to read is not a file without warnings.
        config = load_config(cli.config_path, required=True)
    except ConfigError as exc:
        if (hint := _missing_hint(cli)) is not None:
            raise click.ClickException(f"no config file: {exc}{hint}") from None
        raise click.ClickException(f"invalid configuration: {exc}") from None
    if (error := _unknown_channel_topic(config)) is not None:
        # `run` refuses it at start: the check must not pass it.
        raise click.ClickException(f"invalid configuration: {error}")
    warnings = [
        *config.warnings,
        *_refused_feeds(config),
        *_environment_warnings(config),
        *_chat_replaced(config),
    ]
    for warning in warnings:
        click.echo(f"Warning: {warning}")
    count = len(warnings)
    if count:
        click.echo(f"{config.path}: loads, with {count} warning{'s' if count != 1 else ''}.")
    else:
        click.echo(f"{config.path}: loads, no warnings.")
    click.echo(f"database: {_database(config)}")


def _unknown_channel_topic(config: Config) -> ConfigError | None:
    """A channel's topic that the sync at `run` (or `poll`) would refuse: declared nowhere in the
    file and not in the database as the sync leaves it (a topic the file added and no longer
    declares is deleted by it). No database yet: no topic in it. One that cannot be read (locked,
    an older schema) is taken to have it: the sync says so if not."""
    from bot.store.database import connect_read_only
    from bot.store.sync import unknown_channel_topic

    path = config.database_path()
    if path == ":memory:" or not Path(path).exists():
        return unknown_channel_topic(config, lambda slug: False)
    try:
        conn = connect_read_only(path, timeout=1.0)
    except sqlite3.Error:
        return None

    def stored(slug: str) -> bool:
        try:
            row = conn.execute(
                "SELECT 1 FROM topics WHERE slug = ?"
                " AND (origin != 'config' OR origin_before_config IS NOT NULL)",
                [slug],
            ).fetchone()
        except sqlite3.Error:
            return True
        return row is not None

    try:
        return unknown_channel_topic(config, stored)
    finally:
        conn.close()


def _refused_feeds(config: Config) -> list[str]:
    """Each feed entry the sync will skip, in the sync's own words: the file loads, so without
    these the check said "no warnings" for a feed `poll` then refused."""
    from bot.store.sync import refused_feeds

    return list(refused_feeds(config, retry="`newsdigest poll` or `run` syncs it").values())


def _chat_replaced(config: Config) -> list[str]:
    """The chat settings the next `run` or `poll` will replace with the file's, for each channel
    whose entry changed since it was synced (`bot.store.sync_report`), read without writing."""
    from bot.store.database import connect_read_only
    from bot.store.sync_report import chat_replaced_note, pending_chat_replaced

    path = config.database_path()
    if path == ":memory:" or not Path(path).exists():
        return []
    try:
        conn = connect_read_only(path, timeout=1.0)
    except sqlite3.Error:
        return []
    try:
        found = pending_chat_replaced(conn, config)
    except sqlite3.Error:  # an older schema, or busy: the sync says it when it runs
        return []
    finally:
        conn.close()
    return [chat_replaced_note(what, str(config.path), pending=True) for what in found]


def _environment_warnings(config: Config) -> list[str]:
    """What the environment this check runs in lacks for the file: the LLM's key variable. A
    local server needs no key, so it is only a warning; `run` may be given other variables."""
    llm = config.llm
    if llm is None or os.environ.get(llm.api_key_env, "").strip():
        return []
    return [
        f"${llm.api_key_env} (llm.api_key_env) is not set here: the LLM endpoint gets no key, "
        "which only a local server (llama.cpp, Ollama) accepts"
    ]


def _missing_hint(cli: CliContext) -> str | None:
    """How to make the file the check did not find: the example copied (`make install`), or
    the operator's own file named; None when the file is there."""
    path = resolve_config_path(cli.config_path)
    if path.exists():
        return None  # found, but not loadable: the error says why
    if path == DEFAULT_CONFIG_PATH and EXAMPLE_CONFIG_PATH.is_file():
        return (
            f". Copy {EXAMPLE_CONFIG_PATH} to {path} and edit the copy (`make install` makes "
            f"it), or {NAME_CONFIG}"
        )
    if cli.config_path or os.environ.get("NEWSDIGEST_CONFIG"):
        # Named: the error says the file and where its name came from. Only a relative name
        # needs where it was looked for.
        return "" if path.is_absolute() else f" (looked for in {os.getcwd()})"
    return f". Run this from your checkout, or {NAME_CONFIG}"


def _database(config: Config) -> str:
    """The database the file's commands use, absolute, where its path came from, and whether it
    exists: a command from another directory, or a stale $NEWSDIGEST_DB, uses another file."""
    path = config.database_path()
    if path == ":memory:":
        return ":memory: (a database in memory, gone when the command ends)"
    if os.environ.get("NEWSDIGEST_DB"):
        source = "from $NEWSDIGEST_DB"
    elif config.database:
        source = f"database = {config.database!r} in {config.path}"
    else:
        source = "the default, newsdigest.db in the current directory: the file names none"
    state = "" if Path(path).exists() else "; it does not exist yet"
    return f"{os.path.abspath(path)} ({source}{state})"
