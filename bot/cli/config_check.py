"""`newsdigest config check`: load the config file and print every warning about it, whoever
runs it, and the database it names. Other commands print the warnings to a terminal each time
but to cron only once per change (`bot.cli.shown_warnings`); this is where an operator looks at
them again, and at which files a command run the same way would use."""

from __future__ import annotations

import os
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
    a retention kept at the minimum, a feed listed in two spellings), every time, then the
    database it names (the path, made absolute, that `run` and the other commands use).

    Exit status: 0 when the file loads, warnings or not; 1 when it does not (the error names
    the key) or no file was found (config/newsdigest.toml missing: the shipped example other
    commands read in its place is not yours to check). Nothing is written, and the database
    is not opened.
    """
    try:
        # Required: `config check` with no file to read is not a file without warnings.
        config = load_config(cli.config_path, required=True)
    except ConfigError as exc:
        if (hint := _missing_hint(cli)) is not None:
            raise click.ClickException(f"no config file: {exc}{hint}") from None
        raise click.ClickException(f"invalid configuration: {exc}") from None
    warnings = [*config.warnings, *_environment_warnings(config)]
    for warning in warnings:
        click.echo(f"Warning: {warning}")
    count = len(warnings)
    if count:
        click.echo(f"{config.path}: loads, with {count} warning{'s' if count != 1 else ''}.")
    else:
        click.echo(f"{config.path}: loads, no warnings.")
    click.echo(f"database: {_database(config)}")


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
