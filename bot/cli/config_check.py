"""`newsdigest config check`: load the config file and print every warning about it, whoever
runs it. Other commands print the warnings to a terminal each time but to cron only once per
change (`bot.cli.shown_warnings`); this is where an operator looks at them again."""

from __future__ import annotations

import click

from bot.cli.context import CliContext, pass_cli
from bot.config import ConfigError, load_config


@click.group("config")
def config_group() -> None:
    """Check the config file."""


@config_group.command("check")
@pass_cli
def check_command(cli: CliContext) -> None:
    """Load the config file and print its warnings (values kept as written that chat refuses,
    a retention kept at the minimum, a feed listed in two spellings), every time.

    Exit status: 0 when the file loads, warnings or not; 1 when it does not (the error names
    the key) or no file was found. Nothing is written, and the database is not opened.
    """
    try:
        # Required: `config check` with no file to read is not a file without warnings.
        config = load_config(cli.config_path, required=True)
    except ConfigError as exc:
        raise click.ClickException(f"invalid configuration: {exc}") from None
    for warning in config.warnings:
        click.echo(f"Warning: {warning}")
    count = len(config.warnings)
    if count:
        click.echo(f"{config.path}: loads, with {count} warning{'s' if count != 1 else ''}.")
    else:
        click.echo(f"{config.path}: loads, no warnings.")
